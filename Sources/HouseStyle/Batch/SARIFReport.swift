import Foundation
import HouseStyleText

/// `check`'s findings as a SARIF 2.1.0 log, the format GitHub code scanning, editors and SARIF
/// viewers read. Add each file's rewrite (or the error that stopped it), then take `json`.
///
/// - Every finding is a result whose region has a start and an end. A change `rewrite` would make
///   carries it as a fix: the region of the unchanged file to delete and the text to insert.
///   Applying every fix gives what `rewrite` writes.
/// - Every rule that reported has metadata: short and full descriptions, help with the stage's
///   examples, and a default level.
/// - A file that could not be checked becomes a notification of the invocation, and the
///   invocation is then not successful.
/// - A file's URI is relative to `%SRCROOT%` (declared in `originalUriBaseIds`): the root of the
///   git work tree that holds the working directory (the nearest folder up with a `.git`), else the
///   working directory itself. That is the root GitHub code scanning resolves relative paths
///   against. Symbolic links are resolved first, as code scanning asks; a file outside the root
///   gets an absolute `file://` URI. URIs are percent-encoded UTF-8.
/// - Lines and columns start at 1. Lines end at `\n` or `\r\n` (SARIF's default
///   `newlineSequences`); columns count Unicode code points (`columnKind: unicodeCodePoints`,
///   as `check`'s text output does), and a byte order mark is not a column.
public struct SARIFReport {
    /// The base id of relative artifact URIs.
    public static let sourceRootID = "%SRCROOT%"

    public let toolVersion: String
    /// The folder `check` ran in, symbolic links resolved.
    public let workingDirectory: String
    /// What relative URIs are relative to: see the type's documentation.
    public let sourceRoot: String
    private let registry: StageRegistry
    /// The style's `levels`: a rule's default level in the rule metadata.
    private let levels: [BuiltinStageID: FindingLevel]
    /// The `rule` names of the style's `terms` and `avoid` entries, described in the rule metadata.
    private let entryRules: [String: EntryRule]
    private var results: [SARIFLog.Result] = []
    private var notifications: [SARIFLog.Notification] = []

    /// - Parameter workingDirectory: the folder relative input paths are relative to (default: the
    ///   current one).
    /// - Parameter levels: the style's `levels`, which the rules' metadata gives as their default level.
    /// - Parameter entryRules: the rules named by `rule` of the style's entries (`entryRules(of:)`).
    public init(toolVersion: String, workingDirectory: String = FileManager.default.currentDirectoryPath,
                registry: StageRegistry = .builtin, levels: [BuiltinStageID: FindingLevel] = [:], entryRules: [String: EntryRule] = [:]) {
        self.toolVersion = toolVersion
        let directory = Self.realPath(workingDirectory) ?? URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
        self.workingDirectory = directory
        self.sourceRoot = Self.sourceRoot(containing: directory)
        self.registry = registry
        self.levels = levels
        self.entryRules = entryRules
    }

    /// A rule named by the `rule` of `terms` or `avoid` entries (`Microsoft.Avoid`), or a stage's
    /// name in `rules` (`Microsoft.Contractions`), or both: which stage its entries belong to,
    /// what they say, the stage it names, and their level.
    public struct EntryRule: Sendable, Hashable {
        public var stage: BuiltinStageID
        /// One line per entry: "use 'Acme Cloud' instead of 'acme cloud'", "avoid 'simply'".
        public var entries: [String]
        /// The most serious `level` of its entries (and of the stage it names), if any sets one.
        public var level: FindingLevel?
        /// The stage `rules` gives this name (`contractions`), whose own description and examples
        /// describe it; nil when only entries carry it.
        public var namedStage: BuiltinStageID? = nil
    }

    /// The rules named by the `rule` of `style`'s `terms` and `avoid` entries, and by `rules`.
    public static func entryRules(of style: Style) -> [String: EntryRule] {
        var rules: [String: EntryRule] = [:]
        func add(_ name: String, _ stage: BuiltinStageID, _ line: String, _ level: FindingLevel?) {
            var rule = rules[name] ?? EntryRule(stage: stage, entries: [], level: nil)
            rule.entries.append(line)
            rule.level = [rule.level, level ?? style.levels[stage]].compactMap { $0 }.max()
            rules[name] = rule
        }
        for term in style.terms {
            guard let name = term.rule else { continue }
            add(name, .terms, "use '\(term.use)' instead of " + term.insteadOf.map { "'\($0)'" }.joined(separator: ", "), term.level)
        }
        for entry in style.avoid {
            guard let name = entry.rule else { continue }
            let what = entry.reportOnly ? "report '\(entry.word)'" : entry.instead.map { "write '\($0)' instead of '\(entry.word)'" } ?? "avoid '\(entry.word)'"
            add(name, .avoid, what, entry.level)
        }
        for stage in StageRegistry.builtin.namedRuleStageIDs {
            guard let name = style.ruleNames[stage] else { continue }
            var rule = rules[name] ?? EntryRule(stage: stage, entries: [], level: nil)
            if rule.namedStage == nil { rule.namedStage = stage }
            rule.level = [rule.level, style.levels[stage]].compactMap { $0 }.max()
            rules[name] = rule
        }
        return rules
    }

    /// Adds the results of one checked file: its findings, and the changes `rewrite` would make with their fixes.
    /// - Parameter path: the file as the user named it (relative to the working directory, or absolute).
    public mutating func add(_ rewrite: Rewrite, path: String) {
        let artifact = artifactLocation(of: path)
        let document = rewrite.document
        for (finding, edit) in rewrite.checkResults() {
            let region = Self.region(of: finding.range, in: document)
            var result = SARIFLog.Result(
                ruleId: finding.rule, ruleIndex: 0, level: Self.level(finding.level), message: .init(text: finding.message),
                locations: [.init(physicalLocation: .init(artifactLocation: artifact, region: region))])
            if let edit {
                let before = document.text(in: edit.range)
                let what = before.isEmpty ? "insert '\(edit.replacement)'"
                    : edit.replacement.isEmpty ? "remove '\(before)'" : "replace '\(before)' with '\(edit.replacement)'"
                let replacement = SARIFLog.Replacement(
                    deletedRegion: Self.region(of: edit.range, in: document),
                    insertedContent: edit.replacement.isEmpty ? nil : .init(text: edit.replacement))
                result.fixes = [.init(description: .init(text: what),
                                      artifactChanges: [.init(artifactLocation: artifact, replacements: [replacement])])]
            }
            if let confidence = finding.confidence { result.properties = .init(confidence: confidence) }
            results.append(result)
        }
    }

    /// Records a file that could not be checked, with the error that stopped it: an `InputError`
    /// (missing, not text, too large, a broken link) or a failing stage.
    public mutating func addNotChecked(path: String, error: any Error) {
        let unreadable = error is InputError
        notifications.append(SARIFLog.Notification(
            descriptor: .init(id: unreadable ? Self.unreadableFile.id : Self.fileNotChecked.id), level: "error",
            message: .init(text: unreadable ? "\(error)" : "\(path): \(error)"),
            locations: [.init(physicalLocation: .init(artifactLocation: artifactLocation(of: path), region: nil))]))
    }

    /// The log as JSON: keys sorted, indented, one run.
    /// - Parameter exitCode: the exit status `check` ends with.
    public func json(exitCode: Int32) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(log(exitCode: exitCode))
    }

    func log(exitCode: Int32) -> SARIFLog {
        let ruleIDs = Set(results.map(\.ruleId)).sorted()
        let index = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        var results = results
        for i in results.indices { results[i].ruleIndex = index[results[i].ruleId]! }
        let driver = SARIFLog.ToolComponent(
            name: "housestyle", version: toolVersion, semanticVersion: toolVersion,
            rules: ruleIDs.map { Self.descriptor(ofRule: $0, registry: registry, levels: levels, entryRules: entryRules) },
            notifications: [Self.fileNotChecked, Self.unreadableFile])
        let invocation = SARIFLog.Invocation(
            executionSuccessful: notifications.isEmpty, exitCode: exitCode, toolExecutionNotifications: notifications,
            workingDirectory: .init(uri: Self.folderURI(workingDirectory)))
        let base = SARIFLog.ArtifactLocation(
            uri: Self.folderURI(sourceRoot),
            description: .init(text: "The root of the git work tree that housestyle check ran in, else the folder it ran in."))
        return SARIFLog(runs: [SARIFLog.Run(
            tool: .init(driver: driver), invocations: [invocation], originalUriBaseIds: [Self.sourceRootID: base],
            columnKind: "unicodeCodePoints", results: results)])
    }

    // MARK: - Locations

    /// Where `path` is: relative to `%SRCROOT%` when it is inside, else an absolute `file://` URI.
    func artifactLocation(of path: String) -> SARIFLog.ArtifactLocation {
        let absolute = Self.physicalPath(of: path, in: workingDirectory)
        let prefix = sourceRoot.hasSuffix("/") ? sourceRoot : sourceRoot + "/"
        // Compared as bytes: file names are bytes, not canonically equivalent strings.
        if absolute.utf8.count > prefix.utf8.count, absolute.utf8.starts(with: prefix.utf8) {
            let relative = String(decoding: absolute.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
            return .init(uri: Self.percentEncoded(relative), uriBaseId: Self.sourceRootID)
        }
        return .init(uri: "file://" + Self.percentEncoded(absolute))
    }

    /// The root of the git work tree that holds `folder` (the nearest folder up, `folder`
    /// included, with a `.git` file or folder), else `folder`.
    public static func sourceRoot(containing folder: String) -> String {
        var candidate = folder
        while true {
            if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent(".git")) { return candidate }
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate || parent.isEmpty { return folder }
            candidate = parent
        }
    }

    /// `path` (relative to `directory`) as an absolute path without symbolic links; for a path
    /// that does not resolve (a broken link), its folder's real path and its own name.
    static func physicalPath(of path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
        if let real = realPath(joined) { return real }
        let name = (joined as NSString).lastPathComponent
        if let folder = realPath((joined as NSString).deletingLastPathComponent) {
            return folder.hasSuffix("/") ? folder + name : folder + "/" + name
        }
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A folder's absolute `file://` URI, ending in `/` as `originalUriBaseIds` requires.
    static func folderURI(_ folder: String) -> String {
        "file://" + percentEncoded(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// `path` with every byte of its UTF-8 other than unreserved characters (RFC 3986: letters,
    /// digits, `-._~`) and `/` percent-encoded: spaces, `#`, `%`, `?`, `:` and non-ASCII letters too.
    static func percentEncoded(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        var result = String.UnicodeScalarView()
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                result.append(Unicode.Scalar(byte))
            default:
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(result)
    }

    /// The text region of a byte range: start, and end one past the last character.
    static func region(of range: Range<Int>, in document: Document) -> SARIFLog.Region {
        let start = position(ofByte: range.lowerBound, in: document)
        let end = range.isEmpty ? start : position(ofByte: range.upperBound, in: document)
        return .init(startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column)
    }

    /// The line and column of a byte offset as SARIF counts them: `Document.location`, except at
    /// the very end of a text that ends with a line break. SARIF has no empty line after the last
    /// line break ("a\n" is one line), so that point is on the last line, after its line break.
    static func position(ofByte offset: Int, in document: Document) -> SourceLocation {
        if offset > 0, offset == document.byteCount, document.text.utf8.last == UInt8(ascii: "\n") {
            let lineBreak = document.location(ofByte: offset - 1)
            return SourceLocation(line: lineBreak.line, column: lineBreak.column + 1)
        }
        return document.location(ofByte: offset)
    }

    static func level(_ level: FindingLevel) -> String {
        switch level {
        case .suggestion: return "note"
        case .warning: return "warning"
        case .error: return "error"
        }
    }

    // MARK: - Rule metadata

    static let unreadableFile = notificationDescriptor(
        id: "unreadable-file",
        text: "A file could not be read: it does not exist, is not UTF-8 text, is too large, or is a broken symbolic link. It was not checked.")
    static let fileNotChecked = notificationDescriptor(
        id: "file-not-checked",
        text: "A stage failed on a file (for example, an external stage exited with an error or timed out), so the file was not checked.")

    private static func notificationDescriptor(id: String, text: String) -> SARIFLog.ReportingDescriptor {
        SARIFLog.ReportingDescriptor(
            id: id, shortDescription: .init(text: text), fullDescription: .init(text: text + " housestyle check exits with status 2."),
            help: .init(text: text + " The message says why; fix the file or the stage and check again."),
            defaultConfiguration: .init(level: "error"))
    }

    /// Metadata of a rule id as results carry it: a built-in stage's id, several joined by `+`
    /// when later stages changed what earlier ones wrote (`contractions+smart_quotes`), the
    /// comment check `housestyle-comment`, the `rule` of `terms` and `avoid` entries
    /// (`entryRules`), or a rule of an external stage.
    /// `levels`: the style's, for the default level (see `defaultLevel`).
    static func descriptor(ofRule id: String, registry: StageRegistry, levels: [BuiltinStageID: FindingLevel] = [:],
                           entryRules: [String: EntryRule] = [:]) -> SARIFLog.ReportingDescriptor {
        let parts = id.split(separator: "+").map(String.init)
        let described: [(id: String, summary: String, examples: [StageExample])] = parts.map { part in
            if let stage = BuiltinStageID(rawValue: part).flatMap(registry.type(for:)) {
                return (part, stage.summary, stage.examples)
            }
            if let rule = entryRules[part] {
                var texts: [String] = []
                var examples: [StageExample] = []
                if let id = rule.namedStage, let stage = registry.type(for: id) {
                    texts.append("The style's `\(id.rawValue)` stage, under the name \(part): \(stage.summary)")
                    examples = stage.examples
                }
                if !rule.entries.isEmpty {
                    // GitHub code scanning takes descriptions of at most 1,024 characters: the entries
                    // shown stop at 600.
                    var shown: [String] = []
                    for entry in rule.entries where shown.joined(separator: "; ").count + entry.count + 2 <= 600 { shown.append(entry) }
                    let more = rule.entries.count > shown.count ? "; and \(rule.entries.count - shown.count) more" : ""
                    let count = rule.entries.count == 1 ? "1 entry" : "\(rule.entries.count) entries"
                    texts.append("The style's `\(rule.stage.rawValue)` \(count) named \(part): \(shown.joined(separator: "; "))\(more).")
                }
                return (part, texts.joined(separator: " "), examples)
            }
            if part == "housestyle-comment" {
                return (part, "A `<!-- housestyle off RULE -->` comment (or `on`, `off-next-line`) names a rule the style does not run.", [])
            }
            return (part, "A rule of an external stage of the style (a `{command: [...]}` stage speaking the protocol of docs/stages.md).", [])
        }
        let short = described.count == 1 ? described[0].summary
            : "Rules that changed the same text in turn: " + described.map { "\($0.id): \($0.summary)" }.joined(separator: " ")
        let full = short + " Each result is a change housestyle rewrite makes there, with the change as its fix, or a place the rule"
            + " reports and leaves to the writer."
        var helpText = full
        var helpMarkdown = full
        let examples = described.flatMap(\.examples)
        if !examples.isEmpty {
            helpText += "\n\nExamples (the style's settings, then the text before -> after):"
            helpMarkdown += "\n\n**Examples** (the style's settings, then the text before → after):"
            for example in examples {
                let style = example.style.split(separator: "\n", omittingEmptySubsequences: false)
                helpText += "\n\n" + style.map { "    " + $0 }.joined(separator: "\n")
                    + "\n    " + example.input + " -> " + example.expected
                helpMarkdown += "\n\n```yaml\n" + example.style + "\n```\n" + codeSpan(example.input) + " → " + codeSpan(example.expected)
            }
        }
        return SARIFLog.ReportingDescriptor(
            id: id, shortDescription: .init(text: short), fullDescription: .init(text: full),
            help: .init(text: helpText, markdown: helpMarkdown),
            defaultConfiguration: .init(level: defaultLevel(ofRule: id, levels: levels, entryRules: entryRules)))
    }

    /// The level a rule's results have unless an entry sets its own: the style's `levels` for the
    /// rule's stage, or for an entry rule the most serious level of its entries (for rules joined
    /// by `+`, the most serious of theirs), else `note` (a suggestion) for what only the learned
    /// model proposes, as `check` reports it, else `warning`.
    static func defaultLevel(ofRule id: String, levels: [BuiltinStageID: FindingLevel] = [:], entryRules: [String: EntryRule] = [:]) -> String {
        let set = id.split(separator: "+").compactMap { part in
            entryRules[String(part)]?.level ?? BuiltinStageID(rawValue: String(part)).flatMap { levels[$0] }
        }
        if let most = set.max() { return level(most) }
        return id == BuiltinStageID.learned.rawValue ? level(.suggestion) : level(.warning)
    }

    /// `text` as a Markdown code span, fenced with more backticks than it contains in a row.
    static func codeSpan(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        return fence + padded + fence
    }
}
