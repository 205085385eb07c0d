import Foundation
internal import CZlib

/// General-English word frequencies: the reference a style without a contrast corpus is
/// compared against. Read from the PyPI package `wordfreq` (its data is CC BY-SA 4.0), which
/// `scripts/setup.sh` installs into `.deps/wordfreq`; never copied into a bundle or the repository.
package struct WordFrequencyReference: Sendable {
    /// Where the set-up script installs the English list, relative to the data directory.
    public static let relativePath = "wordfreq/wordfreq/data/large_en.msgpack.gz"

    /// Probability of each word (lowercase) per running word of English.
    public let frequencies: [String: Double]
    public let path: String

    /// Reads a wordfreq "cBpack" file: gzip of a msgpack list whose first element is the header
    /// `{"format": "cB", "version": 1}` and whose element `i` (from 1) lists the words of
    /// frequency 10^(-(i-1)/100).
    public init(path: String) throws(CorpusError) {
        guard let compressed = FileManager.default.contents(atPath: path) else {
            throw .referenceUnavailable(path: path, reason: "no such file")
        }
        let bytes: [UInt8]
        do { bytes = try Gzip.inflate(compressed) } catch { throw .referenceUnavailable(path: path, reason: "\(error)") }
        var reader = MessagePackReader(bytes: bytes)
        var table: [String: Double] = [:]
        do {
            let count = try reader.arrayHeader()
            guard count >= 1 else { throw MessagePackReader.Failure.unexpected("an empty list") }
            let header = try reader.value()
            guard case .map(let entries) = header, entries["format"] == .string("cB"), entries["version"] == .int(1) else {
                throw MessagePackReader.Failure.unexpected("a header that is not cB version 1")
            }
            table.reserveCapacity(count * 64)
            for bucket in 0..<(count - 1) {
                let words = try reader.arrayHeader()
                let frequency = pow(10, -Double(bucket) / 100)
                for _ in 0..<words { table[try reader.string()] = frequency }
            }
        } catch {
            throw .referenceUnavailable(path: path, reason: "not a wordfreq cBpack file: \(error)")
        }
        self.frequencies = table
        self.path = path
    }

    /// The English list found through `resources`.
    public static func load(_ resources: Resources) throws(CorpusError) -> WordFrequencyReference {
        guard let path = resources.locate(relativePath) else {
            throw .referenceUnavailable(path: nil, reason: "\(relativePath) not found in the data directories")
        }
        return try WordFrequencyReference(path: path)
    }
}

/// gzip decompression with zlib.
enum Gzip {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func inflate(_ data: Data) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var input = [UInt8](data)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            var status: Int32 = Z_OK
            while status != Z_STREAM_END {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                if status != Z_OK && status != Z_STREAM_END { return status }
                if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END { return Z_DATA_ERROR }
            }
            return Z_STREAM_END
        }
        guard status == Z_STREAM_END else { throw Failure(description: "corrupt gzip data (zlib status \(status))") }
        return output
    }
}

/// Just enough MessagePack to read wordfreq's lists: nil, booleans, integers, floats, strings,
/// arrays and maps.
struct MessagePackReader {
    enum Failure: Error, CustomStringConvertible {
        case truncated
        case unexpected(String)
        var description: String {
            switch self {
            case .truncated: "the data ends early"
            case .unexpected(let what): "found \(what)"
            }
        }
    }

    indirect enum Value: Hashable {
        case `nil`, bool(Bool), int(Int64), double(Double), string(String), array([Value]), map([String: Value])
    }

    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() throws(Failure) -> UInt8 {
        guard offset < bytes.count else { throw .truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bigEndian(_ count: Int) throws(Failure) -> UInt64 {
        guard offset + count <= bytes.count else { throw .truncated }
        var value: UInt64 = 0
        for i in 0..<count { value = value << 8 | UInt64(bytes[offset + i]) }
        offset += count
        return value
    }

    mutating func arrayHeader() throws(Failure) -> Int {
        let lead = try byte()
        switch lead {
        case 0x90...0x9f: return Int(lead & 0x0f)
        case 0xdc: return Int(try bigEndian(2))
        case 0xdd: return Int(try bigEndian(4))
        default: throw .unexpected(String(format: "type byte 0x%02x where a list was expected", lead))
        }
    }

    mutating func string() throws(Failure) -> String {
        guard case .string(let text) = try value() else { throw .unexpected("a value where a string was expected") }
        return text
    }

    mutating func rawString(_ length: Int) throws(Failure) -> String {
        guard offset + length <= bytes.count else { throw .truncated }
        defer { offset += length }
        return String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
    }

    mutating func value() throws(Failure) -> Value {
        let lead = try byte()
        switch lead {
        case 0x00...0x7f: return .int(Int64(lead))
        case 0xe0...0xff: return .int(Int64(Int8(bitPattern: lead)))
        case 0xa0...0xbf: return .string(try rawString(Int(lead & 0x1f)))
        case 0xd9: return .string(try rawString(Int(try bigEndian(1))))
        case 0xda: return .string(try rawString(Int(try bigEndian(2))))
        case 0xdb: return .string(try rawString(Int(try bigEndian(4))))
        case 0xc0: return .nil
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xcc: return .int(Int64(try bigEndian(1)))
        case 0xcd: return .int(Int64(try bigEndian(2)))
        case 0xce: return .int(Int64(try bigEndian(4)))
        case 0xcf: return .int(Int64(bitPattern: try bigEndian(8)))
        case 0xd0: return .int(Int64(Int8(truncatingIfNeeded: try bigEndian(1))))
        case 0xd1: return .int(Int64(Int16(truncatingIfNeeded: try bigEndian(2))))
        case 0xd2: return .int(Int64(Int32(truncatingIfNeeded: try bigEndian(4))))
        case 0xd3: return .int(Int64(bitPattern: try bigEndian(8)))
        case 0xca: return .double(Double(Float(bitPattern: UInt32(try bigEndian(4)))))
        case 0xcb: return .double(Double(bitPattern: try bigEndian(8)))
        case 0x90...0x9f, 0xdc, 0xdd:
            offset -= 1
            let count = try arrayHeader()
            var items: [Value] = []
            for _ in 0..<count { items.append(try value()) }
            return .array(items)
        case 0x80...0x8f, 0xde, 0xdf:
            let count = lead <= 0x8f ? Int(lead & 0x0f) : Int(try bigEndian(lead == 0xde ? 2 : 4))
            var entries: [String: Value] = [:]
            for _ in 0..<count {
                let key = try string()
                entries[key] = try value()
            }
            return .map(entries)
        default:
            throw .unexpected(String(format: "unsupported MessagePack type byte 0x%02x", lead))
        }
    }
}
