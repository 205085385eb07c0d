import Foundation
import HouseStyleText

extension Rewrite {
    /// The rewrite with only the edits at `indices` (of `edits`) applied: the original text
    /// elsewhere, byte for byte. Findings stay as they are.
    public func keeping(editsAt indices: Set<Int>) -> Rewrite {
        let kept = edits.indices.filter { indices.contains($0) }.map { edits[$0] }
        guard kept.count != edits.count else { return self }
        return Rewrite(original: original, text: Self.apply(kept, to: original), edits: kept, findings: findings, document: document)
    }

    /// `text` with `edits` (sorted, disjoint ranges of it) applied, in one forward sweep.
    static func apply(_ edits: [ComposedEdit], to text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for edit in edits {
            output += bytes[cursor..<edit.range.lowerBound]
            output += edit.replacement.utf8
            cursor = edit.range.upperBound
        }
        output += bytes[cursor...]
        return String(decoding: output, as: UTF8.self)
    }
}

/// An answer to "apply this edit?" in `rewrite --interactive`.
public enum ReviewAnswer: Sendable, Equatable {
    /// `y`: apply this edit.
    case accept
    /// `n`: leave the text as it is here.
    case reject
    /// `a`: apply this edit and the rest of the file's edits without asking.
    case acceptRest
    /// `q`: apply nothing more, here or in later files (what was accepted is kept).
    case quit

    /// `y`/`yes`, `n`/`no`, `a`/`all`, `q`/`quit`, in any case and with spaces around; nil for
    /// anything else.
    public init?(reply: String) {
        switch reply.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "y", "yes": self = .accept
        case "n", "no": self = .reject
        case "a", "all": self = .acceptRest
        case "q", "quit": self = .quit
        default: return nil
        }
    }

    /// What each reply does, shown after a reply that is none of them.
    public static let help = "y - apply this edit\nn - do not apply this edit\na - apply this edit and the rest of the file's edits\nq - quit: apply no more edits (those accepted are written)\n"
}

/// Asks about each edit of one file after another, as `git add -p` asks about hunks, and keeps
/// the accepted ones. It never prints and never reads: `ask` shows the question and returns the
/// reply (nil at the end of input, which quits), so that a test can drive it with a script.
public struct EditReview {
    /// Whether the user quit: the edits of later files are not asked about, and none is applied.
    public private(set) var quit = false
    /// Edits asked about, and accepted, so far (an `a` reply accepts without asking).
    public private(set) var asked = 0
    public private(set) var accepted = 0
    /// How changes are marked in the questions.
    public var marks: WordDiff.Marks

    public init(marks: WordDiff.Marks = .plain) { self.marks = marks }

    /// The question for one edit: where it is, the line with the change marked, its rule, reason
    /// and confidence, and the prompt.
    public func question(for edit: ComposedEdit, number: Int, of count: Int, in rewrite: Rewrite, path: String) -> String {
        let location = rewrite.document.location(ofByte: edit.range.lowerBound)
        let report = EditReport(edit, in: rewrite.document)
        return """
            \(FindingReport.oneLine(path)):\(location.line):\(location.column): edit \(number) of \(count) [\(report.rule), \(report.origin), confidence \(String(format: "%.2f", report.confidence))] \(FindingReport.oneLine(report.reason))
            \(WordDiff.excerpt(of: edit, in: rewrite.original, marks: marks))
            apply this edit [y,n,a,q,?]? 
            """
    }

    /// `rewrite` with the edits the user accepts. A reply that is not an answer shows the choices
    /// (through `ask`) and asks again.
    /// - Parameter ask: shows its argument and returns the user's reply, or nil at the end of input.
    public mutating func review(_ rewrite: Rewrite, path: String, ask: (String) throws -> String?) rethrows -> Rewrite {
        guard !quit else { return rewrite.keeping(editsAt: []) }
        var keep = Set<Int>()
        var acceptingRest = false
        for (index, edit) in rewrite.edits.enumerated() {
            if quit { break }
            if acceptingRest {
                keep.insert(index)
                accepted += 1
                continue
            }
            asked += 1
            var prompt = question(for: edit, number: index + 1, of: rewrite.edits.count, in: rewrite, path: path)
            while true {
                guard let reply = try ask(prompt) else {
                    quit = true
                    break
                }
                guard let answer = ReviewAnswer(reply: reply) else {
                    prompt = ReviewAnswer.help + "apply this edit [y,n,a,q,?]? "
                    continue
                }
                switch answer {
                case .accept:
                    keep.insert(index)
                    accepted += 1
                case .reject: break
                case .acceptRest:
                    keep.insert(index)
                    accepted += 1
                    acceptingRest = true
                case .quit: quit = true
                }
                break
            }
        }
        return rewrite.keeping(editsAt: keep)
    }
}
