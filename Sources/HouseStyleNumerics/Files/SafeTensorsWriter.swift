import Foundation

/// Builds a safetensors file from F32 tensors. The bytes are deterministic: tensors and metadata
/// keys are sorted by name, the JSON is compact, and the header is padded with spaces to 8 bytes.
package struct SafeTensorsWriter: Sendable {
    private var entries: [String: (shape: [Int], values: [Float])] = [:]
    /// String metadata stored under `__metadata__`.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Adds (or replaces) tensor `name`; `values.count` must equal the product of `shape`.
    public mutating func add(_ name: String, shape: [Int], values: [Float]) {
        precondition(name != "__metadata__", "reserved tensor name")
        precondition(shape.reduce(1, *) == values.count, "tensor '\(name)': shape \(shape) does not match \(values.count) values")
        entries[name] = (shape, values)
    }

    /// The complete file contents.
    public func serialized() -> [UInt8] {
        let names = entries.keys.sorted()
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let entry = entries[name]!
            let end = offset + 4 * entry.values.count
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var output: [UInt8] = []
        output.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { output.append(contentsOf: $0) }
        output.append(contentsOf: headerBytes)
        for name in names {
            for value in entries[name]!.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { output.append(contentsOf: $0) }
            }
        }
        return output
    }

    /// Writes the file atomically (temporary file in the same folder, then rename).
    /// - Throws: `EncoderError.cannotWrite`.
    public func write(to path: String) throws {
        do {
            try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EncoderError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}

/// A JSON string literal with the escapes JSON requires.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
