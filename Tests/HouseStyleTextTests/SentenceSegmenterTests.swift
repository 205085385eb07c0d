import Testing
@testable import HouseStyleText

@Suite struct SentenceSegmenterTests {
    let segmenter: SentenceSegmenter

    init() throws { segmenter = try SentenceSegmenter() }

    func sentences(_ text: String) throws -> [String] {
        try segmenter.sentences(in: text).map { String($0.substring(in: text)) }
    }

    @Test func keepsAbbreviationsInsideTheSentence() throws {
        let text = "Dr. Smith met Mr. Jones at 5 p.m. in the U.S. It rained."
        #expect(try sentences(text) == ["Dr. Smith met Mr. Jones at 5 p.m. in the U.S. ", "It rained."])
        #expect(try segmenter.sentences(in: text).map(\.utf8Range) == [0..<46, 46..<56])
    }

    @Test(arguments: [
        ("Use a tool, e.g. this one. Then stop.", ["Use a tool, e.g. this one. ", "Then stop."]),
        ("Some tools, e.g. Vale, check style. Others do not.", ["Some tools, e.g. Vale, check style. ", "Others do not."]),
        ("That is, i.e. The End. Fine.", ["That is, i.e. The End. ", "Fine."]),
        ("We met at St. Paul Cathedral. It was cold.", ["We met at St. Paul Cathedral. ", "It was cold."]),
        ("See Fig. 3 for details. Then Fig. 4.", ["See Fig. 3 for details. ", "Then Fig. 4."]),
        ("He climbed Mt. Everest. Twice.", ["He climbed Mt. Everest. ", "Twice."]),
        ("Ask Prof. Xavier and Ms. Grey. They know.", ["Ask Prof. Xavier and Ms. Grey. ", "They know."]),
        ("Acme Ltd. Builds tools, approx. Ten a day.", ["Acme Ltd. Builds tools, approx. Ten a day."]),
        ("Red vs. Blue. Go.", ["Red vs. Blue. ", "Go."]),
        ("It is No. 5 in the list. Yes.", ["It is No. 5 in the list. ", "Yes."]),
        ("Apples, pears etc. Nothing else.", ["Apples, pears etc. Nothing else."]),
        ("E.g. This starts a sentence. Done.", ["E.g. This starts a sentence. ", "Done."]),
    ])
    func abbreviationCases(text: String, expected: [String]) throws {
        #expect(try sentences(text) == expected)
    }

    @Test func breaksAfterOrdinarySentencesAndParagraphs() throws {
        // A line break ends a paragraph, so a blank line is a (blank) sentence of its own.
        #expect(try sentences("One. Two? Three!\n\nFour") == ["One. ", "Two? ", "Three!\n", "\n", "Four"])
        #expect(try sentences("Line one\r\nLine two.") == ["Line one\r\n", "Line two."])
    }

    @Test func dottedAbbreviationsMatchWholeWordsOnly() throws {
        // "Lie.g." is not "e.g." even though it ends with the same bytes.
        #expect(try sentences("It said Lie.g. Then it ended.") == ["It said Lie.g. ", "Then it ended."])
        // ICU's own filter (used for abbreviations without an inner period) matches word endings:
        // "IDr." counts as "Dr.". Recorded here so that a change in ICU is noticed.
        #expect(try sentences("The IDr. Smith case. Next.") == ["The IDr. Smith case. ", "Next."])
    }

    @Test func extraAbbreviationsSuppressBreaks() throws {
        let text = "Read Sect. Four first. Then stop."
        #expect(try sentences(text) == ["Read Sect. ", "Four first. ", "Then stop."])
        let custom = try SentenceSegmenter(extraAbbreviations: ["Sect.", "approx.a."])
        #expect(try custom.sentences(in: text).map { String($0.substring(in: text)) } == ["Read Sect. Four first. ", "Then stop."])
        #expect(custom.abbreviations.contains("Sect."))
        #expect(custom.abbreviations.contains("Approx.a."))
        #expect(!segmenter.abbreviations.contains("Sect."))
    }

    @Test(arguments: ["Sect", "two words.", ".", "", "tab\t."])
    func rejectsMalformedAbbreviations(abbreviation: String) {
        #expect(throws: TextError.invalidAbbreviation(abbreviation)) {
            try SentenceSegmenter(extraAbbreviations: [abbreviation])
        }
    }

    @Test func abbreviationMessage() {
        #expect(TextError.invalidAbbreviation("Sect").description
            == "abbreviation 'Sect' must end with '.' and contain no spaces, e.g. 'Dept.'")
    }

    @Test func defaultListHasTheProjectAbbreviationsAndCapitalisedForms() {
        for abbreviation in ["Dr.", "St.", "Mt.", "e.g.", "E.g.", "i.e.", "etc.", "Etc.", "vs.", "p.m.", "a.m.",
                             "Fig.", "No.", "Mr.", "Mrs.", "Ms.", "Prof.", "Jr.", "Sr.", "Inc.", "Ltd.", "Co.",
                             "approx.", "cf.", "Cf."] {
            #expect(segmenter.abbreviations.contains(abbreviation), "\(abbreviation)")
        }
        #expect(segmenter.abbreviations == segmenter.abbreviations.sorted())
    }

    @Test func acceptsBCP47AndICULocales() throws {
        let text = "Dr. Who. Yes."
        for locale in ["en-GB", "en_US", "en@ss=standard", "de"] {
            let other = try SentenceSegmenter(locale: locale)
            #expect(try other.sentences(in: text).map(\.utf8Range) == [0..<9, 9..<13], "\(locale)")
        }
    }

    @Test func rejectsMalformedLocale() {
        #expect(throws: TextError.invalidLocale("en-")) { try SentenceSegmenter(locale: "en-") }
    }

    @Test func emptyTextHasNoSentences() throws {
        #expect(try segmenter.sentences(in: "") == [])
    }

    @Test func byteOrderMarkStaysInTheFirstSentence() throws {
        let text = "\u{FEFF}Hello. World."
        #expect(try segmenter.sentences(in: text).map(\.utf8Range) == [0..<10, 10..<16])
    }

    @Test func reusedSegmenterGivesTheSameAnswers() throws {
        let a = "First one. Second one."
        let b = "Dr. No. Not a sentence break? Maybe."
        let first = try segmenter.sentences(in: a)
        _ = try segmenter.sentences(in: b)
        #expect(try segmenter.sentences(in: a) == first)
    }
}
