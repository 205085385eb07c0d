import Foundation
import Testing
@testable import HouseStyleNumerics

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "t.safetensors") throws -> String {
    let folder = URL(fileURLWithPath: try temporaryFolder())
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// A safetensors file with the given raw JSON header and data bytes.
func rawSafeTensors(header: String, data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + Array(header.utf8) + data
}

func floatBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}

@Suite struct SafeTensorsTests {
    @Test func writerRoundTripsTensorsAndMetadata() throws {
        var writer = SafeTensorsWriter()
        writer.metadata = ["format": "test", "z\"key": "line\nbreak"]
        writer.add("b.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, -6.5])
        writer.add("a.bias", shape: [1], values: [0.25])
        writer.add("empty", shape: [0], values: [])
        let path = try temporaryFile(writer.serialized())
        let file = try SafeTensorsFile(path: path)
        #expect(file.names == ["a.bias", "b.weight", "empty"])
        #expect(file.metadata == ["format": "test", "z\"key": "line\nbreak"])
        let weight = try file.tensor("b.weight")
        #expect(weight.dtype == .f32)
        #expect(weight.shape == [2, 3])
        #expect(try weight.floats() == [1, 2, 3, 4, 5, -6.5])
        #expect(try file.tensor("a.bias").floats() == [0.25])
        #expect(try file.tensor("empty").floats() == [])
    }

    @Test func writerBytesAreDeterministicAndAligned() {
        var first = SafeTensorsWriter()
        first.add("x", shape: [2], values: [1, 2])
        first.add("a", shape: [1], values: [3])
        first.metadata = ["k": "v", "a": "b"]
        var second = SafeTensorsWriter()
        second.metadata = ["a": "b", "k": "v"]
        second.add("a", shape: [1], values: [3])
        second.add("x", shape: [2], values: [1, 2])
        let bytes = first.serialized()
        #expect(bytes == second.serialized())
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect((8 + headerLength) % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.trimmingCharacters(in: .whitespaces)
            == #"{"__metadata__":{"a":"b","k":"v"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#)
    }

    @Test func convertsHalfAndBFloat16AndReadsIntegers() throws {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal = 0x0001.
        // BF16: 1.0 = 0x3F80, -0.5 = 0xBF00. I64: 7, -1.
        let f16: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001]
        let bf16: [UInt16] = [0x3F80, 0xBF00]
        var data: [UInt8] = []
        for v in f16 + bf16 { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        for v: Int64 in [7, -1] { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        let header = #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},"# +
            #""i":{"dtype":"I64","shape":[2],"data_offsets":[16,32]}}"#
        // Pad the header so the data section starts 8-aligned, and pad 4 bytes before the I64 tensor.
        let padded = header + String(repeating: " ", count: (8 - (8 + header.utf8.count) % 8) % 8)
        let path = try temporaryFile(rawSafeTensors(header: padded, data: Array(data[0..<12]) + [0, 0, 0, 0] + Array(data[12...])))
        let file = try SafeTensorsFile(path: path)
        #expect(try file.tensor("h").floats() == [1, -2, 65504, 0x1p-24])
        #expect(try file.tensor("b").floats() == [1, -0.5])
        #expect(try file.tensor("i").integers() == [7, -1])
        #expect(throws: EncoderError.wrongDType(path: path, tensor: "i", expected: "F32, F16 or BF16", actual: "I64")) {
            try file.tensor("i").floats()
        }
    }

    @Test(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
    func readsTheRealModelHeader() throws {
        let model = try #require(TestModel.files)
        let file = try SafeTensorsFile(path: model.weightsPath)
        #expect(file.tensors.count == 104)
        #expect(try file.tensor("embeddings.word_embeddings.weight").shape == [30522, 384])
        #expect(try file.tensor("embeddings.position_ids").integers().prefix(3) == [0, 1, 2])
        #expect(Set(file.tensors.values.map(\.dtype)) == [.f32, .i64])
    }

    static let corruptCases: [(name: String, bytes: [UInt8], error: @Sendable (String) -> EncoderError)] = [
        ("shorter than the length prefix", [1, 2, 3], { .truncated(path: $0, expectedBytes: 8, actualBytes: 3) }),
        ("header longer than the file", rawSafeTensors(header: "{}", data: []).enumerated().map { $0.offset == 0 ? 200 : $0.element },
         { .truncated(path: $0, expectedBytes: 208, actualBytes: 10) }),
        ("implausible header length", [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0] + Array("{}".utf8),
         { .invalidHeader(path: $0, reason: "header length 4294967295 is implausibly large") }),
        ("foreign file: plain text", Array("hello, this is just text and not a model at all".utf8),
         { .invalidHeader(path: $0, reason: "header length 8367736964726416744 is implausibly large") }),
        ("header not JSON", rawSafeTensors(header: "{nope", data: []), { .invalidHeader(path: $0, reason: "header is not valid JSON") }),
        ("header not an object", rawSafeTensors(header: "[1,2]", data: []), { .invalidHeader(path: $0, reason: "header is not a JSON object") }),
        ("unknown dtype", rawSafeTensors(header: #"{"t":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
         { .unsupportedDType(path: $0, tensor: "t", dtype: "C64") }),
        ("missing shape", rawSafeTensors(header: #"{"t":{"dtype":"F32","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
         { .invalidHeader(path: $0, reason: "tensor 't' has no valid shape") }),
        ("offsets past the data", rawSafeTensors(header: #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]),
         { .tensorOutOfBounds(path: $0, tensor: "t", begin: 0, end: 8, dataBytes: 4) }),
        ("shape disagrees with bytes", rawSafeTensors(header: #"{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)),
         { .sizeMismatch(path: $0, tensor: "t", shape: [3], dtype: "F32", bytes: 8) }),
        ("overlapping tensors", rawSafeTensors(
            header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
            data: Array(repeating: 0, count: 8)),
         { .tensorOutOfBounds(path: $0, tensor: "b", begin: 4, end: 8, dataBytes: 8) }),
        ("boolean offsets", rawSafeTensors(header: #"{"t":{"dtype":"F32","shape":[1],"data_offsets":[false,true]}}"#, data: [0, 0, 0, 0]),
         { .invalidHeader(path: $0, reason: "tensor 't' has no valid data_offsets") }),
    ]

    @Test(arguments: corruptCases.indices)
    func rejectsCorruptFiles(index: Int) throws {
        let testCase = Self.corruptCases[index]
        let path = try temporaryFile(testCase.bytes)
        #expect(throws: testCase.error(path), "\(testCase.name)") { try SafeTensorsFile(path: path) }
    }

    @Test func missingFileAndMissingTensorSayWhatIsWrong() throws {
        #expect(throws: EncoderError.fileNotFound(path: "/nonexistent/model.safetensors")) {
            try SafeTensorsFile(path: "/nonexistent/model.safetensors")
        }
        #expect(EncoderError.fileNotFound(path: "/x").description == "/x: file not found")
        var writer = SafeTensorsWriter()
        writer.add("a", shape: [1], values: [1])
        let path = try temporaryFile(writer.serialized())
        let file = try SafeTensorsFile(path: path)
        #expect(throws: EncoderError.missingTensor(path: path, tensor: "b")) { try file.tensor("b") }
        #expect(throws: EncoderError.unexpectedShape(path: path, tensor: "a", expected: [2], actual: [1])) {
            try file.floatView("a", shape: [2])
        }
    }
}
