import Foundation
import HouseStyleText

/// What `housestyle train` learned for a style, as the learned stage uses it.
public final class StyleModel: Sendable {
    public let vocabulary: Vocabulary
    public let languageModel: LanguageModel
    /// Salience z of each vocabulary id as a unigram (0 when unknown).
    public let unigramSalience: [Float]
    /// Markers with |z| above the threshold, on-voice first (for reports).
    public let markers: [(ngram: String, z: Double, voice: Int, contrast: Int)]
    public let substitutions: [Substitution]
    /// The editors' revisions kept whole (empty without `corpus.pairs`).
    public let memory: EditorsMemory
    /// Whether the style lets the learned stage make an edit the memory recalls (`restricted(to:)`).
    let allowsRecalled: @Sendable (Substitution) -> Bool
    /// For each vocabulary id, whether the word is `unvoiced`: a word of the contrast's manner by its absence.
    let unvoiced: [Bool]
    static let unvoicedMinimum = 30
    /// For each vocabulary id, whether the corpora write the word in lowercase mid-sentence
    /// (`LowercaseWords`): a capital on it where a quotation opens is not a name's.
    let writtenInLowercase: [Bool]

    /// Whether the voice (its corpus and the editors' new sides) never writes a word the contrast
    /// writes at least `unvoicedMinimum` times, with a salience that `salience.tsv` lists (|z| ≥
    /// `listedSalienceZ`): training and rewriting must agree on it, and the bundle keeps only those.
    static func unvoiced(voice: Int, contrast: Int, z: Double) -> Bool {
        voice == 0 && contrast >= unvoicedMinimum && abs(z) >= ModelRecipe.Tuning.listedSalienceZ
    }
    /// Substitution indices by the packed ids of their `before` phrase.
    let sites: [UInt64: [Int]]
    let longestSite: Int

    static let vocabularyFile = "vocabulary.txt", languageModelFile = "lm.bin"
    static let salienceFile = "salience.tsv", substitutionsFile = "substitutions.tsv"

    init(vocabulary: Vocabulary, languageModel: LanguageModel, salience: [(ngram: String, z: Double, voice: Int, contrast: Int)], substitutions: [Substitution],
         memory: EditorsMemory = .empty, writtenInLowercase: [Bool]? = nil) {
        self.vocabulary = vocabulary
        self.memory = memory
        precondition(writtenInLowercase.map { $0.count == vocabulary.count } ?? true, "a lowercase list of another vocabulary")
        self.writtenInLowercase = writtenInLowercase ?? [Bool](repeating: false, count: vocabulary.count)
        allowsRecalled = { _ in true }
        self.languageModel = languageModel
        var unigram = [Float](repeating: 0, count: vocabulary.count)
        var unvoiced = [Bool](repeating: false, count: vocabulary.count)
        for entry in salience where !entry.ngram.contains(" ") {
            let id = vocabulary.id(entry.ngram)
            if id != Vocabulary.unknown {
                unigram[Int(id)] = Float(entry.z)
                unvoiced[Int(id)] = Self.unvoiced(voice: entry.voice, contrast: entry.contrast, z: entry.z)
            }
        }
        self.unigramSalience = unigram
        self.unvoiced = unvoiced
        self.markers = salience
        self.substitutions = substitutions
        (sites, longestSite) = Self.sites(of: substitutions, vocabulary: vocabulary)
    }

    /// A model sharing this one's vocabulary, language model and salience, with only the
    /// substitutions that `keep` accepts.
    private init(_ model: StyleModel, substitutions: [Substitution], allowsRecalled: @escaping @Sendable (Substitution) -> Bool) {
        vocabulary = model.vocabulary
        memory = model.memory
        self.allowsRecalled = allowsRecalled
        languageModel = model.languageModel
        unigramSalience = model.unigramSalience
        unvoiced = model.unvoiced
        writtenInLowercase = model.writtenInLowercase
        markers = model.markers
        self.substitutions = substitutions
        (sites, longestSite) = Self.sites(of: substitutions, vocabulary: model.vocabulary)
    }

    /// This model with only the substitutions that `keep` accepts, e.g. those a style's `learned`
    /// settings allow; the edits its memory recalls are put to `keep` as they are recalled.
    /// (Itself when `keep` accepts every substitution and there is no memory.)
    public func restricted(to keep: @escaping @Sendable (Substitution) -> Bool) -> StyleModel {
        let kept = substitutions.filter(keep)
        let allowed = allowsRecalled
        return kept.count == substitutions.count && memory.isEmpty ? self : StyleModel(self, substitutions: kept, allowsRecalled: { allowed($0) && keep($0) })
    }

    /// Substitution indices by the packed ids of their `before` phrase, and the longest phrase.
    private static func sites(of substitutions: [Substitution], vocabulary: Vocabulary) -> (sites: [UInt64: [Int]], longest: Int) {
        var sites: [UInt64: [Int]] = [:]
        var longest = 0
        for (index, substitution) in substitutions.enumerated() {
            let ids = substitution.before.map { vocabulary.id($0) }
            guard !ids.contains(Vocabulary.unknown), ids.count <= 4 else { continue }
            sites[NGramKey.pack(ids[...]), default: []].append(index)
            longest = max(longest, ids.count)
        }
        return (sites, longest)
    }

    /// Reads the learned files of a bundle folder (checksums are the caller's business: see `ModelBundle.load`).
    convenience init(directory: String) throws(ModelError) {
        func read(_ name: String) throws(ModelError) -> String {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { throw .corrupt(path: path, reason: "the file is missing") }
            return String(decoding: data, as: UTF8.self)
        }
        let vocabularyPath = (directory as NSString).appendingPathComponent(Self.vocabularyFile)
        let tokens = try read(Self.vocabularyFile).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard Array(tokens.prefix(4)) == Vocabulary.specials, tokens.count <= Vocabulary.capacity else {
            throw .corrupt(path: vocabularyPath, reason: "not a vocabulary (it must start with \(Vocabulary.specials.joined(separator: " ")))")
        }
        let vocabulary = Vocabulary(tokens: tokens)
        let lm = try LanguageModel(path: (directory as NSString).appendingPathComponent(Self.languageModelFile))
        guard lm.vocabularySize == vocabulary.count else {
            throw .corrupt(path: vocabularyPath, reason: "\(vocabulary.count) tokens but the language model has \(lm.vocabularySize)")
        }
        var salience: [(String, Double, Int, Int)] = []
        for (number, line) in try read(Self.salienceFile).split(separator: "\n").enumerated() where number > 0 {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 4, let z = Double(f[1]), let v = Int(f[2]), let c = Int(f[3]) else {
                throw .corrupt(path: (directory as NSString).appendingPathComponent(Self.salienceFile), reason: "line \(number + 1) is not ngram<TAB>z<TAB>voice<TAB>contrast")
            }
            salience.append((String(f[0]), z, v, c))
        }
        var substitutions: [Substitution] = []
        for (number, line) in try read(Self.substitutionsFile).split(separator: "\n").enumerated() where number > 0 {
            guard let substitution = Substitution(tsvLine: line) else {
                throw .corrupt(path: (directory as NSString).appendingPathComponent(Self.substitutionsFile), reason: "line \(number + 1) is not a substitution record")
            }
            substitutions.append(substitution)
        }
        // The memory of a bundle trained with editors' revisions (a file the manifest lists; checked by `ModelBundle.verify`).
        var memory = EditorsMemory.empty
        let memoryPath = (directory as NSString).appendingPathComponent(EditorsMemory.file)
        if FileManager.default.fileExists(atPath: memoryPath) {
            let lines = try read(EditorsMemory.file).split(separator: "\n")
            guard lines.first == Substring(EditorsMemory.header) else { throw .corrupt(path: memoryPath, reason: "line 1 is not the header '\(EditorsMemory.header)'") }
            memory = try EditorsMemory(lines: Array(lines.dropFirst()), vocabulary: vocabulary, path: memoryPath)
        }
        // The words written in lowercase (a file `ModelBundle.verify` requires; a folder without one,
        // as in tests, lists none).
        var lowercase: [Bool]?
        let lowercasePath = (directory as NSString).appendingPathComponent(LowercaseWords.file)
        if FileManager.default.fileExists(atPath: lowercasePath) {
            lowercase = try LowercaseWords.read(try read(LowercaseWords.file), vocabulary: vocabulary, path: lowercasePath)
        }
        self.init(vocabulary: vocabulary, languageModel: lm, salience: salience, substitutions: substitutions, memory: memory, writtenInLowercase: lowercase)
    }
}

extension Substitution {
    static let tsvHeader = "origin\tbefore\tafter\tafter_text\tcount\tstrength\texample"

    var tsvLine: String {
        let origin = origin.name
        func clean(_ s: String) -> String { s.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
        return [origin, before.joined(separator: " "), after.joined(separator: " "), clean(afterText), String(count),
                String(format: "%.4f", strength), clean(example)].joined(separator: "\t")
    }

    init?(tsvLine line: Substring) {
        let f = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard f.count == 7, let count = Int(f[4]), let strength = Double(f[5]) else { return nil }
        switch f[0] {
        case "pair": origin = .pair
        case "pair-alternative": origin = .pairAlternative
        case "thesaurus": origin = .thesaurus
        case "retrieval": origin = .retrieval
        case "vectors": origin = .vectors
        default: return nil
        }
        before = f[1].split(separator: " ").map(String.init)
        after = f[2].split(separator: " ").map(String.init)
        afterText = String(f[3])
        self.count = count
        self.strength = strength
        example = String(f[6])
        guard !before.isEmpty else { return nil }
    }
}
