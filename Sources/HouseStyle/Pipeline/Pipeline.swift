import Foundation
import HouseStyleText
import HouseStyleYAML

/// The result of running a style's pipeline over one text.
public struct Rewrite: Sendable {
    /// The text as given.
    public let original: String
    /// The rewritten text: `original` with `edits` applied.
    public let text: String
    /// The changes, as ranges of `original`, sorted.
    public let edits: [ComposedEdit]
    /// What stages noticed but did not change, as ranges of `original`, sorted.
    public let findings: [Finding]
    /// The analysed original: its protected spans and prose.
    public let document: Document

    public var changed: Bool { !edits.isEmpty }
}

/// Runs a style's stages over texts: `pre` stages, the rule stages the style configures, then
/// `post` stages. Build one per style and reuse it for every file; it is safe to share across
/// threads (each run makes its own segmenters).
public struct Pipeline: Sendable {
    public let style: Style
    /// The stages in the order they run.
    public let stages: [any Stage]
    /// Whether Markdown structure is recognised (the `markdown` stage is listed).
    public let parsesMarkdown: Bool
    /// Stages of the style that will not run, with why (for the CLI to tell the user).
    public let notices: [String]

    public init(style: Style, resources: Resources, registry: StageRegistry = .builtin) throws {
        self.style = style
        var ordered: [StageSpec] = style.stages.pre + style.stages.post
        // A rule the style configures always runs: if its stage is not listed, it runs after the
        // listed post stages' built-ins, in the registry's order (nothing is silently dropped).
        let listed = Set(ordered.compactMap { spec -> BuiltinStageID? in
            if case .builtin(let id, _) = spec { return id } else { return nil }
        })
        let firstCommand = style.stages.pre.count + (style.stages.post.firstIndex { if case .command = $0 { true } else { false } } ?? style.stages.post.count)
        let implicit = StageRegistry.ruleStageIDs.filter { !listed.contains($0) }.map { StageSpec.builtin($0) }
        ordered.insert(contentsOf: implicit, at: firstCommand)

        var stages: [any Stage] = []
        let notices: [String] = []
        for spec in ordered {
            switch spec {
            case .builtin(let id, let options):
                if let stage = try registry.make(id, style: style, options: options, resources: resources) {
                    stages.append(stage)
                }
            case .command(let command):
                stages.append(ExternalStage(command: command, styleRoot: style.root))
            }
        }
        self.stages = stages
        self.notices = notices
        self.ignore = style.ignore.rules()
        self.repeatsUntilStable = stages.contains { $0.id == BuiltinStageID.learned.rawValue }
        self.parsesMarkdown = listed.contains(.markdown)
    }

    /// Whether `rewrite` runs the stages again on its own output until nothing changes (at most
    /// `maximumRounds` passes in all). On by default when the `learned` stage runs: a learned edit
    /// can make the next one likely in the sentence it changed, while rule stages are idempotent
    /// by construction. Rewriting a rewritten text then changes nothing more.
    public var repeatsUntilStable: Bool
    public static let maximumRounds = 3
    /// What no stage changes besides Markdown markup (`ignore` of the style).
    let ignore: IgnoreRules

    /// Rewrites one text.
    /// - Parameters:
    ///   - path: the file's path, for messages and to tell Markdown from plain text by extension.
    ///   - format: overrides the format the path implies (stdin has no path).
    public func rewrite(_ text: String, path: String? = nil, format: DocumentFormat? = nil) throws -> Rewrite {
        // Old Mac line endings: every lone CR is read as a line feed (one byte for one, so every
        // offset holds) and any line break an edit writes goes back as a CR.
        guard let unified = Self.loneCarriageReturnsAsLineFeeds(text) else { return try rewriteUnified(text, path: path, format: format) }
        let result = try rewriteUnified(unified, path: path, format: format)
        guard result.changed else {
            return Rewrite(original: text, text: text, edits: [], findings: result.findings, document: result.document)
        }
        let edits = result.edits.map {
            var edit = $0
            edit.replacement = edit.replacement.replacingOccurrences(of: "\n", with: "\r")
            return edit
        }
        var output = Array(text.utf8)
        for edit in edits.reversed() { output.replaceSubrange(edit.range, with: Array(edit.replacement.utf8)) }
        return Rewrite(original: text, text: String(decoding: output, as: UTF8.self), edits: edits, findings: result.findings,
                       document: result.document)
    }

    /// `text` with each CR that no LF follows made a LF, or nil when it has none.
    static func loneCarriageReturnsAsLineFeeds(_ text: String) -> String? {
        var text = text
        let hasLoneCR = text.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            var from = 0
            while from < bytes.count, let found = memchr(base + from, 0x0D, bytes.count - from) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if index + 1 == bytes.count || bytes[index + 1] != 0x0A { return true }
                from = index + 1
            }
            return false
        }
        guard hasLoneCR else { return nil }
        var bytes = Array(text.utf8)
        var changed = false
        for index in bytes.indices where bytes[index] == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A) {
            bytes[index] = 0x0A
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : nil
    }

    private func rewriteUnified(_ text: String, path: String?, format: DocumentFormat?) throws -> Rewrite {
        let (first, initial) = try rewriteOnce(text, path: path, format: format)
        guard repeatsUntilStable && first.changed else { return first }
        var composer = initial
        var findings = first.findings
        for _ in 1..<Self.maximumRounds {
            let (again, _) = try rewriteOnce(composer.currentText, path: path, format: format)
            guard again.changed else { break }
            // The new round's findings and edits are on the previous output: map, then compose.
            // A finding at a place and of a rule already reported is the same one seen again.
            let known = Set(findings.map { "\($0.range) \($0.rule)" })
            findings += composer.mapToOriginal(again.findings).filter { !known.contains("\($0.range) \($0.rule)") }
            composer.compose(again.edits.map(\.edit))
        }
        findings.sort { ($0.range.lowerBound, $0.rule) < ($1.range.lowerBound, $1.rule) }
        return Rewrite(original: text, text: composer.currentText, edits: composer.edits, findings: findings, document: first.document)
    }

    /// One pass of the stages over `text`, with the composer holding its edits.
    private func rewriteOnce(_ text: String, path: String?, format: DocumentFormat?) throws -> (Rewrite, EditComposer) {
        let chosen = format ?? path.map(DocumentFormat.init(path:)) ?? .markdown
        let document = Document(text: text, format: parsesMarkdown ? chosen : .plain, ignore: ignore)
        var composer = EditComposer(original: text)
        var findings: [Finding] = []
        // A comment that names no rule of this pipeline is most likely a typo: say so.
        let known = Set(stages.map(\.id) + BuiltinStageID.allCases.map(\.rawValue))
        for region in document.ruleRegions {
            for name in region.rules.sorted() where !known.contains(name) {
                findings.append(Finding(range: region.range.lowerBound..<region.range.lowerBound, level: .warning,
                    message: "'<!-- housestyle ... \(name) -->' names no rule; rules here: \(stages.map(\.id).joined(separator: ", "))",
                    rule: "housestyle-comment"))
            }
        }
        let protectedOriginal = document.protectedSpans.map(\.range)
        var spans = document.protectedSpans
        var prose = document.proseRanges
        var words = try WordTracker(bytes: composer.current, prose: prose, segmenter: WordSegmenter(locale: style.locale))
        for (index, stage) in stages.enumerated() {
            var input = StageInput(path: path, bytes: composer.current, protectedSpans: spans, prose: prose,
                rules: RuleText(bytes: composer.current, words: words.words, prose: prose))
            if stage is ExternalStage {
                input.earlierEdits = composer.editsInCurrent.map { placed in
                    let edit = placed.edit.edit
                    return EarlierEdit(range: placed.current, original: String(decoding: composer.original[edit.range], as: UTF8.self),
                                       rule: edit.rule, reason: edit.reason)
                }
            }
            var result = try stage.apply(to: input)
            result.edits.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
            try Self.check(result.edits, of: stage, against: input)
            if !document.ruleRegions.isEmpty { Self.drop(&result, of: stage, in: document.ruleRegions, composer: composer) }
            let lines = LineBreaks.keep(result.edits, in: input.bytes)
            result.edits = lines.edits
            findings += composer.mapToOriginal(result.findings + lines.refused)
            guard !result.edits.isEmpty else { continue }
            composer.compose(result.edits)
            guard index < stages.count - 1 else { break }  // no stage left to see the words
            // Protected spans move with the edits around them; prose grows or shrinks with its edits.
            let moved = composer.currentRanges(ofOriginal: protectedOriginal)
            spans = zip(document.protectedSpans, moved).map { ProtectedSpan(range: $1, kind: $0.kind) }
            prose = composer.currentRanges(ofOriginal: document.proseRanges)
            try words.update(old: input.bytes, new: composer.current, edits: result.edits, prose: prose)
        }
        findings.sort { ($0.range.lowerBound, $0.rule) < ($1.range.lowerBound, $1.rule) }
        return (Rewrite(original: text, text: composer.currentText, edits: composer.edits, findings: findings, document: document), composer)
    }

    /// Removes the edits and findings of `stage` inside regions where a `<!-- housestyle off NAME -->`
    /// comment switched it off (regions are in the original text; the stage saw the current one).
    static func drop(_ result: inout StageResult, of stage: any Stage, in regions: [IgnoreRules.RuleRegion], composer: EditComposer) {
        let mine = regions.filter { $0.rules.contains(stage.id) }
        guard !mine.isEmpty else { return }
        let current = composer.currentRanges(ofOriginal: mine.map(\.range))
        func inside(_ range: Range<Int>) -> Bool {
            current.contains { $0.overlaps(range) || (range.isEmpty && $0.lowerBound <= range.lowerBound && range.lowerBound <= $0.upperBound) }
        }
        result.edits.removeAll { inside($0.range) }
        result.findings.removeAll { inside($0.range) }
    }

    /// Rejects edits that overlap, fall outside the text or inside a character, or touch protected text.
    static func check(_ edits: [Edit], of stage: any Stage, against input: StageInput) throws(StageError) {
        let bytes = input.bytes
        func onBoundary(_ offset: Int) -> Bool { offset == bytes.count || bytes[offset] & 0xC0 != 0x80 }
        var previous: Edit?
        var s = 0
        for edit in edits {
            let range = edit.range
            guard range.lowerBound >= 0, range.upperBound <= bytes.count, onBoundary(range.lowerBound), onBoundary(range.upperBound)
            else { throw .invalidEditRange(stage: stage.id, edit: range, textLength: bytes.count) }
            if let previous, previous.range.upperBound > range.lowerBound || (previous.range == range && range.isEmpty) {
                throw .overlappingEdits(stage: stage.id, first: previous.range, second: range)
            }
            while s < input.protectedSpans.count && input.protectedSpans[s].range.upperBound <= range.lowerBound { s += 1 }
            var t = s
            while t < input.protectedSpans.count && input.protectedSpans[t].range.lowerBound < max(range.upperBound, range.lowerBound + 1) {
                let span = input.protectedSpans[t].range
                let touches = range.isEmpty ? span.lowerBound < range.lowerBound && range.lowerBound < span.upperBound
                    : span.lowerBound < range.upperBound && range.lowerBound < span.upperBound
                if touches { throw .editTouchesProtectedSpan(stage: stage.id, edit: range, span: input.protectedSpans[t].kind) }
                t += 1
            }
            previous = edit
        }
    }
}
