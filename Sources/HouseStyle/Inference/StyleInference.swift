import Foundation
import HouseStyleText

/// When the evidence for a habit is clear enough to write it into a style.
public struct InferenceThresholds: Sendable, Hashable {
    /// A habit needs at least this many sites (spellings of the table's words, contractible
    /// phrases, quotation marks, dashes, ellipses, lists, occurrences of a term).
    public var minimumSites: Int
    /// ... and one side must hold at least this share of them (0.8: four to one).
    public var minimumShare: Double
    /// British or American spelling also needs this many different words, so that one name
    /// (a product called "Color") decides nothing.
    public var minimumSpellingWords: Int

    public init(minimumSites: Int = 5, minimumShare: Double = 0.8, minimumSpellingWords: Int = 3) {
        self.minimumSites = minimumSites
        self.minimumShare = minimumShare
        self.minimumSpellingWords = minimumSpellingWords
    }

    /// `a` when it holds `minimumShare` of `a + b` and the two reach `minimumSites`, `b` likewise,
    /// else nil.
    func winner(_ a: Int, _ b: Int) -> Bool? {
        let total = a + b
        guard total >= minimumSites, total > 0 else { return nil }
        if Double(a) >= minimumShare * Double(total) { return true }
        if Double(b) >= minimumShare * Double(total) { return false }
        return nil
    }

    /// "at least 5 sites and 80% of them one way", for comments and messages.
    public var summary: String {
        "at least \(minimumSites) sites and \(InferredStyle.percent(minimumShare)) of them one way"
    }
}

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
        guard let isBritish = thresholds.winner(british, american) else {
            return InferredSetting(.keep, because: evidence, unclear(british, american, "British", "American", sites: "spellings of the table's words"))
        }
        let words = isBritish ? c.british.count : c.american.count
        guard words >= thresholds.minimumSpellingWords else {
            return InferredSetting(.keep, because: evidence,
                "only \(words) different word\(words == 1 ? "" : "s") (need \(thresholds.minimumSpellingWords)): a name would decide it")
        }
        // Oxford spelling: British -our and -re, but -ize. en-GB would write -ise.
        let ise = c.britishISE, ize = c.americanIZE
        if isBritish, ise + ize >= 2, Double(ise) < thresholds.minimumShare * Double(ise + ize) {
            return InferredSetting(.keep, because: evidence + "; of them -ise \(ise), -ize \(ize)",
                "British spelling with -ize (Oxford spelling), which no setting writes: en-GB would change the -ize words")
        }
        if !isBritish, ise + ize >= 2, Double(ize) < thresholds.minimumShare * Double(ise + ize) {
            return InferredSetting(.keep, because: evidence + "; of them -ise \(ise), -ize \(ize)",
                "American spelling with -ise, which no setting writes: en-US would change the -ise words")
        }
        let share = InferredStyle.percent(Double(max(british, american)) / Double(british + american))
        return InferredSetting(isBritish ? .british : .american, because: evidence + ": \(share) \(isBritish ? "British" : "American")")
    }

    private func decideContractions(_ c: HabitCounts) -> InferredSetting<ContractionPolicy> {
        let contracted = c.contractedTotal, expanded = c.expandedTotal
        let evidence = "contracted \(contracted)\(Self.examples(c.contracted)), written out where a contraction fits \(expanded)\(Self.examples(c.expanded))"
        guard let contracts = thresholds.winner(contracted, expanded) else {
            return InferredSetting(.keep, because: evidence, unclear(contracted, expanded, "contracted", "written out", sites: "places a contraction fits"))
        }
        let share = InferredStyle.percent(Double(max(contracted, expanded)) / Double(contracted + expanded))
        return InferredSetting(contracts ? .prefer : .avoid, because: evidence + ": \(share) \(contracts ? "contracted" : "written out")")
    }

    private func decideQuotes(_ c: HabitCounts) -> InferredSetting<QuoteStyle> {
        let straight = c.straightMarks, curly = c.curlyMarks
        func parts(_ apostrophes: Int, _ single: Int, _ double: Int) -> String {
            let total = apostrophes + single + double
            return total == 0 ? "" : " (apostrophes \(apostrophes), single quotation marks \(single), double \(double))"
        }
        let evidence = "straight marks \(straight)\(parts(c.straightApostrophes, c.straightSingleQuotes, c.straightDoubleQuotes)), "
            + "curly \(curly)\(parts(c.curlyApostrophes, c.curlySingleQuotes, c.curlyDoubleQuotes))"
        guard let isStraight = thresholds.winner(straight, curly) else {
            return InferredSetting(.keep, because: evidence + ". " + quotationMarks(c),
                                   unclear(straight, curly, "straight", "curly", sites: "quotation marks and apostrophes"))
        }
        let share = InferredStyle.percent(Double(max(straight, curly)) / Double(straight + curly))
        guard isStraight else { return InferredSetting(.curly, because: evidence + ": \(share) curly. " + quotationMarks(c)) }
        return InferredSetting(.straight, because: evidence + ": \(share) straight. " + quotationMarks(c) + ". Markdown source "
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
        guard let serial = thresholds.winner(with, without) else {
            return InferredSetting(nil, because: evidence, unclear(with, without, "with", "without", sites: "lists of four or more items"))
        }
        let share = InferredStyle.percent(Double(max(with, without)) / Double(with + without))
        return InferredSetting(serial, because: evidence + ": \(share) \(serial ? "with" : "without")")
    }

    private func decideDashes(_ c: HabitCounts) -> InferredSetting<DashStyle> {
        let typographic = c.emDashes + c.spacedEnDashes + c.spacedEmDashes
        let typed = c.spacedHyphens + c.doubleHyphens
        let evidence = "em dashes \(c.emDashes) (a—b), spaced en dashes \(c.spacedEnDashes) (a – b), spaced em dashes \(c.spacedEmDashes) (a — b); "
            + "typed as hyphens \(typed) (a - b \(c.spacedHyphens), a -- b \(c.doubleHyphens))"
        if typographic < thresholds.minimumSites {
            let why = typed >= thresholds.minimumSites
                ? "dashes are typed with hyphens, which show where a dash goes but not which one"
                : "too few dashes between words (\(typographic), need \(thresholds.minimumSites))"
            return InferredSetting(.keep, because: evidence, why)
        }
        let share = thresholds.minimumShare * Double(typographic)
        if Double(c.emDashes) >= share {
            return InferredSetting(.em, because: evidence + ": \(InferredStyle.percent(Double(c.emDashes) / Double(typographic))) em dashes")
        }
        if Double(c.spacedEnDashes) >= share {
            return InferredSetting(.en, because: evidence + ": \(InferredStyle.percent(Double(c.spacedEnDashes) / Double(typographic))) spaced en dashes")
        }
        if Double(c.spacedEmDashes) >= share {
            return InferredSetting(.keep, because: evidence, "spaced em dashes, which no setting writes ('em' writes them unspaced)")
        }
        return InferredSetting(.keep, because: evidence, "no dash holds \(InferredStyle.percent(thresholds.minimumShare)) of them")
    }

    private func decideEllipsis(_ c: HabitCounts) -> InferredSetting<EllipsisStyle> {
        let evidence = "ellipses as three dots \(c.dotEllipses), as the character … \(c.characterEllipses)"
        guard let dots = thresholds.winner(c.dotEllipses, c.characterEllipses) else {
            return InferredSetting(.keep, because: evidence, unclear(c.dotEllipses, c.characterEllipses, "dots", "the character", sites: "ellipses"))
        }
        let share = InferredStyle.percent(Double(max(c.dotEllipses, c.characterEllipses)) / Double(c.dotEllipses + c.characterEllipses))
        return InferredSetting(dots ? .dots : .character, because: evidence + ": \(share) \(dots ? "dots" : "the character")")
    }

    /// Why a two-sided count decides nothing.
    private func unclear(_ a: Int, _ b: Int, _ aName: String, _ bName: String, sites: String) -> String {
        if a + b < thresholds.minimumSites { return "too few \(sites) (\(a + b), need \(thresholds.minimumSites))" }
        return "no clear habit: \(InferredStyle.percent(Double(max(a, b)) / Double(a + b))) \(a >= b ? aName : bName), "
            + "need \(InferredStyle.percent(thresholds.minimumShare))"
    }

    /// " (colour 8, organise 5, ...)": the most frequent forms, at most five.
    static func examples(_ counts: [String: Int]) -> String {
        guard !counts.isEmpty else { return "" }
        let top = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let shown = top.prefix(5).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return " (\(shown)\(top.count > 5 ? ", \(top.count - 5) more" : ""))"
    }
}
