import Testing
@testable import HouseStyle

struct StyleVersionTests {
    @Test func currentVersionLoads() throws {
        #expect(try diagnostics(for: "version: 1\n").isEmpty)
        #expect(Style.currentVersion == 1)
    }

    @Test func aNewerVersionAsksForANewerHousestyleAndNothingElse() throws {
        #expect(try diagnostics(for: "version: 2\nfuture_key: true\nspelling: klingon\n") == [
            "styles/test.yaml:1:10: error: this style file needs a newer housestyle: it is version 2, this housestyle reads version 1"
        ])
    }

    @Test(arguments: [0, -1])
    func anOlderOrInvalidVersionIsUnsupported(version: Int) throws {
        #expect(try diagnostics(for: "version: \(version)\n") == [
            "styles/test.yaml:1:10: error: unsupported version \(version); the style file version is 1"
        ])
    }

    @Test func versionMustBeAWholeNumber() throws {
        #expect(try diagnostics(for: "version: 1.5\n") == [
            "styles/test.yaml:1:10: error: expected a whole number for 'version', found the number 1.5"
        ])
    }

    @Test func missingVersionStillReportsTheOtherMistakes() throws {
        #expect(try diagnostics(for: "spelling: us\n") == [
            "styles/test.yaml:1:1: error: missing required key 'version'; add 'version: 1' at the top of the file",
            "styles/test.yaml:1:11: error: invalid value 'us' for 'spelling'; expected one of: en-GB, en-US, keep",
        ])
    }
}
