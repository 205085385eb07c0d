import HouseStyleText

/// Words the corpora write in lowercase in the middle of a sentence and hardly ever with a capital
/// right after another word, where only a name or a title takes one: "thou", "behold", "will",
/// not "Lord", "Mark" or "Christ". Where such a word opens a quotation with a capital ("saying,
/// Thou art the Son of God", "said unto them, Go ye"), the capital marks the quotation, not a
/// name, so the entities guard lets learned edits have it (`LearnedRewriter.isName`).
///
/// The bundle's `lowercase-words.txt` lists them, one a line after its header, in the order of
/// the vocabulary.
public enum LowercaseWords {
    public static let file = "lowercase-words.txt"
    static let header = "word"
    /// A word is listed when the corpora write it in lowercase mid-sentence at least this often...
    static let minimumLowercase = 5
    /// ...and with a capital right after a word at most this share as often ("the": 43 of 110,630
    /// in the Bible corpora; "king": 275 of 3,553, a title; "mark": 12 of 139, a name).
    static let maximumCapitalShare = 0.02

    /// The listed words of `sentences`, in the order of `vocabulary` (words it lacks are left out:
    /// no learned edit can have them).
    static func learn(_ sentences: [String], tokenizer: ModelTokenizer, vocabulary: Vocabulary) -> [String] {
        var lowercase: [String: Int] = [:], capitalAfterWord: [String: Int] = [:]
        for sentence in sentences {
            for (index, word) in tokenizer.surfaceWordsWithJoins(sentence).enumerated() where index > 0 {
                let key = ModelTokenizer.normalize(word.surface[...])
                if !LearnedRewriter.isCapitalised(word.surface) {
                    lowercase[key, default: 0] += 1
                } else if word.afterWord {
                    capitalAfterWord[key, default: 0] += 1
                }
            }
        }
        return vocabulary.tokens.filter { word in
            let lower = lowercase[word, default: 0]
            return lower >= minimumLowercase && Double(capitalAfterWord[word, default: 0]) <= maximumCapitalShare * Double(lower)
        }
    }

    /// The bundle file of `words`.
    static func fileBytes(_ words: [String]) -> [UInt8] {
        Array(([header] + words).map { $0 + "\n" }.joined().utf8)
    }

    /// For each id of `vocabulary`, whether the file (`text`, read from `path`) lists the word.
    /// - Throws: `ModelError.corrupt` naming the file and line when the header is not `word` or a
    ///   line holds a space or a tab.
    static func read(_ text: String, vocabulary: Vocabulary, path: String) throws(ModelError) -> [Bool] {
        var listed = [Bool](repeating: false, count: vocabulary.count)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if number == 0 {
                guard line == Substring(header) else { throw .corrupt(path: path, reason: "line 1 is not the header '\(header)'") }
                continue
            }
            guard !line.contains(" "), !line.contains("\t") else { throw .corrupt(path: path, reason: "line \(number + 1) is not one word") }
            let id = vocabulary.id(line)
            if id != Vocabulary.unknown { listed[Int(id)] = true }
        }
        return listed
    }
}
