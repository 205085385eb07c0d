import Foundation
import Testing
@testable import HouseStyle

/// A deliberately plain interpolated modified Kneser-Ney (Chen and Goodman 1998), written from
/// the formulas with string n-grams and recursion, to check the packed, backoff-form model.
private struct ReferenceKneserNey {
    let order: Int
    var adjusted: [[[String]: Int]]
    var discounts: [[Double]] = []
    let reference: [String: Double]

    init(sentences: [[String]], order: Int, reference: [String: Double]) {
        self.order = order
        self.reference = reference
        var raw = Array(repeating: [[String]: Int](), count: order + 1)
        for sentence in sentences {
            let padded = ["<s>"] + sentence + ["</s>"]
            for n in 1...order where padded.count >= n {
                for start in 0...(padded.count - n) { raw[n][Array(padded[start..<(start + n)]), default: 0] += 1 }
            }
        }
        adjusted = raw
        for n in 1..<order {
            var table: [[String]: Int] = [:]
            for gram in raw[n + 1].keys { table[Array(gram.dropFirst()), default: 0] += 1 }
            for (gram, count) in raw[n] where gram.first == "<s>" { table[gram] = count }
            adjusted[n] = table
        }
        adjusted[1][["<s>"]] = nil
        discounts = [[]]
        for n in 1...order {
            var c = [0, 0, 0, 0, 0]
            for count in adjusted[n].values where count <= 4 { c[count] += 1 }
            discounts.append(KneserNey.discounts(c))
        }
    }

    func probability(_ word: String, _ history: [String]) -> Double {
        let n = history.count + 1
        let grams = adjusted[n].filter { Array($0.key.dropLast()) == history }
        let total = grams.values.reduce(0, +)
        let lower = n == 1 ? reference[word]! : probability(word, Array(history.dropFirst()))
        guard total > 0 else { return lower }
        let d = discounts[n]
        func discount(_ c: Int) -> Double { c == 0 ? 0 : d[min(c, 3) - 1] }
        let gamma = grams.values.reduce(0.0) { $0 + discount($1) } / Double(total)
        let count = adjusted[n][history + [word]] ?? 0
        return max(Double(count) - discount(count), 0) / Double(total) + gamma * lower
    }
}

private let trainingSentences = [
    "the cat sat on the mat", "the dog sat on the log", "a cat and a dog sat", "the cat ate the fish",
    "on the mat the cat sat", "the dog ate", "a fish sat on a log", "the cat sat on the log",
].map { $0.split(separator: " ").map(String.init) }

@Test func kneserNeyMatchesAPlainReferenceImplementation() throws {
    var frequency: [String: Int] = [:]
    for sentence in trainingSentences { for word in sentence { frequency[word, default: 0] += 1 } }
    frequency["bird"] = 1  // in the vocabulary, never in the voice
    let vocabulary = Vocabulary(counting: frequency)
    var reference = vocabulary.tokens.map { _ in 1.0 / Double(vocabulary.count - 1) }
    reference[Int(Vocabulary.sentenceStart)] = 0
    let tables = KneserNey.estimate(sentences: trainingSentences.map { $0.map(vocabulary.id) }, vocabularySize: vocabulary.count, order: 4, reference: reference)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).bin").path
    try Data(tables.serialized()).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = try LanguageModel(path: path)
    let plain = ReferenceKneserNey(sentences: trainingSentences, order: 4,
        reference: Dictionary(uniqueKeysWithValues: vocabulary.tokens.enumerated().map { ($1, reference[$0]) }))

    let probes = trainingSentences + [["the", "bird", "sat", "on", "a", "mat"], ["dog", "the", "zebra"], ["a", "cat", "ate", "the", "fish"]]
    var checked = 0
    for sentence in probes {
        let padded = ["<s>"] + sentence + ["</s>"]
        for i in 1..<padded.count {
            let history = Array(padded[max(0, i - 3)..<i])
            let ids = history.map(vocabulary.id)
            let expected = log(plain.probability(vocabulary.tokens[Int(vocabulary.id(padded[i]))], history.map { vocabulary.tokens[Int(vocabulary.id($0))] }))
            let actual = model.logProbability(vocabulary.id(padded[i]), context: ids[...])
            #expect(abs(actual - expected) < 1e-5, "p(\(padded[i]) | \(history.joined(separator: " ")))")
            checked += 1
        }
    }
    #expect(checked == 69)
    // Every context's distribution sums to one over the vocabulary (<s> is never predicted).
    for history in [["the"], ["<s>", "the", "cat"], ["zebra"], ["sat", "on", "the"]] {
        let context = history.map(vocabulary.id)
        let sum = (0..<vocabulary.count).filter { UInt32($0) != Vocabulary.sentenceStart }
            .reduce(0.0) { $0 + exp(model.logProbability(UInt32($1), context: context[...])) }
        #expect(abs(sum - 1) < 1e-4, "\(history)")
    }
    let perplexity = model.perplexity([["the", "cat", "sat"].map(vocabulary.id)])
    let expected = exp(-(["the", "cat", "sat", "</s>"].enumerated().reduce(0.0) { total, item in
        total + log(plain.probability(item.element, Array((["<s>", "the", "cat", "sat"])[max(0, item.offset - 2)...item.offset])))
    }) / 4)
    #expect(abs(perplexity - expected) / expected < 1e-4)
}

private let magic: [UInt8] = Array("HSLM".utf8)
private let brokenFiles: [([UInt8], String)] = [
    (Array("XXXX".utf8) + [UInt8](repeating: 0, count: 12), "not a HouseStyle language model (bad magic number)"),
    (magic + [2, 0, 0, 0, 4, 0, 0, 0, 9, 0, 0, 0], "language model format 2, this housestyle reads 1; retrain with housestyle train --force"),
    (magic + [1, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0], "truncated: the file ends inside its tables"),
    // A crafted count of 2^61 once trapped on arithmetic overflow.
    (magic + [1, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20], "an n-gram count (2305843009213693952) larger than the file can hold"),
]

@Test(arguments: brokenFiles)
func brokenLanguageModelFilesAreRejected(bytes: [UInt8], reason: String) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lm-\(UUID().uuidString).bin").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: ModelError.corrupt(path: path, reason: reason)) { try LanguageModel(path: path) }
}

@Test func nGramCountsMerge() {
    var a = NGramCounts(maxOrder: 2), b = NGramCounts(maxOrder: 2), both = NGramCounts(maxOrder: 2)
    a.add([5, 6, 5]); b.add([6, 5])
    both.add([5, 6, 5]); both.add([6, 5])
    a.merge(b)
    #expect(a.tables == both.tables && a.tokenCount == 5)
    #expect(a.count([6, 5]) == 2 && a.count([5]) == 3)
}
