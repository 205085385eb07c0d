import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

private let corpusStyle = """
    corpus:
      voice: [corpora/voice/*.md]
      contrast: [corpora/contrast.txt]
      pairs: [corpora/edits.tsv]
    """

@Test func corpusReducesMarkdownToProseSentencesWithoutDuplicates() throws {
    let (repository, style) = try trainingRepository(style: corpusStyle, files: [
        "corpora/voice/a.md": "# Start here\n\nUse the CLI. It is fast!\n\n```\ncode is not prose.\n```\n\nCafe\u{0301} owners use it.\n",
        "corpora/voice/b.md": "Use the CLI.\n",
        "corpora/contrast.txt": "One may utilise the command-line tool.\n",
        "corpora/edits.tsv": "Utilise it.\tUse it.\nSame.\tSame.\n",
    ])
    let corpus = try CorpusReader(seed: 0).read(style)
    #expect(corpus.voice == ["Start here", "Use the CLI.", "It is fast!", "Café owners use it."])
    #expect(corpus.voiceHeldOut.isEmpty)  // too small to hold out
    #expect(corpus.contrast == ["One may utilise the command-line tool."])
    #expect(corpus.pairs.map { [$0.before, $0.after] } == [["Utilise it.", "Use it."]])
    #expect(corpus.warnings.map(\.description) == ["\(repository.root)/corpora/edits.tsv:2: warning: before and after are identical; the pair teaches nothing and is skipped"])
    #expect(corpus.files.map(\.role) == [.voice, .voice, .contrast, .pairs])
    #expect(corpus.files[1].sha256 == "67b0670459480271992d03bd1b63274fffa63ecaaf8e0a78e07bc07d10ec1eea")
}

/// Training (and `score`, which splits a document the same way) reads each item of a list as its own
/// paragraph, as CommonMark does: the item numbers are markup, not words of the sentence before them.
@Test func listItemsAreReadAsTheParagraphsTheyAre() throws {
    let segmenter = try SentenceSegmenter(locale: "en")
    // Items that start in lower case: a sentence break after "2." needs a capital after it.
    let items = ["Open the console", "then choose a tenant. Copy the token", "sign in again"]
    let paragraphs = try CorpusReader.sentences(in: items.joined(separator: "\n\n") + "\n", path: "a.md", segmenter: segmenter)
    #expect(paragraphs == ["Open the console", "then choose a tenant.", "Copy the token", "sign in again"])
    for list in ["1. \(items[0])\n2. \(items[1])\n3. \(items[2])\n", "1) \(items[0])\n2) \(items[1])\n3) \(items[2])\n",
                 "- \(items[0])\n  1. \(items[1])\n  2. \(items[2])\n"] {
        #expect(try CorpusReader.sentences(in: list, path: "a.md", segmenter: segmenter) == paragraphs, "\(list.debugDescription)")
    }
}

@Test func pairsAreReadFromJSONLines() throws {
    let (repository, style) = try trainingRepository(style: "corpus:\n  voice: [v.txt]\n  pairs: [p.jsonl]", files: [
        "v.txt": "Use it.\n", "p.jsonl": "{\"before\": \"Utilise it.\", \"after\": \"Use it.\"}\n\n{\"after\": \"b\", \"before\": \"a\"}\n",
    ])
    let pairs = try withExtendedLifetime(repository) { try CorpusReader(seed: 0).read(style).pairs }
    #expect(pairs.map { [$0.before, $0.after] } == [["Utilise it.", "Use it."], ["a", "b"]])
}

@Test(arguments: [
    ("corpus:\n  voice: [v.txt]\n  pairs: [p.tsv]", ["v.txt": "Hi there.\n", "p.tsv": "a\tb\nno tab here\n"], "p.tsv:2: no tab between before and after; write 'before<TAB>after'"),
    ("corpus:\n  voice: [v.txt]\n  pairs: [p.jsonl]", ["v.txt": "Hi there.\n", "p.jsonl": "[1]\n"], "p.jsonl:1: not a JSON object with string fields \"before\" and \"after\""),
    ("corpus:\n  voice: [v.txt]", ["v.txt": "  \n\n"], "the voice corpus (v.txt) has no sentences: add text files or fix the globs"),
    ("corpus:\n  voice: [v.txt]\n  pairs: [p.csv]", ["v.txt": "Hi.\n", "p.csv": "a,b\n"], "p.csv: pairs files must be .tsv (before<TAB>after) or .jsonl ({\"before\": ..., \"after\": ...})"),
    ("terms: []", [:], "style 'test' has no corpus.voice: list the on-voice text to train on, e.g. corpus: {voice: [corpora/test/**/*.md]}"),
])
func corpusErrorsNameTheFileAndLine(style: String, files: [String: String], message: String) throws {
    let (repository, loaded) = try trainingRepository(style: style, files: files)
    #expect {
        try CorpusReader(seed: 0).read(loaded)
    } throws: { error in
        (error as? CorpusError)?.description.replacingOccurrences(of: repository.root + "/", with: "") == message
    }
}

@Test func nonUTF8CorpusFileIsNamed() throws {
    let (repository, style) = try trainingRepository(style: "corpus:\n  voice: [v.txt]", files: ["v.txt": "placeholder"])
    try Data([0x48, 0x69, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: repository.root + "/v.txt"))
    #expect {
        try CorpusReader(seed: 0).read(style)
    } throws: { error in
        guard case .notText(let path, let reason) = error as? CorpusError else { return false }
        return path == repository.root + "/v.txt" && reason.contains("byte 2")
    }
}

@Test func heldOutSplitIsSeededAndStable() throws {
    let sentences = (0..<400).map { "Sentence number \($0) is here." }
    let a = CorpusReader(seed: 1).split(sentences), b = CorpusReader(seed: 1).split(sentences.reversed())
    #expect(Set(a.heldOut) == Set(b.heldOut))
    #expect(a.heldOut.count > 5 && a.heldOut.count < 40)
    #expect(Set(CorpusReader(seed: 2).split(sentences).heldOut) != Set(a.heldOut))
    #expect(Set(a.train).isDisjoint(with: a.heldOut) && a.train.count + a.heldOut.count == 400)
}

@Test func sha256MatchesKnownVectors() {
    #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(Data(String(repeating: "a", count: 1000).utf8)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
}

@Test func messagePackReaderReadsWordfreqShapes() throws {
    // [{"format": "cB", "version": 1}, [], ["fish"]]
    let bytes: [UInt8] = [0x93, 0x82, 0xA6] + Array("format".utf8) + [0xA2] + Array("cB".utf8) + [0xA7] + Array("version".utf8) + [0x01, 0x90, 0x91, 0xA4] + Array("fish".utf8)
    var reader = MessagePackReader(bytes: bytes)
    #expect(try reader.arrayHeader() == 3)
    #expect(try reader.value() == .map(["format": .string("cB"), "version": .int(1)]))
    #expect(try reader.arrayHeader() == 0)
    #expect(try reader.value() == .array([.string("fish")]))
    var truncated = MessagePackReader(bytes: [0xA4, 0x66])
    #expect(throws: MessagePackReader.Failure.self) { try truncated.value() }
}

@Test func englishReferenceIsReadFromWordfreq() throws {
    let reference = try WordFrequencyReference.load(testResources)
    let the = try #require(reference.frequencies["the"]), of = try #require(reference.frequencies["of"])
    let zebra = try #require(reference.frequencies["zebra"])
    #expect(the > 0.02 && the < 0.1)
    #expect(the > of && of > zebra)
    #expect(reference.frequencies.count > 100_000)
}
