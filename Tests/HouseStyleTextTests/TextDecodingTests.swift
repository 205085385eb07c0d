import Testing
@testable import HouseStyleText

@Suite struct TextDecodingTests {
    let path = "corpora/acme/intro.md"

    @Test func invalidByteIsReportedWithFileAndOffset() {
        let bytes = Array(String(repeating: "word ", count: 208).utf8) + [0x65, 0x80] + Array(" tail".utf8)
        #expect(bytes.count == 1047)
        #expect(throws: TextError.invalidUTF8(path: path, byteOffset: 1041)) {
            try TextDecoding.decodeUTF8(bytes, path: path)
        }
        let error = TextError.invalidUTF8(path: path, byteOffset: 1042)
        #expect(error.description == "corpora/acme/intro.md: not valid UTF-8 at byte 1042")
    }

    @Test(arguments: [
        ([0xFF], 0),                                  // never valid
        (Array("né".utf8) + [0xC3], 3),               // truncated at the end
        (Array("ab".utf8) + [0xE2, 0x82, 0x41], 2),   // continuation byte missing
        ([0x41, 0xC0, 0xAF], 1),                      // overlong "/"
        ([0xE0, 0x80, 0xAF], 0),                      // overlong three-byte form
        ([0xED, 0xA0, 0x80], 0),                      // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),                // above U+10FFFF
        (Array("東京".utf8) + [0x9F], 6),              // stray continuation byte
    ] as [([UInt8], Int)])
    func malformedSequences(bytes: [UInt8], offset: Int) {
        #expect(throws: TextError.invalidUTF8(path: path, byteOffset: offset)) {
            try TextDecoding.decodeUTF8(bytes, path: path)
        }
    }

    @Test func acceptsAllWellFormedText() throws {
        let text = "\u{FEFF}Straße 東京 👩‍👩‍👧 \u{10FFFF} e\u{301}\r\n"
        let decoded = try TextDecoding.decodeUTF8(Array(text.utf8), path: path)
        #expect(Array(decoded.utf8) == Array(text.utf8))
    }

    @Test func keepsTheByteOrderMark() throws {
        let decoded = try TextDecoding.decodeUTF8([0xEF, 0xBB, 0xBF, 0x48, 0x69], path: path)
        #expect(decoded.unicodeScalars.map(\.value) == [0xFEFF, 0x48, 0x69])
        #expect(decoded.utf8.count == 5)
    }

    @Test func nulMeansBinaryEvenWhenUTF8IsAlsoBroken() {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += Array(repeating: 0x41, count: 20) + [0x00, 0x00]
        #expect(throws: TextError.binaryContent(path: path, byteOffset: 28)) {
            try TextDecoding.decodeUTF8(bytes, path: path)
        }
        #expect(TextError.binaryContent(path: path, byteOffset: 28).description
            == "corpora/acme/intro.md: binary file, not text (NUL byte at byte 28)")
    }

    @Test func utf16IsNamed() {
        #expect(throws: TextError.utf16(path: path)) {
            try TextDecoding.decodeUTF8([0xFF, 0xFE, 0x48, 0x00], path: path)
        }
    }

    @Test func acceptsNonContiguousCollections() throws {
        let bytes = "hello".utf8.reversed()
        #expect(try TextDecoding.decodeUTF8(bytes, path: path) == "olleh")
        #expect(try TextDecoding.decodeUTF8([UInt8](), path: path) == "")
    }

    /// The word-at-a-time scans must agree with a byte-at-a-time reading for every offset.
    @Test func fastScansAgreeWithSlowOnesAtEveryOffset() {
        for length in 0..<40 {
            for position in 0..<length {
                var bytes = [UInt8](repeating: 0x61, count: length)
                bytes[position] = 0
                bytes.withUnsafeBufferPointer { #expect(TextDecoding.firstNUL(in: $0) == position) }
                bytes[position] = 0xFF
                bytes.withUnsafeBufferPointer {
                    #expect(TextDecoding.firstNUL(in: $0) == nil)
                    #expect(TextDecoding.firstInvalidUTF8Offset(in: $0) == position)
                }
            }
        }
    }
}
