import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

// A capital that opens a quotation ("saying, Thou art") is not a name's: the entities guard lets
// learned edits have a word the corpora write in lowercase there, and keeps names.

private let corpus = [
    "And he said unto them, Thou art the man that thou sayest.",
    "and thou art here and thou art there, and thou shalt go where thou wilt, for thou knowest.",
    "Then said the Lord unto Moses, Behold, I come.",
    "and the Lord spake unto Mark and unto Peter in the house of the Lord.",
    "set a mark upon the door, and a mark upon the post, a mark for each, a mark on them, a mark there.",
    "lo, behold the man, behold the house, behold the door, behold the post, behold the mark.",
]

@Test func theWordsWrittenInLowercaseAreThoseNoWordBeforeThemCapitalises() throws {
    let tokenizer = try ModelTokenizer(locale: "en-US")
    var counts: [String: Int] = [:]
    for sentence in corpus { for token in tokenizer.tokens(sentence) { counts[token, default: 0] += 1 } }
    let vocabulary = Vocabulary(counting: counts)
    let listed = Set(LowercaseWords.learn(corpus, tokenizer: tokenizer, vocabulary: vocabulary))
    // "thou" (6 in lowercase, capitalised only after a comma), "behold" (5, and once after a comma).
    #expect(listed.isSuperset(of: ["thou", "behold", "the", "a"]))
    // "lord" is capitalised after "the"; "mark" is written "Mark" after "unto" (1 of 6: above 2%);
    // "art" is written in lowercase only 3 times (fewer than 5).
    #expect(!listed.contains("lord") && !listed.contains("mark") && !listed.contains("art"))
    #expect(!listed.contains("moses") && !listed.contains("peter"))

    // The bundle file, read back by the vocabulary; a file that is not one names its path and line.
    let read = try LowercaseWords.read(String(decoding: LowercaseWords.fileBytes(Array(listed)), as: UTF8.self), vocabulary: vocabulary, path: "lowercase-words.txt")
    #expect(Set(vocabulary.tokens.indices.filter { read[$0] }.map { vocabulary.tokens[$0] }) == listed)
    #expect(throws: ModelError.corrupt(path: "lowercase-words.txt", reason: "line 1 is not the header 'word'")) {
        try LowercaseWords.read("thou\nbehold\n", vocabulary: vocabulary, path: "lowercase-words.txt")
    }
    #expect(throws: ModelError.corrupt(path: "lowercase-words.txt", reason: "line 3 is not one word")) {
        try LowercaseWords.read("word\nthou\nthou art\n", vocabulary: vocabulary, path: "lowercase-words.txt")
    }
}

@Test func aQuotationsCapitalIsNotANameButANameStaysOne() throws {
    let words = ["and", "he", "said", "unto", "them", "thou", "art", "the", "man", "you", "are", "saw", "mark", "sign", "of", "it",
                 "then", "shall", "i", "go", "am", "to", "behold", "see", "i'm", "here", "please"]
    let vocabulary = Vocabulary(counting: Dictionary(uniqueKeysWithValues: words.map { ($0, 3) }))
    let tokenizer = try ModelTokenizer(locale: "en-US")
    let voice = ["and he said unto them , you are the man .", "the sign of it .", "then am i to go .", "see the man .", "then i am here .", "and then please go to the man ."]
    let (lm, path) = try toyLanguageModel(vocabulary, sentences: voice.map { tokenizer.tokens($0) })
    defer { try? FileManager.default.removeItem(atPath: path) }
    func pair(_ before: [String], _ after: String) -> Substitution {
        Substitution(origin: .pair, before: before, after: after.lowercased().split(separator: " ").map(String.init), afterText: after,
                     count: 100, strength: 0.95, example: "")
    }
    let substitutions = [pair(["thou", "art"], "you are"), pair(["mark"], "sign"), pair(["shall", "i"], "am I to"), pair(["behold"], "see"), pair(["i'm"], "I am")]
    var lowercase = [Bool](repeating: false, count: vocabulary.count)
    for word in ["thou", "art", "shall", "behold", "and", "the"] { lowercase[Int(vocabulary.id(word))] = true }
    let listing = StyleModel(vocabulary: vocabulary, languageModel: lm, salience: [], substitutions: substitutions, writtenInLowercase: lowercase)
    let older = StyleModel(vocabulary: vocabulary, languageModel: lm, salience: [], substitutions: substitutions)
    let please = StyleModel(vocabulary: vocabulary, languageModel: lm, salience: [], substitutions: [pair(["i"], "please")])
    let voiceOf: ([String]) -> [Double] = { $0.map { $0.lowercased().contains("thou") || $0.contains("shall") || $0.contains("ark") || $0.contains("ehold") || $0.contains("I'm") || $0.contains("I’m") || $0.contains(" I go") ? 0.1 : 0.9 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { NeuralVoice.Comparison(voiceBefore: voiceOf([$0.before])[0], voiceAfter: voiceOf([$0.after])[0], logitGain: 4, similarity: 0.95) }
    }
    func rewrite(_ sentence: String, _ model: StyleModel) throws -> (text: String, events: [GuardEvent]) {
        let bytes = Array(sentence.utf8)
        let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words,
                            prose: [0..<bytes.count])
        var events: [GuardEvent] = []
        let made = LearnedRewriter(model: model, preserve: [.numbers, .entities, .negation]).proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf)
        var result = bytes
        for proposal in made.sorted(by: { $0.edit.range.lowerBound > $1.edit.range.lowerBound }) {
            result.replaceSubrange(proposal.edit.range, with: Array(proposal.edit.replacement.utf8))
        }
        return (String(decoding: result, as: UTF8.self), events)
    }
    // The quotation's first words take the edit, and keep their capital.
    #expect(try rewrite("And he said unto them, Thou art the man.", listing).text == "And he said unto them, You are the man.")
    #expect(try rewrite("And he said unto them: “Thou art the man.”", listing).text == "And he said unto them: “You are the man.”")
    // A bundle without the list (older code) keeps every capital, as before.
    let kept = try rewrite("And he said unto them, Thou art the man.", older)
    #expect(kept.text == "And he said unto them, Thou art the man." && kept.events.contains { $0.kind == .entities })
    // After a word, the capital is a name's even on a listed word; and a word the corpora write as
    // a name ("Mark", not listed) stays after a comma too.
    let afterAWord = try rewrite("And he said unto them Thou art the man.", listing)
    #expect(afterAWord.text == "And he said unto them Thou art the man." && afterAWord.events.contains { $0.kind == .entities })
    let name = try rewrite("And he saw them, Mark and the man.", listing)
    #expect(name.text == "And he saw them, Mark and the man." && name.events.contains { $0.kind == .entities })
    // Hard-wrapped text: a line break may stand after the comma. A straight quotation mark opens a
    // quotation only after a space; before one it closes another ("Come," Thou art ...).
    #expect(try rewrite("And he said unto them,\nThou art the man.", listing).text == "And he said unto them,\nYou are the man.")
    #expect(try rewrite("And he said unto them, \"Thou art the man.\"", listing).text == "And he said unto them, \"You are the man.\"")
    #expect(try rewrite("\"And he said unto them,\" Thou art the man.", listing).text == "\"And he said unto them,\" Thou art the man.")
    // A listed word before a number, or at the sentence's end, opens no quotation ("Friday, May 3").
    #expect(try rewrite("And he said unto them, Behold 3 men.", listing).text == "And he said unto them, Behold 3 men.")
    #expect(try rewrite("And he said unto them, Behold.", listing).text == "And he said unto them, Behold.")
    // Opening a quotation, the capital goes with the word's replacement.
    #expect(try rewrite("And he said unto them, Behold the man.", listing).text == "And he said unto them, See the man.")
    // "I" is never a name, nor are its contractions.
    #expect(try rewrite("Then shall I go.", listing).text == "Then am I to go.")
    #expect(try rewrite("Then shall I go.", older).text == "Then am I to go.")
    #expect(try rewrite("Then I'm here.", older).text == "Then I am here.")
    // Its capital is its own: mid-sentence the new words take none ("and I pray thee" -> "and please").
    #expect(try rewrite("And then, I'm here.", older).text == "And then, I am here.")
    #expect(try rewrite("And then I go to the man.", please).text == "And then please go to the man.")
    #expect(try rewrite("Then I’m here.", older).text == "Then I am here.")
}
