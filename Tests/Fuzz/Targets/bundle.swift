// libFuzzer target: the readers of a model bundle's files. The first byte picks the reader, the
// rest is the file: 0 the language model (lm.bin, memory-mapped, then queried), 1 a safetensors
// adapter, 2 the learned files (vocabulary, salience, substitutions, the editors' memory and the words written in
// lowercase, separated by bytes 0x01; each revision of the memory then recalled),
// 3 the calibration and the voice axis, 4 the manifest. Damaged files must be refused with a ModelError (an EncoderError for the adapter).
import Foundation
@testable import HouseStyleNumerics
@testable import HouseStyle

private let folder: String = {
    let path = "/dev/shm/housestyle-fuzz-bundle-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return FileManager.default.fileExists(atPath: path) ? path : NSTemporaryDirectory() + "housestyle-fuzz-bundle-\(getpid())"
}()

private func write(_ name: String, _ bytes: some Collection<UInt8>) {
    let path = folder + "/" + name
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
}

/// A small language model of `size` tokens, so that a vocabulary of that many gets as far as
/// the salience and substitutions.
private func languageModel(size: Int) -> [UInt8] {
    KneserNey.estimate(sentences: [[UInt32(size - 1)]], vocabularySize: size, order: 2,
                       reference: (0..<size).map { $0 == size - 1 ? 1 : 0 }).serialized()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBundleFile(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let data, count > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data + 1, count: count - 1)
    switch data[0] % 5 {
    case 0:
        write(StyleModel.languageModelFile, bytes)
        if let model = try? LanguageModel(path: folder + "/" + StyleModel.languageModelFile) {
            let size = UInt32(max(model.vocabularySize, 1))
            // Every n-gram order, ids inside and at the edge of the vocabulary.
            _ = model.perplexity([[0, 1, 2, 3, 4, 5], [size - 1, size, 7, 7, 7]])
        }
    case 1:
        write("adapter.safetensors", bytes)
        _ = try? Adapter(contentsOf: folder + "/adapter.safetensors")
        if let file = try? SafeTensorsFile(path: folder + "/adapter.safetensors") {
            for name in file.names { _ = try? file.tensor(name).floats() }
        }
    case 2:
        let parts = Array(bytes).split(separator: 1, maxSplits: 4, omittingEmptySubsequences: false)
        write(StyleModel.vocabularyFile, parts.first ?? [])
        write(StyleModel.salienceFile, parts.count > 1 ? parts[1] : [])
        write(StyleModel.substitutionsFile, parts.count > 2 ? parts[2] : [])
        // The editors' memory, when there is a fourth part (a bundle without pairs has none).
        if parts.count > 3 { write(EditorsMemory.file, parts[3]) } else { try? FileManager.default.removeItem(atPath: folder + "/" + EditorsMemory.file) }
        // The words written in lowercase, when there is a fifth part (bundles of older code have none).
        if parts.count > 4 { write(LowercaseWords.file, parts[4]) } else { try? FileManager.default.removeItem(atPath: folder + "/" + LowercaseWords.file) }
        // A language model as large as the vocabulary (which the reader checks).
        let tokens = (parts.first ?? []).split(separator: 10, omittingEmptySubsequences: false).count - 1
        write(StyleModel.languageModelFile, languageModel(size: min(max(tokens, 5), 4096)))
        if let model = try? StyleModel(directory: folder) {
            // Each revision recalled for its own before side, and for a sentence of other words.
            for entry in model.memory.entries.indices.prefix(4) {
                let before = model.memory.entries[entry].before
                _ = model.memory.nearest(before.ids)
                _ = model.memory.hunks(of: entry, words: before.ids, spaced: before.spaced, capitalisedInSentence: [])
                _ = model.memory.hunks(of: entry, words: before.ids.reversed(), spaced: before.spaced.map { !$0 }, capitalisedInSentence: [])
            }
        }
    case 3:
        // The JSON records: the calibration, and the same bytes as the voice axis.
        write(Calibration.file, bytes)
        _ = try? Calibration.load(folder)
        write(VoiceAxis.file, bytes)
        if let axis = try? VoiceAxis.load(folder) {
            let other = axis.direction.indices.map { Float($0 % 3) - 1 }
            _ = axis.similarity(axis.direction, other)
        }
    default:
        write("manifest.json", bytes)
        _ = try? ModelBundle.readManifest(in: folder)
    }
    return 0
}
