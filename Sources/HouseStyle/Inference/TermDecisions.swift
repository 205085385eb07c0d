import HouseStyleText

/// A `terms` entry inferred from a corpus: the dominant form, and the variants it replaces.
public struct InferredTerm: Sendable, Hashable {
    public var use: String
    public var insteadOf: [String]
    /// True when the variants differ from `use` in letter case only somewhere (a name).
    public var caseSensitive: Bool
    /// The counts, for the comment above the entry.
    public var evidence: String
    /// Occurrences of every form, to order the entries.
    public var total: Int
}

/// Decides terms from the forms `TermSurvey` counted.
///
/// - Joining (email / e-mail / e mail): when one way of joining the words holds the thresholds'
///   share of all occurrences, it is used and the others become `instead_of`. A two-word form
///   with a particle (log in, set up, back up) is usually a verb whose closed form is a noun
///   (login, setup, backup), so such a pair is only noted, for the writer to decide; a two-word
///   form with a function word, or starting with a particle (may be, every one, in to, of ten),
///   is a different phrase and is dropped. One-letter words make no spaced form ("'s aid").
/// - Letter case: only names are enforced, forms with capitals inside a word (GitHub, API) or
///   several capitalised words (Acme Cloud), counted where case tells (mid-sentence, outside
///   headings, emphasis and quotes). A single capitalised word (Apple) may be a common noun too,
///   so it is left alone; so is a name none of whose words is mostly capitalised on its own
///   ("Air Force" / "air force"), and an acronym's lower case ("US" / "us"). Case-only variants
///   make the term `case_sensitive`.
struct TermDecisions {
    let thresholds: InferenceThresholds
    /// Notes on terms beyond this many are summed up in one line.
    static let maximumNotes = 12

    /// - Parameter vocabulary: pass one's counts, which tell a proper name's words from common ones.
    func decide(_ occurrences: TermOccurrences, vocabulary: TermVocabulary) -> (terms: [InferredTerm], notes: [String]) {
        var terms: [InferredTerm] = []
        var notes: [(total: Int, text: String)] = []
        for key in occurrences.shapes.keys.sorted() {
            let shapes = occurrences.shapes[key]!
            let surfaces = occurrences.surfaces[key] ?? [:]
            let total = shapes.values.reduce(0, +)
            let ranked = shapes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            let dominant = ranked[0].key
            let counts = ranked.map { "'\($0.key)' \($0.value)" }.joined(separator: ", ")

            // Joining: two or more ways of writing the words.
            let joinVerdict = thresholds.verdict(ranked[0].value, total - ranked[0].value, ("'\(dominant)'", "other forms"), sites: "occurrences")
            var joinVariants: [String] = []
            var joinNote: String?
            if ranked.count > 1 {
                let spaced = ranked.map(\.key).filter { $0.contains(" ") }
                let spacedWords = spaced.map { $0.split(separator: " ").map(String.init) }
                if spacedWords.contains(where: { $0.contains(where: Self.functionWords.contains) || Self.particles.contains($0[0]) }) {
                    // A different phrase ("may be" / "maybe", "in to" / "into", "of ten" / "often"), not a variant: say nothing.
                } else if spacedWords.contains(where: { $0.dropFirst().contains(where: Self.particles.contains) }) {
                    joinNote = "\(counts): the spaced form may be a verb with a particle and the other a noun (log in / login); left to the writer"
                } else if joinVerdict.winner != true {
                    joinNote = "\(counts): \(joinVerdict.text)"
                } else {
                    joinVariants = ranked.dropFirst().map(\.key)
                }
            }

            // Letter case of the dominant form, where it is a name.
            let dominantSurfaces = surfaces.filter { $0.key.lowercased() == dominant }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            var caseVariants: [String] = []
            var use = dominant
            var caseInfo: String?  // letter case counts behind a decision, for its comment
            var caseNote: String?  // letter case without a clear habit, for the notes
            var caseVerdict: InferenceThresholds.Verdict?
            if let top = dominantSurfaces.first, Self.isName(top.key) {
                let seen = dominantSurfaces.reduce(0) { $0 + $1.value }
                let caseCounts = dominantSurfaces.map { "'\($0.key)' \($0.value)" }.joined(separator: ", ") + " mid-sentence"
                let words = top.key.split(whereSeparator: { $0 == " " || $0 == "-" }).map { $0.lowercased() }
                let verdict = thresholds.verdict(top.value, seen - top.value, ("'\(top.key)'", "other cases"), sites: "occurrences")
                caseVerdict = verdict
                let clear = verdict.winner == true
                if clear && words.count > 1 && !words.contains(where: { vocabulary.isProper($0, share: thresholds.minimumShare) }) {
                    // "Air Force" and "air force", "Main Street" and "main street": a name and a common noun.
                    if dominantSurfaces.count > 1 {
                        caseNote = "\(caseCounts): none of its words is capitalised \(InferredStyle.percent(thresholds.minimumShare)) of the time on its own, so the lower case may be a common noun; left to the writer"
                    }
                } else if clear {
                    use = top.key
                    caseVariants = dominantSurfaces.dropFirst().map(\.key)
                    // An acronym's lower case is often another word: "US" and "us", "IT" and "it".
                    if Casing(of: top.key) == .upper, caseVariants.contains(dominant) {
                        caseVariants.removeAll { $0 == dominant }
                        caseNote = "\(caseCounts): '\(dominant)' may be another word than the acronym '\(top.key)'; left to the writer"
                    }
                    if !caseVariants.isEmpty { caseInfo = caseCounts }
                } else if dominantSurfaces.count > 1 {
                    caseNote = "\(caseCounts): no clear capitalisation (\(verdict.text))"
                }
            }

            if let joinNote { notes.append((total, joinNote)) }
            if let caseNote { notes.append((total, caseNote)) }
            guard !joinVariants.isEmpty || !caseVariants.isEmpty else { continue }
            let caseSensitive = !caseVariants.isEmpty
            var insteadOf: [String] = caseVariants
            for variant in joinVariants {
                if caseSensitive {
                    // Matched letter for letter: every way the variant was written, and its lower case
                    // (which also matches the variant capitalised at the start of a sentence).
                    let written = surfaces.filter { $0.key.lowercased() == variant }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
                    insteadOf += written + [variant]
                } else {
                    insteadOf.append(variant)
                }
            }
            var unique: [String] = []
            for form in insteadOf where form != use && !unique.contains(form) { unique.append(form) }
            guard !unique.isEmpty else { continue }
            var evidence = ranked.count > 1 ? counts : "\(total) in all"
            if let caseInfo { evidence += "; \(caseInfo)" }
            // The decision the entry stands on: the letter case when only that varies, else the joining.
            evidence += ": " + (caseSensitive && joinVariants.isEmpty ? caseVerdict ?? joinVerdict : joinVerdict).text
            terms.append(InferredTerm(use: use, insteadOf: unique, caseSensitive: caseSensitive, evidence: evidence, total: total))
        }
        terms.sort { ($0.total, $1.use) > ($1.total, $0.use) }
        notes.sort { ($0.total, $1.text) > ($1.total, $0.text) }
        var shown = notes.prefix(Self.maximumNotes).map(\.text)
        if notes.count > Self.maximumNotes { shown.append("and \(notes.count - Self.maximumNotes) more, each seen less often") }
        return (terms, shown)
    }

    /// A form whose letter case makes it a name: capitals inside a word (GitHub, API, macOS), or
    /// more than one word with a capital (Acme Cloud). One capitalised word (Apple) is not enough.
    static func isName(_ form: String) -> Bool {
        let words = form.split(whereSeparator: { $0 == " " || $0 == "-" })
        guard words.contains(where: { $0.contains(where: \.isUppercase) }) else { return false }
        let innerCapitals = words.contains { ![.lower, .capitalised].contains(Casing(of: String($0))) }
        return innerCapitals || words.filter { $0.first?.isUppercase == true }.count > 1
    }

    /// True for the words a title may start or end with that are no part of a name ("The", "Of").
    static func isFunctionWord(_ word: String) -> Bool { functionWords.contains(word) || particles.contains(word) }

    /// Second words that make a two-word form a phrasal verb ("log in", "set up", "back up"); as a
    /// first word, they make a different phrase ("on stage", "of ten").
    static let particles: Set<String> = [
        "in", "on", "up", "out", "off", "down", "over", "back", "away", "through", "about", "around", "by",
        "to", "into", "onto", "with", "at", "for", "of", "along", "across", "ahead", "apart", "aside",
    ]

    /// Words that make a two-word form a phrase of its own ("may be", "every one", "no one"), as
    /// does a form of particles only ("in to", "on to").
    static let functionWords: Set<String> = [
        "a", "an", "the", "any", "every", "some", "no", "none", "one", "each", "all", "other", "another", "own", "same", "such",
        "may", "might", "can", "could", "will", "would", "shall", "should", "must", "be", "been", "being", "is", "are", "was",
        "were", "do", "does", "did", "have", "has", "had", "not", "ever", "there", "where", "what", "when", "how", "who",
        "which", "this", "that", "these", "those", "it", "its", "as", "so", "too", "than", "then", "and", "or", "but", "if",
        "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "per",
    ]
}
