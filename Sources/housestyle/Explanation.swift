import Foundation
import HouseStyle

/// `--explain` output: every edit with where it is, what changed, its rule, reason, confidence and
/// the level `check` reports it at.
enum Explanation {
    static func text(of rewrite: Rewrite, path: String) -> String {
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
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func json(of rewrite: Rewrite, path: String) -> [String: Any] {
        [
            "path": path,
            "changed": rewrite.changed,
            "edits": rewrite.edits.map { jsonObject(EditReport($0, in: rewrite.document)) },
            "findings": rewrite.findings.map { jsonObject(FindingReport(path: path, finding: $0, in: rewrite.document)) },
        ]
    }

    static func jsonObject(_ value: some Encodable) -> Any {
        let data = try! JSONEncoder().encode(value)  // our own report types always encode
        return try! JSONSerialization.jsonObject(with: data)
    }
}
