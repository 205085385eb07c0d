import HouseStyleText

/// The prose words of the text as stages change it, segmented once and then kept up to date
/// through each stage's edits by re-segmenting only the whitespace-delimited stretch around
/// every edit. Rewriting a large text thus costs one segmentation, not one per stage.
struct WordTracker {
    /// Word and number tokens of the current text that lie inside its prose, in order.
    private(set) var words: [WordToken] = []
    private let segmenter: WordSegmenter
    /// Longest stretch scanned for whitespace around an edit; past it the stretch is cut.
    private static let maximumStretch = 512

    init(bytes: [UInt8], prose: [Range<Int>], segmenter: WordSegmenter) throws {
        self.segmenter = segmenter
        var collector = Collector(prose: prose, storage: [])
        try bytes.withUnsafeBufferPointer { buffer throws(TextError) in
            try collector.add(wordsOf: buffer, in: 0..<buffer.count, segmenter: segmenter)
        }
        words = collector.words
    }

    /// Updates the words after `edits` (sorted, non-overlapping, on `old`) turned `old` into `new`.
    /// The list must not be shared (no `RuleText` may hold it), or it is copied.
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
        // The words each stretch holds now, segmented from `new` and kept when a prose range
        // holds them, with its end; which old words they replace; and the stretches in `new`.
        var fresh: [WordToken] = []
        var plan: [(from: Int, to: Int, freshEnd: Int)] = []
        plan.reserveCapacity(regions.count)
        var changed: [Range<Int>] = []
        changed.reserveCapacity(regions.count)
        try new.withUnsafeBufferPointer { buffer throws(TextError) in
            var t = 0, shift = 0, p = 0
            for region in regions {
                t = Self.firstWord(in: words, from: t) { $0.end > region.range.lowerBound }
                let from = t
                while t < words.count && words[t].range.lowerBound < region.range.upperBound { t += 1 }
                let lower = region.range.lowerBound + shift, upper = region.range.upperBound + shift + region.delta
                let slice = UnsafeBufferPointer(rebasing: buffer[lower..<upper])
                try segmenter.forEachWord(in: slice) { local, isNumber in
                    let start = local.lowerBound + lower, end = local.upperBound + lower
                    while p < prose.count && prose[p].upperBound < end { p += 1 }
                    guard p < prose.count, prose[p].lowerBound <= start else { return }
                    fresh.append(WordToken(start: start, end: end, isNumber: isNumber, proseEnd: prose[p].upperBound,
                                           key: WordKey.of(UnsafeBufferPointer(rebasing: slice[local]))))
                }
                plan.append((from, t, fresh.count))
                changed.append(lower..<upper)
                shift += region.delta
            }
        }
        // The list is edited in place, so that a large text's words are never held twice. The
        // old words between stretches (runs) move by `offset` places and `shift` bytes: runs that
        // move towards the start are moved first, in order, then the others from the last one
        // back, so no run overwrites one not yet moved; then the fresh words fill the gaps.
        let oldCount = words.count
        var runs: [(from: Int, to: Int, offset: Int, shift: Int)] = []
        runs.reserveCapacity(plan.count + 1)
        var offset = 0, shift = 0, previousTo = 0, freshStart = 0
        for (k, step) in plan.enumerated() {
            runs.append((previousTo, step.from, offset, shift))
            offset += (step.freshEnd - freshStart) - (step.to - step.from)
            shift += regions[k].delta
            previousTo = step.to
            freshStart = step.freshEnd
        }
        runs.append((previousTo, oldCount, offset, shift))
        let newCount = oldCount + offset
        if newCount > oldCount { words.append(contentsOf: repeatElement(WordToken(range: 0..<0, key: 0), count: newCount - oldCount)) }
        words.withUnsafeMutableBufferPointer { words in
            // Pointer loops: nearly every word of a large text is moved here once per stage.
            if let base = words.baseAddress {
                for run in runs where run.offset <= 0 && (run.offset != 0 || run.shift != 0) {
                    var source = base + run.from, target = base + run.from + run.offset
                    let end = base + run.to
                    while source < end {
                        target.pointee = source.pointee.shifted(by: run.shift)
                        source += 1
                        target += 1
                    }
                }
                for run in runs.reversed() where run.offset > 0 {
                    var source = base + run.to, target = base + run.to + run.offset
                    let start = base + run.from
                    while source > start {
                        source -= 1
                        target -= 1
                        target.pointee = source.pointee.shifted(by: run.shift)
                    }
                }
            }
            freshStart = 0
            for (k, step) in plan.enumerated() {
                var slot = runs[k].to + runs[k].offset
                for word in fresh[freshStart..<step.freshEnd] {
                    words[slot] = word
                    slot += 1
                }
                freshStart = step.freshEnd
            }
        }
        if newCount < oldCount { words.removeLast(oldCount - newCount) }
        // A moved word's prose end moved with it (it is stored relative to the word's end), and
        // it stays inside its prose range: whitespace parts it from every edit. Only in a prose
        // range that a stretch touches can the end have moved by another amount: set it again
        // there, for the words the range holds (a fresh word's is set already, the same).
        words.withUnsafeMutableBufferPointer { words in
            prose.withUnsafeBufferPointer { prose in
                var p = 0, r = 0, i = 0
                while p < prose.count && r < changed.count {
                    let range = prose[p]
                    if changed[r].upperBound < range.lowerBound { r += 1; continue }
                    if changed[r].lowerBound > range.upperBound { p += 1; continue }
                    i = Self.firstWord(in: UnsafeBufferPointer(words), from: i) { $0.start >= range.lowerBound }
                    while i < words.count && words[i].end <= range.upperBound {
                        words[i].proseEnd = range.upperBound
                        i += 1
                    }
                    p += 1
                }
            }
        }
        assert(Self.eachWordIsInside(prose, words: words), "a word's prose end is not that of the prose range holding it")
    }

    /// The first index from `start` on whose word satisfies `isAfter` (false for a prefix of
    /// `words`, true for the rest), or `words.count`: stretches are far apart in a large text, so
    /// the search gallops from `start` instead of stepping through every word between them.
    @inline(__always)
    private static func firstWord<Words: RandomAccessCollection<WordToken>>(
        in words: Words, from start: Int, where isAfter: (WordToken) -> Bool
    ) -> Int where Words.Index == Int {
        var low = start, step = 1
        var high = low
        // Double the step until a word past the point (or the end) is found, then bisect.
        while high < words.count && !isAfter(words[high]) {
            low = high + 1
            high = low + step
            step &*= 2
        }
        high = min(high, words.count)
        while low < high {
            let middle = (low + high) / 2
            if isAfter(words[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Whether every word lies in a prose range and has its end as prose end (the first range
    /// that ends at or after the word's end must start at or before its start).
    private static func eachWordIsInside(_ prose: [Range<Int>], words: [WordToken]) -> Bool {
        var p = 0
        for word in words {
            while p < prose.count && prose[p].upperBound < word.end { p += 1 }
            guard p < prose.count, prose[p].lowerBound <= word.start, word.proseEnd == prose[p].upperBound else { return false }
        }
        return true
    }

    /// Frees the word list (once no stage is left to read it).
    mutating func release() {
        words = []
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
            // WordToken(start:end:...) stores offsets in 31 bits: `forEachWord` throws for a slice
            // that long, so only a slice that starts further on could pass them.
            precondition(offset == 0 || range.upperBound < 1 << 31, "texts are below 2 GiB")
            // The words are written straight into a list with room for a word in every other byte
            // (capacity that is never written takes no memory), without the check for a unique,
            // large enough buffer that appending makes for every word; any past that room go to
            // `overflow`. The prose index is a local in the closure that runs for every word.
            #if DEBUG
            let room = min(slice.count / 2 + 1, 40)  // small, so that the tests run the overflow path too
            #else
            let room = slice.count / 2 + 1
            #endif
            var p = self.p
            var overflow: [WordToken] = []
            var failure: TextError?
            let scanned = [WordToken](unsafeUninitializedCapacity: room) { buffer, initialized in
                let base = buffer.baseAddress!
                var count = 0
                defer { initialized = count }
                do throws(TextError) {
                    try prose.withUnsafeBufferPointer { prose throws(TextError) in
                        try segmenter.forEachWordBatch(in: slice) { batch in
                            // Locals for the loop; the captured variables are written back once a batch.
                            var q = p, n = count
                            defer { p = q; count = n }
                            WordKey.withRunBytes { runBytes in
                                for scanned in batch {
                                    let start = Int(scanned.start) + offset, end = Int(scanned.end) + offset
                                    while q < prose.count && prose[q].upperBound < end { q += 1 }
                                    guard q < prose.count, prose[q].lowerBound <= start else { continue }
                                    // A word of up to eight bytes (most) is keyed from one load, without
                                    // a branch on its bytes (`WordKey.of(eightBytes:count:)`).
                                    let wordStart = Int(scanned.start), length = Int(scanned.end &- scanned.start)
                                    let key: UInt64
                                    if length <= 8 && wordStart + 8 <= slice.count,
                                       let short = WordKey.of(eightBytes: UInt64(littleEndian: UnsafeRawPointer(slice.baseAddress! + wordStart)
                                           .loadUnaligned(as: UInt64.self)), count: length) {
                                        key = short
                                    } else {
                                        key = WordKey.of(UnsafeBufferPointer(start: slice.baseAddress! + wordStart, count: length), runBytes: runBytes)
                                    }
                                    let word = WordToken(start: start, end: end, isNumber: scanned.isNumber,
                                                         proseEnd: prose[q].upperBound, key: key)
                                    if n < room {
                                        (base + n).initialize(to: word)
                                        n += 1
                                    } else {
                                        overflow.append(word)
                                    }
                                }
                            }
                        }
                    }
                } catch {
                    failure = error
                }
            }
            self.p = p
            if let failure { throw failure }
            if words.isEmpty { words = scanned } else { words += scanned }
            words += overflow
        }
    }
}
