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
    /// What the stages reported about their own work in the first pass (later passes see the
    /// rewritten text, where they would report the same again), as ranges of `original`; a
    /// refusal whose words a later pass edited after all is left out.
    public var diagnostics: [StageDiagnostic] = []

    public var changed: Bool { !edits.isEmpty }
}

/// Runs a style's stages over texts: `pre` stages, the rule stages the style configures, then
/// `post` stages. Build one per style and reuse it for every file; it is safe to share across
/// threads (each run makes its own segmenters).
public struct Pipeline: Sendable {
    public let style: Style
    /// The stages in the order they run.
    public internal(set) var stages: [any Stage]
    /// The ids of what runs, in order: the stages and the document steps (`markdown`, `segment`)
    /// listed, for messages.
    public let stepNames: [String]
    /// Whether Markdown structure is recognised (the `markdown` stage is listed).
    public let parsesMarkdown: Bool
    /// Whether stages report what they considered and did not do (`Rewrite.diagnostics`,
    /// `StageDiagnostic.refused`): for `rewrite --explain --refusals`; it costs time.
    public var explainsRefusals = false
    /// The trained model a stage runs on (the `learned` stage's), nil when no stage runs one.
    public var learnedModel: LearnedModel? { stages.lazy.compactMap(\.learnedModel).first }

    /// - Parameter allowsCommands: whether the style's external stages (`{command: [...]}`, its
    ///   own or inherited through `extends`) may run; a style file is not trusted to start
    ///   programs unless the caller says so.
    /// - Throws: `StageError.commandsNotAllowed` when the style has external stages and
    ///   `allowsCommands` is false; `StageError.launchFailed` when a command's program is missing.
    public init(style: Style, resources: Resources, registry: StageRegistry = .builtin, allowsCommands: Bool = false) throws {
        try Self.checkCommands(of: style, allowed: allowsCommands)
        self.style = style
        var ordered: [StageSpec] = style.stages.pre + style.stages.post
        // A rule the style configures always runs: if its stage is not listed, it runs after the
        // listed post stages' built-ins, in the registry's order (nothing is silently dropped).
        let listed = Set(ordered.compactMap { spec -> BuiltinStageID? in
            if case .builtin(let id, _) = spec { return id } else { return nil }
        })
        let firstCommand = style.stages.pre.count + (style.stages.post.firstIndex { if case .command = $0 { true } else { false } } ?? style.stages.post.count)
        let implicit = registry.ruleStageIDs.filter { !listed.contains($0) }.map { StageSpec.builtin($0) }
        ordered.insert(contentsOf: implicit, at: firstCommand)

        var stages: [any Stage] = []
        var stepNames: [String] = []
        for spec in ordered {
            switch spec {
            case .builtin(let id, _) where registry.documentSteps.contains(where: { $0.id == id }):
                // How the document is read (`parsesMarkdown`), not a stage.
                stepNames.append(id.rawValue)
            case .builtin(let id, let options):
                if let stage = try registry.make(id, style: style, options: options, resources: resources) {
                    stages.append(stage)
                    stepNames.append(stage.id)
                }
            case .command(let command):
                let stage = ExternalStage(command: command, styleRoot: style.root)
                _ = try ExternalStage.program(of: command, styleRoot: style.root, id: stage.id)
                stages.append(stage)
                stepNames.append(stage.id)
            }
        }
        self.stages = stages
        self.stepNames = stepNames
        self.ignore = style.ignore.rules()
        self.repeatsUntilStable = stages.contains { $0.id == BuiltinStageID.learned.rawValue }
        self.parsesMarkdown = listed.contains(.markdown)
        // `terms` and `avoid` give each edit and finding its entry's level, else the stage's.
        self.stageLevels = Dictionary(uniqueKeysWithValues: style.levels.filter { $0.key != .terms && $0.key != .avoid }
            .map { ($0.key.rawValue, $0.value) })
        self.stageRuleNames = Dictionary(uniqueKeysWithValues: style.ruleNames.map { ($0.key.rawValue, $0.value) })
    }

    /// Throws `StageError.commandsNotAllowed`, naming every external stage of `style`, when it
    /// has any and `allowed` is false. `init` checks this first; a caller that reads or writes
    /// files before building the pipeline (training a model) checks it before those.
    public static func checkCommands(of style: Style, allowed: Bool) throws {
        let commands = style.stages.commands
        if !allowed && !commands.isEmpty { throw StageError.commandsNotAllowed(commands) }
    }

    /// Whether `rewrite` runs the stages again on its own output until nothing changes (at most
    /// `maximumRounds` passes in all). On by default when the `learned` stage runs: a learned edit
    /// can make the next one likely in the sentence it changed, while rule stages are idempotent
    /// by construction. Rewriting a rewritten text then changes nothing more.
    public var repeatsUntilStable: Bool
    public static let maximumRounds = 3
    /// What no stage changes besides Markdown markup (`ignore` of the style).
    let ignore: IgnoreRules
    /// The level every edit and finding of a stage is reported at (`levels`), by stage id, for
    /// the stages that do not set levels themselves.
    let stageLevels: [String: FindingLevel]
    /// The name a stage's edits and findings are reported under (`rules`), by stage id.
    let stageRuleNames: [String: String]

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
            return Rewrite(original: text, text: text, edits: [], findings: result.findings, document: result.document,
                           diagnostics: result.diagnostics)
        }
        let edits = result.edits.map {
            var edit = $0
            edit.replacement = edit.replacement.replacingOccurrences(of: "\n", with: "\r")
            return edit
        }
        return Rewrite(original: text, text: Rewrite.apply(edits, to: text), edits: edits, findings: result.findings,
                       document: result.document, diagnostics: result.diagnostics)
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
        for index in bytes.indices where bytes[index] == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A) {
            bytes[index] = 0x0A
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func rewriteUnified(_ text: String, path: String?, format: DocumentFormat?) throws -> Rewrite {
        let (first, initial) = try rewritePass(text, path: path, format: format)
        guard repeatsUntilStable && first.changed else { return first }
        var composer = initial
        var findings = first.findings
        for _ in 1..<Self.maximumRounds {
            let (again, _) = try rewritePass(composer.currentText, path: path, format: format)
            guard again.changed else { break }
            // The new round's findings and edits are on the previous output: map, then compose.
            // A finding at a place and of a rule already reported is the same one seen again.
            let known = Set(findings.map { "\($0.range) \($0.rule)" })
            findings += composer.mapToOriginal(again.findings).filter { !known.contains("\($0.range) \($0.rule)") }
            composer.compose(again.edits.map(\.edit))
        }
        findings.sort { ($0.range.lowerBound, $0.rule) < ($1.range.lowerBound, $1.rule) }
        // A candidate the first round left out may be made by a later one (a sentence's sites past
        // the search's shortlist): it is no refusal then.
        let madeFirst = Set(first.edits.map(\.range))
        let diagnostics = Self.standing(first.diagnostics, laterEdits: composer.edits.map(\.range).filter { !madeFirst.contains($0) })
        return Rewrite(original: text, text: composer.currentText, edits: composer.edits, findings: findings, document: first.document,
                       diagnostics: diagnostics)
    }

    /// `diagnostics` without the refusals whose words a later round edited (`laterEdits`: ranges of
    /// the original text; an insertion counts where it falls inside the refusal's words).
    static func standing(_ diagnostics: [StageDiagnostic], laterEdits: [Range<Int>]) -> [StageDiagnostic] {
        guard !laterEdits.isEmpty else { return diagnostics }
        return diagnostics.filter { diagnostic in
            guard case .refused(let refusal) = diagnostic else { return true }
            return !laterEdits.contains { $0.overlaps(refusal.range) || ($0.isEmpty && refusal.range.contains($0.lowerBound)) }
        }
    }

    /// The rule stages whose output no other of them may change in the same pass: "i.e." ->
    /// "that is" (avoid) must not become "that's" (contractions). Typography (punctuation,
    /// smart quotes) may follow any of them.
    static let wordRules = Set([BuiltinStageID.terms, .avoid, .spelling, .contractions].map(\.rawValue))

    /// One pass of the stages over `text`. Where one word rule would change another's output,
    /// the pass runs again without the first rule's edit there (it becomes a finding), so that the
    /// result is the same however many times the text is rewritten.
    private func rewritePass(_ text: String, path: String?, format: DocumentFormat?) throws -> (Rewrite, EditComposer) {
        let (result, composer, chained) = try rewriteOnce(text, path: path, format: format, suppressed: [])
        guard !chained.isEmpty else { return (result, composer) }
        let (again, againComposer, _) = try rewriteOnce(text, path: path, format: format, suppressed: chained)
        return (again, againComposer)
    }

    /// One pass of the stages over `text`, with the composer holding its edits, and the original
    /// ranges of word-rule edits that a later word rule wanted to change again (`chained`).
    /// Word-rule edits within `suppressed` are not made.
    private func rewriteOnce(_ text: String, path: String?, format: DocumentFormat?, suppressed: [Range<Int>])
        throws -> (Rewrite, EditComposer, chained: [Range<Int>])
    {
        var chained: [Range<Int>] = []
        let chosen = format ?? path.map(DocumentFormat.init(path:)) ?? .markdown
        let document = Document(text: text, format: parsesMarkdown ? chosen : .plain, ignore: ignore)
        var composer = EditComposer(original: text)
        var findings: [Finding] = []
        var diagnostics: [StageDiagnostic] = []
        // A comment that names no rule of this pipeline is most likely a typo: say so.
        let known = document.ruleRegions.isEmpty ? [] : Set(stepNames + BuiltinStageID.allCases.map(\.rawValue) + style.entryRules.map(\.name)
                                                            + style.ruleNames.values)
        for region in document.ruleRegions {
            for name in region.rules.sorted() where !known.contains(name) {
                findings.append(Finding(range: region.range.lowerBound..<region.range.lowerBound, level: .warning,
                    message: "'<!-- housestyle ... \(name) -->' names no rule; rules here: \(stepNames.joined(separator: ", "))",
                    rule: "housestyle-comment"))
            }
        }
        var spans = document.protectedSpans
        var prose = document.proseRanges
        var words = try WordTracker(bytes: composer.current, prose: prose, segmenter: WordSegmenter(locale: style.locale))
        // Whether a stage from index k on reads the words: after the last one, the list is let go.
        var wordsReadFrom = [Bool](repeating: false, count: stages.count + 1)
        for k in stages.indices.reversed() { wordsReadFrom[k] = stages[k].readsWords || wordsReadFrom[k + 1] }
        for (index, stage) in stages.enumerated() {
            var input = StageInput(path: path, bytes: composer.current, protectedSpans: spans, prose: prose,
                rules: RuleText(bytes: composer.current, words: stage.readsWords ? words.words : [], prose: prose))
            input.explainsRefusals = explainsRefusals
            if stage.seesEarlierEdits {
                input.earlierEdits = composer.editsInCurrent.map { placed in
                    let edit = placed.edit.edit
                    return EarlierEdit(range: placed.current, original: composer.original(in: edit.range),
                                       rule: edit.rule, reason: edit.reason)
                }
            }
            var result = try stage.apply(to: input)
            if let level = stageLevels[stage.id] {
                for i in result.edits.indices { result.edits[i].level = level }
                for i in result.findings.indices { result.findings[i].level = level }
            }
            if let name = stageRuleNames[stage.id] {
                // Reported under the style's name for the stage; `stage` keeps the id.
                for i in result.edits.indices where result.edits[i].rule == stage.id {
                    result.edits[i].rule = name
                    result.edits[i].stage = stage.id
                }
                for i in result.findings.indices where result.findings[i].rule == stage.id { result.findings[i].rule = name }
            }
            result.edits.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
            try Self.check(result.edits, of: stage, against: input)
            if !document.ruleRegions.isEmpty { Self.drop(&result, of: stage, in: document.ruleRegions, composer: composer) }
            if Self.wordRules.contains(stage.id) || stage.id == BuiltinStageID.learned.rawValue {
                findings += Self.unchain(&result, of: stage, composer: composer, suppressed: suppressed, chained: &chained)
            }
            let lines = LineBreaks.keep(result.edits, in: input.bytes)
            result.edits = lines.edits
            var refused = lines.refused
            if document.format == .markdown {
                let markup = MarkupGuard.keep(result.edits, in: input.bytes)
                result.edits = markup.edits
                refused += markup.refused
            }
            findings += composer.mapToOriginal(result.findings + refused)
            if !result.diagnostics.isEmpty {
                let placed = composer.mapToOriginal(result.diagnostics.map { Finding(range: $0.range, level: .suggestion, message: "", rule: stage.id) })
                diagnostics += zip(result.diagnostics, placed).map { diagnostic, finding in diagnostic.mapRange { _ in finding.range } }
            }
            guard !result.edits.isEmpty else { continue }
            composer.compose(result.edits)
            guard index < stages.count - 1 else { break }  // no stage left to see the words
            // The stage's view holds the word, span and prose lists: let go of it, so that they
            // are updated in place rather than copied (a large document has millions of each).
            let oldBytes = input.bytes
            input = StageInput(path: path, bytes: [], protectedSpans: [], prose: [], rules: RuleText(bytes: [], words: [], prose: []))
            // Protected spans move with the edits around them; prose grows or shrinks with its edits.
            // Through buffer pointers: an array's element setter is a call for each of tens of
            // thousands of ranges, per stage.
            spans.withUnsafeMutableBufferPointer { spans in
                composer.forEachCurrentRange(ofOriginal: document.protectedSpans.lazy.map(\.range)) { i, range in spans[i].range = range }
            }
            prose.withUnsafeMutableBufferPointer { prose in
                composer.forEachCurrentRange(ofOriginal: document.proseRanges) { i, range in prose[i] = range }
            }
            if wordsReadFrom[index + 1] {
                try words.update(old: oldBytes, new: composer.current, edits: result.edits, prose: prose)
            } else {
                words.release()
            }
        }
        findings.sort { ($0.range.lowerBound, $0.rule) < ($1.range.lowerBound, $1.rule) }
        // The word lists and the composer's spare buffer are as large as the text or larger: free
        // them before the rewritten text is copied out.
        words.release()
        composer.releaseSpare()
        return (Rewrite(original: text, text: composer.currentText, edits: composer.edits, findings: findings, document: document,
                        diagnostics: diagnostics), composer,
                chained)
    }

    /// Removes the edits of a word rule (or the learned stage) that would change what an earlier word
    /// rule wrote in this pass, noting the earlier edit's original range in `chained` (the learned
    /// stage's edit is only dropped: rules come first). With `suppressed`, a word rule's edits
    /// there are not made but returned as findings.
    static func unchain(_ result: inout StageResult, of stage: any Stage, composer: EditComposer, suppressed: [Range<Int>],
                        chained: inout [Range<Int>]) -> [Finding] {
        guard !result.edits.isEmpty else { return [] }
        func overlaps(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            a.overlaps(b) || (a.isEmpty && b.lowerBound < a.lowerBound && a.lowerBound < b.upperBound)
                || (b.isEmpty && a.lowerBound < b.lowerBound && b.lowerBound < a.upperBound)
        }
        let produced = composer.editsInCurrent.filter { $0.edit.parts.contains { wordRules.contains($0.stageID) } }
        if !produced.isEmpty {
            var p = 0
            result.edits.removeAll { edit in
                while p < produced.count, produced[p].current.upperBound < edit.range.lowerBound { p += 1 }
                var q = p
                while q < produced.count, produced[q].current.lowerBound <= edit.range.upperBound {
                    if overlaps(produced[q].current, edit.range) {
                        // Deleting the words before an earlier edit and recasing it ("Simply use" -> "Use")
                        // keeps what that edit wrote.
                        let written = String(decoding: composer.current[produced[q].current], as: UTF8.self).lowercased()
                        if edit.range.upperBound == produced[q].current.upperBound, edit.range.lowerBound <= produced[q].current.lowerBound,
                            !written.isEmpty, edit.replacement.lowercased() == written {
                            q += 1
                            continue
                        }
                        if stage.id != BuiltinStageID.learned.rawValue { chained.append(produced[q].edit.range) }
                        return true
                    }
                    q += 1
                }
                return false
            }
        }
        guard !suppressed.isEmpty, wordRules.contains(stage.id) else { return [] }
        let asFindings = result.edits.map { Finding(range: $0.range, level: .suggestion, message: "", rule: $0.rule) }
        let original = composer.mapToOriginal(asFindings).map(\.range)
        var refused: [Finding] = []
        var kept: [Edit] = []
        for (edit, range) in zip(result.edits, original) {
            if suppressed.contains(where: { overlaps($0, range) || $0 == range }) {
                let what = range.isEmpty ? "inserting '\(edit.replacement)'" : "'\(composer.original(in: range))' -> '\(edit.replacement)'"
                refused.append(Finding(range: range, level: edit.level ?? .suggestion,
                    message: "not applied: \(what): another rule would change the result again in the same pass: \(edit.reason)",
                    rule: edit.rule, confidence: edit.confidence))
            } else {
                kept.append(edit)
            }
        }
        result.edits = kept
        return refused
    }

    /// Removes the edits, findings and diagnostics of `stage` inside regions where a `<!-- housestyle off NAME -->`
    /// comment switched it off, or switched off the rule they carry (an entry's `rule`); regions
    /// are in the original text, the stage saw the current one.
    static func drop(_ result: inout StageResult, of stage: any Stage, in regions: [IgnoreRules.RuleRegion], composer: EditComposer) {
        let names = Set(result.edits.map(\.rule) + result.findings.map(\.rule) + [stage.id])
        let mine = regions.filter { !$0.rules.isDisjoint(with: names) }
        guard !mine.isEmpty else { return }
        let current = composer.currentRanges(ofOriginal: mine.map(\.range))
        func inside(_ range: Range<Int>, rule: String) -> Bool {
            zip(mine, current).contains { region, current in
                (region.rules.contains(stage.id) || region.rules.contains(rule))
                    && (current.overlaps(range) || (range.isEmpty && current.lowerBound <= range.lowerBound && range.lowerBound <= current.upperBound))
            }
        }
        result.edits.removeAll { inside($0.range, rule: $0.rule) }
        result.findings.removeAll { inside($0.range, rule: $0.rule) }
        // What the stage left undone there it was asked not to do: no guard event or refusal either.
        result.diagnostics.removeAll { inside($0.range, rule: stage.id) }
    }

    /// Rejects edits that overlap, fall outside the text or inside a character, or touch protected text.
    static func check(_ edits: [Edit], of stage: any Stage, against input: StageInput) throws(StageError) {
        let bytes = input.bytes
        func onBoundary(_ offset: Int) -> Bool { offset == bytes.count || bytes[offset] & 0xC0 != 0x80 }
        var previous: Range<Int>?  // a range, not the edit: copying an edit retains its four strings
        var s = 0
        for index in edits.indices {
            let range = edits[index].range
            guard range.lowerBound >= 0, range.upperBound <= bytes.count, onBoundary(range.lowerBound), onBoundary(range.upperBound)
            else { throw .invalidEditRange(stage: stage.id, edit: range, textLength: bytes.count) }
            if let previous, previous.upperBound > range.lowerBound || (previous == range && range.isEmpty) {
                throw .overlappingEdits(stage: stage.id, first: previous, second: range)
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
            previous = range
        }
    }
}
