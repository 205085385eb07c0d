import HouseStyleText

/// One corpus document as `housestyle init` reads it: the prose words that the rule stages would
/// see, with code blocks, inline code, URLs, front matter, HTML and template syntax left out by
/// the project's own `Document` analysis, and for each word whether it stands inside a sentence.
struct SurveyedDocument {
    let document: Document
    /// The document's prose as the rule stages see it (the text is NFC, as after `normalize`).
    let rules: RuleText
    /// Per word of `rules`: true when its letter case says something about the word itself, that
    /// is, it is not the first word of a sentence, list item or table cell, not in a heading, not
    /// right after a colon, and not set off by emphasis, quotes or link brackets (a UI label such
    /// as **Settings**, or a title).
    let caseTells: [Bool]

    /// - Parameter path: the file's path; `.md` and the like are read as Markdown, others as plain text.
    init(text: String, path: String, segmenter: WordSegmenter, ignore: IgnoreRules) throws(TextError) {
        let normalized = try Normalization.nfc(text)
        document = Document(text: normalized, path: path, ignore: ignore)
        let bytes = Array(normalized.utf8)
        let words: [WordToken]
        do { words = try WordTracker(bytes: bytes, prose: document.proseRanges, segmenter: segmenter).words } catch let error as TextError {
            throw error
        } catch {
            throw .icuFailure(operation: "word segmentation", status: "\(error)")
        }
        rules = RuleText(bytes: bytes, words: words, prose: document.proseRanges)
        caseTells = Self.caseTells(rules, blocks: document.proseBlocks)
    }

    private static func caseTells(_ text: RuleText, blocks: [ProseBlock]) -> [Bool] {
        var result = [Bool](repeating: false, count: text.words.count)
        var b = 0
        for (index, word) in text.words.enumerated() {
            while b < blocks.count, (blocks[b].ranges.last?.upperBound ?? 0) <= word.range.lowerBound { b += 1 }
            // Headings and table cells are often in title case; a block's first word starts it.
            guard b < blocks.count, blocks[b].kind == .paragraph,
                let first = blocks[b].ranges.first, first.lowerBound < word.range.lowerBound else { continue }
            guard !text.startsSentence(index) else { continue }
            let before = text.previousNonSpace(before: word.range.lowerBound)
            if let before, Self.setsOffBefore.contains(before) { continue }
            if Self.setOffAfter(word.range.upperBound, in: text.bytes) { continue }
            result[index] = true
        }
        return result
    }

    /// Bytes before a word that make its case say nothing: `:` starts a new phrase, the others
    /// open emphasis, quotes or link text (the last byte of “ and ‘ is 0x9C / 0x98).
    private static let setsOffBefore: Set<UInt8> = [
        UInt8(ascii: ":"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "\""), UInt8(ascii: "'"),
        UInt8(ascii: "["), 0x9C, 0x98,
    ]
    /// True when what follows a word at `offset` closes emphasis, quotes or link text.
    private static func setOffAfter(_ offset: Int, in bytes: [UInt8]) -> Bool {
        guard offset < bytes.count else { return false }
        switch bytes[offset] {
        case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "\""), UInt8(ascii: "]"): return true
        case 0xE2:  // ” (E2 80 9D) or ’ (E2 80 99)
            return offset + 2 < bytes.count && bytes[offset + 1] == 0x80 && (bytes[offset + 2] == 0x9D || bytes[offset + 2] == 0x99)
        default: return false
        }
    }
}
