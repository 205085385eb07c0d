import Foundation
import HouseStyleYAML

/// One setting inferred from a corpus, with the counts behind it.
public struct InferredSetting<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value to write: the habit, or `keep` (nil for `oxford_comma`) when the evidence is unclear.
    public var value: Value
    /// The counts, in words.
    public var evidence: String
    /// Why the evidence decides nothing; nil when `value` is a decision.
    public var undecided: String?

    public var isDecided: Bool { undecided == nil }

    init(_ value: Value, because evidence: String, _ undecided: String? = nil) {
        self.value = value
        self.evidence = evidence
        self.undecided = undecided
    }

    /// The comment above the key: the counts, then why nothing was decided if so.
    var comment: String { undecided.map { "\(evidence). Not set: \($0)" } ?? evidence }
}

/// A style inferred from documents (`StyleInference`): each setting with its evidence, ready to
/// be written as a style file (`yaml(name:corpus:)`).
public struct InferredStyle: Sendable, Hashable {
    package var counts: HabitCounts
    public var thresholds: InferenceThresholds
    /// `en-GB` or `en-US` when the spelling says so, else `en`.
    public var locale: String
    public var spelling: InferredSetting<SpellingPolicy>
    public var contractions: InferredSetting<ContractionPolicy>
    public var quotes: InferredSetting<QuoteStyle>
    /// Single against double quotation marks: a comment only, the style file has no such setting.
    public var quotationMarks: String
    /// nil: commas are left alone (the key is not written).
    public var oxfordComma: InferredSetting<Bool?>
    public var dashes: InferredSetting<DashStyle>
    public var ellipsis: InferredSetting<EllipsisStyle>
    /// Terms with a dominant form, most frequent first.
    public var terms: [InferredTerm]
    /// Forms of terms seen without a clear habit, or left to the writer, with why.
    public var termNotes: [String]

    /// The style file: every decision with its counts in a comment, `keep` with the reason where
    /// the evidence is unclear, `corpus.voice` set to `corpus` (globs relative to the repository
    /// root), and a commented-out model section.
    /// - Parameters:
    ///   - command: how the file was made, for its first comment (`housestyle init acme --from docs`).
    public func yaml(name: String, corpus: [String], command: String) -> String {
        var out: [String] = []
        func comment(_ text: String, indent: String = "") {
            for line in Self.wrap(text, width: 98 - indent.count) { out.append(indent + "# " + line) }
        }
        comment("\(name): a house style inferred from \(counts.documents) document\(counts.documents == 1 ? "" : "s") "
            + "(\(Self.grouped(counts.words)) words of prose; code blocks, inline code, URLs, HTML and front matter are not counted) "
            + "by `\(command)`.")
        out.append("#")
        comment("A setting is decided only on clear evidence: \(thresholds.summary) "
            + "(spelling also needs \(thresholds.minimumSpellingWords) different words). Otherwise it is `keep` (or left out), "
            + "with the reason. The counts are in the comment above each key: read them, and change what the corpus "
            + "does not say about the style you want.")
        out.append("")
        out.append("version: 1")
        out.append("name: \(Self.scalar(name))")
        out.append("locale: \(locale)")
        out.append("description: \(Self.scalar("Inferred from \(corpus.joined(separator: ", ")) by housestyle init; review before use."))")
        out.append("")
        comment("The documents the style was inferred from: on-voice text for `housestyle train`, and the contractions "
            + "that `contractions: prefer` may write. `housestyle validate` notes that no `learned` stage applies what "
            + "`train` would learn until you uncomment the stages at the end.")
        out.append("corpus:")
        out.append("  voice: [\(corpus.map(Self.scalar).joined(separator: ", "))]")
        out.append("")

        if terms.isEmpty {
            comment("No term is written in more than one way with a clear dominant form.")
            out.append("terms: []")
        } else {
            comment("Terms written in more than one way (joined, hyphenated, spaced, or capitalised differently): the "
                + "dominant form is used, the others are replaced.")
            out.append("terms:")
            for term in terms {
                comment(term.evidence, indent: "  ")
                out.append("  - use: \(Self.scalar(term.use))")
                out.append("    instead_of: [\(term.insteadOf.map(Self.scalar).joined(separator: ", "))]")
                if term.caseSensitive { out.append("    case_sensitive: true") }
            }
        }
        if !termNotes.isEmpty {
            out.append("#")
            comment("Variants seen but not made terms:")
            for note in termNotes { comment("- " + note) }
        }
        out.append("")

        comment(spelling.comment)
        out.append("spelling: \(spelling.value.rawValue)")
        out.append("")
        comment(contractions.comment)
        out.append("contractions: \(contractions.value.rawValue)")
        out.append("")
        out.append("punctuation:")
        comment(quotes.comment, indent: "  ")
        out.append("  quotes: \(quotes.value.rawValue)")
        out.append("")
        comment(oxfordComma.comment, indent: "  ")
        if let serial = oxfordComma.value {
            out.append("  oxford_comma: \(serial)")
        } else {
            out.append("  # oxford_comma: true   (left out: serial commas are left as written)")
        }
        out.append("")
        comment(dashes.comment, indent: "  ")
        out.append("  dashes: \(dashes.value.rawValue)")
        out.append("")
        comment(ellipsis.comment, indent: "  ")
        out.append("  ellipsis: \(ellipsis.value.rawValue)")
        out.append("")
        comment("A voice model: uncomment these lines and run `housestyle train \(name)` to learn the voice of "
            + "corpus.voice, so that rewrite also applies learned edits (docs/style-file.md, `model` and `learned`).")
        out.append("# model:")
        out.append("#   epochs: 3")
        out.append("#   lora_rank: 8")
        out.append("#   seed: 0")
        out.append("# stages:")
        out.append("#   pre: [normalize, markdown]")
        out.append("#   post: [terms, avoid, spelling, contractions, learned, punctuation, smart_quotes]")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Formatting

    /// `share` as a whole percentage, rounded down so that 79.6% never reads as the 80% it misses.
    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded(.down)))%" }

    /// 12345 -> "12,345".
    public static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// A YAML scalar: plain when that reads back as the same string in a flow list, else double-quoted.
    static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"]
        let plain = !text.isEmpty && !reserved.contains(text.lowercased())
            && (text.first!.isLetter || text.first!.isNumber || text.first == "/" || text.first == "." || text.first == "_")
            && text.allSatisfy { $0.isLetter || $0.isNumber || " -_./*".contains($0) }
            && !text.hasSuffix(" ") && !text.contains("  ")
        return plain ? text : YAMLEmitter.doubleQuoted(text)
    }

    /// `text` in lines of at most `width` characters, broken at spaces, but never next to a lone
    /// dash or comparison (`a - b`, `a -- b` and `P(share > 1/2) = 0.968` stay on one line, and
    /// no line starts with `-`).
    static func wrap(_ text: String, width: Int) -> [String] {
        // Chunks that never break: a lone symbol joins the words on both sides of it.
        func isSymbol(_ word: Substring) -> Bool { !word.isEmpty && word.allSatisfy { "-\u{2013}\u{2014}=>\u{2265}".contains($0) } }
        var chunks: [String] = []
        var previous: Substring = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !chunks.isEmpty && (isSymbol(word) || isSymbol(previous)) { chunks[chunks.count - 1] += " " + word } else { chunks.append(String(word)) }
            previous = word
        }
        var lines: [String] = []
        var line = ""
        for chunk in chunks {
            if !line.isEmpty && line.count + 1 + chunk.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + chunk
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
