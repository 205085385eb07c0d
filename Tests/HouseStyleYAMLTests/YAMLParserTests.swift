import Foundation
import Testing
@testable import HouseStyleYAML

private func parse(_ text: String) throws(YAMLError) -> YAMLDocument {
    try YAMLParser.parse(text, path: "t.yaml")
}

private func parseError(_ text: String) -> String? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error.description
    }
}

@Test func mappingKeepsKeysInOrderWithPositions() throws {
    let document = try parse("version: 1\nname: acme\npunctuation:\n  quotes: curly\n")
    let entries = try #require(document.root.mapping)
    #expect(entries.map { $0.key.scalar?.text } == ["version", "name", "punctuation"])
    #expect(entries.map { "\($0.key.mark)" } == ["t.yaml:1:1", "t.yaml:2:1", "t.yaml:3:1"])
    #expect(entries.map { "\($0.value.mark)" } == ["t.yaml:1:10", "t.yaml:2:7", "t.yaml:4:3"])
    let quotes = try #require(document.root["punctuation"]?.mapping?.first)
    #expect(quotes.key.mark == SourceMark(path: "t.yaml", line: 4, column: 3))
    #expect(quotes.value.mark == SourceMark(path: "t.yaml", line: 4, column: 11))
    #expect(document.root.mark == SourceMark(path: "t.yaml", line: 1, column: 1))
}

@Test func sequencesInBlockAndFlowStyle() throws {
    let document = try parse("a: [x, 'y']\nb:\n  - z\n  - {k: v}\n")
    let a = try #require(document.root["a"]?.sequence)
    #expect(a.map { $0.scalar?.text } == ["x", "y"])
    #expect(a.map { $0.mark.column } == [5, 8])
    #expect(document.root["a"]?.mark.column == 4)
    let b = try #require(document.root["b"]?.sequence)
    #expect(b[0].mark == SourceMark(path: "t.yaml", line: 3, column: 5))
    #expect(b[1]["k"]?.scalar?.text == "v")
    #expect(b[1].mark == SourceMark(path: "t.yaml", line: 4, column: 5))
}

@Test func columnsCountCharactersNotBytes() throws {
    let document = try parse("é: ü\n")
    #expect(document.root["é"]?.mark.column == 4)
}

@Test(arguments: [
    ("1", YAMLValue.int(1)), ("'1'", .string("1")), ("\"1\"", .string("1")),
    ("yes", .string("yes")), ("'true'", .string("true")), ("true", .bool(true)), ("False", .bool(false)),
    ("~", .null), ("null", .null), ("", .null), ("''", .string("")),
    ("0.7", .double(0.7)), ("1e3", .double(1000)), ("-2", .int(-2)), ("+3", .int(3)), ("0x1F", .int(31)),
    ("0o17", .int(15)), ("1.2.3", .string("1.2.3")), ("!!str 1", .string("1")), ("!!float 1", .double(1)),
    ("! 12", .string("12")), (".5", .double(0.5)), ("en-GB", .string("en-GB")), ("|\n  text\n", .string("text\n")),
])
func scalarTypingFollowsTheCoreSchemaAndTheStyle(source: String, value: YAMLValue) throws {
    let document = try parse("k: \(source)")
    #expect(document.root["k"]?.scalar?.value == value)
}

@Test func scalarStylesAreKept() throws {
    let document = try parse("a: x\nb: 'x'\nc: \"x\"\nd: |\n  x\ne: >\n  x\n")
    let styles = document.root.mapping?.map { $0.value.scalar?.style }
    #expect(styles == [.plain, .singleQuoted, .doubleQuoted, .literal, .folded])
}

@Test func aliasesAreResolvedAndTheAliasKeepsItsOwnPosition() throws {
    let document = try parse("base: &b [one, two]\ncopy: *b\n")
    let copy = try #require(document.root["copy"])
    #expect(copy.sequence?.map { $0.scalar?.text } == ["one", "two"])
    #expect(copy.mark == SourceMark(path: "t.yaml", line: 2, column: 7))
    #expect(copy.sequence?.first?.mark == SourceMark(path: "t.yaml", line: 1, column: 11))
}

@Test func duplicateKeysAreReportedAndTheFirstWins() throws {
    let document = try parse("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    #expect(document.duplicateKeys.map(\.description) == [
        "t.yaml:4:3: error: duplicate key 'c' (first defined at line 3, column 3)",
        "t.yaml:5:1: error: duplicate key 'a' (first defined at line 1, column 1)",
    ])
    #expect(document.root["a"]?.scalar?.text == "1")
    #expect(document.root["b"]?.mapping?.count == 1)
    #expect(document.root.mapping?.count == 2)
}

@Test func quotedAndPlainSpellingsOfOneKeyAreDuplicates() throws {
    let document = try parse("a: 1\n'a': 2\n")
    #expect(document.duplicateKeys.map(\.description) == [
        "t.yaml:2:1: error: duplicate key 'a' (first defined at line 1, column 1)"
    ])
}

@Test(arguments: [
    ("a: b: c\n", "t.yaml:1:5: error: invalid YAML: mapping values are not allowed in this context"),
    ("a: [1, 2\nb: 3\n",
     "t.yaml:2:2: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)"),
    ("a:\n\t- b\n",
     "t.yaml:2:1: error: invalid YAML: found character that cannot start any token (YAML indents with spaces, not tabs; a tab is here)"),
    ("a: @x\n", "t.yaml:1:4: error: invalid YAML: found character that cannot start any token (while scanning for the next token at line 1, column 4)"),
    ("key: 'open\n", "t.yaml:2:1: error: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 6)"),
])
func syntaxErrorsCarryLibyamlsProblemAndPosition(source: String, expected: String) {
    #expect(parseError(source) == expected)
}

@Test func invalidUTF8IsASyntaxErrorWithItsPosition() {
    var bytes = Array("a: 1\nb: x".utf8)
    bytes.append(0xFF)
    #expect(throws: YAMLError.self) { try YAMLParser.parse(bytes: bytes, path: "t.yaml") }
    do {
        _ = try YAMLParser.parse(bytes: bytes, path: "t.yaml")
    } catch {
        #expect(error.description == "t.yaml:2:5: error: invalid YAML: invalid leading UTF-8 octet (byte 0xFF at offset 9)")
    }
}

@Test(arguments: ["", "# only a comment\n", "\n\n"])
func emptyFilesAreRejected(source: String) {
    #expect(parseError(source) == "t.yaml:1:1: error: the file is empty; it holds no YAML document")
}

@Test func aSecondDocumentIsRejected() {
    #expect(parseError("a: 1\n---\nb: 2\n") == "t.yaml:2:1: error: a second YAML document starts here; keep one document per file")
}

@Test func undefinedAliasesAreRejected() {
    #expect(parseError("a: *nowhere\n") == "t.yaml:1:4: error: alias '*nowhere' refers to no anchor defined before it; define '&nowhere' first")
}

@Test func aliasBombsAreStopped() {
    var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in 1...7 {
        let items = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
        lines.append("a\(level): &a\(level) [\(items)]")
    }
    let error = parseError(lines.joined(separator: "\n"))
    #expect(error?.hasSuffix("error: aliases expand to more than 1000000 nodes; write the values out instead") == true)
}

@Test func deepNestingIsStopped() {
    let source = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
    #expect(parseError(source) == "t.yaml:1:257: error: collections nest deeper than 256 levels")
}

@Test func nodesEncodeAsJSONValues() throws {
    let document = try parse("b: [1, 'x', true, ~, 0.5]\na: {k: v}\n")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(document.root), as: UTF8.self)
    #expect(json == #"{"a":{"k":"v"},"b":[1,"x",true,null,0.5]}"#)
}

@Test func kindDescriptionsNameTheValue() throws {
    let document = try parse("a: [1]\nb: {}\nc: ~\nd: true\ne: 3\nf: high\n")
    let kinds = document.root.mapping?.map(\.value.kindDescription)
    #expect(kinds == ["a list", "a mapping", "null", "the boolean true", "the number 3", "the string 'high'"])
}

@Test func aDoubleQuotedScalarReadsBackAsTheSameString() throws {
    for text in ["plain", "say \"hi\"", "back\\slash", "two\nlines\tand a tab", "bell \u{7} and del \u{7F}", "café ☕ 😀", ""] {
        let document = try parse("k: " + YAMLEmitter.doubleQuoted(text) + "\n")
        #expect(document.root["k"]?.scalar?.text == text)
    }
    #expect(YAMLEmitter.doubleQuoted("a\u{1}b\u{7F}") == "\"a\\x01b\\x7F\"")
}
