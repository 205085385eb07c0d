import Foundation
import HouseStyleText

/// Infers a style from documents: counts the habits of `HabitCounts` and the term forms of
/// `TermSurvey`, then decides each setting where the evidence is clear (`InferenceThresholds`)
/// and leaves it as it is (`keep`, or unset) with the reason where it is not.
public struct StyleInference {
    public var thresholds: InferenceThresholds
    private let probes: HabitProbes

    /// - Parameter spellingPairs: the spelling stage's table (`Resources.spellingPairs()`).
    public init(thresholds: InferenceThresholds = InferenceThresholds(), spellingPairs: [(british: String, american: String)]) {
        self.thresholds = thresholds
        probes = HabitProbes(spellingPairs: spellingPairs)
    }

    /// With the spelling table that `resources` finds.
    /// - Throws: `StyleInferenceError.missingSpellingTable` when it is not installed.
    public init(thresholds: InferenceThresholds = InferenceThresholds(), resources: Resources) throws(StyleInferenceError) {
        do { self.init(thresholds: thresholds, spellingPairs: try resources.spellingPairs()) } catch {
            throw .missingSpellingTable(error)
        }
    }

    /// Infers a style from texts given with their paths (the extension decides Markdown or plain text).
    public func infer(texts: [(path: String, text: String)]) throws(StyleInferenceError) -> InferredStyle {
        try infer(count: texts.count) { index throws(StyleInferenceError) in texts[index] }
    }

    /// Infers a style from files, reading each twice (once per pass) rather than keeping the corpus in memory.
    public func infer(files: [String]) throws(StyleInferenceError) -> InferredStyle {
        try infer(count: files.count) { index throws(StyleInferenceError) in
            do throws(InputError) { return (files[index], try TextFile.read(files[index])) } catch { throw .unreadable(error) }
        }
    }

    private func infer(count: Int, text: (Int) throws(StyleInferenceError) -> (path: String, text: String)) throws(StyleInferenceError) -> InferredStyle {
        let segmenter: WordSegmenter
        do { segmenter = try WordSegmenter(locale: "en") } catch { throw .unsegmentable(path: "<segmenter>", error) }
        let ignore = IgnoreSettings().rules()
        func survey(_ index: Int) throws(StyleInferenceError) -> SurveyedDocument {
            let (path, contents) = try text(index)
            do { return try SurveyedDocument(text: contents, path: path, segmenter: segmenter, ignore: ignore) } catch {
                throw .unsegmentable(path: path, error)
            }
        }
        var habits = HabitCounts()
        var vocabulary = TermVocabulary()
        for index in 0..<count {
            let document = try survey(index)
            habits += probes.count(document)
            vocabulary += TermSurvey.vocabulary(of: document)
        }
        guard habits.words > 0 else { throw .noProse(documents: count) }
        let candidates = vocabulary.candidates
        var occurrences = TermOccurrences()
        if !candidates.isEmpty {
            for index in 0..<count { occurrences += TermSurvey.occurrences(in: try survey(index), of: candidates) }
        }
        return decide(habits, occurrences, vocabulary)
    }

    /// The settings that `habits` and the term forms in `occurrences` support.
    func decide(_ habits: HabitCounts, _ occurrences: TermOccurrences, _ vocabulary: TermVocabulary) -> InferredStyle {
        let (terms, notes) = TermDecisions(thresholds: thresholds).decide(occurrences, vocabulary: vocabulary)
        let spelling = decideSpelling(habits)
        let locale = spelling.value == .keep ? "en" : spelling.value.rawValue
        return InferredStyle(
            counts: habits, thresholds: thresholds, locale: locale, spelling: spelling,
            contractions: decideContractions(habits), quotes: decideQuotes(habits),
            quotationMarks: quotationMarks(habits), oxfordComma: decideSerialComma(habits),
            dashes: decideDashes(habits), ellipsis: decideEllipsis(habits), terms: terms, termNotes: notes)
    }

    // MARK: - Decisions

    private func decideSpelling(_ c: HabitCounts) -> InferredSetting<SpellingPolicy> {
        let british = c.britishTotal, american = c.americanTotal
        let evidence = "British spellings \(british)\(Self.examples(c.british)), American \(american)\(Self.examples(c.american))"
        let verdict = thresholds.verdict(british, american, ("British", "American"), sites: "spellings of the table's words")
        guard let isBritish = verdict.winner else { return InferredSetting(.keep, because: evidence, verdict.text) }
        let words = isBritish ? c.british.count : c.american.count
        guard words >= thresholds.minimumSpellingWords else {
            return InferredSetting(.keep, because: evidence,
                "only \(words) different word\(words == 1 ? "" : "s") (need \(thresholds.minimumSpellingWords)): a name would decide it")
        }
        // Oxford spelling: British -our and -re, but -ize. en-GB would write -ise. A guard, not a
        // habit: more than a fifth of the other ending, from two sites, keeps the setting,
        // because the setting would rewrite those words.
        let ise = c.britishISE, ize = c.americanIZE
        if isBritish, ise + ize >= 2, Double(ise) < thresholds.minimumShare * Double(ise + ize) {
            return InferredSetting(.keep, because: evidence + "; of them -ise \(ise), -ize \(ize)",
                "British spelling with -ize (Oxford spelling), which no setting writes: en-GB would change the -ize words")
        }
        if !isBritish, ise + ize >= 2, Double(ize) < thresholds.minimumShare * Double(ise + ize) {
            return InferredSetting(.keep, because: evidence + "; of them -ise \(ise), -ize \(ize)",
                "American spelling with -ise, which no setting writes: en-US would change the -ise words")
        }
        return InferredSetting(isBritish ? .british : .american, because: evidence + ": " + verdict.text)
    }

    private func decideContractions(_ c: HabitCounts) -> InferredSetting<ContractionPolicy> {
        let contracted = c.contractedTotal, expanded = c.expandedTotal
        let evidence = "contracted \(contracted)\(Self.examples(c.contracted)), written out where a contraction fits \(expanded)\(Self.examples(c.expanded))"
        let verdict = thresholds.verdict(contracted, expanded, ("contracted", "written out"), sites: "places a contraction fits")
        guard let contracts = verdict.winner else { return InferredSetting(.keep, because: evidence, verdict.text) }
        return InferredSetting(contracts ? .prefer : .avoid, because: evidence + ": " + verdict.text)
    }

    private func decideQuotes(_ c: HabitCounts) -> InferredSetting<QuoteStyle> {
        let straight = c.straightMarks, curly = c.curlyMarks
        func parts(_ apostrophes: Int, _ single: Int, _ double: Int) -> String {
            let total = apostrophes + single + double
            return total == 0 ? "" : " (apostrophes \(apostrophes), single quotation marks \(single), double \(double))"
        }
        let evidence = "straight marks \(straight)\(parts(c.straightApostrophes, c.straightSingleQuotes, c.straightDoubleQuotes)), "
            + "curly \(curly)\(parts(c.curlyApostrophes, c.curlySingleQuotes, c.curlyDoubleQuotes))"
        let verdict = thresholds.verdict(straight, curly, ("straight", "curly"), sites: "quotation marks and apostrophes")
        guard let isStraight = verdict.winner else {
            return InferredSetting(.keep, because: evidence + ". " + quotationMarks(c), verdict.text)
        }
        guard isStraight else { return InferredSetting(.curly, because: evidence + ": \(verdict.text). " + quotationMarks(c)) }
        return InferredSetting(.straight, because: evidence + ": \(verdict.text). " + quotationMarks(c) + ". Markdown source "
            + "is often typed straight and curled when published (SmartyPants); write curly if your published text has curly marks")
    }

    private func quotationMarks(_ c: HabitCounts) -> String {
        let single = c.straightSingleQuotes + c.curlySingleQuotes, double = c.straightDoubleQuotes + c.curlyDoubleQuotes
        return "Quotation marks (not apostrophes): double \(double), single \(single); no setting chooses between them"
    }

    /// Serial commas are decided on lists of four or more items ("A, B, C, and D"), the lists
    /// `punctuation` edits. A three-item pattern is only a finding there, and rightly: "If it
    /// fails, wait a while and try again" has its shape without being a list, so such patterns
    /// lean towards "without"; they are shown but not counted.
    private func decideSerialComma(_ c: HabitCounts) -> InferredSetting<Bool?> {
        let with = c.serialLong, without = c.noSerialLong
        let evidence = "lists of four or more items with a serial comma \(with), without \(without) "
            + "(three-item patterns, not counted because an introductory phrase looks like one: with \(c.serialShort), without \(c.noSerialShort))"
        let verdict = thresholds.verdict(with, without, ("with", "without"), sites: "lists of four or more items")
        guard let serial = verdict.winner else { return InferredSetting(nil, because: evidence, verdict.text) }
        return InferredSetting(serial, because: evidence + ": " + verdict.text)
    }

    /// The most frequent of the three typographic dashes against the other two, by the same rule
    /// as every habit. Hyphens typed for dashes are not a third way of the same choice (they say
    /// where a dash goes, not which): they are shown, and named as the reason when they alone
    /// would be a habit.
    private func decideDashes(_ c: HabitCounts) -> InferredSetting<DashStyle> {
        let typographic = c.emDashes + c.spacedEnDashes + c.spacedEmDashes
        let typed = c.spacedHyphens + c.doubleHyphens
        let evidence = "em dashes \(c.emDashes) (a—b), spaced en dashes \(c.spacedEnDashes) (a – b), spaced em dashes \(c.spacedEmDashes) (a — b); "
            + "typed as hyphens \(typed) (a - b \(c.spacedHyphens), a -- b \(c.doubleHyphens))"
        let kinds: [(count: Int, name: String, value: DashStyle?)] = [
            (c.emDashes, "em dashes", .em), (c.spacedEnDashes, "spaced en dashes", .en), (c.spacedEmDashes, "spaced em dashes", nil),
        ]
        let top = kinds.max { $0.count < $1.count }!
        let verdict = thresholds.verdict(top.count, typographic - top.count, (top.name, "other dashes"), sites: "dashes between words")
        if verdict.winner == true {
            guard let value = top.value else {
                return InferredSetting(.keep, because: evidence, "spaced em dashes, which no setting writes ('em' writes them unspaced)")
            }
            return InferredSetting(value, because: evidence + ": " + verdict.text)
        }
        if typed > typographic, thresholds.verdict(typed, typographic, ("hyphens", "dashes"), sites: "dashes").winner == true {
            return InferredSetting(.keep, because: evidence, "dashes are typed with hyphens, which show where a dash goes but not which one")
        }
        return InferredSetting(.keep, because: evidence, verdict.text)
    }

    private func decideEllipsis(_ c: HabitCounts) -> InferredSetting<EllipsisStyle> {
        let evidence = "ellipses as three dots \(c.dotEllipses), as the character … \(c.characterEllipses)"
        let verdict = thresholds.verdict(c.dotEllipses, c.characterEllipses, ("dots", "the character"), sites: "ellipses")
        guard let dots = verdict.winner else { return InferredSetting(.keep, because: evidence, verdict.text) }
        return InferredSetting(dots ? .dots : .character, because: evidence + ": " + verdict.text)
    }

    /// " (colour 8, organise 5, ...)": the most frequent forms, at most five.
    static func examples(_ counts: [String: Int]) -> String {
        guard !counts.isEmpty else { return "" }
        let top = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let shown = top.prefix(5).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return " (\(shown)\(top.count > 5 ? ", \(top.count - 5) more" : ""))"
    }
}
