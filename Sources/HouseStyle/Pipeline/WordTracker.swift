import HouseStyleText

/// The prose words of the text as stages change it, segmented once with ICU and then kept up to
/// date through each stage's edits by re-segmenting only the whitespace-delimited stretch around
/// every edit. Rewriting a large text thus costs one segmentation, not one per stage.
struct WordTracker {
    /// Word and number tokens of the current text that lie inside its prose, in order.
    private(set) var words: [WordToken] = []
    private let segmenter: WordSegmenter
    /// Longest stretch scanned for whitespace around an edit; past it the stretch is cut.
    private static let maximumStretch = 512

    init(bytes: [UInt8], prose: [Range<Int>], segmenter: WordSegmenter) throws {
        self.segmenter = segmenter
        words = Self.inProse(try tokens(of: bytes[...], offset: 0), prose: prose)
    }

    /// Updates the words after `edits` (sorted, non-overlapping, on `old`) turned `old` into `new`.
    mutating func update(old: [UInt8], new: [UInt8], edits: [Edit], prose: [Range<Int>]) throws {
        guard !edits.isEmpty else { return }
        // Stretches of `old` to segment again: each edit widened to whitespace, touching ones merged.
        var regions: [(range: Range<Int>, delta: Int)] = []
        for edit in edits {
            var lower = edit.range.lowerBound, upper = edit.range.upperBound
            let lowest = max(0, lower - Self.maximumStretch), highest = min(old.count, upper + Self.maximumStretch)
            while lower > lowest && !Self.isSpace(old[lower - 1]) { lower -= 1 }
            while upper < highest && !Self.isSpace(old[upper]) { upper += 1 }
            let delta = edit.replacement.utf8.count - edit.range.count
            if let last = regions.last, last.range.upperBound >= lower {
                regions[regions.count - 1] = (last.range.lowerBound..<max(last.range.upperBound, upper), last.delta + delta)
            } else {
                regions.append((lower..<upper, delta))
            }
        }
        var result: [WordToken] = []
        result.reserveCapacity(words.count + edits.count)
        var t = 0, shift = 0
        for region in regions {
            while t < words.count && words[t].range.upperBound <= region.range.lowerBound {
                var word = words[t]
                word.range = (word.range.lowerBound + shift)..<(word.range.upperBound + shift)
                result.append(word)
                t += 1
            }
            while t < words.count && words[t].range.lowerBound < region.range.upperBound { t += 1 }
            let newLower = region.range.lowerBound + shift
            let newUpper = region.range.upperBound + shift + region.delta
            result += try tokens(of: new[newLower..<newUpper], offset: newLower)
            shift += region.delta
        }
        while t < words.count {
            var word = words[t]
            word.range = (word.range.lowerBound + shift)..<(word.range.upperBound + shift)
            result.append(word)
            t += 1
        }
        words = Self.inProse(result, prose: prose)
    }

    /// Word and number tokens of `bytes`, with ranges offset into the whole text.
    private func tokens(of bytes: ArraySlice<UInt8>, offset: Int) throws -> [WordToken] {
        let text = String(decoding: bytes, as: UTF8.self)
        var result: [WordToken] = []
        for token in try segmenter.tokens(in: text) where token.kind == .word || token.kind == .number {
            let range = (token.utf8Range.lowerBound + offset)..<(token.utf8Range.upperBound + offset)
            result.append(WordToken(range: range, isNumber: token.kind == .number))
        }
        return result
    }

    /// The tokens lying wholly inside a prose range, each told where its prose range ends.
    private static func inProse(_ tokens: [WordToken], prose: [Range<Int>]) -> [WordToken] {
        var result: [WordToken] = []
        result.reserveCapacity(tokens.count)
        var p = 0
        for var token in tokens {
            while p < prose.count && prose[p].upperBound < token.range.upperBound { p += 1 }
            guard p < prose.count else { break }
            if prose[p].lowerBound <= token.range.lowerBound {
                token.proseEnd = prose[p].upperBound
                result.append(token)
            }
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }
}
