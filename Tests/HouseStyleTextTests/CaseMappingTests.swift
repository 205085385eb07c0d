import Testing
@testable import HouseStyleText

private func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

@Suite struct CaseMappingTests {
    @Test(arguments: [
        ("istanbul", "tr", "İSTANBUL"),
        ("istanbul", "en", "ISTANBUL"),
        ("istanbul", "", "ISTANBUL"),
        ("straße", "de", "STRASSE"),
        ("άδικος, κείμενο", "el", "ΑΔΙΚΟΣ, ΚΕΙΜΕΝΟ"),
        ("ﬁx", "en", "FIX"),
    ])
    func uppercased(input: String, locale: String, expected: String) throws {
        #expect(scalars(try CaseMapping.uppercased(input, locale: locale)) == scalars(expected))
    }

    @Test(arguments: [
        ("DIYARBAKIR", "tr", "dıyarbakır"),
        ("DIYARBAKIR", "en", "diyarbakir"),
        ("İ", "tr", "i"),
        ("İ", "en", "i\u{307}"),
        ("ΟΔΟΣ", "el", "οδος"),
        ("ΟΔΟΣ", "en", "οδος"),
    ])
    func lowercased(input: String, locale: String, expected: String) throws {
        #expect(scalars(try CaseMapping.lowercased(input, locale: locale)) == scalars(expected))
    }

    @Test(arguments: [
        ("hello WORLD, it's me", "en", "Hello World, It's Me"),
        ("ijssel en ijmuiden", "nl", "IJssel En IJmuiden"),
        ("ijssel", "en", "Ijssel"),
        ("istanbul", "tr-TR", "İstanbul"),
    ])
    func titlecased(input: String, locale: String, expected: String) throws {
        #expect(scalars(try CaseMapping.titlecased(input, locale: locale)) == scalars(expected))
    }

    @Test func foldingIgnoresCase() throws {
        #expect(try CaseMapping.folded("Straße") == CaseMapping.folded("STRASSE"))
        #expect(scalars(try CaseMapping.folded("Straße ΣΊΣΥΦΟΣ")) == scalars("strasse σίσυφοσ"))
    }

    @Test func growsTheBufferWhenMappingExpands() throws {
        let text = String(repeating: "ß", count: 1000)
        #expect(try CaseMapping.uppercased(text) == String(repeating: "SS", count: 1000))
    }

    @Test func rejectsMalformedLocale() {
        #expect(throws: TextError.invalidLocale("tr-")) { try CaseMapping.uppercased("i", locale: "tr-") }
        #expect(TextError.invalidLocale("tr-").description
            == "unknown locale 'tr-'; use an ICU or BCP 47 identifier such as 'en', 'en-GB' or 'tr'")
    }
}
