import Foundation
import HouseStyleText

/// An applied edit as reported to people and machines (`--explain`, `--format json`, `--jsonl`).
public struct EditReport: Codable, Sendable, Hashable {
    /// UTF-8 byte offsets into the original text.
    public var start: Int
    public var end: Int
    /// 1-based line and column (in characters) of `start`.
    public var line: Int
    public var column: Int
    public var original: String
    public var replacement: String
    /// The rules that made the edit, joined with `+` when several stages edited the same text.
    public var rule: String
    public var reason: String
    public var confidence: Double
    public var origin: String
    /// How serious `check` reports this change: `suggestion`, `warning` or `error` (the level the
    /// style sets for its entry or rule, else `Rewrite.defaultLevel(of:)`).
    public var level: String

    public init(_ edit: ComposedEdit, in document: Document) {
        let composed = edit.edit
        let location = document.location(ofByte: edit.range.lowerBound)
        start = edit.range.lowerBound
        end = edit.range.upperBound
        line = location.line
        column = location.column
        original = document.text(in: edit.range)
        replacement = edit.replacement
        rule = composed.rule
        reason = composed.reason
        confidence = composed.confidence
        origin = composed.origin.name
        level = (composed.level ?? Rewrite.defaultLevel(of: edit)).rawValue
    }
}

/// A learned edit considered and not proposed, as `rewrite --explain --refusals` reports it: a
/// `Refusal`, or an edit `rewrite.preserve` kept out (reason `preserve`).
public struct RefusalReport: Codable, Sendable, Hashable {
    /// UTF-8 byte offsets into the original text, and the 1-based line and column of `start`.
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int
    /// The words as written, and what the candidate would have written (empty: a deletion).
    public var original: String
    public var replacement: String
    public var origin: String
    /// `Refusal.Reason`'s code, or `preserve`.
    public var reason: String
    public var detail: String

    public init?(_ diagnostic: StageDiagnostic, in document: Document) {
        let range: Range<Int>
        switch diagnostic {
        case .refused(let refusal):
            range = refusal.range
            (original, replacement, origin, reason, detail) = (refusal.before, refusal.after, refusal.origin.name, refusal.reason.rawValue, refusal.detail)
        case .guarded(let event):
            range = event.range
            (original, replacement, origin, reason) = (event.before, event.after, event.origin.name, "preserve")
            detail = "rewrite.preserve keeps \(event.kind.rawValue)"
        }
        // (Diagnostics are ranges of the original text; one past its end is not reported.)
        guard range.upperBound <= document.byteCount else { return nil }
        let location = document.location(ofByte: range.lowerBound)
        (start, end, line, column) = (range.lowerBound, range.upperBound, location.line, location.column)
    }

    /// `path:line:column: refused: 'old' -> 'new' [learned, origin, reason] detail`, on one line.
    public func formatted(path: String) -> String {
        let line = FindingReport.oneLine
        let what = replacement.isEmpty ? "deleting '\(line(original))'" : "'\(line(original))' -> '\(line(replacement))'"
        return "\(line(path)):\(self.line):\(column): refused: \(what) [learned, \(origin), \(reason)] \(line(detail))"
    }
}

/// A finding as reported by `check` (and `--explain`).
public struct FindingReport: Codable, Sendable, Hashable {
    public var path: String
    public var start: Int
    public var end: Int
    public var line: Int
    public var column: Int
    public var level: FindingLevel
    public var message: String
    public var rule: String
    public var confidence: Double?

    public init(path: String, finding: Finding, in document: Document) {
        let location = document.location(ofByte: finding.range.lowerBound)
        self.path = path
        start = finding.range.lowerBound
        end = finding.range.upperBound
        line = location.line
        column = location.column
        level = finding.level
        message = finding.message
        rule = finding.rule
        confidence = finding.confidence
    }

    /// `path:line:column: level: message [rule]`, the format compilers and editors read; one line
    /// however the path and message are written (see `oneLine`).
    public var formatted: String { "\(Self.oneLine(path)):\(line):\(column): \(level.rawValue): \(Self.oneLine(message)) [\(rule)]" }

    /// `text` with line breaks, tabs and other control characters written as escapes (`\n`, `\u{1B}`),
    /// so that a file name or an edit cannot add or forge a line of line-oriented output.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Rewrite {
    /// Everything `check` reports for this text: each change `rewrite` would make (at the level
    /// the style sets for its rule; without one, as a warning, or a suggestion when its confidence
    /// is below 0.8 or when only the learned model proposes it) and each finding.
    public func checkFindings() -> [Finding] {
        checkResults().map(\.finding)
    }

    /// `checkFindings()`, each with the change `rewrite` makes there (nil for what a stage only
    /// noticed), so that a report can offer the change as a fix.
    public func checkResults() -> [(finding: Finding, edit: ComposedEdit?)] {
        var result: [(finding: Finding, edit: ComposedEdit?)] = findings.map { ($0, nil) }
        for composed in edits {
            let edit = composed.edit
            let before = document.text(in: composed.range)
            let message = before.isEmpty ? "insert '\(composed.replacement)': \(edit.reason)"
                : composed.replacement.isEmpty ? "remove '\(before)': \(edit.reason)"
                : "write '\(composed.replacement)' instead of '\(before)': \(edit.reason)"
            result.append((Finding(range: composed.range, level: edit.level ?? Self.defaultLevel(of: composed),
                message: message, rule: edit.rule, confidence: edit.confidence), composed))
        }
        return result.sorted { ($0.finding.range.lowerBound, $0.finding.rule) < ($1.finding.range.lowerBound, $1.finding.rule) }
    }

    /// The level `check` reports a change at when the style sets none for its rules: a
    /// suggestion when only learned sources propose it (a model's guess must not fail a check at
    /// the default `--fail-level`, however sure it is) or when its confidence is below 0.8, else a
    /// warning.
    static func defaultLevel(of composed: ComposedEdit) -> FindingLevel {
        if !composed.parts.isEmpty && composed.parts.allSatisfy({ $0.origin.isLearned }) { return .suggestion }
        return composed.edit.confidence < 0.8 ? .suggestion : .warning
    }
}

extension EditOrigin {
    /// Whether the edit comes from the trained model (`pair`, `pair-alternative`, `memory`, `thesaurus`, `retrieval`, `vectors`)
    /// rather than a rule of the style or an external stage.
    public var isLearned: Bool {
        switch self {
        case .pair, .pairAlternative, .memory, .thesaurus, .retrieval, .vectors: return true
        case .rule, .external: return false
        }
    }

    /// `rule`, `pair`, `pair-alternative`, `memory`, `retrieval`, `thesaurus`, `vectors`, or `external:NAME`.
    public var name: String {
        switch self {
        case .rule: return "rule"
        case .pair: return "pair"
        case .pairAlternative: return "pair-alternative"
        case .thesaurus: return "thesaurus"
        case .retrieval: return "retrieval"
        case .vectors: return "vectors"
        case .memory: return "memory"
        case .external(let stage): return "external:\(stage)"
        }
    }
}
