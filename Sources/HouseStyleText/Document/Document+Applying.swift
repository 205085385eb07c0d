extension Document {
    /// The edits in the order they apply, after checking each against the text and the others.
    ///
    /// Edits are sorted by range (insertions before a replacement that starts at the same offset).
    /// - Throws: `DocumentError` if an edit leaves the text, splits a UTF-8 character, touches a
    ///   protected span, or overlaps another edit (two insertions at one offset overlap).
    public func validated(_ edits: [any TextReplacement]) throws(DocumentError) -> [any TextReplacement] {
        let sorted = edits.enumerated().sorted { a, b in
            let (ra, rb) = (a.element.range, b.element.range)
            if ra.lowerBound != rb.lowerBound { return ra.lowerBound < rb.lowerBound }
            if ra.upperBound != rb.upperBound { return ra.upperBound < rb.upperBound }
            return a.offset < b.offset
        }.map(\.element)
        var copy = text
        let failure: DocumentError? = copy.withUTF8 { bytes in
            var previous: (any TextReplacement)?
            for edit in sorted {
                let range = edit.range
                guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
                    return .editOutOfBounds(rule: edit.rule, range: range, textLength: bytes.count)
                }
                for offset in [range.lowerBound, range.upperBound]
                where offset < bytes.count && bytes[offset] & 0xC0 == 0x80 {
                    return .editSplitsCharacter(
                        rule: edit.rule, range: range, offset: offset, location: location(ofByte: offset))
                }
                if let span = protectedSpans(touching: range).first {
                    return .editTouchesProtectedSpan(
                        rule: edit.rule, range: range, location: location(ofByte: range.lowerBound), span: span)
                }
                if let previous {
                    let p = previous.range
                    let sameInsertion = p.isEmpty && range.isEmpty && p.lowerBound == range.lowerBound
                    if range.lowerBound < p.upperBound || sameInsertion {
                        return .overlappingEdits(
                            firstRule: previous.rule, firstRange: p, secondRule: edit.rule, secondRange: range,
                            location: location(ofByte: range.lowerBound))
                    }
                }
                previous = edit
            }
            return nil
        }
        if let failure { throw failure }
        return sorted
    }

    /// The text with `edits` applied; every byte outside the edits' ranges is kept as it was.
    ///
    /// - Throws: `DocumentError` as described in ``validated(_:)``; nothing is applied then.
    public func applying(_ edits: [any TextReplacement]) throws(DocumentError) -> String {
        let sorted = try validated(edits)
        if sorted.isEmpty { return text }
        var copy = text
        return copy.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.replacement.utf8.count })
            var cursor = 0
            for edit in sorted {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<edit.range.lowerBound]))
                output.append(contentsOf: edit.replacement.utf8)
                cursor = edit.range.upperBound
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...]))
            return String(decoding: output, as: UTF8.self)
        }
    }
}
