import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

// The editors' memory: their revisions kept whole, recalled for a sentence nearly the same.

private let revisions = [
    ("Then Solomon assembled the elders of Israel, and all the heads of the tribes, unto king Solomon in Jerusalem.",
     "Then Solomon sent for the elders of Israel, and all the chiefs of the tribes, to king Solomon in Jerusalem."),
    ("And he said unto her, Daughter, thy good faith hath now made thee whole; go in peace.",
     "And he said to her, Daughter, your good faith has now made you whole; go in peace."),
    // Reworded: no run of it stands two unchanged words away from another.
    ("And it came to pass at that time that he went up to the house of the Lord.",
     "And at that time it happened that he went to the house of the Lord."),
    ("There were 12 lions on the steps, and the king sat there in his robes of gold.",
     "There were 14 lions on the steps, and King Hiram sat there in his robes of gold."),
]

/// The vocabulary of every word in `sentences` (lowercase), and the memory of `revisions` over it.
private func memoryOf(_ revisions: [(String, String)], also sentences: [String] = []) throws -> (EditorsMemory, Vocabulary) {
    let tokenizer = try ModelTokenizer(locale: "en-US")
    var counts: [String: Int] = [:]
    for sentence in revisions.flatMap({ [$0.0, $0.1] }) + sentences { for token in tokenizer.tokens(sentence) { counts[token, default: 0] += 3 } }
    let vocabulary = Vocabulary(counting: counts)
    let segmenter = try WordSegmenter(locale: "en-US")
    let lines = revisions.compactMap { EditorsMemory.line(before: $0.0, after: $0.1, segmenter: segmenter) }
    #expect(lines.count == revisions.count)
    return (try EditorsMemory(lines: lines.map { $0[...] }, vocabulary: vocabulary, path: "memory.tsv"), vocabulary)
}

/// The memory's edits for `sentence`, as "old -> new" over its words.
private func recalled(_ sentence: String, _ memory: EditorsMemory, _ vocabulary: Vocabulary) throws -> [String] {
    let bytes = Array(sentence.utf8)
    let words = try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words
    let text = RuleText(bytes: bytes, words: words, prose: [0..<bytes.count])
    let ids = words.map { $0.isNumber ? Vocabulary.number : vocabulary.id(ModelTokenizer.normalize(text.string($0.range)[...])) }
    guard let (entry, _) = memory.nearest(ids) else { return [] }
    let spaced = words.indices.dropLast().map { text.onlySpaceBetween($0) }
    let capitalised = Set(words.map { text.string($0.range) }.filter { $0.first?.isUppercase == true })
    return memory.hunks(of: entry, words: ids, spaced: spaced, capitalisedInSentence: capitalised).map { hunk in
        let old = text.string(words[hunk.first].range.lowerBound..<words[hunk.last].range.upperBound)
        return "\(old) -> \(hunk.afterText)"
    }
}

@Test func aRevisionIsKeptAsItsWordsWithThePunctuationBetweenThem() throws {
    let segmenter = try WordSegmenter(locale: "en-US")
    let line = try #require(EditorsMemory.line(before: "Go in peace, my son.", after: "Go in peace (my son), 2 times.", segmenter: segmenter))
    #expect(line == "Go in peace | my son\tGo in peace | my son | <num> times")
    let (memory, vocabulary) = try memoryOf([("Go in peace, my son.", "Go in peace (my son), 2 times.")])
    let entry = try #require(memory.entries.first)
    #expect(entry.before.surfaces == ["Go", "in", "peace", "my", "son"] && entry.before.spaced == [true, true, false, true])
    #expect(entry.after.ids.last == vocabulary.id("times") && entry.after.ids[5] == Vocabulary.number)
    // A line that is not a revision names its file and line.
    #expect(throws: ModelError.self) { try EditorsMemory(lines: ["a b c"], vocabulary: vocabulary, path: "memory.tsv") }
    #expect(throws: ModelError.self) { try EditorsMemory(lines: ["a | | b\tc"], vocabulary: vocabulary, path: "memory.tsv") }
}

@Test func aSentenceNearlyTheSameGetsTheEditorsEditsWhereTheirWordsSurroundThem() throws {
    let sentence = "Then Solomon assembled the elders of Israel, and all the heads of the tribes, unto David in Jerusalem."
    let (memory, vocabulary) = try memoryOf(revisions, also: [sentence])
    // The name differs ("unto David"): the edits with the same two words on either side are
    // recalled; "unto" -> "to" before "king Solomon" is not.
    #expect(try recalled(sentence, memory, vocabulary) == ["assembled -> sent for", "heads -> chiefs"],
            "\((try? recalled(sentence, memory, vocabulary)) ?? [])")
    // Where the words beside an edit differ, the edit is not the editors' ("their heads").
    let other = "Then Solomon assembled the elders of Israel, and all their heads of the tribes, unto David in Jerusalem."
    let (memory2, vocabulary2) = try EditorsMemoryTestsSupport.with(other)
    #expect(try recalled(other, memory2, vocabulary2) == ["assembled -> sent for"], "\((try? recalled(other, memory2, vocabulary2)) ?? [])")
    // Other punctuation beside an edit: not the same place.
    let comma = "Then Solomon assembled the elders of Israel, and all the heads, of the tribes, unto David in Jerusalem."
    let (memory3, vocabulary3) = try EditorsMemoryTestsSupport.with(comma)
    #expect(try recalled(comma, memory3, vocabulary3) == ["assembled -> sent for"], "\((try? recalled(comma, memory3, vocabulary3)) ?? [])")
    // A revision that rewords a region: none of its runs is an edit by itself.
    let reworded = "And it came to pass at that time that he went up to the house of God."
    let (memory5, vocabulary5) = try EditorsMemoryTestsSupport.with(reworded)
    #expect(try recalled(reworded, memory5, vocabulary5).isEmpty, "\((try? recalled(reworded, memory5, vocabulary5)) ?? [])")
    // A sentence that shares too little recalls nothing.
    let far = "Then Solomon went up to Jerusalem with all the people."
    let (memory4, vocabulary4) = try EditorsMemoryTestsSupport.with(far)
    #expect(try recalled(far, memory4, vocabulary4).isEmpty)
}

@Test func theMemoryBringsTheEditorsWordingNeverTheirFacts() throws {
    // The editors' revision wrote another number and a name the sentence does not have: neither
    // edit is recalled.
    let sentence = "There were 12 lions on the steps, and the king sat there in his robes of gold."
    let (memory, vocabulary) = try memoryOf(revisions, also: [sentence])
    #expect(try recalled(sentence, memory, vocabulary).isEmpty, "\((try? recalled(sentence, memory, vocabulary)) ?? [])")
    // Where the sentence names him, the editors' wording may name him too.
    let withName = "There were 12 lions on the steps, and the king sat there in his robes of gold, said King Hiram."
    let (memory2, vocabulary2) = try EditorsMemoryTestsSupport.with(withName)
    #expect(try recalled(withName, memory2, vocabulary2) == ["the king -> King Hiram"], "\((try? recalled(withName, memory2, vocabulary2)) ?? [])")
}

@Test func anInsertionTakesTheWordBeforeItAlong() throws {
    let (memory, vocabulary) = try memoryOf([("Your faith has made you whole, go in peace now.", "Your faith has made you whole, go now in peace now.")],
                                          also: ["Your faith has made you whole, go in peace today."])
    #expect(try recalled("Your faith has made you whole, go in peace today.", memory, vocabulary) == ["go -> go now"], "\((try? recalled("Your faith has made you whole, go in peace today.", memory, vocabulary)) ?? [])")
}

enum EditorsMemoryTestsSupport {
    /// The memory of the file's revisions with `sentence`'s words in the vocabulary too.
    static func with(_ sentence: String) throws -> (EditorsMemory, Vocabulary) { try memoryOf(revisions, also: [sentence]) }
}

@Test func theLearnedStageProposesTheRecalledEditsAsTheEditorsOwn() throws {
    let sentence = "And he said unto her, Daughter, thy good faith hath now made thee whole; go in peace."
    let (memory, vocabulary) = try memoryOf(revisions, also: [sentence])
    let tokenizer = try ModelTokenizer(locale: "en-US")
    let (lm, path) = try toyLanguageModel(vocabulary, sentences: revisions.map { tokenizer.tokens($0.1) })
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: lm, salience: [], substitutions: [], memory: memory)
    let bytes = Array(sentence.utf8)
    let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words,
                        prose: [0..<bytes.count])
    // A scorer that puts any sentence with "hath" off-voice, and keeps every meaning.
    let voiceOf: ([String]) -> [Double] = { $0.map { $0.contains("hath") || $0.contains("thee") ? 0.1 : 0.9 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { NeuralVoice.Comparison(voiceBefore: voiceOf([$0.before])[0], voiceAfter: voiceOf([$0.after])[0], logitGain: 4, similarity: 0.5) }
    }
    func proposals(_ model: StyleModel, judging origins: [EditOrigin: Double]? = nil) -> [LearnedRewriter.Proposal] {
        var events: [GuardEvent] = []
        var rewriter = LearnedRewriter(model: model, preserve: [.numbers, .entities, .negation])
        rewriter.judgedOrigins = origins
        return rewriter.proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf)
    }
    let made = proposals(model)
    // Four edits (more than the three a sentence otherwise takes), each the editors' own, past
    // the meaning guard (similarity 0.5) as an editors' phrase is.
    #expect(made.map { "\(text.string($0.edit.range)) -> \($0.edit.replacement)" }
        == ["unto -> to", "thy -> your", "hath -> has", "thee -> you"], "\(made.map(\.edit.reason))")
    #expect(made.allSatisfy { $0.edit.origin == .memory && !$0.meaningChanged && $0.edit.reason.contains("editors revised a sentence") })
    // Where calibration never applies the memory's edits, it is not searched (they would be findings at most).
    #expect(proposals(model, judging: [.pair: -.infinity]).isEmpty)
    #expect(proposals(model, judging: [.memory: 0]).count == 4)
    // `learned.sources` without `pairs`, or a `never` entry, holds them back without retraining.
    let withoutPairs = LearnedFilter(LearnedSettings(sources: [.retrieval, .thesaurus]), tokenizer: tokenizer)
    #expect(proposals(model.restricted(to: { withoutPairs.allows($0) })).isEmpty)
    let vetoed = LearnedFilter(LearnedSettings(never: [LearnedVeto(word: "hath")]), tokenizer: tokenizer)
    #expect(proposals(model.restricted(to: { vetoed.allows($0) })).map { text.string($0.edit.range) } == ["unto", "thy", "thee"])
}

@Test func anEditWhoseNeighboursTheEditorsRepunctuatedOrRewordedIsNotRecalled() throws {
    // "Take, eat:" -> "Take it:": the editors' "eat" -> "it" goes with the comma they took out.
    let take = [("And he said unto them, Take, eat: this is my body, given for you all.", "And he said to them, Take it: this is my body, given for you all.")]
    let sentence = "And he said unto them, Take, eat: this is my body, given for you all."
    let (memory, vocabulary) = try memoryOf(take, also: [sentence])
    #expect(try recalled(sentence, memory, vocabulary) == ["unto -> to"], "\((try? recalled(sentence, memory, vocabulary)) ?? [])")
    // A revision that rewords more than half its words lends an edit only with three words of
    // context on either side: "who" -> "did and" stands two words from "to sin" -> "do".
    // (The opening edit stands four words from the next one.)
    let reworded = [("And he walked in the way of Jeroboam, who made Israel to sin.", "He went on in the way of the sin which Jeroboam did and made Israel do.")]
    let verse = "And he walked in the way of Jeroboam, who made Israel to sin."
    let (memory2, vocabulary2) = try memoryOf(reworded, also: [verse])
    #expect(try recalled(verse, memory2, vocabulary2) == ["And he walked -> He went on"], "\((try? recalled(verse, memory2, vocabulary2)) ?? [])")
}

@Test func theMemoryHoldsNoRevisionOfAHeldOutSentence() throws {
    // Calibration rewrites the held-out contrast sentences (and the held-out voice sentences)
    // knowing their answers; a revision of one of them in the memory would hand it its answer.
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let pairs = [
        SentencePair(before: "Teams utilize keys. They sign requests.", after: "Teams use keys. They sign requests.", source: "a:1"),
        SentencePair(before: "We utilize logs.", after: "We use logs.", source: "a:2"),
        SentencePair(before: "They utilize queues.", after: "They use queues.", source: "a:3"),
        SentencePair(before: "Same words.", after: "Same words.", source: "a:4"),
    ]
    // Found by their words: the corpus reader may have read the held-out sentence with other
    // markup, spacing or punctuation than the revision has.
    let corpus = TrainingCorpus(files: [], voice: [], voiceHeldOut: ["We use logs!"], contrast: [], contrastHeldOut: ["Teams *utilize*  keys"],
                                pairs: pairs, warnings: [])
    let file = try #require(try Trainer(style: style, resources: testResources).memoryFile(corpus))
    #expect(file.name == EditorsMemory.file)
    #expect(String(decoding: file.bytes, as: UTF8.self) == "before\tafter\nThey utilize queues\tThey use queues\n")
    withExtendedLifetime(repository) {}
}

@Test func aWordTheEditorsMovedIsNotTakenAway() throws {
    // The editors moved "the silver" to the end: deleting it where it stood, alone, loses it.
    let moved = [("So they took the silver and the gold out of the house of the king on that day.",
                  "So they took the gold out of the house of the king on that day, and the silver too.")]
    let sentence = "So they took the silver and the gold out of the house of the king on that day."
    let (memory, vocabulary) = try memoryOf(moved, also: [sentence])
    #expect(try recalled(sentence, memory, vocabulary).isEmpty, "\((try? recalled(sentence, memory, vocabulary)) ?? [])")
}

@Test func aWordBothSidesSayElsewhereWasNotMoved() throws {
    // "side" stands in both sides once outside the edit ("on the one side"): the editors wrote it
    // again, they did not move it.
    let revision = [("And twelve lions stood there on the one side and on the other upon the six steps of the throne.",
                     "And twelve lions stood there on the one side and on the other side on the six steps of the throne.")]
    let sentence = "And twelve lions stood there on the one side and on the other upon the six steps of the throne."
    let (memory, vocabulary) = try memoryOf(revision, also: [sentence])
    #expect(try recalled(sentence, memory, vocabulary) == ["upon -> side on"], "\((try? recalled(sentence, memory, vocabulary)) ?? [])")
}

@Test func theMemoryNamesNoOneAtTheSentencesStartNorCountsInWords() throws {
    // "He" -> "Hiram" opens the revision: a name the sentence does not have. "twelve" -> "fourteen": a number.
    let revisions = [("He sat on the throne of his father in Jerusalem for many years.", "Hiram sat on the throne of his father in Jerusalem for many years."),
                     ("And there were twelve lions on the steps of the great throne of gold.", "And there were fourteen lions on the steps of the great throne of gold."),
                     ("And he sat on the throne of his father in Jerusalem for many years.", "He sat on the throne of his father in Jerusalem for many years.")]
    let sentences = ["He sat on the throne of his father in Samaria for many years.", "And there were twelve lions on the steps of the great throne of gold.",
                     "And he sat on the throne of his father in Samaria for many years."]
    let (memory, vocabulary) = try memoryOf(revisions, also: sentences)
    #expect(try recalled(sentences[0], memory, vocabulary).isEmpty, "\((try? recalled(sentences[0], memory, vocabulary)) ?? [])")
    #expect(try recalled(sentences[1], memory, vocabulary).isEmpty, "\((try? recalled(sentences[1], memory, vocabulary)) ?? [])")
    // Deleting the opening "And" writes no name ("He" stays the sentence's own word).
    #expect(try recalled(sentences[2], memory, vocabulary) == ["And -> "], "\((try? recalled(sentences[2], memory, vocabulary)) ?? [])")
}

@Test func aRecalledDeletionKeepsThePunctuationAroundIt() throws {
    // "very" goes cleanly; "quickly" between two commas would take a comma with it.
    let revisions = [("We went very quickly to the old market in the town today.", "We went quickly to the old market in the town today."),
                     ("They walked, slowly, to the old market in the town each day.", "They walked to the old market in the town each day.")]
    let sentences = ["We went very quickly to the old market in the town today.", "They walked, slowly, to the old market in the town each day."]
    let (memory, vocabulary) = try memoryOf(revisions, also: sentences)
    #expect(try recalled(sentences[0], memory, vocabulary) == ["very -> "], "\((try? recalled(sentences[0], memory, vocabulary)) ?? [])")
    #expect(try recalled(sentences[1], memory, vocabulary).isEmpty, "\((try? recalled(sentences[1], memory, vocabulary)) ?? [])")
}

@Test func aCorruptMemoryFileIsRefusedWithItsLine() throws {
    let (repository, style) = try trainingRepository(style: tinyStyle, files: tinyFiles)
    let summary = try Trainer(style: style, resources: testResources).train()
    let path = summary.directory + "/" + EditorsMemory.file
    #expect(FileManager.default.fileExists(atPath: path))
    try "before\tafter\nTeams utilize keys\tTeams use keys\nno tab here\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: ModelError.corrupt(path: path, reason: "line 3 is not a revision (before<TAB>after, words separated by spaces and '|')")) {
        try StyleModel(directory: summary.directory)
    }
    try "origin\tbefore\nTeams utilize keys\tTeams use keys\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: ModelError.corrupt(path: path, reason: "line 1 is not the header 'before\tafter'")) { try StyleModel(directory: summary.directory) }
    // A bundle without the file (no editors' pairs) has an empty memory.
    try FileManager.default.removeItem(atPath: path)
    #expect(try StyleModel(directory: summary.directory).memory.isEmpty)
    withExtendedLifetime(repository) {}
}

@Test func aRecalledEditKeepsToItsLineAndLeavesNamesAlone() throws {
    let revisions = [("The editors will commence the work at noon on the first day.", "The editors will begin work at noon on the first day."),
                     ("Then we met the Elders of the town at noon on the first day.", "Then we met the chiefs of the town at noon on the first day.")]
    let sentences = ["The editors will commence the work at noon on the first day.", "The editors will commence\nthe work at noon on the first day.",
                     "Then we met the Elders of the town at noon on the first day."]
    let (memory, vocabulary) = try memoryOf(revisions, also: sentences)
    let tokenizer = try ModelTokenizer(locale: "en-US")
    let (lm, path) = try toyLanguageModel(vocabulary, sentences: revisions.map { tokenizer.tokens($0.1) })
    defer { try? FileManager.default.removeItem(atPath: path) }
    let model = StyleModel(vocabulary: vocabulary, languageModel: lm, salience: [], substitutions: [], memory: memory)
    let voiceOf: ([String]) -> [Double] = { $0.map { $0.contains("commence") || $0.contains("Elders") ? 0.1 : 0.9 } }
    let judge: ([(before: String, after: String)]) -> [NeuralVoice.Comparison] = { pairs in
        pairs.map { NeuralVoice.Comparison(voiceBefore: voiceOf([$0.before])[0], voiceAfter: voiceOf([$0.after])[0], logitGain: 4, similarity: 0.95) }
    }
    func edits(_ sentence: String) throws -> (edits: [String], events: [GuardEvent]) {
        let bytes = Array(sentence.utf8)
        let text = RuleText(bytes: bytes, words: try WordTracker(bytes: bytes, prose: [0..<bytes.count], segmenter: WordSegmenter(locale: "en-US")).words,
                            prose: [0..<bytes.count])
        var events: [GuardEvent] = []
        let made = LearnedRewriter(model: model, preserve: [.numbers, .entities, .negation]).proposals(for: text, guardEvents: &events, judge: judge, voiceOf: voiceOf)
        return (made.map { "\(text.string($0.edit.range)) -> \($0.edit.replacement)" }, events)
    }
    #expect(try edits(sentences[0]).edits == ["commence the -> begin"])
    // Across a line break: not recalled (in plain text one line may be one record).
    #expect(try edits(sentences[1]).edits.isEmpty)
    // A name inside the edit: the names guard keeps it, as for any learned edit.
    let named = try edits(sentences[2])
    #expect(named.edits.isEmpty && named.events.contains { $0.kind == .entities })
}
