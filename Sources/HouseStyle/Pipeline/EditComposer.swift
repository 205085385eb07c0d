import HouseStyleText

/// One change to the original text after stages have been composed: an original range, its
/// final replacement, and the stage edits that produced it (several when later stages edited
/// text that earlier stages had written, e.g. `contractions` then `smart_quotes`).
public struct ComposedEdit: Sendable, Hashable {
    /// Bytes of the original text (UTF-8 offsets, half-open).
    public var range: Range<Int>
    /// The final text that replaces `range`.
    public var replacement: String
    /// The stage edits, in the order the stages made them. Their ranges are in the
    /// coordinates of the text each stage saw.
    public var parts: [Edit]

    /// The composed change as one `Edit` on the original text: rules and reasons joined,
    /// the lowest confidence of its parts, the origin of the first part, and the highest level
    /// a part's rule sets (a change is as serious as its most serious rule).
    public var edit: Edit {
        var rules: [String] = []
        for part in parts where !rules.contains(part.rule) { rules.append(part.rule) }
        return Edit(
            range: range, replacement: replacement, rule: rules.joined(separator: "+"),
            reason: parts.map(\.reason).joined(separator: "; "),
            confidence: parts.map(\.confidence).min() ?? 1, origin: parts.first?.origin ?? .rule,
            level: parts.compactMap(\.level).max())
    }
}

/// Applies the edits of one stage after another while keeping every change expressed as a
/// range of the *original* text, so that text outside the composed edits stays byte-identical.
///
/// Each stage sees the text as the earlier stages left it (`current`). Its edits are mapped back
/// onto the original: an edit in untouched text becomes a new composed edit; an edit that touches
/// text an earlier stage wrote is merged with that composed edit. A composed edit whose final
/// text equals the original is dropped.
package struct EditComposer: Sendable {
    /// The text after every stage composed so far.
    public private(set) var current: [UInt8]
    /// The composed edits, sorted by original range, non-overlapping.
    public private(set) var edits: [ComposedEdit] = []
    /// Where each composed edit's replacement sits in `current`, parallel to `edits`.
    private var currentRanges: [Range<Int>] = []
    /// The previous `current`, kept for its storage: `compose` refills it and swaps, so that a
    /// large text is not allocated (and its pages zeroed) anew for every stage.
    private var spare: [UInt8] = []

    /// The original text as given, in contiguous UTF-8: the rewritten text is built from its
    /// pieces and the replacements, both valid UTF-8 already, so that it is not checked again byte
    /// by byte. Its bytes are read in place (`withUTF8`), not copied into an array of their own:
    /// with the caller's text, `current` and `spare`, a large text would otherwise be held four times.
    private let originalText: String

    public init(original: String) {
        var text = original
        text.makeContiguousUTF8()
        self.originalText = text
        self.current = Array(text.utf8)
    }

    /// The original text's bytes in `range`, decoded as `String(decoding:as:)` decodes them.
    func original(in range: Range<Int>) -> String {
        var text = originalText
        return text.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Frees the storage kept for the next `compose`.
    mutating func releaseSpare() { spare = [] }

    /// The composed edits with where each one's replacement sits in `current`, in order.
    public var editsInCurrent: [(current: Range<Int>, edit: ComposedEdit)] {
        Array(zip(currentRanges, edits))
    }

    /// The current text as a string: the original's text between the composed edits and their
    /// replacements, appended as strings (edits start and end on character boundaries, which
    /// the pipeline checks), so that none of it is validated as UTF-8 again.
    public var currentText: String {
        var text = ""
        text.reserveCapacity(current.count)
        let utf8 = originalText.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        var copied = 0
        for edit in edits {
            text += originalText[index(copied)..<index(edit.range.lowerBound)]
            text += edit.replacement
            copied = edit.range.upperBound
        }
        text += originalText[index(copied)...]
        precondition(text.utf8.count == current.count, "the composed text has the current text's length")
        return text
    }

    /// Maps a position of `current` that lies outside every composed edit's interior onto the
    /// original text. Positions inside a replacement map to the start of its original range.
    public func originalOffset(ofCurrent position: Int) -> Int {
        var delta = 0
        for (index, range) in currentRanges.enumerated() {
            if range.lowerBound >= position { break }
            if range.upperBound > position { return edits[index].range.lowerBound }
            delta += range.count - edits[index].range.count
        }
        return position - delta
    }

    /// Maps findings on `current` onto the original in one sweep (see `originalOffset(ofCurrent:)`).
    public func mapToOriginal(_ findings: [Finding]) -> [Finding] {
        guard !findings.isEmpty else { return [] }
        let offsets = findings.flatMap { [$0.range.lowerBound, $0.range.upperBound] }
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var mapped = [Int](repeating: 0, count: offsets.count)
        var e = 0, delta = 0
        for index in order {
            let position = offsets[index]
            while e < edits.count && currentRanges[e].upperBound <= position && currentRanges[e].lowerBound < position {
                delta += currentRanges[e].count - edits[e].range.count
                e += 1
            }
            let inside = e < edits.count && currentRanges[e].lowerBound < position
            mapped[index] = inside ? edits[e].range.lowerBound : position - delta
        }
        return findings.enumerated().map { index, finding in
            var result = finding
            let lower = mapped[2 * index]
            result.range = lower..<max(lower, mapped[2 * index + 1])
            return result
        }
    }

    /// Maps sorted, non-overlapping ranges of the original that no composed edit cuts into
    /// (protected spans, prose ranges) onto `current`. An edit inside a range grows or shrinks
    /// it; an insertion at a range's start belongs to it, one at its end does not.
    public func currentRanges(ofOriginal ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        result.reserveCapacity(ranges.count)
        forEachCurrentRange(ofOriginal: ranges) { _, range in result.append(range) }
        return result
    }

    /// `currentRanges(ofOriginal:)` one range at a time, with its index, so that a caller can
    /// write the ranges into a list it already has instead of allocating another.
    func forEachCurrentRange<Ranges: Collection<Range<Int>>>(ofOriginal ranges: Ranges, _ body: (Int, Range<Int>) -> Void) {
        var e = 0, delta = 0
        func advance(below offset: Int, includingEndingAt: Bool) {
            while e < edits.count {
                let range = edits[e].range
                let before = includingEndingAt ? range.lowerBound < offset : range.upperBound <= offset && range.lowerBound < offset
                guard before else { break }
                delta += currentRanges[e].count - range.count
                e += 1
            }
        }
        for (index, range) in ranges.enumerated() {
            advance(below: range.lowerBound, includingEndingAt: false)
            let lower = range.lowerBound + delta
            advance(below: range.upperBound, includingEndingAt: true)
            body(index, lower..<(range.upperBound + delta))
        }
    }

    /// Composes one stage's edits, given on `current`. They must be sorted and non-overlapping
    /// (the pipeline checks that before calling).
    public mutating func compose(_ stageEdits: [Edit]) {
        guard !stageEdits.isEmpty else { return }
        // By index: iterating the edits would copy each one (four strings retained and released).
        precondition(stageEdits.indices.dropFirst().allSatisfy { stageEdits[$0 - 1].range.upperBound <= stageEdits[$0].range.lowerBound },
            "stage edits must be sorted and non-overlapping")

        // A group is a run of old composed edits and stage edits that overlap in `current`.
        // Its members are consecutive in both lists, so index ranges name them (no array per group).
        struct Group {
            var currentRange: Range<Int>
            var composed: Range<Int>   // indices into `edits`
            var stage: Range<Int>      // indices into `stageEdits`
        }
        var groups: [Group] = []
        groups.reserveCapacity(edits.count + stageEdits.count)
        func conflicts(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
            if a.isEmpty && b.isEmpty { return false }
            if a.isEmpty { return b.lowerBound < a.lowerBound && a.lowerBound < b.upperBound }
            if b.isEmpty { return a.lowerBound < b.lowerBound && b.lowerBound < a.upperBound }
            return a.lowerBound < b.upperBound && b.lowerBound < a.upperBound
        }
        func add(_ range: Range<Int>, composed: Int?, stage: Int?) {
            if var last = groups.last, conflicts(last.currentRange, range) {
                last.currentRange = min(last.currentRange.lowerBound, range.lowerBound)..<max(last.currentRange.upperBound, range.upperBound)
                if let composed { last.composed = (last.composed.isEmpty ? composed : last.composed.lowerBound)..<composed + 1 }
                if let stage { last.stage = (last.stage.isEmpty ? stage : last.stage.lowerBound)..<stage + 1 }
                groups[groups.count - 1] = last
            } else {
                groups.append(Group(currentRange: range, composed: composed.map { $0..<$0 + 1 } ?? 0..<0, stage: stage.map { $0..<$0 + 1 } ?? 0..<0))
            }
        }
        var c = 0, s = 0
        while c < edits.count || s < stageEdits.count {
            let takeComposed: Bool
            if c == edits.count { takeComposed = false }
            else if s == stageEdits.count { takeComposed = true }
            else {
                // By start, then by end, so an insertion comes before a range starting at its point.
                let a = currentRanges[c], b = stageEdits[s].range
                takeComposed = (a.lowerBound, a.upperBound) <= (b.lowerBound, b.upperBound)
            }
            if takeComposed { add(currentRanges[c], composed: c, stage: nil); c += 1 }
            else { add(stageEdits[s].range, composed: nil, stage: s); s += 1 }
        }

        // Rebuild the composed edits and the current text in one sweep.
        var newEdits: [ComposedEdit] = []
        var newRanges: [Range<Int>] = []
        newEdits.reserveCapacity(groups.count)
        newRanges.reserveCapacity(groups.count)
        spare.removeAll(keepingCapacity: true)
        var newCurrent = spare
        spare = []
        // Exactly the room the edits can need: a buffer that grew by doubling would hold up to
        // twice the text, and copy it once more on the way.
        newCurrent.reserveCapacity(current.count + stageEdits.reduce(0) { $0 + max(0, $1.replacement.utf8.count - $1.range.count) })
        var copiedUpTo = 0          // in old current
        var delta = 0               // old current minus original, before the group
        // A composed edit no stage edit touched is moved into the new list, not copied: a copy
        // retains its parts and replacement, and freeing the old list releases them again, for
        // every composed edit at every stage. `edits` is let go first, so the old list is not
        // shared and its elements can be moved out; each leaves an empty edit in its place.
        var oldEdits = edits
        edits = []
        let vacated = ComposedEdit(range: 0..<0, replacement: "", parts: [])
        var originalText = self.originalText
        originalText.withUTF8 { original in
            oldEdits.withUnsafeMutableBufferPointer { old in
                for group in groups {
                    let range = group.currentRange
                    newCurrent.append(contentsOf: current[copiedUpTo..<range.lowerBound])
                    let start = newCurrent.count
                    // The group's new text: old current text with the group's stage edits applied.
                    var cursor = range.lowerBound
                    for index in group.stage {
                        newCurrent.append(contentsOf: current[cursor..<stageEdits[index].range.lowerBound])
                        newCurrent.append(contentsOf: stageEdits[index].replacement.utf8)
                        cursor = stageEdits[index].range.upperBound
                    }
                    newCurrent.append(contentsOf: current[cursor..<range.upperBound])
                    copiedUpTo = range.upperBound
                    let groupDelta = group.composed.reduce(0) { $0 + currentRanges[$1].count - old[$1].range.count }
                    let originalRange = (range.lowerBound - delta)..<(range.upperBound - delta - groupDelta)
                    delta += groupDelta
                    let replacement = newCurrent[start...]
                    if group.stage.isEmpty, group.composed.count == 1 {
                        newEdits.append(old.moveElement(from: group.composed.lowerBound))
                        old.initializeElement(at: group.composed.lowerBound, to: vacated)
                    } else {
                        // Reverted: no edit. Lengths first; and without an earlier edit in the group the
                        // original's bytes are the current ones just copied, still in cache (the load
                        // of the original's, untouched since the start, was compose's costliest step
                        // in a cpu-clock profile).
                        let reverted = replacement.count == originalRange.count
                            && (group.composed.isEmpty ? replacement.elementsEqual(current[range]) : replacement.elementsEqual(original[originalRange]))
                        if reverted { continue }
                        let parts: [Edit]
                        if group.composed.isEmpty && group.stage.count == 1 {
                            parts = [stageEdits[group.stage.lowerBound]]  // most edits: one stage's, in untouched text
                        } else {
                            parts = group.composed.flatMap { old[$0].parts } + group.stage.map { stageEdits[$0] }
                        }
                        newEdits.append(ComposedEdit(range: originalRange, replacement: String(decoding: replacement, as: UTF8.self), parts: parts))
                    }
                    newRanges.append(start..<newCurrent.count)
                }
            }
        }
        newCurrent.append(contentsOf: current[copiedUpTo...])
        spare = current
        current = newCurrent
        edits = newEdits
        currentRanges = newRanges
    }
}
