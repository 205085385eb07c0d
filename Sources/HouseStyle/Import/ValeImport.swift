import Foundation
import HouseStyleText
import HouseStyleYAML

/// Something about a Vale rule or configuration that the style file does not carry as Vale meant
/// it, or a remark about how it was carried.
public struct ValeIssue: Sendable, Hashable {
    /// Where in the Vale files, when it concerns one place.
    public var mark: SourceMark?
    public var text: String
    /// Whether something of the rule is lost (a token not converted, a narrower scope); a remark
    /// that loses nothing (a word listed by two rules, kept once) is not.
    public var lossy: Bool

    public init(mark: SourceMark?, text: String, lossy: Bool = true) {
        self.mark = mark
        self.text = text
        self.lossy = lossy
    }
}

/// How one Vale rule went into the style.
public struct ValeRuleReport: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Everything the rule finds, the style finds (and rewrites, where Vale's fix is one replacement).
        case full = "converted"
        /// Some of it: `issues` says what is not.
        case partial = "partly converted"
        /// Nothing: `issues` says why.
        case none = "not converted"
    }

    /// `Style.Rule`, as Vale names it.
    public var rule: String
    /// The Vale check it extends (`existence`, `substitution`, ...), or `vocabulary`.
    public var kind: String
    public var level: FindingLevel
    /// The rule file (or the vocabulary file, or `.vale.ini`).
    public var mark: SourceMark
    /// Terms, avoid entries and settings the rule became.
    public var entries: Int = 0
    public var issues: [ValeIssue] = []

    public var outcome: Outcome {
        if entries == 0 { return .none }
        return issues.contains(where: \.lossy) ? .partial : .full
    }
}

/// A Vale configuration or style, converted: what goes into the style file, and a report of
/// every rule with what could not be converted. `styleFile` writes it out.
public struct ValeImport: Sendable {
    /// A `terms` entry, with the rule it came from.
    public struct Term: Sendable, Hashable {
        public var use: String
        public var insteadOf: [String]
        public var caseSensitive: Bool
        public var level: FindingLevel
        public var rule: String
    }

    /// An `avoid` entry, with the rule it came from.
    public struct AvoidWord: Sendable, Hashable {
        public var word: String
        public var caseSensitive: Bool
        public var reportOnly: Bool
        public var level: FindingLevel
        public var note: String
        public var rule: String
    }

    /// `contractions` with its level, and the rules that asked for it; the stage's edits and
    /// findings are reported under the first one's name (`rules: {contractions: ...}`).
    public struct Contractions: Sendable, Hashable {
        public var policy: ContractionPolicy
        public var level: FindingLevel
        public var rules: [String]
    }

    /// The style's name.
    public var name: String
    /// What was imported, as the user named it.
    public var source: String
    public var terms: [Term] = []
    public var avoid: [AvoidWord] = []
    public var contractions: Contractions?
    /// Accepted vocabulary: words learned edits must never change (`learned.never`).
    public var protected: [String] = []
    /// `TokenIgnores` of the configuration: `ignore.inline`.
    public var ignoreInline: [String] = []
    /// Every rule read, in order.
    public var rules: [ValeRuleReport] = []
    /// About the configuration rather than one rule: sections and keys not imported, and why.
    public var notes: [ValeIssue] = []

    /// How many rules had each outcome.
    public func count(_ outcome: ValeRuleReport.Outcome) -> Int { rules.filter { $0.outcome == outcome }.count }

    /// `path:line:column: <outcome>: Rule: what` lines for every rule not fully converted and every
    /// note, the summary for stderr; paths relative to `base` when inside it.
    public func reportLines(relativeTo base: String? = nil) -> [String] {
        func place(_ mark: SourceMark?) -> String {
            guard let mark else { return source }
            return "\(Self.relative(mark.path, to: base)):\(mark.line):\(mark.column)"
        }
        var lines: [String] = []
        for rule in rules where rule.outcome != .full || !rule.issues.isEmpty {
            let issues = rule.issues.isEmpty ? [ValeIssue(mark: rule.mark, text: "nothing to convert")] : rule.issues
            for issue in issues {
                let what = rule.outcome == .full || !issue.lossy ? "note" : rule.outcome.rawValue
                lines.append("\(place(issue.mark ?? rule.mark)): \(what): \(rule.rule) (\(rule.kind)): \(issue.text)")
            }
        }
        lines += notes.map { "\(place($0.mark)): \($0.lossy ? "not converted" : "note"): \($0.text)" }
        return lines
    }

    /// One line: `N rules: A converted, B partly, C not converted; T terms, W avoid entries`.
    public var summary: String {
        "\(rules.count) rule\(rules.count == 1 ? "" : "s"): \(count(.full)) converted, \(count(.partial)) partly, "
            + "\(count(.none)) not converted; \(terms.count) term\(terms.count == 1 ? "" : "s"), "
            + "\(avoid.count) avoid entr\(avoid.count == 1 ? "y" : "ies")"
            + (contractions.map { ", contractions: \($0.policy.rawValue)" } ?? "")
            + (protected.isEmpty ? "" : ", \(protected.count) protected word\(protected.count == 1 ? "" : "s")")
    }

    static func relative(_ path: String, to base: String?) -> String {
        guard let base, !base.isEmpty else { return path }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    // MARK: - The style file

    /// The style file: version 1 YAML, each rule's entries under a comment naming it, with what was
    /// not converted beside it, and every rule that gave nothing listed at the end.
    /// - Parameter base: rule paths in comments are written relative to it.
    public func styleFile(relativeTo base: String? = nil) -> String {
        var lines: [String] = []
        func comment(_ text: String, indent: String = "") {
            // One line per comment line: a line break in a Vale message must not end the comment.
            for part in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(indent + "# " + part.replacingOccurrences(of: "\r", with: ""))
            }
        }
        func where_(_ mark: SourceMark) -> String { "\(Self.relative(mark.path, to: base)):\(mark.line)" }
        let byRule = Dictionary(rules.map { ($0.rule, $0) }, uniquingKeysWith: { first, _ in first })
        var described = Set<String>()
        /// The comment above a rule's first entries: its name, check, level, file, and what is lost.
        func header(_ rule: String, indent: String) {
            guard let report = byRule[rule] else { return }
            lines.append("")
            comment("\(rule) (\(report.kind), \(report.level.rawValue)): \(where_(report.mark))", indent: indent)
            guard described.insert(rule).inserted else { return }
            for issue in report.issues {
                comment("  \(issue.lossy ? "not converted" : "note"): \(issue.text)"
                        + (issue.mark.map { $0 == report.mark ? "" : " (line \($0.line))" } ?? ""), indent: indent)
            }
        }
        comment("Converted from Vale by `housestyle import vale \(source)`.")
        comment("\(summary).")
        comment("Each rule's entries follow a comment naming it; what could not be converted is listed with it,")
        comment("and the rules that gave nothing are listed at the end of this file.")
        lines.append("version: \(Style.currentVersion)")
        lines.append("name: \(Self.scalar(name))")
        if !terms.isEmpty {
            lines.append("terms:")
            var current: String?
            for term in terms {
                if term.rule != current { header(term.rule, indent: "  "); current = term.rule }
                var fields = ["use: \(Self.scalar(term.use))", "instead_of: [\(term.insteadOf.map(Self.scalar).joined(separator: ", "))]"]
                if term.caseSensitive { fields.append("case_sensitive: true") }
                fields += ["level: \(term.level.rawValue)", "rule: \(Self.ruleName(term.rule))"]
                lines.append("  - {\(fields.joined(separator: ", "))}")
            }
        }
        if !avoid.isEmpty {
            lines.append("avoid:")
            var current: String?
            for entry in avoid {
                if entry.rule != current { header(entry.rule, indent: "  "); current = entry.rule }
                var fields = ["word: \(Self.scalar(entry.word))"]
                if entry.caseSensitive { fields.append("case_sensitive: true") }
                if entry.reportOnly { fields.append("report_only: true") }
                fields += ["level: \(entry.level.rawValue)", "rule: \(Self.ruleName(entry.rule))", "note: \(Self.scalar(entry.note))"]
                lines.append("  - {\(fields.joined(separator: ", "))}")
            }
        }
        if let contractions {
            for rule in contractions.rules { header(rule, indent: "") }
            lines.append("contractions: \(contractions.policy.rawValue)")
            lines.append("levels: {contractions: \(contractions.level.rawValue)}")
            lines.append("rules: {contractions: \(Self.ruleName(contractions.rules[0]))}")
        }
        if !protected.isEmpty {
            lines.append("")
            comment("Accepted vocabulary: learned edits never change these words.")
            lines.append("learned:")
            lines.append("  never: [\(protected.map(Self.scalar).joined(separator: ", "))]")
        }
        if !ignoreInline.isEmpty {
            lines.append("")
            comment("TokenIgnores of the configuration.")
            lines.append("ignore:")
            lines.append("  inline: [\(ignoreInline.map(Self.scalar).joined(separator: ", "))]")
        }
        let unconverted = rules.filter { $0.outcome == .none }
        if !unconverted.isEmpty || !notes.isEmpty {
            lines.append("")
            comment("Not converted:")
            for rule in unconverted {
                let why = rule.issues.map(\.text).joined(separator: "; ")
                comment("  \(rule.rule) (\(rule.kind), \(rule.level.rawValue)), \(where_(rule.mark)): \(why.isEmpty ? "nothing to convert" : why)")
            }
            for note in notes {
                comment("  \(note.mark.map(where_) ?? source): \(note.text)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Vale rule's id (`Microsoft.Avoid`) as the `rule` of an entry: as it is, or with each
    /// character a rule name cannot have (`RuleName`) written `_` (a rule file named `My Rule.yml`).
    static func ruleName(_ id: String) -> String {
        let scalars = id.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        let name = String(scalars)
        return name.first.map { $0 == "." || $0 == "-" || $0 == "_" } ?? true ? "R" + name : name
    }

    /// `text` as a YAML scalar in a flow collection: plain when that reads back as the same
    /// string, else double-quoted.
    static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        let plain = text.first.map { $0.isLetter } == true && text.last.map { $0.isLetter || $0.isNumber || $0 == "." } == true
            && !reserved.contains(text.lowercased())
            && text.unicodeScalars.allSatisfy { scalar in
                (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " -'’./&()".unicodeScalars.contains(scalar))
                    && scalar.value >= 0x20
            }
            && !text.contains("  ") && !text.contains(" (") && !text.contains(": ") && !text.contains(" #")
        return plain ? text : YAMLEmitter.doubleQuoted(text)
    }

    // MARK: - Checking the result

    /// The mistakes of `styleFile()` as a style file (none, unless the importer has a bug) and
    /// the warnings of the style it makes (rules that feed or repeat each other).
    /// - Parameter path: the path the file will have, for messages.
    public func check(path: String) -> (diagnostics: [Diagnostic], warnings: [StyleWarning]) {
        let text = styleFile()
        let document: YAMLDocument
        do { document = try YAMLParser.parse(text, path: path) } catch {
            return ([Diagnostic(at: error.mark, error: .yaml(error))], [])
        }
        var decoder = StyleFileDecoder()
        let file = decoder.decode(document, path: path, root: StyleLoader.repositoryRoot(ofStyleFile: path))
        guard decoder.diagnostics.isEmpty else { return (decoder.diagnostics, []) }
        let style = file.resolved(chain: [StyleSource(name: file.styleName, path: path, root: file.root)])
        return ([], style.warnings)
    }
}
