import Foundation
import Testing

/// `housestyle filter`: stdin to stdout, and JSON lines for Spark/Hadoop streaming.
@Suite struct FilterCommandTests {
    @Test(arguments: [
        ("Please log in to acme cloud.\n", "Please sign in to Acme Cloud.\n"),
        ("no newline at the end, then log out", "no newline at the end, then sign out"),
        ("Keep `log in` and [log in](https://acme.example/log in) as they are.\r\n",
         "Keep `log in` and [sign in](https://acme.example/log in) as they are.\r\n"),
        ("", ""),
    ])
    func rewritesStdinToStdoutExactly(input: String, expected: String) throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["filter", CLI.acmeStyle], in: folder.url, stdin: Data(input.utf8))
        #expect(result.status == 0, "\(result)")
        #expect(result.out == expected)
        #expect(result.err == "")
    }

    @Test func plainInputFormatDoesNotProtectMarkdown() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["filter", CLI.acmeStyle, "--input-format", "plain"], in: folder.url,
                                 stdin: Data("Keep `log in` here.\n".utf8))
        #expect(result.status == 0)
        #expect(result.out == "Keep `sign in` here.\n")
    }

    @Test func anUnusableStyleStillPassesTheInputThrough() throws {
        let folder = try TemporaryFolder()
        try folder.write(["styles/broken.yaml": "version: 1\ncontractons: prefer\n"])
        let input = Data("log in to acme cloud\n".utf8)
        let result = try CLI.run(["filter", "styles/broken.yaml"], in: folder.url, stdin: input)
        #expect(result.status == 2)
        #expect(result.stdout == input)
        #expect(result.err.contains("unknown key 'contractons'"), "\(result.err)")
    }

    @Test func invalidUTF8IsPassedThroughUnchanged() throws {
        let folder = try TemporaryFolder()
        let input = Data("log in to ".utf8) + [0xFE, 0xFF] + Data(" acme cloud\n".utf8)
        let result = try CLI.run(["filter", CLI.acmeStyle], in: folder.url, stdin: input)
        #expect(result.status == 1)
        #expect(result.stdout == input)
        #expect(result.err == "<stdin>: not valid UTF-8 at byte 10\n")
    }

    @Test func jsonLinesKeepIdsAndOrderAndReportMalformedRecords() throws {
        let folder = try TemporaryFolder()
        let input = """
            {"id": 1, "text": "log in"}
            not json
            {"id": "b", "text": "It is organized."}

            {"id": 4, "text": 3}
            {"id": [5], "text": "nothing to change"}

            """
        let result = try CLI.run(["filter", CLI.acmeStyle, "--jsonl"], in: folder.url, stdin: Data(input.utf8))
        #expect(result.status == 1)
        #expect(result.err == "")
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines.last == "", "\(result)")
        #expect(Array(lines.dropLast()) == [
            #"{"edits":[{"column":1,"confidence":1,"end":6,"level":"warning","line":1,"origin":"rule","original":"log in","reason":"house term: use 'sign in' instead of 'log in'","replacement":"Sign in","rule":"terms","start":0}],"findings":[],"id":1,"text":"Sign in"}"#,
            #"{"error":"not a JSON object","id":null}"#,
            #"{"edits":[{"column":1,"confidence":1,"end":5,"level":"warning","line":1,"origin":"rule","original":"It is","reason":"contract 'It is' to 'It's'; typographic apostrophe","replacement":"It’s","rule":"contractions+smart_quotes","start":0},{"column":7,"confidence":1,"end":15,"level":"warning","line":1,"origin":"rule","original":"organized","reason":"en-GB spelling: 'organised' not 'organized'","replacement":"organised","rule":"spelling","start":6}],"findings":[],"id":"b","text":"It’s organised."}"#,
            #"{"error":"record has no string field 'text'","id":4}"#,
            #"{"edits":[],"findings":[],"id":[5],"text":"nothing to change"}"#,
        ])
    }

    @Test func jsonLinesReportFindingsAndInvalidUTF8() throws {
        let folder = try TemporaryFolder()
        var input = Data(#"{"id": 1, "text": "We leverage it."}"#.utf8) + Data([0x0A])
        input += Data(#"{"id": 2, "text": "caf"#.utf8) + Data([0xE9]) + Data(#""}"#.utf8) + Data([0x0A])
        input += Data(#"{"id": 3, "text": "ok"}"#.utf8)  // no final line feed
        let result = try CLI.run(["filter", CLI.acmeStyle, "--jsonl"], in: folder.url, stdin: input)
        #expect(result.status == 1)
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result)")
        #expect(lines.first?.contains(#""findings":[{"column":4,"end":11,"level":"warning","line":1,"message":"avoid 'leverage'","rule":"avoid","start":3}]"#) == true, "\(result)")
        #expect(lines.dropFirst().first == #"{"error":"line 2 is not valid UTF-8","id":null}"#)
        #expect(lines.last == #"{"edits":[],"findings":[],"id":3,"text":"ok"}"#)
    }

    @Test func jsonLinesAllGoodExitsZero() throws {
        let folder = try TemporaryFolder()
        let input = (0..<50).map { #"{"id": \#($0), "text": "line \#($0) says log out"}"# }.joined(separator: "\n") + "\n"
        let result = try CLI.run(["filter", CLI.acmeStyle, "--jsonl"], in: folder.url, stdin: Data(input.utf8))
        #expect(result.status == 0)
        let records = try result.out.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(records.map { $0["id"] as? Int } == Array(0..<50))
        #expect(records.map { $0["text"] as? String } == (0..<50).map { "line \($0) says sign out" })
    }
}
