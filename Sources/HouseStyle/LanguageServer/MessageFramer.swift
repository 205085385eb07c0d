import Foundation

/// The base protocol of the Language Server Protocol: each message is a header part
/// (`Content-Length: N`, optionally `Content-Type`, each line ending in `\r\n`), an empty line,
/// and N bytes of UTF-8 JSON. Bytes arrive in chunks of any size: `append` them as they come and
/// take whole messages with `next()`, so a message split across reads waits for its rest and
/// several messages in one read come out one by one.
struct MessageFramer: Sendable {
    /// What `next()` found.
enum Frame: Sendable, Hashable {
        /// The content of one message (its JSON, not yet parsed).
        case message(Data)
        /// A header part the server cannot use, with why. Its bytes are dropped (and the content
        /// it announced, when it gave a usable length), and reading goes on after it.
        case malformedHeader(String)
    }

    /// The largest content accepted; a longer message is skipped unread (a header that asks for
    /// more than this is more likely garbage than a document).
let maximumContentLength: Int
    /// The largest header part accepted: one without its empty line by then is dropped.
static let maximumHeaderLength = 8192

    private var buffer: [UInt8] = []
    /// Where unread bytes start in `buffer` (compacted now and then rather than on every message).
    private var start = 0
    /// Bytes still to drop: the content of a message refused for its size.
    private var skipping = 0

init(maximumContentLength: Int = TextFile.sizeLimit) {
        self.maximumContentLength = maximumContentLength
    }

    /// Whether bytes of an unfinished message are waiting for more input.
var hasPartialMessage: Bool { start < buffer.count || skipping > 0 }

mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message or malformed header part, or nil when more bytes are needed.
mutating func next() -> Frame? {
        if skipping > 0 {
            let dropped = min(skipping, buffer.count - start)
            start += dropped
            skipping -= dropped
            if skipping > 0 { return nil }
        }
        guard let end = headerEnd() else {
            if buffer.count - start > Self.maximumHeaderLength {
                start = buffer.count
                return .malformedHeader("no empty line after \(Self.maximumHeaderLength) bytes of header")
            }
            return nil
        }
        let header = buffer[start..<end.headerEnd]
        switch Self.contentLength(of: header) {
        case .failure(let reason):
            start = end.contentStart
            return .malformedHeader(reason)
        case .success(let length) where length > maximumContentLength:
            start = end.contentStart
            skipping = length
            return .malformedHeader("Content-Length \(length) is larger than the \(maximumContentLength)-byte limit; the message was skipped")
        case .success(let length):
            guard buffer.count - end.contentStart >= length else { return nil }
            let content = Data(buffer[end.contentStart..<end.contentStart + length])
            start = end.contentStart + length
            return .message(content)
        }
    }

    /// Where the header part ends (before its blank line) and the content starts, if the blank line has arrived.
    private func headerEnd() -> (headerEnd: Int, contentStart: Int)? {
        var index = start
        while index + 3 < buffer.count {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A && buffer[index + 2] == 0x0D && buffer[index + 3] == 0x0A {
                return (index, index + 4)
            }
            index += 1
        }
        return nil
    }

    private enum Length { case success(Int), failure(String) }

    /// The `Content-Length` of a header part; names are case-insensitive, other headers are ignored
    /// (`Content-Type` must be UTF-8 JSON if given, the only encoding LSP defines).
    private static func contentLength(of header: ArraySlice<UInt8>) -> Length {
        guard let text = String(validating: header, as: UTF8.self) else { return .failure("the header is not UTF-8") }
        var length: Int?
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else {
                return .failure("header line '\(FindingReport.oneLine(String(line.prefix(80))))' has no ':'")
            }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-length":
                guard let number = Int(value), number >= 0 else {
                    return .failure("Content-Length '\(FindingReport.oneLine(String(value.prefix(40))))' is not a number of bytes")
                }
                length = number
            case "content-type":
                let charset = value.lowercased().split(separator: ";").dropFirst()
                    .map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix("charset=") }
                if let charset, !["charset=utf-8", "charset=utf8"].contains(charset) {
                    return .failure("Content-Type '\(FindingReport.oneLine(value))' is not UTF-8; send UTF-8 JSON")
                }
            default:
                continue
            }
        }
        guard let length else { return .failure("the header has no Content-Length") }
        return .success(length)
    }

    /// `content` with its header part, ready to write.
static func frame(_ content: Data) -> Data {
        var framed = Data("Content-Length: \(content.count)\r\n\r\n".utf8)
        framed.append(content)
        return framed
    }
}
