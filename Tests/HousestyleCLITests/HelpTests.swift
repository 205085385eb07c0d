import Foundation
import Testing

/// Every command's `--help`, against golden files in Fixtures/Golden/help-COMMAND.txt, at 80
/// columns. After changing an option or a help text, re-record them on purpose and read the diff:
///
///     HOUSESTYLE_RECORD=1 swift test --skip-build --filter HelpTests   # records, and fails
///     swift test --skip-build --filter HelpTests                        # passes
@Suite struct HelpTests {
    static let commands: [[String]] = [
        [], ["init"], ["validate"], ["train"], ["rewrite"], ["filter"], ["check"], ["score"], ["eval"],
        ["import"], ["import", "vale"], ["lsp"],
    ]

    static func help(_ command: [String]) throws -> String {
        let folder = try TemporaryFolder()
        let result = try CLI.run(command + ["--help"], in: folder.url, environment: ["COLUMNS": "80"])
        #expect(result.status == 0 && result.err.isEmpty, "housestyle \(command.joined(separator: " ")) --help: \(result)")
        return result.out
    }

    @Test(arguments: commands)
    func helpMatchesItsGoldenFile(command: [String]) throws {
        let name = "help" + command.map { "-" + $0 }.joined() + ".txt"
        try Golden.check(try Self.help(command), named: name, comment: "housestyle \(command.joined(separator: " ")) --help")
    }

    /// Help is wrapped by ArgumentParser: a line break or a run of spaces written into a command's
    /// discussion prints as a short line or a gap in a sentence ("1 / when one / is invalid").
    @Test(arguments: commands)
    func discussionHasNoHardBreaksOrGaps(command: [String]) throws {
        let help = try Self.help(command)
        let overview = help.components(separatedBy: "\nUSAGE:")[0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in overview.enumerated() {
            let name = "housestyle \(command.joined(separator: " ")) --help, line \(index + 1)"
            if line.range(of: #"\S {2,}\S"#, options: .regularExpression) != nil { Issue.record("\(name): a gap inside the text: \(line)") }
            // A wrapped paragraph fills its lines: a short line followed by more of the same
            // paragraph was broken by hand.
            let next = index + 1 < overview.count ? overview[index + 1] : ""
            if !line.trimmingCharacters(in: .whitespaces).isEmpty, line.count < 50, !next.trimmingCharacters(in: .whitespaces).isEmpty, !line.hasSuffix(":") {
                Issue.record("\(name): a line broken by hand: \(line)")
            }
        }
    }
}
