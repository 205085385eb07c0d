import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element types a safetensors file can hold that this reader understands.
package enum SafeTensorDType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16, .bf16: return 2
        case .i64: return 8
        }
    }
}

/// A read-only, memory-mapped safetensors file (8-byte little-endian header length, a JSON header,
/// then the raw tensor bytes). Tensors are views into the mapping: nothing is copied on load.
///
/// The header is checked completely on open: every tensor's dtype, that its shape matches its byte
/// count, and that its byte range lies inside the data section without overlapping another.
package final class SafeTensorsFile: @unchecked Sendable {
    // @unchecked: the mapping is read-only (PROT_READ) and all stored properties are constants.

    /// The path the file was opened from, used in error messages.
    public let path: String
    /// The `__metadata__` string map of the header (empty when absent).
    public let metadata: [String: String]
    /// Tensors by name.
    public let tensors: [String: SafeTensor]

    private let mapping: UnsafeRawPointer
    private let mappedBytes: Int

    /// Largest header accepted; the format's reference implementation uses the same bound.
    static let maximumHeaderBytes = 100_000_000

    /// Maps the file at `path` and validates its header.
    /// - Throws: `EncoderError` naming the file and what is wrong with it.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let code = errno
            if code == ENOENT { throw EncoderError.fileNotFound(path: path) }
            throw EncoderError.cannotRead(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw EncoderError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw EncoderError.cannotRead(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size >= 8 else { throw EncoderError.truncated(path: path, expectedBytes: 8, actualBytes: size) }
        guard let raw = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), raw != MAP_FAILED else {
            throw EncoderError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        let base = UnsafeRawPointer(raw)
        do {
            let parsed = try Self.parseHeader(base: base, size: size, path: path)
            self.metadata = parsed.metadata
            self.mapping = base
            self.mappedBytes = size
            var tensors: [String: SafeTensor] = [:]
            for entry in parsed.entries {
                tensors[entry.name] = SafeTensor(
                    name: entry.name, dtype: entry.dtype, shape: entry.shape,
                    bytes: UnsafeRawBufferPointer(start: base + parsed.dataStart + entry.begin, count: entry.end - entry.begin),
                    owner: nil)
            }
            self.tensors = tensors
        } catch {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
            throw error
        }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: mapping), mappedBytes) }

    /// Tensor names in sorted order.
    public var names: [String] { tensors.keys.sorted() }

    /// The tensor called `name`, keeping this file mapped while the view lives.
    /// - Throws: `EncoderError.missingTensor` when absent.
    public func tensor(_ name: String) throws -> SafeTensor {
        guard var tensor = tensors[name] else { throw EncoderError.missingTensor(path: path, tensor: name) }
        tensor.owner = self
        return tensor
    }

    /// A zero-copy F32 view of `name` after checking its shape.
    /// The pointer stays valid as long as this file object lives.
    func floatView(_ name: String, shape expected: [Int]) throws -> UnsafePointer<Float> {
        let tensor = try tensor(name)
        guard tensor.shape == expected else {
            throw EncoderError.unexpectedShape(path: path, tensor: name, expected: expected, actual: tensor.shape)
        }
        guard tensor.dtype == .f32 else {
            throw EncoderError.wrongDType(path: path, tensor: name, expected: "F32", actual: tensor.dtype.rawValue)
        }
        guard Int(bitPattern: tensor.bytes.baseAddress) % MemoryLayout<Float>.alignment == 0 else {
            throw EncoderError.invalidHeader(path: path, reason: "tensor '\(name)' is not aligned to 4 bytes")
        }
        return tensor.bytes.baseAddress!.assumingMemoryBound(to: Float.self)
    }

    // MARK: Header

    struct Entry { var name: String; var dtype: SafeTensorDType; var shape: [Int]; var begin: Int; var end: Int }

    static func parseHeader(base: UnsafeRawPointer, size: Int, path: String)
        throws -> (entries: [Entry], metadata: [String: String], dataStart: Int)
    {
        let headerLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(maximumHeaderBytes) else {
            throw EncoderError.invalidHeader(path: path, reason: "header length \(headerLength) is implausibly large")
        }
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= size else {
            throw EncoderError.truncated(path: path, expectedBytes: dataStart, actualBytes: size)
        }
        let headerBytes = Data(bytes: base + 8, count: Int(headerLength))
        guard headerLength >= 2, headerBytes.first == UInt8(ascii: "{") else {
            throw EncoderError.invalidHeader(path: path, reason: "header is not a JSON object")
        }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: headerBytes) } catch {
            throw EncoderError.invalidHeader(path: path, reason: "header is not valid JSON")
        }
        guard let object = json as? [String: Any] else {
            throw EncoderError.invalidHeader(path: path, reason: "header is not a JSON object")
        }
        let dataBytes = size - dataStart
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw EncoderError.invalidHeader(path: path, reason: "__metadata__ is not an object")
                }
                for (key, item) in map {
                    guard let text = item as? String else {
                        throw EncoderError.invalidHeader(path: path, reason: "__metadata__ value '\(key)' is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            guard let fields = value as? [String: Any] else {
                throw EncoderError.invalidHeader(path: path, reason: "entry '\(name)' is not an object")
            }
            guard let dtypeName = fields["dtype"] as? String else {
                throw EncoderError.invalidHeader(path: path, reason: "tensor '\(name)' has no dtype")
            }
            guard let dtype = SafeTensorDType(rawValue: dtypeName) else {
                throw EncoderError.unsupportedDType(path: path, tensor: name, dtype: dtypeName)
            }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw EncoderError.invalidHeader(path: path, reason: "tensor '\(name)' has no valid shape")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw EncoderError.invalidHeader(path: path, reason: "tensor '\(name)' has no valid data_offsets")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataBytes else {
                throw EncoderError.tensorOutOfBounds(path: path, tensor: name, begin: begin, end: end, dataBytes: dataBytes)
            }
            var elements = 1
            for extent in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
                guard !overflow else {
                    throw EncoderError.sizeMismatch(path: path, tensor: name, shape: shape, dtype: dtypeName, bytes: end - begin)
                }
                elements = product
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, bytes == end - begin else {
                throw EncoderError.sizeMismatch(path: path, tensor: name, shape: shape, dtype: dtypeName, bytes: end - begin)
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end))
        }
        // Byte ranges must not overlap (empty tensors occupy nothing).
        let ordered = entries.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.begin < previous.end {
            throw EncoderError.tensorOutOfBounds(path: path, tensor: next.name, begin: next.begin, end: next.end, dataBytes: dataBytes)
        }
        return (entries.sorted { $0.name < $1.name }, metadata, dataStart)
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            // JSONSerialization gives NSNumber; reject booleans and fractions.
            guard let number = item as? NSNumber, String(cString: number.objCType) != "c",
                  let integer = Int(exactly: number.doubleValue)
            else { return nil }
            result.append(integer)
        }
        return result
    }
}

/// One tensor of a `SafeTensorsFile`: its name, element type, shape and a view of its bytes.
package struct SafeTensor: @unchecked Sendable {
    // @unchecked: `bytes` points into a read-only mapping kept alive by `owner`.
    public let name: String
    public let dtype: SafeTensorDType
    public let shape: [Int]
    let bytes: UnsafeRawBufferPointer
    var owner: SafeTensorsFile?

    /// Number of elements (product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }

    /// The elements as `Float`, converting F16 and BF16; integer tensors are rejected.
    /// - Throws: `EncoderError.wrongDType` for integer tensors.
    public func floats() throws -> [Float] {
        let count = elementCount
        switch dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { memcpy(buffer.baseAddress!, bytes.baseAddress!, count * 4) }
                for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
                initialized = count
            }
        case .f16:
            return (0..<count).map { halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
        case .bf16:
            return (0..<count).map {
                Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) << 16)
            }
        case .i64, .i32:
            throw EncoderError.wrongDType(path: owner?.path ?? "", tensor: name, expected: "F32, F16 or BF16", actual: dtype.rawValue)
        }
    }

    /// The elements of an I64 or I32 tensor.
    /// - Throws: `EncoderError.wrongDType` for floating-point tensors.
    public func integers() throws -> [Int64] {
        switch dtype {
        case .i64:
            return (0..<elementCount).map { Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
        case .i32:
            return (0..<elementCount).map { Int64(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
        case .f32, .f16, .bf16:
            throw EncoderError.wrongDType(path: owner?.path ?? "", tensor: name, expected: "I64 or I32", actual: dtype.rawValue)
        }
    }
}

/// IEEE 754 binary16 to binary32, including subnormals, infinities and NaN.
func halfToFloat(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x03FF)
    if exponent == 0 {
        if mantissa == 0 { return Float(bitPattern: sign) }
        let value = Float(mantissa) * 0x1p-24  // subnormal: mantissa * 2^-24
        return sign == 0 ? value : -value
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}
