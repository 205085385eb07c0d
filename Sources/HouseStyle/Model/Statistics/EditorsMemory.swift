import Foundation
import HouseStyleText

/// The editors' revisions (`corpus.pairs`, training split) kept whole, as a translation memory
/// keeps them: a sentence nearly the same as one the editors revised gets their edits where its
/// words around each edit are theirs (`hunks`). Phrase edits learned over all the revisions
/// (`SubstitutionLearner.fromPairs`) say what editors do to a phrase anywhere; the memory says
/// what they did to this sentence. Bible KJV -> BBE: 76 of 600 dev verses have a training verse
/// with nearly the same wording (Kings and Chronicles, the synoptic gospels), whose BBE
/// rewrites whole clauses no phrase edit reaches ("the elders of Israel" -> "the responsible
/// men of Israel", "there was not the like made" -> "there was nothing like it").
///
/// The bundle's `memory.tsv` holds one revision a line, before and after, each as its words
/// separated by spaces with `|` where anything but a space stands between two words
/// (punctuation), and numbers as `<num>`.
public struct EditorsMemory: Sendable {
    struct Side: Sendable {
        /// Vocabulary ids of the words.
        var ids: [UInt32]
        /// The words as written.
        var surfaces: [String]
        /// Whether only spaces stand between word i and word i + 1 (count: words − 1).
        var spaced: [Bool]
        /// Whether each word is one of content: known to the vocabulary, no function word, negation or number.
        var content: [Bool] = []
    }
    struct Entry: Sendable {
        var before: Side, after: Side
    }

    let entries: [Entry]
    /// Entries by the ids of their before side's words, for words in at most `maximumPostings` entries.
    private let postings: [UInt32: [Int32]]

    public static let file = "memory.tsv"
    static let header = "before\tafter"
    /// A revision is recalled for a sentence whose words it shares at least this much
    /// (2 × aligned words / both lengths).
    static let minimumSimilarity = 0.5
    /// A word in more of the before sides than this says nothing about which one is nearest.
    static let maximumPostings = 2_000
    /// Of the revisions sharing the most rare words with a sentence, this many are aligned.
    static let shortlist = 8
    /// Sentences of fewer words are too short to recall by their words.
    static let minimumWords = 4
    /// An edit is recalled with this many words on either side that the editors left alone and
    /// the sentence shares (fewer only at the sentence's end).
    static let context = 2
    /// Numbers written as words, which a recalled edit writes only where the sentence has them.
    static let numberWords: Set<String> = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "first", "second", "third", "fourth",
        "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "half", "twice", "thrice", "once", "dozen", "score",
    ]
    /// A deletion and an insertion this many words apart or fewer are one move.
    static let moveSpan = 4

    static let empty = EditorsMemory(entries: [])

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    init(entries: [Entry]) {
        self.entries = entries
        var postings: [UInt32: [Int32]] = [:]
        for (index, entry) in entries.enumerated() {
            for id in Set(entry.before.ids) where id != Vocabulary.unknown && id != Vocabulary.number {
                postings[id, default: []].append(Int32(index))
            }
        }
        self.postings = postings.filter { $0.value.count <= Self.maximumPostings }
    }

    /// Reads `memory.tsv` (`lines` after its header) with the model's vocabulary.
    init(lines: [Substring], vocabulary: Vocabulary, path: String) throws(ModelError) {
        var entries: [Entry] = []
        entries.reserveCapacity(lines.count)
        for (number, line) in lines.enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, let before = Self.side(fields[0], vocabulary), let after = Self.side(fields[1], vocabulary), !before.ids.isEmpty else {
                throw .corrupt(path: path, reason: "line \(number + 2) is not a revision (before<TAB>after, words separated by spaces and '|')")
            }
            entries.append(Entry(before: before, after: after))
        }
        self.init(entries: entries)
    }

    private static func side(_ field: Substring, _ vocabulary: Vocabulary) -> Side? {
        var side = Side(ids: [], surfaces: [], spaced: [])
        var punctuation = false
        for token in field.split(separator: " ") {
            if token == "|" {
                guard !side.ids.isEmpty, !punctuation else { return nil }
                punctuation = true
                continue
            }
            if !side.ids.isEmpty { side.spaced.append(!punctuation) }
            punctuation = false
            let surface = String(token)
            side.surfaces.append(surface)
            let word = ModelTokenizer.normalize(token)
            let id = surface == Vocabulary.specials[Int(Vocabulary.number)] ? Vocabulary.number : vocabulary.id(word)
            side.ids.append(id)
            side.content.append(id != Vocabulary.number && id != Vocabulary.unknown && !isGrammarWord(word))
        }
        return punctuation ? nil : side
    }

    /// The `memory.tsv` line of one revision: the words of each side as `segmenter` finds them.
    static func line(before: String, after: String, segmenter: WordSegmenter) -> String? {
        func field(_ sentence: String) -> String? {
            guard let tokens = try? segmenter.tokens(in: sentence) else { return nil }
            let bytes = Array(sentence.utf8)
            var result: [String] = []
            var previousEnd: Int?
            for token in tokens where token.kind == .word || token.kind == .number {
                let range = token.utf8Range
                if let previousEnd, !bytes[previousEnd..<range.lowerBound].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { result.append("|") }
                let surface = String(decoding: bytes[range], as: UTF8.self)
                guard !surface.contains(" "), !surface.contains("\t"), surface != "|" else { return nil }
                result.append(token.kind == .number ? Vocabulary.specials[Int(Vocabulary.number)] : surface)
                previousEnd = range.upperBound
            }
            return result.isEmpty ? nil : result.joined(separator: " ")
        }
        guard let b = field(before), let a = field(after) else { return nil }
        return b + "\t" + a
    }

    /// The revision whose before side is nearest `words` (vocabulary ids of a sentence), with
    /// its similarity (2 × aligned words / both lengths), when at least `minimumSimilarity`.
    func nearest(_ words: [UInt32]) -> (entry: Int, similarity: Double)? {
        guard words.count >= Self.minimumWords, !entries.isEmpty else { return nil }
        var shared = [UInt16](repeating: 0, count: entries.count)
        var touched: [Int32] = []
        for id in Set(words) {
            guard let list = postings[id] else { continue }
            for entry in list {
                if shared[Int(entry)] == 0 { touched.append(entry) }
                shared[Int(entry)] &+= 1
            }
        }
        // The most rare words shared first; ties by the entry's order (deterministic).
        var ranked: [Int32] = []
        for entry in touched {
            let better = { (other: Int32) in shared[Int(entry)] > shared[Int(other)] || (shared[Int(entry)] == shared[Int(other)] && entry < other) }
            guard ranked.count < Self.shortlist || better(ranked[ranked.count - 1]) else { continue }
            let at = ranked.firstIndex(where: better) ?? ranked.count
            ranked.insert(entry, at: at)
            if ranked.count > Self.shortlist { ranked.removeLast() }
        }
        var best: (entry: Int, similarity: Double)?
        for entry in ranked {
            let before = entries[Int(entry)].before.ids
            // Aligned words can be at most the shorter length: skip what cannot beat the best.
            let bound = 2 * Double(min(words.count, before.count)) / Double(words.count + before.count)
            guard bound >= max(Self.minimumSimilarity, best?.similarity ?? 0) else { continue }
            let aligned = Self.alignment(words, before).count
            let similarity = 2 * Double(aligned) / Double(words.count + before.count)
            if similarity >= Self.minimumSimilarity && similarity > (best?.similarity ?? 0) { best = (Int(entry), similarity) }
        }
        return best
    }

    /// The aligned positions (i in `a`, j in `b`) of a minimum edit alignment of two id sequences.
    /// `Vocabulary.unknown` aligns with nothing.
    static func alignment(_ a: [UInt32], _ b: [UInt32]) -> [(Int, Int)] {
        SubstitutionLearner.alignment(a.count, b.count) { a[$0] == b[$1] && a[$0] != Vocabulary.unknown }
    }

    /// One of the editors' edits of a recalled revision, placed on the sentence: its words
    /// `first...last` (offsets in the sentence) become `after`.
    struct Hunk: Equatable {
        var first: Int, last: Int
        var after: [String]
        /// `after` as the editors wrote it.
        var afterText: String
    }

    /// The editors' edits of revision `entry` that fit a sentence (`words`, its vocabulary ids;
    /// `spaced[i]`: only spaces between word i and i + 1): each an edit the editors made by itself
    /// (`context` unchanged words on either side), that replaces words the sentence shares with the
    /// revision's before side, with the same `context` words on either side (or the same end of
    /// the sentence) and the same punctuation between them, and neither side of the edit spans
    /// punctuation. An insertion takes the word before it along ("be whole" -> "be made whole"
    /// edits "be"); one at the revision's start is not recalled. An edit that writes a number (in
    /// digits, or a number word the sentence does not have), or a capitalised word the sentence
    /// does not have (a name; at the revision's start, unless a grammar word or one the edit
    /// replaces), is left out: the memory brings the editors' wording, never facts.
    func hunks(of entry: Int, words: [UInt32], spaced: [Bool], capitalisedInSentence: Set<String>) -> [Hunk] {
        let revision = entries[entry]
        let (b, a) = (revision.before, revision.after)
        var toSentence = [Int?](repeating: nil, count: b.ids.count)
        for (i, j) in Self.alignment(words, b.ids) { toSentence[j] = i }
        var result: [Hunk] = []
        let sentenceWords = Set(words)
        let runs = SubstitutionLearner.diffRuns(b.ids, a.ids)
        // A revision that rewords more than half its words (`SubstitutionLearner.maxPairChange`)
        // lends an edit only with a word more of context on either side.
        let changed = runs.reduce(0) { $0 + $1.before.count + $1.after.count }
        let context = Double(changed) > SubstitutionLearner.maxPairChange * Double(b.ids.count + a.ids.count) ? Self.context + 1 : Self.context
        for (k, run) in runs.enumerated() {
            // Only an edit the editors made by itself: `context` words they left alone on either
            // side (or the sentence's end). Inside a region they reworded, one run of the alignment
            // says nothing alone ("in the presence of all the congregation" -> "before all the
            // men": "presence of" -> "Lord" wrote "in the Lord all the men").
            guard k == 0 || run.before.lowerBound - runs[k - 1].before.upperBound >= context,
                  k + 1 == runs.count || runs[k + 1].before.lowerBound - run.before.upperBound >= context else { continue }
            // Nor half of a move: words deleted here and written a few words away ("it came to
            // pass at that time" -> "at that time it happened").
            if run.before.isEmpty || run.after.isEmpty, runs.contains(where: { other in
                (run.before.isEmpty ? other.after.isEmpty && !other.before.isEmpty : other.before.isEmpty)
                    && max(other.before.lowerBound - run.before.upperBound, run.before.lowerBound - other.before.upperBound) <= Self.moveSpan
            }) { continue }
            // Nor a run that takes away a word the editors wrote elsewhere in the sentence, or
            // writes one they took from elsewhere: they moved it ("who made Israel to sin" ->
            // "the sin which Jeroboam did and made Israel do": "to sin" -> "do" alone loses the
            // sin). Moved: the other side says the word more often outside the run than this side
            // does ("on the other upon the six steps" -> "on the other side on the six steps" writes
            // "side", which both sides say once elsewhere: "on the one side").
            func moved(_ from: Side, _ span: Range<Int>, _ to: Side, _ kept: Range<Int>) -> Bool {
                func outside(_ side: Side, _ range: Range<Int>, _ id: UInt32) -> Int { side.ids.indices.filter { !range.contains($0) && side.ids[$0] == id }.count }
                return span.contains { p in
                    from.content[p] && !to.ids[kept].contains(from.ids[p]) && outside(to, kept, from.ids[p]) > outside(from, span, from.ids[p])
                }
            }
            if moved(b, run.before, a, run.after) || moved(a, run.after, b, run.before) { continue }
            var (before, after) = (run.before, run.after)
            if before.isEmpty {
                // An insertion: take the word before it along, which both sides keep.
                guard before.lowerBound > 0, after.lowerBound > 0, b.ids[before.lowerBound - 1] == a.ids[after.lowerBound - 1] else { continue }
                before = (before.lowerBound - 1)..<before.upperBound
                after = (after.lowerBound - 1)..<after.upperBound
            }
            // The editors left the punctuation on either side of the edit as it was ("Take, eat:" ->
            // "Take it:" made "eat" -> "it" with a comma gone).
            if after.isEmpty {
                // A deletion: a space before the words, and what follows them is what follows in the revision.
                if before.lowerBound > 0 && !b.spaced[before.lowerBound - 1] { continue }
                if before.upperBound < b.ids.count {
                    let j = after.lowerBound
                    if j > 0 && j < a.ids.count ? b.spaced[before.upperBound - 1] != a.spaced[j - 1] : !b.spaced[before.upperBound - 1] { continue }
                }
            } else {
                if before.lowerBound > 0 && b.spaced[before.lowerBound - 1] != a.spaced[after.lowerBound - 1] { continue }
                if before.upperBound < b.ids.count && after.upperBound < a.ids.count && b.spaced[before.upperBound - 1] != a.spaced[after.upperBound - 1] { continue }
            }
            // The run and its context sit in the sentence as in the revision.
            let from = max(before.lowerBound - context, 0), to = min(before.upperBound + context - 1, b.ids.count - 1)
            guard let start = toSentence[from], (from...to).allSatisfy({ toSentence[$0] == start + ($0 - from) }) else { continue }
            if from == 0 && before.lowerBound < context && start != 0 { continue }
            if to == b.ids.count - 1 && before.upperBound + context > b.ids.count && start + (to - from) != words.count - 1 { continue }
            // The same punctuation around and inside the run; none inside either side of the edit.
            guard (from..<to).allSatisfy({ b.spaced[$0] == spaced[start + ($0 - from)] }) else { continue }
            guard before.dropLast().allSatisfy({ b.spaced[$0] }), after.dropLast().allSatisfy({ a.spaced[$0] }) else { continue }
            let written = Array(a.surfaces[after])
            let normalized = written.map { ModelTokenizer.normalize($0[...]) }
            // A capitalised word opening the revision is a name unless it is a grammar word or a
            // word the edit replaces ("He" -> "Hiram" would name someone the sentence does not).
            let replaced = Set(b.ids[before])
            if written.indices.contains(where: { k in
                let id = a.ids[after.lowerBound + k]
                let opening = after.lowerBound + k == 0 && (isGrammarWord(normalized[k]) || replaced.contains(id))
                return id == Vocabulary.number || (Self.numberWords.contains(normalized[k]) && !sentenceWords.contains(id))
                    || (written[k].first?.isUppercase == true && !opening && !capitalisedInSentence.contains(written[k]))
            }) { continue }
            let first = start + (before.lowerBound - from)
            result.append(Hunk(first: first, last: first + before.count - 1, after: normalized, afterText: written.joined(separator: " ")))
        }
        return result
    }
}
