import Foundation
import HouseStyleText
import HouseStyleNumerics

/// A learned rewrite of a phrase: `before` (lowercase tokens) becomes `after`.
public struct Substitution: Sendable, Hashable {
    /// `.pair`, `.pairAlternative`, `.retrieval`, `.thesaurus` or `.vectors`.
    public var origin: EditOrigin
    public var before: [String]
    /// Lowercase tokens of the replacement; empty for a deletion.
    public var after: [String]
    /// The replacement as written (case kept where it is not a sentence-initial capital).
    public var afterText: String
    /// Pairs: how many revisions made it; thesaurus and corpus: the voice count of `after`.
    public var count: Int
    /// Pairs: the share of the before sides' occurrences of `before` that editors changed this way;
    /// thesaurus: salience z of `after`; corpus: cosine similarity of the two words.
    public var strength: Double
    /// One place it comes from, for the report.
    public var example: String
}

/// Words a learned edit must never add or remove (`rewrite.preserve` keeps negations: a learned edit never changes what a sentence denies).
let negations: Set<String> = [
    "not", "no", "never", "n't", "nor", "none", "nobody", "nothing", "neither", "nowhere", "cannot", "without",
    // "except" and "unless" deny what follows: "except ye repent" is "if ye do not repent", never "if ye repent".
    "except", "unless",
    "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't", "couldn't",
    "shouldn't", "hasn't", "haven't", "hadn't", "mustn't", "needn't",
    "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "wouldnt", "cant", "couldnt", "shouldnt",
]

/// Function words: never the subject of a thesaurus or corpus substitution (their use is grammar, not voice).
let functionWords: Set<String> = Set("""
    a an the and or but if then so as at by for from in into of off on onto out over to up with about after us \
    before under again once here there when where why how all any both each few more most other some such only \
    own same than too very s t can will just should now i me my myself we our ours you your yours he him his she \
    her hers it its they them their what which who whom this that these those am is are was were be been being \
    have has had having do does did doing would could might must shall may it's i'm i've you're we're they're \
    that's there's let's also even ever still yet much many
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

/// Negations that are adverbs: the part of speech the neighbour judge gives them, and the
/// negations a substitution learned from the corpora may turn into another adverb ("not" -> "definitely").
let adverbialNegations: Set<String> = ["not", "n't", "never"]

/// A word whose use is grammar, not voice: a function word or a negation.
func isGrammarWord(_ word: String) -> Bool { functionWords.contains(word) || negations.contains(word) }

enum SubstitutionLearner {
    /// Phrase edits from editor revisions: the token sequences are aligned by edit distance
    /// (Levenshtein, substitutions cost 1) and each maximal run of differences becomes a phrase
    /// edit, as LaserTagger builds its phrase vocabulary from added phrases.
    /// A site must hold a word at least this far off-voice (z <= -threshold).
    static let siteThreshold = 0.5

    /// Pairs rewritten beyond this share of their tokens are rewrites, not phrase edits, and are skipped.
    static let maxPairChange = 0.5
    /// An editors' edit made at least this often (at `minPrecision`) holds beside any words: its
    /// plain form is learned beside the forms anchored on its neighbours.
    static let plainFormCount = 5

    /// - Parameters:
    ///   - properNames: words never anchored on (`Trainer.capitalisedMidSentence`).
    ///   - writtenNames: words whose capital an edit's new words keep (default `properNames`); other
    ///     capitalised words are lowered: every one when `writtenNames` is given, else a line's first.
    ///   - learnsFromRewordedPairs: whether a pair reworded beyond `maxPairChange` teaches its
    ///     anchored runs (`learnedRuns`); editors' revisions do, neighbour pairs (two sentences
    ///     that happen to be close, not a revision) do not.
    static func fromPairs(_ pairs: [SentencePair], tokenizer: ModelTokenizer, properNames: Set<String> = [], writtenNames: Set<String>? = nil,
                          maxPhrase: Int = 4, learnsFromRewordedPairs: Bool = true,
                          minPrecision: Double = 0.3, minimumCount: Int? = nil, keepsPlainForm: Bool = false) -> [Substitution] {
        struct Key: Hashable { var before: [String]; var after: [String] }
        var found: [Key: (count: Int, afterText: String, example: String)] = [:]
        // How each edit's after side is written, counted: the first revision's may begin a
        // sentence in the middle of a verse or paragraph ("Till"), which the start of the pair
        // alone does not show.
        var writings: [Key: [String: Int]] = [:]
        // The words beside each edit in its revisions ("" at a sentence edge).
        var neighbours: [Key: (left: [String: Int], right: [String: Int])] = [:]
        var order: [Key] = []
        // Before sides, each with the words where a phrase counts for or against an edit's precision.
        var kept: [(words: [String], evidence: [Bool])] = []
        // Edits made in reworded pairs, whose changed words are not in `kept`'s evidence, and the
        // neighbours they were made beside; and the edits some lightly edited pair makes.
        var rewordedMade: [Key: Int] = [:]
        var rewordedNeighbours: [Key: (left: [String: Int], right: [String: Int])] = [:]
        var madeInLightPairs = Set<Key>()
        for pair in pairs {
            let b = tokenizer.tokens(pair.before), a = tokenizer.tokens(pair.after)
            let surface = surfaceWords(pair.after, tokenizer: tokenizer, properNames: writtenNames ?? properNames, midLine: writtenNames != nil)
            let (runs, evidence, reworded) = learnedRuns(b, a)
            if reworded && !learnsFromRewordedPairs { continue }
            // In a reworded pair a phrase counts where it stands unchanged between anchors, and
            // where it was made; where another run rewrote it, it counts neither way.
            var counted = evidence
            if reworded { for run in runs { for i in run.before { counted[i] = false } } }
            kept.append((b, counted))
            for run in runs {
                var before = Array(b[run.before]), after = Array(a[run.after])
                var afterRange = run.after
                // An insertion is anchored on the words around the gap (LaserTagger's KEEP|ADD on
                // a neighbour): "click Save" -> "click the Save" becomes "click save" -> "click the save".
                if before.isEmpty {
                    let gap = run.before.lowerBound
                    guard gap >= 1, gap < b.count else { continue }
                    before = [b[gap - 1], b[gap]]
                    after = [b[gap - 1]] + after + [b[gap]]
                    afterRange = (run.after.lowerBound - 1)..<(run.after.upperBound + 1)
                }
                guard !before.isEmpty, before.count <= maxPhrase, after.count <= maxPhrase + 2,
                    !producesFragment(before: before, after: after),
                    !(before + after).contains("<num>") else { continue }
                let key = Key(before: before, after: after)
                let left = run.before.lowerBound > 0 && !run.before.isEmpty ? b[run.before.lowerBound - 1] : ""
                let right = run.before.upperBound < b.count && !run.before.isEmpty ? b[run.before.upperBound] : ""
                neighbours[key, default: ([:], [:])].left[left, default: 0] += 1
                neighbours[key, default: ([:], [:])].right[right, default: 0] += 1
                if !reworded {
                    madeInLightPairs.insert(key)
                } else if !run.before.isEmpty {  // (an insertion's anchors are unchanged words, counted already)
                    rewordedMade[key, default: 0] += 1
                    rewordedNeighbours[key, default: ([:], [:])].left[left, default: 0] += 1
                    rewordedNeighbours[key, default: ([:], [:])].right[right, default: 0] += 1
                }
                let text = surface.count == a.count ? surface[afterRange].joined(separator: " ") : after.joined(separator: " ")
                writings[key, default: [:]][text, default: 0] += 1
                if var entry = found[key] { entry.count += 1; found[key] = entry; continue }
                found[key] = (1, text, "\(pair.before) → \(pair.after)")
                order.append(key)
            }
        }
        // Precision: how often editors made this change where the before side has the phrase.
        // A phrase edit seen once among thousands of pairs, or made in few of the places the phrase
        // occurs, depends on a context the edit does not carry, and is dropped.
        let minCount = minimumCount ?? (pairs.count >= 1000 ? 2 : 1)
        // An edit made beside the same few words may depend on them ("log in" -> "sign in" is not
        // "log" -> "sign": "log files" stay): when the plain form is not precise, or was seen once,
        // it is learned once per neighbour instead, each form with its own count and precision.
        var anchored: [Key: [(key: Key, count: Int, word: String, onRight: Bool)]] = [:]
        // Each anchored form's own count of places made in reworded pairs.
        var rewordedAnchored: [Key: Int] = [:]
        let names = Set(properNames.map { $0.lowercased() })
        for key in order {
            guard let near = neighbours[key], key.before.count < maxPhrase else { continue }
            let usable: ([String: Int]) -> Bool = { side in side.keys.allSatisfy { !$0.isEmpty && $0 != "<num>" && !names.contains($0) } }
            if usable(near.right) {
                anchored[key] = near.right.sorted { $0.key < $1.key }.map { (Key(before: key.before + [$0.key], after: key.after + [$0.key]), $0.value, $0.key, true) }
                for (word, n) in rewordedNeighbours[key]?.right ?? [:] { rewordedAnchored[Key(before: key.before + [word], after: key.after + [word])] = n }
            } else if usable(near.left) {
                anchored[key] = near.left.sorted { $0.key < $1.key }.map { (Key(before: [$0.key] + key.before, after: [$0.key] + key.after), $0.value, $0.key, false) }
                for (word, n) in rewordedNeighbours[key]?.left ?? [:] { rewordedAnchored[Key(before: [word] + key.before, after: [word] + key.after)] = n }
            }
        }
        let wanted = Set((order + anchored.values.flatMap { $0.map(\.key) }).map { $0.before.joined(separator: " ") })
        var occurrences: [String: Int] = [:]
        for (b, evidence) in kept {
            for start in b.indices where evidence[start] {
                for length in 1...min(maxPhrase + 1, b.count - start) {
                    guard evidence[start + length - 1] else { break }
                    let phrase = b[start..<(start + length)].joined(separator: " ")
                    if wanted.contains(phrase) { occurrences[phrase, default: 0] += 1 }
                }
            }
        }
        func precision(_ key: Key, _ count: Int) -> Double {
            let places = (occurrences[key.before.joined(separator: " ")] ?? 0) + (rewordedMade[key] ?? rewordedAnchored[key] ?? 0)
            return Double(count) / Double(max(places, count, 1))
        }
        // The most frequent writing; on a tie the one without a capital (which a sentence start explains).
        for (key, counts) in writings where counts.count > 1 {
            let best = counts.max { a, b in (a.value, a.key.first?.isUppercase == false ? 1 : 0, b.key) < (b.value, b.key.first?.isUppercase == false ? 1 : 0, a.key) }!
            found[key]!.afterText = best.key
        }
        return order.flatMap { plain -> [Substitution] in
            let entry = found[plain]!
            var forms = [(key: plain, count: entry.count, afterText: entry.afterText)]
            // Made often enough, beside enough different words, to show it holds beside any, the
            // plain form stays beside the anchored ones (calibration decides between them).
            let holdsAnywhere = entry.count >= plainFormCount && precision(plain, entry.count) >= minPrecision
            // One revision cannot show that an edit holds beside other words, so it keeps its neighbour too.
            if entry.count < 2 || precision(plain, entry.count) < 0.9 {
                // Deleting several content words ("should be stored" of "The key should be stored in" ->
                // "Store the key in") is part of a sentence's rewrite, not an edit that holds elsewhere.
                // (Seen twice or more, an imprecise edit may still hold beside its neighbours, as below.)
                let deleted = plain.after.isEmpty && entry.count < 2 ? plain.before : []
                if deleted.count >= 2, !deleted.allSatisfy({ functionWords.contains($0) || droppableAdverbs.contains($0) }) { return [] }
                if let wider = anchored[plain] {
                    let keep = (keepsPlainForm && entry.count >= minCount) || holdsAnywhere ? forms : []
                    forms = keep + wider.map { form in
                        (form.key, form.count, (form.onRight ? [entry.afterText, form.word] : [form.word, entry.afterText]).filter { !$0.isEmpty }.joined(separator: " "))
                    }
                } else if entry.count < 2, plain.before.count > 2
                    // (an insertion carries its anchors already: "click save" -> "click the save")
                    || (entry.count < 2 && plain.after.count > 2 && !(plain.before.count == 2 && plain.after.first == plain.before.first && plain.after.last == plain.before.last))
                {
                    // Nor can it show that a longer rewrite holds anywhere but in its sentence: "Please be
                    // advised that" -> "We send" came from "... invoices are sent on ..." -> "We send invoices on".
                    return []
                }
            }
            // An edit only reworded pairs make, whose alignment is less sure, needs one revision more.
            let needed = minCount + (madeInLightPairs.contains(plain) ? 0 : 1)
            return forms.compactMap { form in
                let p = precision(form.key, form.count)
                guard form.count >= needed, p >= minPrecision else { return nil }
                return Substitution(origin: .pair, before: form.key.before, after: form.key.after, afterText: form.afterText,
                    count: form.count, strength: p, example: entry.example)
            }
        }
    }

    /// A word editors change in at least this share of the places they meet it ...
    static let alternativeChangedShare = 0.9
    /// ... met at least this often, is changed whatever its context: each way they change it,
    /// made at least `alternativeMinCount` times and in at least `alternativeMinShare` of its
    /// places, is learned as an alternative.
    static let alternativeMinOccurrences = 20
    static let alternativeMinCount = 5
    static let alternativeMinShare = 0.05
    /// A way too rare to hold anywhere is learned after one word, or before one, where editors made it at least
    /// `alternativeMinCount` times and in at least this share of the places they met the two words.
    static let anchoredAlternativeMinShare = 0.2

    /// The ways editors change a word they change nearly everywhere, none of which is precise
    /// enough to be an editors' edit by itself: in ParaDetox's training pairs "shit" is changed
    /// in 4,920 of its 4,923 places, deleted in 17% of them, made "thing" in 4% and "things" in 4%,
    /// so `fromPairs` (precision ≥ 0.3) learns none of them and about a third of the toxic
    /// sentences kept their word. Each way is learned (one word for at most two) as a
    /// `pairAlternative`, its share of the word's places its strength; the voice scorer chooses
    /// among them in context, and calibration judges them apart from the precise editors' edits.
    static func alternatives(_ pairs: [SentencePair], tokenizer: ModelTokenizer, properNames: Set<String> = [],
                             writtenNames: Set<String>? = nil) -> [Substitution] {
        var occurrences: [String: Int] = [:], changed: [String: Int] = [:]
        struct Way {
            var count = 0, writings: [String: Int] = [:], example = ""
            mutating func add(written text: String, in pair: SentencePair) {
                count += 1
                writings[text, default: 0] += 1
                if example.isEmpty { example = "\(pair.before) → \(pair.after)" }
            }
        }
        var ways: [String: [[String]: Way]] = [:]
        // Each word's places and ways after the word before it ("" at a sentence's start).
        var placesAfter: [String: [String: Int]] = [:]
        var waysAfter: [String: [String: [[String]: Way]]] = [:]
        // ... and before the word after it ("" at a sentence's end).
        var placesBefore: [String: [String: Int]] = [:]
        var waysBefore: [String: [String: [[String]: Way]]] = [:]
        var lightPairs: [[String]] = []  // the before sides of the pairs counted
        for pair in pairs {
            let b = tokenizer.tokens(pair.before), a = tokenizer.tokens(pair.after)
            let runs = joiningMoves(diffRuns(b, a))
            let changedTokens = runs.reduce(0) { $0 + max($1.before.count, $1.after.count) }
            guard Double(changedTokens) <= maxPairChange * Double(max(a.count, b.count)) else { continue }
            var inRun = [Bool](repeating: false, count: b.count)
            for run in runs { for i in run.before { inRun[i] = true } }
            for (i, word) in b.enumerated() {
                occurrences[word, default: 0] += 1
                if inRun[i] { changed[word, default: 0] += 1 }
            }
            let surface = surfaceWords(pair.after, tokenizer: tokenizer, properNames: writtenNames ?? properNames, midLine: writtenNames != nil)
            for run in runs where run.before.count == 1 && run.after.count <= 2 {
                let word = b[run.before.lowerBound], after = Array(a[run.after])
                guard word != "<num>", !after.contains("<num>"), !producesFragment(before: [word], after: after) else { continue }
                let text = surface.count == a.count ? surface[run.after].joined(separator: " ") : after.joined(separator: " ")
                ways[word, default: [:]][after, default: Way()].add(written: text, in: pair)
                let left = run.before.lowerBound > 0 ? b[run.before.lowerBound - 1] : ""
                waysAfter[word, default: [:]][left, default: [:]][after, default: Way()].add(written: text, in: pair)
                let right = run.before.upperBound < b.count ? b[run.before.upperBound] : ""
                waysBefore[word, default: [:]][right, default: [:]][after, default: Way()].add(written: text, in: pair)
            }
            lightPairs.append(b)
        }
        func changedNearlyEverywhere(_ word: String) -> Bool {
            let seen = occurrences[word] ?? 0
            return seen >= alternativeMinOccurrences && Double(changed[word] ?? 0) >= alternativeChangedShare * Double(seen)
        }
        for b in lightPairs {
            for i in b.indices.dropFirst() where waysAfter[b[i]] != nil && changedNearlyEverywhere(b[i]) {
                placesAfter[b[i], default: [:]][b[i - 1], default: 0] += 1
            }
            for i in b.indices.dropLast() where waysBefore[b[i]] != nil && changedNearlyEverywhere(b[i]) {
                placesBefore[b[i], default: [:]][b[i + 1], default: 0] += 1
            }
        }
        // Words mostly written with a capital (not every word ever capitalised: "Is", "A", "Do").
        let names = Set((writtenNames ?? properNames).map { $0.lowercased() })
        func mostFrequent(_ writings: [String: Int]) -> String { writings.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key }
        func byCount<Key>(_ items: [Key: Way], _ name: (Key) -> String) -> [(key: Key, value: Way)] {
            items.sorted { ($1.value.count, name($0.key)) < ($0.value.count, name($1.key)) }
        }
        var result: [Substitution] = []
        for word in ways.keys.sorted() where changedNearlyEverywhere(word) {
            let seen = occurrences[word] ?? 0
            for (after, way) in byCount(ways[word]!, { $0.joined(separator: " ") }) {
                let share = Double(way.count) / Double(seen)
                guard way.count >= alternativeMinCount, share >= alternativeMinShare else { continue }
                let written = mostFrequent(way.writings)
                let what = after.isEmpty ? "delete it" : "make it '\(written)'"
                result.append(Substitution(origin: .pairAlternative, before: [word], after: after, afterText: written, count: way.count, strength: share,
                    example: "editors change '\(word)' in \(changed[word] ?? 0) of the \(seen) places they met it, in several ways; they \(what) in \(way.count) (\(Int((share * 100).rounded()))%), e.g. \(way.example)"))
            }
            // A way may hold after one word where it is too rare, or too often wrong, anywhere:
            // ParaDetox's editors make "shit" "anything" in 31% of its places after "do", "bad"
            // in 36% after "is", "thing" in 57% after "same" (7% anywhere; and training keeps
            // "thing" only after a determiner, as the voice writes it); learned plain, "bad" wrote
            // "a piece of bad" and "do jack bad". Such a way is learned with the word before it,
            // where editors made it often enough, in enough of the places they met the two words,
            // and at least twice as often as anywhere. Deletions need no anchor (the rewriter
            // judges what a deletion leaves), and a word before that is itself changed nearly
            // everywhere, or a name, number or punctuation, anchors nothing.
            // The same holds before one word: "fuck" -> "mess" in 20% of its places before "with"
            // ("don't fuck with the police"), 1% anywhere.
            for (onLeft, anchoredWays, places) in [(true, waysAfter[word] ?? [:], placesAfter[word] ?? [:]),
                                                   (false, waysBefore[word] ?? [:], placesBefore[word] ?? [:])] {
                for anchor in anchoredWays.keys.sorted() {
                    guard anchor.contains(where: \.isLetter), anchor != "<num>", !names.contains(anchor), !changedNearlyEverywhere(anchor),
                          let met = places[anchor] else { continue }
                    for (after, way) in byCount(anchoredWays[anchor]!, { $0.joined(separator: " ") }) where !after.isEmpty {
                        let share = Double(way.count) / Double(met)
                        // (Where the way is as common beside any word, the word beside it tells nothing.)
                        let shareAnywhere = Double(ways[word]![after]?.count ?? 0) / Double(seen)
                        guard way.count >= alternativeMinCount, share >= anchoredAlternativeMinShare, share >= 2 * shareAnywhere else { continue }
                        let written = mostFrequent(way.writings)
                        let whereMade = onLeft ? "after '\(anchor)'" : "before '\(anchor)'"
                        result.append(Substitution(origin: .pairAlternative, before: onLeft ? [anchor, word] : [word, anchor],
                            after: onLeft ? [anchor] + after : after + [anchor], afterText: onLeft ? anchor + " " + written : written + " " + anchor,
                            count: way.count, strength: share,
                            example: "editors change '\(word)' in \(changed[word] ?? 0) of the \(seen) places they met it, in several ways; \(whereMade) they make it '\(written)' in \(way.count) of \(met) (\(Int((share * 100).rounded()))%), e.g. \(way.example)"))
                    }
                }
            }
        }
        return result
    }

    /// Neighbours need more agreement than editors: a neighbour pair differs by whatever separates
    /// two sentences that happen to be close, so an edit is kept only when this many pairs make it.
    static let minimumNeighbourCount = 3
    static let neighbourMinPrecision = 0.05

    /// Phrase edits from neighbour pairs (`NeighbourMiner`), learned as editors' pairs are and
    /// labelled `retrieval`: the voice corpus's nearest sentences make them. A neighbour says the
    /// same thing another way, so where its verb or noun sits elsewhere the alignment reads a
    /// deletion ("After them repaired Zadok" / "After them Zadok ... was working"): a deletion
    /// is learned only when the thesaurus (when installed) can read none of its words as a noun
    /// or a verb ("behold", "literally", "unto him" are; "repaired", "years", "the prince" are not).
    ///   - unvoiced: whether the voice never writes a word the contrast often does
    ///     (`StyleModel.unvoiced`): an edit of one is learned even when all its words are grammar words.
    static func fromNeighbours(_ mined: [NeighbourMiner.Mined], tokenizer: ModelTokenizer, properNames: Set<String>,
                               writtenNames: Set<String>? = nil, thesaurus: Thesaurus? = nil,
                               unvoiced: (String) -> Bool = { _ in false }) -> [Substitution] {
        let pairs = mined.map { SentencePair(before: $0.before, after: $0.after, source: "") }
        // Calibration, not the anchoring rule, decides between "worst" -> "best" and "worst service" -> "best service".
        // Nor is the share of a phrase's occurrences one edit takes a measure here: a neighbour says
        // "great", "amazing" or "friendly" where the contrast sentence says "horrible", each right.
        // (A neighbour pair reworded beyond `maxPairChange` says something else: "that ye" -> "so
        // that you" learned from its runs made "what was it so that you disputed".)
        return fromPairs(pairs, tokenizer: tokenizer, properNames: properNames, writtenNames: writtenNames, learnsFromRewordedPairs: false,
                         minPrecision: neighbourMinPrecision, minimumCount: minimumNeighbourCount, keepsPlainForm: true).filter { found in
            // A neighbour's "and" for "or", or "i" for "we", changes what the sentence says: only
            // an edit that removes or brings a content word is learned from neighbours, or one of a
            // grammar word the voice never writes: BBE has no "shall" and no "thou" (KJV 8,814 and
            // 4,678 times), and its neighbours' "will" and "you" are its manner, not another meaning.
            // (Every word it changes must be one: "or shall" -> "and will" still swaps "or".)
            let changed = found.before.filter { !found.after.contains($0) }
            return !(found.before + found.after).allSatisfy(functionWords.contains) || found.after.isEmpty
                || (!changed.isEmpty && changed.allSatisfy(unvoiced))
        }.filter { found in
            // A deletion, anchored on a kept word or not ("next repaired" -> "next").
            let deleted = found.before.filter { !found.after.contains($0) }
            guard let thesaurus, found.after.count + deleted.count == found.before.count else { return true }
            return deleted.allSatisfy { functionWords.contains($0) || thesaurus.partsOfSpeech(of: $0).isDisjoint(with: ["noun", "verb"]) }
        }.map { found in
            var substitution = found
            substitution.origin = .retrieval
            let after = substitution.after.isEmpty ? "deleted" : "'\(substitution.afterText)'"
            substitution.example = "retrieval: the voice's nearest sentences (frozen encoder) make this change \(substitution.count)× "
                + "(\(Int((substitution.strength * 100).rounded()))% of the contrast sentences with '\(substitution.before.joined(separator: " "))' → \(after)), e.g. \(found.example)"
            return substitution
        }
    }

    /// Fillers and intensifiers whose deletion leaves the claim as it was. Adverbs of degree that
    /// carry meaning (barely, nearly, hardly, almost, only), of likelihood (probably, apparently)
    /// and of time or manner (immediately, finally, properly) are not among them.
    static let droppableAdverbs: Set<String> = [
        "simply", "really", "basically", "actually", "literally", "totally", "obviously", "truly", "definitely",
        "certainly", "absolutely", "essentially", "genuinely",
    ]

    /// Pieces of a contraction that a pre-tokenised corpus writes as words ("i d", "it s"): an
    /// edit may keep one that is there but never produce one.
    static let contractionFragments: Set<String> = ["d", "s", "t", "ll", "ve", "re", "m", "'d", "'s", "'t", "'ll", "'ve", "'re", "'m", "n't"]

    static func producesFragment(before: [String], after: [String]) -> Bool {
        // ("'ve ever" -> "have ever" would leave "i 'have ever": the apostrophe is outside the word.)
        // (A separate "n't" may be deleted: "is n't good" -> "is good".)
        if before == ["n't"] && after.isEmpty { return false }
        if let first = before.first, contractionFragments.contains(first), after.first != first { return true }
        return after.contains { contractionFragments.contains($0) && !before.contains($0) }
    }

    /// Delete-retrieve-fill over n-gram contexts (the template method of Li et al. 2018, with the
    /// voice corpus as the retrieval index): each off-voice marker (a unigram or bigram that leans
    /// off-voice) is deleted from the contexts it has in off-voice text, and the slot is filled with
    /// what on-voice sentences write between the same left and right words: another span of up to
    /// two words, or nothing (a deletion). A fill must occur in at least `minShared` of the
    /// marker's distinct contexts and lean on-voice itself. The result is a candidate only: the
    /// rewriter checks it in context (language model, voice scorer, meaning guard) and training
    /// calibrates whether such edits are applied.
    ///
    /// A fill the thesaurus cannot vouch for (a sibling or an antonym as often as a paraphrase:
    /// "rude" -> "friendly") is kept as a `vectors` candidate when `vectors` is given: one word for
    /// one word, an on-voice marker (unigram z ≥ `SubstitutionLearner.contextFillZ`) that the
    /// corpora also use in similar contexts (cosine ≥ `contextFillCosine`, its strength), at most
    /// `contextFillsPerMarker` per marker, for up to `maxVectorMarkers` markers (the rewriter chooses among them in context; the voice
    /// scorer checks that the site carries the sentence off-voice). Like every `vectors` candidate
    /// it is applied only where the style lists `vectors` in `learned.sources` and calibration
    /// finds it precise. A separate "n't" (text tokenised as "is n't") is such a marker too, with
    /// its deletion as the only fill.
    static func fromRetrieval(voice: [[UInt32]], contrast: [[UInt32]], offVoice: [SalienceEntry], unigramZ: (UInt32) -> Double,
                              vocabulary: Vocabulary, properNames: Set<String>, thesaurus: Thesaurus?, vectors: WordVectors? = nil,
                              maxMarkers: Int = 600, maxVectorMarkers: Int = 2000, fillsPerMarker: Int = 3, minShared: Int = 2,
                              fillCosine: Double = contextFillCosine) -> [Substitution] {
        // Words that fill the same slot are as often siblings or antonyms (tenant/key, old/new)
        // as paraphrases, so a fill must keep the marker's meaning, which a thesaurus can only
        // vouch for in two shapes: one word for a synonym in the two main senses of each (each
        // listing the other), or the deletion of a filler or intensifier (simply, really; never
        // barely, nearly, probably, which carry meaning). Function words must stay as they are ("was ok" -> "is ok" changes the tense,
        // "bad" -> "big and" is not a paraphrase), and a word of several senses is not swapped
        // for a synonym of a minor one ("situation" -> "office").
        func keepsMeaning(_ before: [String], _ after: [String]) -> Bool {
            guard thesaurus != nil, before.count == 1, after.count <= 1 else { return false }
            let word = before[0]
            guard let replacement = after.first else { return droppableAdverbs.contains(word) }
            guard !functionWords.contains(word), !functionWords.contains(replacement) else { return false }
            return mainSynonyms(word).contains(replacement) && mainSynonyms(replacement).contains(word)
        }
        // Each word's entry is parsed once, however many fills it is checked against.
        var synonymCache: [String: Set<String>] = [:]
        func mainSynonyms(_ word: String) -> Set<String> {
            if let known = synonymCache[word] { return known }
            let found = Set(thesaurus?.synonyms(of: word, senses: 2) ?? [])
            synonymCache[word] = found
            return found
        }
        func plain(_ id: UInt32) -> Bool {
            guard id >= 4 else { return false }
            let word = vocabulary.tokens[Int(id)]
            return !negations.contains(word) && !properNames.contains(word) && !contractionFragments.contains(word) && word.contains(where: \.isLetter)
        }
        // A separate "n't" (text tokenised as "is n't") is a marker too, whose only fill is its
        // deletion: a `vectors` candidate, since it reverses what the sentence says.
        func separateNegation(_ entry: SalienceEntry) -> Bool { entry.ngram.count == 1 && vocabulary.tokens[Int(entry.ngram[0])] == "n't" }
        let markers = offVoice.filter { entry in
            entry.ngram.count <= 2 && entry.contrastCount >= 3
                && (separateNegation(entry) || (entry.ngram.allSatisfy(plain) && !entry.ngram.allSatisfy { functionWords.contains(vocabulary.tokens[Int($0)]) }))
        }.prefix(vectors == nil ? maxMarkers : max(maxMarkers, maxVectorMarkers))
        guard !markers.isEmpty else { return [] }
        var markerIndex: [UInt64: Int] = [:]
        for (index, marker) in markers.enumerated() { markerIndex[NGramKey.pack(marker.ngram[...])] = index }
        @inline(__always) func pair(_ l: UInt32, _ r: UInt32) -> UInt64 { UInt64(l) << 32 | UInt64(r) }
        func padded(_ sentence: [UInt32]) -> [UInt32] { [Vocabulary.sentenceStart] + sentence + [Vocabulary.sentenceEnd] }

        // The contexts (left word, right word) of each marker in off-voice text.
        var contexts = [[UInt64: Int]](repeating: [:], count: markers.count)
        var wanted = Set<UInt64>()
        for sentence in contrast {
            let ids = padded(sentence)
            guard ids.count > 2 else { continue }
            for i in 1..<(ids.count - 1) {
                for length in 1...2 where i + length < ids.count {
                    guard let m = markerIndex[NGramKey.pack(ids[i..<(i + length)])] else { continue }
                    let key = pair(ids[i - 1], ids[i + length])
                    contexts[m][key, default: 0] += 1
                    wanted.insert(key)
                }
            }
        }
        // What on-voice sentences write between the same words: spans of 0, 1 or 2 words.
        var fills: [UInt64: [[UInt32]: Int]] = [:]
        for sentence in voice {
            let ids = padded(sentence)
            guard ids.count > 1 else { continue }
            for i in 1..<ids.count {
                for length in 0...2 where i + length < ids.count {
                    let key = pair(ids[i - 1], ids[i + length])
                    guard wanted.contains(key) else { continue }
                    fills[key, default: [:]][Array(ids[i..<(i + length)]), default: 0] += 1
                }
            }
        }
        var result: [Substitution] = []
        for (m, marker) in markers.enumerated() {
            var shared: [[UInt32]: (contexts: Int, count: Int, example: UInt64)] = [:]
            var total = 0
            for (key, count) in contexts[m].sorted(by: { $0.key < $1.key }) {
                total += count
                for (fill, voiceCount) in fills[key] ?? [:] {
                    var entry = shared[fill] ?? (0, 0, key)
                    entry.contexts += 1
                    entry.count += min(count, voiceCount)
                    shared[fill] = entry
                }
            }
            let candidates = shared.filter { fill, entry in
                fill != marker.ngram && entry.contexts >= minShared && fill.allSatisfy(plain)
                    && fill.reduce(0.0, { $0 + unigramZ($1) }) >= 0
                    && !(fill.isEmpty && marker.ngram.count == 1 && marker.contrastCount < 5)
            }.sorted { a, b in a.value.count != b.value.count ? a.value.count > b.value.count : a.key.lexicographicallyPrecedes(b.key) }
            let before = marker.ngram.map { vocabulary.tokens[Int($0)] }
            // Markers past the first `maxMarkers` (the less salient) get `vectors` fills only.
            let vectorsOnly = m >= maxMarkers
            if separateNegation(marker) {
                guard vectors != nil, let entry = candidates.first(where: { $0.key.isEmpty })?.value else { continue }
                let left = vocabulary.tokens[Int(entry.example >> 32)], right = vocabulary.tokens[Int(entry.example & 0xFFFF_FFFF)]
                result.append(Substitution(origin: .vectors, before: before, after: [], afterText: "", count: entry.count,
                    strength: 0.5 + Double(entry.count) / Double(max(total, 1)) / 2,
                    example: "corpus: on-voice text writes '\(left) \(right)' where off-voice text writes '\(left) n't \(right)' (\(entry.contexts) shared contexts, z \(String(format: "%.1f", marker.z)))"))
                continue
            }
            for (fill, entry) in candidates.lazy.filter({ !vectorsOnly && keepsMeaning(before, $0.key.map { vocabulary.tokens[Int($0)] }) }).prefix(fillsPerMarker) {
                let after = fill.map { vocabulary.tokens[Int($0)] }
                let left = vocabulary.tokens[Int(entry.example >> 32)], right = vocabulary.tokens[Int(entry.example & 0xFFFF_FFFF)]
                result.append(Substitution(origin: .retrieval, before: before, after: after, afterText: after.joined(separator: " "),
                    count: entry.count, strength: Double(entry.count) / Double(max(total, 1)),
                    example: "retrieval: on-voice text writes '\(left) \(after.isEmpty ? "" : after.joined(separator: " ") + " ")\(right)' where off-voice text writes '\(left) \(before.joined(separator: " ")) \(right)' (\(entry.contexts) shared contexts, z \(String(format: "%.1f", marker.z)))"))
            }
            guard let vectors, marker.ngram.count == 1, !functionWords.contains(before[0]) else { continue }
            // The marker's opposites in the thesaurus may fill its slot however far the word
            // vectors put them ("filthy" -> "clean").
            let opposites = Set(thesaurus?.antonyms(of: before[0]) ?? [])
            var contextFills: [(fill: UInt32, cosine: Double, opposite: Bool, entry: (contexts: Int, count: Int, example: UInt64))] = []
            for (fill, entry) in candidates where contextFills.count < contextFillsPerMarker {
                guard fill.count == 1, !functionWords.contains(vocabulary.tokens[Int(fill[0])]), unigramZ(fill[0]) >= contextFillZ,
                      !keepsMeaning(before, [vocabulary.tokens[Int(fill[0])]]), let cosine = vectors.cosine(marker.ngram[0], fill[0]) else { continue }
                let opposite = opposites.contains(vocabulary.tokens[Int(fill[0])])
                guard cosine >= fillCosine || opposite else { continue }
                contextFills.append((fill[0], cosine, opposite, entry))
            }
            for (fill, cosine, opposite, entry) in contextFills {
                let after = vocabulary.tokens[Int(fill)]
                let left = vocabulary.tokens[Int(entry.example >> 32)], right = vocabulary.tokens[Int(entry.example & 0xFFFF_FFFF)]
                result.append(Substitution(origin: .vectors, before: before, after: [after], afterText: after, count: entry.count,
                    strength: opposite ? max(cosine, 0.5) : cosine,
                    example: String(format: "corpus: on-voice text writes '%@ %@ %@' where off-voice text writes '%@ %@ %@' (%d shared contexts); '%@' is on-voice (z %.1f), %@",
                                    left, after, right, left, before[0], right, entry.contexts, after, unigramZ(fill),
                                    opposite ? "the thesaurus's opposite of '\(before[0])'" : String(format: "cosine %.2f", cosine))))
            }
        }
        return result
    }

    /// A context fill the thesaurus cannot vouch for must be an on-voice marker at least this strong.
    static let contextFillZ = 2.0
    /// ... and this close to the marker in the corpora's word vectors.
    static let contextFillCosine = 0.2
    /// At most this many such fills per marker: the rewriter chooses among them in context.
    static let contextFillsPerMarker = 5

    /// The words of a sentence as written, except that a capital its place alone explains is
    /// lowered: on the line's first word, and with `midLine` on any word (a sentence's or a
    /// speech's start), unless the word is in `properNames`.
    static func surfaceWords(_ sentence: String, tokenizer: ModelTokenizer, properNames: Set<String>, midLine: Bool = false) -> [String] {
        // Mid-line only when the caller knows which words the corpora mostly capitalise (`midLine`):
        // BBE opens what someone says with a capital after a comma ("he said to them, Come after
        // me"), and "follow" -> "Come after" wrote "take up his cross, and Come after me."
        var words = tokenizer.surfaceTokens(sentence)
        for index in words.indices where (index == 0 || midLine) && Casing(of: words[index]) == .capitalised && !properNames.contains(words[index]) {
            words[index] = words[index].lowercased()
        }
        return words
    }

    /// An inflection a pattern makes: a word's ending `from` becomes `to` ("knowest" -> "know":
    /// "est" -> "").
    struct Inflection: Hashable { var from: String; var to: String }

    /// An editors' edit that holds for every word with the same ending: the inflected word, and
    /// a word replaced beside it ("thou" -> "you" on its left), or none.
    struct InflectionPattern: Hashable {
        var inflection: Inflection
        struct Companion: Hashable { var before: String; var after: String; var onLeft: Bool }
        var companion: Companion?
        init(_ inflection: Inflection, companion: Companion? = nil) {
            self.inflection = inflection
            self.companion = companion
        }
    }

    /// How a pattern's example begins (`--explain` shows it instead of a phrase's count).
    static let patternPrefix = "pattern: "
    /// A pattern is learned from at least this many different words ...
    static let patternMinimumWords = 5
    /// ... with a stem of at least this many letters kept, and at most this many letters of ending changed.
    static let patternStemLetters = 2
    static let patternEndingLetters = 4
    /// A word a pattern makes must be one the voice writes at least this often.
    static let patternVoiceCount = 3

    /// The inflection that turns `word` into `inflected`: the ending after their longest common
    /// beginning; nil when they share too little or `word` only gains letters (a plural made
    /// from a singular changes what is said; an archaic ending dropped does not).
    static func inflection(_ word: String, _ inflected: String) -> Inflection? {
        guard word != inflected, word.allSatisfy(\.isLetter), inflected.allSatisfy(\.isLetter) else { return nil }
        let x = Array(word), y = Array(inflected)
        var n = 0
        while n < min(x.count, y.count), x[n] == y[n] { n += 1 }
        guard n >= patternStemLetters, (1...patternEndingLetters).contains(x.count - n), y.count - n <= patternEndingLetters else { return nil }
        return Inflection(from: String(x[n...]), to: String(y[n...]))
    }

    /// Whether `word`, which `inflection` turns into `result`, is a verb's form. One in "-th" is
    /// taken for one ("cometh", "hath"), but not an ordinal in "-tieth" ("fiftieth"); another
    /// ("thou knowest", "thou didst") is where the contrast also writes the verb's "-eth" form
    /// ("restest": "resteth"; "comest": "cometh", a stem in "e" taking "-th"; not "faireth",
    /// "chiefeth", nor "forth" for "forest", whose stem "for" ends in no "e"), or the voice writes
    /// `result` after "he", "she" or "they" ("sawest": "they saw"; "didst": "he did").
    static func isAVerbForm(_ word: String, _ inflection: Inflection, _ result: String,
                            contrastWrites: (String) -> Bool, writtenAfterASubject: (String) -> Bool) -> Bool {
        if inflection.from.hasSuffix("th") { return !word.hasSuffix("tieth") }
        let stem = String(word.dropLast(inflection.from.count))
        return contrastWrites(stem + "eth") || (stem.hasSuffix("e") && contrastWrites(stem + "th")) || writtenAfterASubject(result)
    }

    /// Editors' edits generalised over the words they inflect, as edit-tree lemmatisers learn
    /// (Chrupala 2008): the KJV -> Basic English pairs drop "thou ...est" for "you ..." with
    /// "knowest", "sayest", "goest", "mayest" and more, but each such phrase only a few times,
    /// and most of the ones a new verse holds ("thou walkest") never. A pattern (an inflection,
    /// with the word replaced beside it or alone) seen with at least `patternMinimumWords`
    /// different words, whose result editors wrote in at least `minPrecision` of the places it
    /// fits in the pairs' before sides, is learned for every word of `words` it fits.
    ///
    /// A pattern fits a word that leans off-voice (`leansOffVoice`) and that it turns into a word
    /// the voice writes at least `patternVoiceCount` times (`voiceCount`): "cometh" -> "comes",
    /// but never "earth" -> "ears" (the voice writes "earth") nor "sendeth" -> "sendes" (it never
    /// writes "sendes"). With its companion, the new words must be ones the voice writes
    /// together (`voiceWrites`): "thou clothest" -> "you cloth" is not made. Words of
    /// `properNames` are neither inflected nor made ("Dishon").
    ///
    /// A pattern inflects verbs, and other words share their endings (`isAVerbForm`): ordinals
    /// ("fiftieth" -> "fifties"), superlatives and nouns ("thou fairest" -> "you fair", "thou
    /// chiefest" -> "you chief", "thou forest" -> "you for": the Bible with pairs learned all
    /// three, and "O thou fairest among women" became "O you fair among women").
    /// `contrastWrites`: whether the contrast (or the pairs' before sides) writes a word;
    /// `writtenAfterASubject`: whether the voice writes a word right after "he", "she" or "they".
    static func inflections(_ pairs: [SentencePair], tokenizer: ModelTokenizer, words: [String], properNames: Set<String>,
                            leansOffVoice: (String) -> Bool, voiceCount: (String) -> Int, voiceWrites: ([String]) -> Bool,
                            contrastWrites: (String) -> Bool, writtenAfterASubject: (String) -> Bool,
                            minPrecision: Double = 0.3, origin: EditOrigin = .pair) -> [Substitution] {
        let names = Set(properNames.map { $0.lowercased() })
        var fits: [String: Bool] = [:]
        func made(_ word: String, _ inflection: Inflection) -> String? {
            guard word.hasSuffix(inflection.from), word.count - inflection.from.count >= patternStemLetters, !names.contains(word) else { return nil }
            let result = String(word.dropLast(inflection.from.count)) + inflection.to
            guard !names.contains(result) else { return nil }
            let fitting: Bool
            if let known = fits[word + "\u{1}" + result] { fitting = known } else {
                fitting = leansOffVoice(word) && voiceCount(result) >= patternVoiceCount
                    && isAVerbForm(word, inflection, result, contrastWrites: contrastWrites, writtenAfterASubject: writtenAfterASubject)
                fits[word + "\u{1}" + result] = fitting
            }
            return fitting ? result : nil
        }
        func plain(_ word: String) -> Bool { word.allSatisfy(\.isLetter) && !names.contains(word) }
        struct Seen { var words: Set<String> = []; var example = "" }
        var seen: [InflectionPattern: Seen] = [:]
        var order: [InflectionPattern] = []
        var aligned: [(before: [String], after: [String], runs: [(before: Range<Int>, after: Range<Int>)], evidence: [Bool])] = []
        for pair in pairs {
            let b = tokenizer.tokens(pair.before), a = tokenizer.tokens(pair.after)
            let (runs, evidence, _) = learnedRuns(b, a)
            aligned.append((b, a, runs, evidence))
            for run in runs where run.before.count == run.after.count && (1...2).contains(run.before.count) {
                let x = Array(b[run.before]), y = Array(a[run.after])
                var found: (pattern: InflectionPattern, word: String)?
                if x.count == 1 {
                    if let i = inflection(x[0], y[0]) { found = (InflectionPattern(i), x[0]) }
                } else {
                    let left = inflection(x[0], y[0]), right = inflection(x[1], y[1])
                    if let right, left == nil, plain(x[0]), plain(y[0]) {
                        found = (InflectionPattern(right, companion: .init(before: x[0], after: y[0], onLeft: true)), x[1])
                    } else if let left, right == nil, plain(x[1]), plain(y[1]) {
                        found = (InflectionPattern(left, companion: .init(before: x[1], after: y[1], onLeft: false)), x[0])
                    }
                }
                guard let found, made(found.word, found.pattern.inflection) != nil else { continue }
                if seen[found.pattern] == nil { order.append(found.pattern) }
                seen[found.pattern, default: Seen()].words.insert(found.word)
                if seen[found.pattern]!.example.isEmpty { seen[found.pattern]!.example = "\(pair.before) → \(pair.after)" }
            }
        }
        let patterns = order.filter { seen[$0]!.words.count >= patternMinimumWords }
        guard !patterns.isEmpty else { return [] }
        // Each place a pattern fits (a fitting word beside its companion, all evidence), and those
        // where editors wrote what it makes: within a learned run whose new words hold it, so
        // "that thou mayest" -> "so that you may" makes "thou mayest" -> "you may" too.
        var places: [InflectionPattern: Int] = [:], madeCount: [InflectionPattern: Int] = [:]
        for (b, a, runs, evidence) in aligned {
            for (i, word) in b.enumerated() where evidence[i] {
                for pattern in patterns {
                    guard let inflected = made(word, pattern.inflection) else { continue }
                    var span = i..<(i + 1), output = [inflected]
                    if let companion = pattern.companion {
                        let j = companion.onLeft ? i - 1 : i + 1
                        guard j >= 0, j < b.count, evidence[j], b[j] == companion.before else { continue }
                        span = min(i, j)..<(max(i, j) + 1)
                        output = companion.onLeft ? [companion.after, inflected] : [inflected, companion.after]
                    }
                    places[pattern, default: 0] += 1
                    guard let run = runs.first(where: { $0.before.lowerBound <= span.lowerBound && span.upperBound <= $0.before.upperBound }),
                          run.after.count >= output.count else { continue }
                    let written = Array(a[run.after])
                    if (0...(written.count - output.count)).contains(where: { Array(written[$0..<($0 + output.count)]) == output }) {
                        madeCount[pattern, default: 0] += 1
                    }
                }
            }
        }
        var result: [Substitution] = []
        for pattern in patterns {
            let entry = seen[pattern]!, count = madeCount[pattern] ?? 0
            let precision = Double(count) / Double(max(places[pattern] ?? 0, 1))
            guard precision >= minPrecision else { continue }
            let shown = entry.words.sorted().prefix(5).joined(separator: ", ")
            let ending = "-\(pattern.inflection.from) -> -\(pattern.inflection.to)"
            let what = pattern.companion.map { c in c.onLeft ? "'\(c.before) -\(pattern.inflection.from)' -> '\(c.after) -\(pattern.inflection.to)'"
                                                                          : "'-\(pattern.inflection.from) \(c.before)' -> '-\(pattern.inflection.to) \(c.after)'" } ?? ending
            // (`--explain` shows a retrieval substitution's example as it is, an editors' one after "pair ".)
            let who = origin == .retrieval ? "retrieval " + patternPrefix + "the voice's nearest sentences (frozen encoder)" : patternPrefix + "editors"
            let example = "\(who) make \(what) \(count)× (\(Int((precision * 100).rounded()))% of the places it fits), with \(entry.words.count) words (\(shown)), e.g. \(entry.example)"
            for word in words {
                guard let inflected = made(word, pattern.inflection) else { continue }
                var before = [word], after = [inflected]
                if let c = pattern.companion {
                    if c.onLeft { before.insert(c.before, at: 0); after.insert(c.after, at: 0) } else { before.append(c.before); after.append(c.after) }
                    guard voiceWrites(after) else { continue }
                }
                result.append(Substitution(origin: origin, before: before, after: after, afterText: after.joined(separator: " "),
                                           count: count, strength: precision, example: example))
            }
        }
        return result
    }

    /// A run of a reworded pair is learned only when at least this many unchanged words hold it
    /// in place on each side (or the sentence's edge does).
    static let localAnchorWords = 2
    /// ... and it replaces at most this many words, with at most `localRunWords + 1`.
    static let localRunWords = 3

    /// The runs a pair teaches, and which of its before words are evidence for an edit's
    /// precision. A pair changed in at most `maxPairChange` of its words teaches every run, and
    /// all its words are evidence. A pair reworded beyond that is a rewrite, not a string of phrase
    /// edits, but its alignment still holds where unchanged words anchor it: a short run with
    /// `localAnchorWords` unchanged words on each side is a phrase edit consistent with the
    /// alignment (as phrase-based translation extracts phrases from a sentence pair however
    /// reworded). The Bible in Basic English rewords 64% of the KJV's verses, and "if thou wilt
    /// walk before me" -> "if you will walk before me" sits in one of them. Its evidence is those
    /// runs and the anchored unchanged stretches, where a phrase left as it was counts against an
    /// edit; the words of the rewritten parts count neither way (`reworded` is true; `fromPairs`
    /// counts a run's words only for the edit made there, and wants one revision more for an
    /// edit only reworded pairs make).
    static func learnedRuns(_ b: [String], _ a: [String]) -> (runs: [(before: Range<Int>, after: Range<Int>)], evidence: [Bool], reworded: Bool) {
        let runs = joiningMoves(diffRuns(b, a))
        let changed = runs.reduce(0) { $0 + max($1.before.count, $1.after.count) }
        if Double(changed) <= maxPairChange * Double(max(a.count, b.count)) { return (runs, [Bool](repeating: true, count: b.count), false) }
        var evidence = [Bool](repeating: false, count: b.count)
        // The unchanged stretch before run k (k == runs.count: after the last run), and whether it holds a run in place.
        func stretch(_ k: Int) -> (range: Range<Int>, anchors: Bool) {
            let start = k == 0 ? 0 : runs[k - 1].before.upperBound
            let end = k == runs.count ? b.count : runs[k].before.lowerBound
            // (The first and last stretches reach the sentence's edges in both sequences.)
            return (start..<end, end - start >= localAnchorWords || k == 0 || k == runs.count)
        }
        var learned: [(before: Range<Int>, after: Range<Int>)] = []
        for k in 0...runs.count {
            let here = stretch(k)
            if here.anchors { for i in here.range { evidence[i] = true } }
            guard k < runs.count else { break }
            let run = runs[k]
            guard run.before.count <= localRunWords, run.after.count <= localRunWords + 1, here.anchors, stretch(k + 1).anchors else { continue }
            learned.append(run)
            for i in run.before { evidence[i] = true }
        }
        return (learned, evidence, true)
    }

    /// Joins two runs one kept word apart when one of them is an insertion: a word moved past
    /// its neighbour, which the alignment splits in two ("worshipped him" -> "gave him worship"
    /// is one rewrite; learned as two runs, "worshipped" -> "gave" alone makes "have gave them").
    static func joiningMoves(_ runs: [(before: Range<Int>, after: Range<Int>)]) -> [(before: Range<Int>, after: Range<Int>)] {
        var result: [(before: Range<Int>, after: Range<Int>)] = []
        for run in runs {
            if let last = result.last, run.before.lowerBound - last.before.upperBound == 1, run.after.lowerBound - last.after.upperBound == 1,
               last.before.isEmpty != run.before.isEmpty {
                result[result.count - 1] = (last.before.lowerBound..<run.before.upperBound, last.after.lowerBound..<run.after.upperBound)
            } else {
                result.append(run)
            }
        }
        return result
    }

    /// The aligned positions (i, j) of a minimum edit alignment (Levenshtein, substitutions cost 1)
    /// of two sequences of lengths `n` and `m`, where `same(i, j)` says whether item i of the
    /// first may align with item j of the second; the backtrace prefers matches, then
    /// substitutions, deletions, insertions.
    static func alignment(_ n: Int, _ m: Int, same: (Int, Int) -> Bool) -> [(Int, Int)] {
        var d = [Int](repeating: 0, count: (n + 1) * (m + 1))
        for i in 0...n { d[i * (m + 1)] = i }
        for j in 0...m { d[j] = j }
        if n > 0 && m > 0 {
            for i in 1...n {
                for j in 1...m {
                    d[i * (m + 1) + j] = min(d[(i - 1) * (m + 1) + j - 1] + (same(i - 1, j - 1) ? 0 : 1), d[(i - 1) * (m + 1) + j] + 1, d[i * (m + 1) + j - 1] + 1)
                }
            }
        }
        var matched: [(Int, Int)] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            let here = d[i * (m + 1) + j]
            if i > 0, j > 0, same(i - 1, j - 1), here == d[(i - 1) * (m + 1) + j - 1] {
                matched.append((i - 1, j - 1)); i -= 1; j -= 1
            } else if i > 0, j > 0, here == d[(i - 1) * (m + 1) + j - 1] + 1 {
                i -= 1; j -= 1
            } else if i > 0, here == d[(i - 1) * (m + 1) + j] + 1 {
                i -= 1
            } else {
                j -= 1
            }
        }
        return matched.reversed()
    }

    /// Maximal runs where two token sequences differ, after a minimum edit alignment.
    static func diffRuns<T: Equatable>(_ a: [T], _ b: [T]) -> [(before: Range<Int>, after: Range<Int>)] {
        let n = a.count, m = b.count
        let matched = alignment(n, m) { a[$0] == b[$1] }
        var runs: [(Range<Int>, Range<Int>)] = []
        var pa = 0, pb = 0
        for (x, y) in matched + [(n, m)] {
            if x > pa || y > pb { runs.append((pa..<x, pb..<y)) }
            pa = x + 1; pb = y + 1
        }
        return runs
    }

    /// Thesaurus synonyms of off-voice words that the voice uses (positive salience, seen at
    /// least twice), best first by salience.
    static func fromThesaurus(_ thesaurus: Thesaurus, offVoice: [SalienceEntry], salience: [String: SalienceEntry],
                              vocabulary: Vocabulary, perWord: Int = 2) -> [Substitution] {
        var result: [Substitution] = []
        for marker in offVoice where marker.ngram.count == 1 {
            let word = vocabulary.tokens[Int(marker.ngram[0])]
            guard !isGrammarWord(word) else { continue }
            var candidates: [(String, SalienceEntry)] = []
            for synonym in thesaurus.synonyms(of: word) where synonym != word && !negations.contains(synonym) {
                if let entry = salience[synonym], entry.z > 0, entry.voiceCount >= 2 { candidates.append((synonym, entry)) }
            }
            candidates.sort { $0.1.z != $1.1.z ? $0.1.z > $1.1.z : $0.0 < $1.0 }
            for (synonym, entry) in candidates.prefix(perWord) {
                result.append(Substitution(origin: .thesaurus, before: [word], after: synonym.split(separator: " ").map(String.init),
                    afterText: synonym, count: entry.voiceCount, strength: entry.z,
                    example: "thesaurus: \(word) ~ \(synonym) (voice uses '\(synonym)' \(entry.voiceCount)×, '\(word)' \(marker.voiceCount)×)"))
            }
        }
        return result
    }

    /// Keeps the thesaurus substitutions that the voice language model prefers in context: over
    /// up to 30 sentences holding the word, the mean change in log probability per sentence must be positive.
    static func filterByLanguageModel(_ candidates: [Substitution], model: LanguageModel, vocabulary: Vocabulary, contexts: [[UInt32]]) -> [Substitution] {
        var byWord: [UInt32: [Int]] = [:]
        let wanted = Set(candidates.map { vocabulary.id($0.before[0]) })
        for (index, sentence) in contexts.enumerated() {
            for id in Set(sentence) where wanted.contains(id) && byWord[id, default: []].count < 30 { byWord[id, default: []].append(index) }
        }
        return candidates.filter { candidate in
            let word = vocabulary.id(candidate.before[0])
            let replacement = candidate.after.map(vocabulary.id)
            guard let sentences = byWord[word], !sentences.isEmpty, !replacement.contains(Vocabulary.unknown) else { return false }
            var gain = 0.0
            for index in sentences {
                let old = contexts[index]
                var new: [UInt32] = []
                for id in old { if id == word { new += replacement } else { new.append(id) } }
                gain += model.logProbability(sentence: new) - model.logProbability(sentence: old)
            }
            return gain / Double(sentences.count) > 0
        }
    }

    /// Off-voice words mapped to the on-voice word nearest in meaning (cosine of `vectors`).
    static func fromCorpora(vectors: WordVectors, vocabulary: Vocabulary, offVoice: [SalienceEntry], onVoice: [SalienceEntry],
                            minCosine: Double = 0.55, maxPerTarget: Int = 3, minCount: Int = 20) -> [Substitution] {
        // Context vectors of rare words are noise: both words must occur `minCount` times in all.
        func usable(_ entry: SalienceEntry) -> Bool {
            guard entry.ngram.count == 1, vectors.contains(entry.ngram[0]), entry.voiceCount + entry.contrastCount >= minCount else { return false }
            let word = vocabulary.tokens[Int(entry.ngram[0])]
            return !isGrammarWord(word) && word.contains(where: \.isLetter)
        }
        let targets = onVoice.filter(usable)
        var found: [(marker: SalienceEntry, cosine: Double, entry: SalienceEntry)] = []
        for marker in offVoice where usable(marker) {
            var best: (cosine: Double, entry: SalienceEntry)?
            for target in targets {
                let cosine = vectors.cosine(marker.ngram[0], target.ngram[0])!
                if cosine >= minCosine, cosine > (best?.cosine ?? -1) { best = (cosine, target) }
            }
            if let best { found.append((marker, best.cosine, best.entry)) }
        }
        // Hubs: a frequent on-voice word is near many others; it replaces at most `maxPerTarget` of them, the closest.
        var uses: [UInt32: Int] = [:]
        var result: [Substitution] = []
        for (marker, cosine, target) in found.sorted(by: { $0.cosine != $1.cosine ? $0.cosine > $1.cosine : $0.marker.ngram.lexicographicallyPrecedes($1.marker.ngram) }) {
            uses[target.ngram[0], default: 0] += 1
            guard uses[target.ngram[0]]! <= maxPerTarget else { continue }
            let best = (cosine: cosine, entry: target)
            let word = vocabulary.tokens[Int(marker.ngram[0])], replacement = vocabulary.tokens[Int(best.entry.ngram[0])]
            result.append(Substitution(origin: .vectors, before: [word], after: [replacement], afterText: replacement,
                count: best.entry.voiceCount, strength: best.cosine,
                example: String(format: "corpus: '%@' (off-voice, z %.1f) ~ '%@' (on-voice, z %.1f), cosine %.2f", word, marker.z, replacement, best.entry.z, best.cosine)))
        }
        return result
    }
}

/// Distributional word vectors: PPMI context vectors (window ±2, context smoothing 0.75; Levy,
/// Goldberg and Dagan 2015) of the most frequent words, reduced by a randomized truncated SVD
/// on OpenBLAS (U·√S, rows normalised), compared by cosine.
struct WordVectors {
    let rowCount: Int
    let k: Int
    private let vectors: [Double]

    init(sentences: [[UInt32]], vocabularySize: Int, seed: UInt64, rows: Int = 6000, contexts: Int = 2000, rank: Int = 64) {
        // Rows and contexts: the most frequent words (ids are in order of falling frequency), skipping specials.
        let rowCount = max(0, min(rows, vocabularySize - 4)), contextCount = max(0, min(contexts, vocabularySize - 4))
        self.rowCount = rowCount
        guard rowCount >= 8, contextCount >= 8 else { k = 0; vectors = []; return }
        var counts = [Float](repeating: 0, count: rowCount * contextCount)
        for sentence in sentences {
            for (i, word) in sentence.enumerated() {
                let row = Int(word) - 4
                guard row >= 0, row < rowCount else { continue }
                for j in max(0, i - 2)...min(sentence.count - 1, i + 2) where j != i {
                    let column = Int(sentence[j]) - 4
                    if column >= 0 && column < contextCount { counts[row * contextCount + column] += 1 }
                }
            }
        }
        var rowSums = [Double](repeating: 0, count: rowCount), columnSums = [Double](repeating: 0, count: contextCount)
        for r in 0..<rowCount { for c in 0..<contextCount { let v = Double(counts[r * contextCount + c]); rowSums[r] += v; columnSums[c] += v } }
        let total = rowSums.reduce(0, +)
        guard total > 0 else { k = 0; vectors = []; return }
        let smoothed = columnSums.map { pow($0, 0.75) }
        let smoothedTotal = smoothed.reduce(0, +)
        for r in 0..<rowCount where rowSums[r] > 0 {
            for c in 0..<contextCount where counts[r * contextCount + c] > 0 {
                let pmi = log(Double(counts[r * contextCount + c]) / total / (rowSums[r] / total) / (smoothed[c] / smoothedTotal))
                counts[r * contextCount + c] = Float(max(pmi, 0))
            }
        }
        let svd = TruncatedSVD(counts, rows: rowCount, columns: contextCount, rank: min(rank, rowCount, contextCount), seed: seed)
        let k = svd.rank
        var vectors = [Double](repeating: 0, count: rowCount * k)
        for r in 0..<rowCount {
            var norm = 0.0
            for c in 0..<k { let v = Double(svd.u[r * k + c]) * Double(svd.singularValues[c]).squareRoot(); vectors[r * k + c] = v; norm += v * v }
            norm = norm.squareRoot()
            if norm > 0 { for c in 0..<k { vectors[r * k + c] /= norm } }
        }
        self.k = k
        self.vectors = vectors
    }

    func contains(_ id: UInt32) -> Bool { k > 0 && id >= 4 && Int(id) - 4 < rowCount }

    /// Cosine similarity of two words, or nil when either has no vector.
    func cosine(_ a: UInt32, _ b: UInt32) -> Double? {
        guard contains(a), contains(b) else { return nil }
        let x = (Int(a) - 4) * k, y = (Int(b) - 4) * k
        var dot = 0.0
        for c in 0..<k { dot += vectors[x + c] * vectors[y + c] }
        return dot
    }
}

/// The Debian `mythes-en-us` thesaurus (LibreOffice's English thesaurus, built from WordNet;
/// Debian's copyright file lists `dictionaries/en/*` under a permissive licence that allows
/// redistribution), read where it is installed. `th_en_US_v2.idx` maps a word to
/// the byte offset of its entry in `th_en_US_v2.dat`; an entry is `word|senses` followed by one
/// `(pos)|synonym|synonym...` line per sense.
package struct Thesaurus: Sendable {
    public static let defaultPath = "/usr/share/mythes/th_en_US_v2"
    /// WordNet's exception lists (`noun.exc`, `verb.exc`, `adj.exc`, `adv.exc` from Debian's
    /// wordnet-base): irregular inflections and their lemmas ("arose abide", "better good").
    public static let defaultExceptionsDirectory = "/usr/share/wordnet"
    private let offsets: [String: Int]
    private let data: [UInt8]
    /// Irregular form -> (part of speech, lemma), from WordNet's exception lists; empty when they
    /// are not installed.
    private let exceptions: [String: [(partOfSpeech: String, lemma: String)]]

    public init?(path: String = Thesaurus.defaultPath, exceptionsDirectory: String = Thesaurus.defaultExceptionsDirectory) {
        guard let index = FileManager.default.contents(atPath: path + ".idx"),
            let data = FileManager.default.contents(atPath: path + ".dat") else { return nil }
        var offsets: [String: Int] = [:]
        for line in String(decoding: index, as: UTF8.self).split(separator: "\n").dropFirst(2) {
            guard let bar = line.lastIndex(of: "|"), let offset = Int(line[line.index(after: bar)...]) else { continue }
            offsets[String(line[..<bar])] = offset
        }
        self.offsets = offsets
        self.data = [UInt8](data)
        self.exceptions = Self.exceptionLists(directory: exceptionsDirectory)
    }

    /// WordNet's exception lists in `directory`: irregular form -> (part of speech, lemma), the
    /// lemma's underscores read as spaces; empty where they are not installed.
    package static func exceptionLists(directory: String = defaultExceptionsDirectory,
                                       partsOfSpeech: [String] = ["noun", "verb", "adj", "adv"]) -> [String: [(partOfSpeech: String, lemma: String)]] {
        var exceptions: [String: [(partOfSpeech: String, lemma: String)]] = [:]
        for partOfSpeech in partsOfSpeech {
            guard let file = FileManager.default.contents(atPath: directory + "/\(partOfSpeech).exc") else { continue }
            for line in String(decoding: file, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count >= 2 else { continue }
                for lemma in fields.dropFirst() {
                    exceptions[String(fields[0]), default: []].append((partOfSpeech, lemma.replacingOccurrences(of: "_", with: " ")))
                }
            }
        }
        return exceptions
    }

    /// WordNet's detachment rules (morphy), by part of speech: an inflected form ending in the
    /// first string may be the lemma ending in the second. The verb rules add the archaic second
    /// and third persons ("knowest", "cometh"), which modern text never produces by accident.
    private static let detachments: [(partOfSpeech: String, suffix: String, ending: String)] = [
        ("noun", "s", ""), ("noun", "ses", "s"), ("noun", "xes", "x"), ("noun", "zes", "z"), ("noun", "ches", "ch"),
        ("noun", "shes", "sh"), ("noun", "men", "man"), ("noun", "ies", "y"),
        ("verb", "s", ""), ("verb", "ies", "y"), ("verb", "es", "e"), ("verb", "es", ""), ("verb", "ed", "e"), ("verb", "ed", ""),
        ("verb", "ing", "e"), ("verb", "ing", ""), ("verb", "eth", ""), ("verb", "eth", "e"), ("verb", "est", ""), ("verb", "est", "e"),
        ("adj", "er", ""), ("adj", "est", ""), ("adj", "er", "e"), ("adj", "est", "e"),
    ]

    private func senses(of word: String) -> [Substring] {
        guard let offset = offsets[word], offset < data.count else { return [] }
        var lines: [Substring] = []
        var end = offset
        var remaining = 1
        var senses: Int?
        while end < data.count && remaining > 0 {
            var stop = end
            while stop < data.count && data[stop] != UInt8(ascii: "\n") { stop += 1 }
            let line = Substring(String(decoding: data[end..<stop], as: UTF8.self))
            if senses == nil {
                senses = Int(line.split(separator: "|").last ?? "") ?? 0
                remaining = senses!
            } else {
                lines.append(line)
                remaining -= 1
            }
            end = stop + 1
        }
        return lines
    }

    /// Opposites in the first `limit` senses: the thesaurus's "(antonym)" entries, and for a sense
    /// that lists none, the antonyms of the first sense of the words it gives as "(similar term)"
    /// (WordNet's indirect antonyms: "filthy" ~ "dirty", whose antonym is "clean"). Lowercase, in
    /// the thesaurus's order.
    package func antonyms(of word: String, senses limit: Int = 2) -> [String] {
        var result: [String] = []
        func direct(_ line: Substring) -> [String] {
            line.split(separator: "|").dropFirst().compactMap { field in
                field.hasSuffix(" (antonym)") ? field.dropLast(" (antonym)".count).lowercased() : nil
            }
        }
        for line in senses(of: word).prefix(limit) {
            var found = direct(line)
            if found.isEmpty {
                for field in line.split(separator: "|").dropFirst() where field.hasSuffix(" (similar term)") {
                    found += senses(of: String(field.dropLast(" (similar term)".count))).prefix(1).flatMap(direct)
                }
            }
            for antonym in found where antonym != word && !result.contains(antonym) { result.append(antonym) }
        }
        return result
    }

    /// The parts of speech the thesaurus gives the word's senses ("adj", "noun", "verb", "adv"),
    /// and for an inflected form those of its lemma that the inflection can have: "arose" (WordNet
    /// lists it as a form of the verb "arise") is a verb, "dogs" a noun and a verb, "greater" an
    /// adjective, as WordNet's morphy finds them. Empty for a word the thesaurus lists under no
    /// lemma (function words, most archaic words).
    package func partsOfSpeech(of word: String) -> Set<String> {
        var parts = listedPartsOfSpeech(of: word)
        for (partOfSpeech, lemma) in exceptions[word] ?? [] where listedPartsOfSpeech(of: lemma).contains(partOfSpeech) {
            parts.insert(partOfSpeech)
        }
        for rule in Self.detachments where !parts.contains(rule.partOfSpeech) && word.hasSuffix(rule.suffix) && word.count > rule.suffix.count + 1 {
            let lemma = word.dropLast(rule.suffix.count) + rule.ending
            if listedPartsOfSpeech(of: String(lemma)).contains(rule.partOfSpeech) { parts.insert(rule.partOfSpeech) }
        }
        return parts
    }

    /// Whether the word is an adjective's comparative: an irregular one of WordNet's exception
    /// list ("worse", "better"; not the superlatives "worst", "best"), or a regular one in -er whose
    /// stem the thesaurus lists as an adjective ("nicer", "later", "bigger" with its doubled
    /// consonant, "happier" with its y), unless the word has a noun or verb entry of its own
    /// ("customer", "matter", "offer" are not "more custom", "more mat", "more off").
    package func isComparative(_ word: String) -> Bool {
        if (exceptions[word] ?? []).contains(where: { $0.partOfSpeech == "adj" && $0.lemma != word && !word.hasSuffix("st") }) { return true }
        guard word.hasSuffix("er"), word.count > 4 else { return false }
        let own = listedPartsOfSpeech(of: word)
        guard !own.contains("noun"), !own.contains("verb") else { return false }
        let stem = String(word.dropLast(2))
        let stems = [stem, stem + "e"] + (stem.count > 2 && stem.last == stem.dropLast().last ? [String(stem.dropLast())] : [])
            + (stem.hasSuffix("i") ? [String(stem.dropLast()) + "y"] : [])
        return stems.contains { listedPartsOfSpeech(of: $0).contains("adj") }
    }

    private func listedPartsOfSpeech(of word: String) -> Set<String> {
        Set(senses(of: word).compactMap { line in
            guard line.hasPrefix("("), let close = line.firstIndex(of: ")") else { return nil }
            return String(line[line.index(after: line.startIndex)..<close])
        })
    }

    /// Single-word and phrase synonyms of every sense, lowercase, without "(generic term)" and
    /// similar related-but-not-synonymous entries, in the thesaurus's order.
    /// - Parameter senses: only the first this many senses (the thesaurus lists the commonest first).
    public func synonyms(of word: String, senses limit: Int = .max) -> [String] {
        var result: [String] = []
        for line in senses(of: word).prefix(limit) {
            for field in line.split(separator: "|").dropFirst() where !field.contains("(") {
                let synonym = field.lowercased()
                if !result.contains(synonym) { result.append(synonym) }
            }
        }
        return result
    }
}
