/// An immutable table from `WordKey`s to groups of entries, for the rule stages' per-word lookups.
///
/// Word keys are already hashes (`WordKey`), so the table spends one multiply on them instead of
/// `Dictionary`'s SipHash, probes linearly in a power-of-two array kept at most half full, and
/// first tests a small filter (`FilterProbe`) so that the common case, a word no rule lists,
/// costs one load.
/// Entries of a key are stored contiguously in the order given.
struct WordKeyTable<Entry: Sendable>: Sendable {
    /// Every group's entries, one group after another.
    let entries: [Entry]
    private struct Slot: Sendable {
        var key: UInt64 = 0
        var start: Int32 = 0
        var end: Int32 = 0  // start == end: empty slot (groups are never empty)
    }
    private let slots: [Slot]
    private let slotShift: UInt64
    /// Two bits for each present key (`FilterProbe`): a clear one means the key is absent.
    private let filter: [UInt64]
    private let filterShift: UInt64

    /// - Parameter groups: entries by key, each group in the order its lookups should see them.
    ///   Empty groups are left out.
    init(_ groups: [UInt64: [Entry]]) {
        // Sorted keys: the layout does not depend on the dictionary's iteration order.
        var pairs: [(key: UInt64, entry: Entry)] = []
        for key in groups.keys.sorted() { pairs += groups[key]!.map { (key, $0) } }
        self.init(sortedPairs: pairs)
    }

    /// - Parameter pairs: entries with their keys; a key's entries are looked up in the order
    ///   given. Builds no array per key, for tables of hundreds of thousands of words.
    init(pairs: [(key: UInt64, entry: Entry)]) {
        // Stable: equal keys keep their order.
        let order = pairs.indices.sorted { pairs[$0].key < pairs[$1].key || (pairs[$0].key == pairs[$1].key && $0 < $1) }
        self.init(sortedPairs: order.map { pairs[$0] })
    }

    /// - Parameter pairs: entries with their keys, sorted by key.
    private init(sortedPairs pairs: [(key: UInt64, entry: Entry)]) {
        var keyCount = 0
        for i in pairs.indices where i == 0 || pairs[i].key != pairs[i - 1].key { keyCount += 1 }
        var slotBits: UInt64 = 4
        while (1 << slotBits) < keyCount * 2 { slotBits += 1 }
        var filterBits: UInt64 = 12  // at least 4,096 bits (512 bytes): see `FilterProbe`
        while (1 << filterBits) < keyCount * 16 { filterBits += 1 }
        slotShift = 64 - slotBits
        filterShift = FilterProbe.shift(filterBits: filterBits)
        var slots = [Slot](repeating: Slot(), count: 1 << slotBits)
        var filter = [UInt64](repeating: 0, count: max(1, (1 << filterBits) / 64))
        var start = 0
        while start < pairs.count {
            let key = pairs[start].key
            var end = start + 1
            while end < pairs.count && pairs[end].key == key { end += 1 }
            var slot = Self.slot(key, slotShift)
            while slots[slot].start != slots[slot].end { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Slot(key: key, start: Int32(start), end: Int32(end))
            let probe = FilterProbe(key, shift: filterShift)
            filter[probe.word] |= probe.mask
            start = end
        }
        self.entries = pairs.map(\.entry)
        self.slots = slots
        self.filter = filter
    }

    /// Where the entries of `key` are in `entries`; empty when the key has none.
    @inline(__always)
    func range(of key: UInt64) -> Range<Int> {
        let probe = FilterProbe(key, shift: filterShift)
        guard filter[probe.word] & probe.mask == probe.mask else { return 0..<0 }
        return slots.withUnsafeBufferPointer { slots in
            var index = Self.slot(key, slotShift)
            while true {
                let slot = slots[index]
                if slot.start == slot.end { return 0..<0 }
                if slot.key == key { return Int(slot.start)..<Int(slot.end) }
                index = (index + 1) & (slots.count - 1)
            }
        }
    }

    /// True when `key` has entries.
    @inline(__always)
    func contains(_ key: UInt64) -> Bool { !range(of: key).isEmpty }

    /// False when `key` certainly has no entries (a filter bit is clear); true when it may.
    @inline(__always)
    func mayContain(_ key: UInt64) -> Bool {
        let probe = FilterProbe(key, shift: filterShift)
        return filter.withUnsafeBufferPointer { $0[probe.word] & probe.mask == probe.mask }
    }

    /// The index of the first word of `words` from `start` on whose key may have entries
    /// (`mayContain`), or `words.count`. The rule stages skip the other words with it: most
    /// words of a text are in no rule's table, and this loop tests each with one load.
    @inline(__always)
    func firstPossible(in words: UnsafeBufferPointer<WordToken>, from start: Int) -> Int {
        filter.withUnsafeBufferPointer { filter in
            var i = start
            while i < words.count {
                let probe = FilterProbe(words[i].key, shift: filterShift)
                if filter[probe.word] & probe.mask == probe.mask { return i }
                i += 1
            }
            return i
        }
    }

    /// The first entry of `key`, for tables with one entry per key.
    @inline(__always)
    func first(_ key: UInt64) -> Entry? {
        let range = range(of: key)
        return range.isEmpty ? nil : entries[range.lowerBound]
    }

    // Masking shifts (`&>>`): the shifts are below 64 (tables have at least 16 slots and 4,096
    // filter bits), where they equal `>>`, which would also test for a shift of 64 or more.
    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }
}

/// A set of `WordKey`s that answers "certainly absent" or "may be present": the filter of a
/// `WordKeyTable` alone (16 bits a key), for a stage that passes over words several of its
/// tables must all lack.
struct WordKeyFilter: Sendable {
    private let bits: [UInt64]
    private let shift: UInt64

    init(keys: [UInt64]) {
        let keyCount = Set(keys).count
        var filterBits: UInt64 = 12  // at least 4,096 bits (512 bytes): see `FilterProbe`
        while (1 << filterBits) < keyCount * 16 { filterBits += 1 }
        shift = FilterProbe.shift(filterBits: filterBits)
        var bits = [UInt64](repeating: 0, count: (1 << filterBits) / 64)
        for key in keys {
            let probe = FilterProbe(key, shift: shift)
            bits[probe.word] |= probe.mask
        }
        self.bits = bits
    }

    /// False when `key` is certainly not in the set.
    @inline(__always)
    func mayContain(_ key: UInt64) -> Bool {
        let probe = FilterProbe(key, shift: shift)
        return bits.withUnsafeBufferPointer { $0[probe.word] & probe.mask == probe.mask }
    }
}

/// Where a key's bits are in a filter of `WordKeyTable` or `WordKeyFilter` (16 bits a key): one
/// 64-bit word of the filter and two bits in it (now and then the same bit twice), all from one
/// multiply. A key is present only if both bits are set, so a word no table lists passes the
/// filter about a quarter as often as with one bit a key (some 1.6% against 6%), and a filter
/// test is still one load. A filter has at least 4,096 bits (512 bytes), so that in the small
/// tables (a style's avoid words, terms, the contractions' first words) a frequent word of the
/// text almost never passes by chance: one that did would stop a stage's loop at every
/// occurrence.
struct FilterProbe {
    let word: Int
    let mask: UInt64

    /// The shift that takes a product to a word index, for a filter of `2^filterBits` bits (at
    /// least 512; the filters have 4,096 or more).
    static func shift(filterBits: UInt64) -> UInt64 { 64 - (filterBits - 6) }

    // Masking shifts (`&>>`, `&<<`): the word's shift is below 64, and a bit's place is taken
    // from the six bits the masking keeps (the product's bits 20-25 and 26-31, below any bit
    // that picks the word: a filter has fewer than 2^32 words).
    @inline(__always)
    init(_ key: UInt64, shift: UInt64) {
        let product = key &* 0xC2B2_AE3D_27D4_EB4F
        word = Int(truncatingIfNeeded: product &>> shift)
        mask = (1 as UInt64) &<< (product &>> 20) | (1 as UInt64) &<< (product &>> 26)
    }
}

/// A word of a rule's vocabulary in lower case, compared with words of the text without making
/// a `String` of them: ASCII words (nearly all) are lowered and compared byte by byte; any other
/// comparison goes through `RuleText.lowercased` and `String` equality, exactly as a `String`
/// lookup would.
struct LowercaseForm: Sendable {
    let text: String
    let bytes: [UInt8]
    let isASCII: Bool

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        isASCII = bytes.allSatisfy { $0 < 0x80 }
    }

    /// True when `word` in lower case (`RuleText.lowercased`) equals this form.
    func matches(_ word: ArraySlice<UInt8>) -> Bool {
        guard isASCII, !RuleText.hasNonASCII(word) else { return RuleText.lowercased(word) == text }
        guard word.count == bytes.count else { return false }
        var i = word.startIndex
        for byte in bytes {
            let b = word[i]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != byte { return false }
            i += 1
        }
        return true
    }
}
