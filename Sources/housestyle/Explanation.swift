import Foundation
import HouseStyle

/// `--explain` output: every edit with where it is, what changed, its rule, reason, confidence and
/// the level `check` reports it at.
enum Explanation {
    static func text(of rewrite: Rewrite, path: String, refusals: Bool = false) -> String {
        var lines: [String] = []
        for edit in rewrite.edits {
            let report = EditReport(edit, in: rewrite.document)
            let confidence = String(format: "%.2f", report.confidence)
            let line = FindingReport.oneLine
            lines.append("\(line(path)):\(report.line):\(report.column): '\(line(report.original))' -> '\(line(report.replacement))' [\(report.rule), \(report.origin), confidence \(confidence), \(report.level)] \(line(report.reason))")
        }
        for finding in rewrite.findings {
            lines.append(FindingReport(path: path, finding: finding, in: rewrite.document).formatted)
        }
        if refusals {
            lines += reports(of: rewrite).map { $0.formatted(path: path) }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func json(of rewrite: Rewrite, path: String, refusals: Bool = false) -> [String: Any] {
        var object: [String: Any] = [
            "path": path,
            "changed": rewrite.changed,
            "edits": rewrite.edits.map { jsonObject(EditReport($0, in: rewrite.document)) },
            "findings": rewrite.findings.map { jsonObject(FindingReport(path: path, finding: $0, in: rewrite.document)) },
        ]
        if refusals { object["refusals"] = reports(of: rewrite).map { jsonObject($0) } }
        return object
    }

    /// The learned edits considered and not proposed, in the order of the text.
    static func reports(of rewrite: Rewrite) -> [RefusalReport] {
        rewrite.diagnostics.compactMap { RefusalReport($0, in: rewrite.document) }
            .sorted { ($0.start, $0.end, $0.reason, $0.replacement) < ($1.start, $1.end, $1.reason, $1.replacement) }
    }

    static func jsonObject(_ value: some Encodable) -> Any {
        let data = try! JSONEncoder().encode(value)  // our own report types always encode
        return try! JSONSerialization.jsonObject(with: data)
    }
}
