import HouseStyleText

/// The prose words of the text as stages change it, segmented once and then kept up to date
/// through each stage's edits by re-segmenting only the whitespace-delimited stretch around
/// every edit. Rewriting a large text thus costs one segmentation, not one per stage.
struct WordTracker {
    /// Word and number tokens of the current text that lie inside its prose, in order.
    private(set) var words: [WordToken] = []
    /// The previous `words`, kept for its storage: `update` refills it and swaps, so that a large
    /// text's word list is not allocated (and its pages zeroed) anew for every stage.
    private var spare: [WordToken] = []
    private let segmenter: WordSegmenter
    /// Longest stretch scanned for whitespace around an edit; past it the stretch is cut.
    private static let maximumStretch = 512

    init(bytes: [UInt8], prose: [Range<Int>], segmenter: WordSegmenter) throws {
        self.segmenter = segmenter
        var collector = Collector(prose: prose, storage: [])
        collector.words.reserveCapacity(bytes.count / 5)
        try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
            try collector.add(wordsOf: buffer, in: 0..<buffer.count, segmenter: segmenter)
        }
        words = collector.words
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
        spare.removeAll(keepingCapacity: true)
        var collector = Collector(prose: prose, storage: spare)
        spare = []
        collector.words.reserveCapacity(words.count + edits.count)
        try new.withUnsafeBufferPointer { buffer throws(TextError) in
            var t = 0, shift = 0
            for region in regions {
                while t < words.count && words[t].range.upperBound <= region.range.lowerBound {
                    collector.add(words[t], shiftedBy: shift)
                    t += 1
                }
                while t < words.count && words[t].range.lowerBound < region.range.upperBound { t += 1 }
                let newLower = region.range.lowerBound + shift
                let newUpper = region.range.upperBound + shift + region.delta
                try collector.add(wordsOf: buffer, in: newLower..<newUpper, segmenter: segmenter)
                shift += region.delta
            }
            while t < words.count {
                collector.add(words[t], shiftedBy: shift)
                t += 1
            }
        }
        spare = words
        words = collector.words
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// Gathers tokens in text order, keeping those wholly inside a prose range and telling each
    /// where its prose range ends.
    private struct Collector {
        let prose: [Range<Int>]
        var words: [WordToken] = []
        private var p = 0

        /// - Parameter storage: an empty array whose capacity is reused.
        init(prose: [Range<Int>], storage: [WordToken]) {
            self.prose = prose
            words = storage
        }

        /// Segments `bytes[range]` and adds its words and numbers.
        mutating func add(wordsOf bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, segmenter: WordSegmenter) throws(TextError) {
            let slice = UnsafeBufferPointer(rebasing: bytes[range])
            let offset = range.lowerBound
            try segmenter.forEachWord(in: slice) { local, isNumber in
                let word = (local.lowerBound + offset)..<(local.upperBound + offset)
                guard let end = proseEnd(of: word) else { return }
                words.append(WordToken(range: word, isNumber: isNumber, proseEnd: end,
                                       key: WordKey.of(UnsafeBufferPointer(rebasing: slice[local]))))
            }
        }

        /// Adds a token of the previous text, moved by `shift` bytes.
        mutating func add(_ word: WordToken, shiftedBy shift: Int) {
            var word = word
            word.range = (word.range.lowerBound + shift)..<(word.range.upperBound + shift)
            guard let end = proseEnd(of: word.range) else { return }
            word.proseEnd = end
            words.append(word)
        }

        private mutating func proseEnd(of word: Range<Int>) -> Int? {
            while p < prose.count && prose[p].upperBound < word.upperBound { p += 1 }
            guard p < prose.count, prose[p].lowerBound <= word.lowerBound else { return nil }
            return prose[p].upperBound
        }
    }
}
