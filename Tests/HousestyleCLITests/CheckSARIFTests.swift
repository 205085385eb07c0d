import Foundation
import Testing

/// `housestyle check --format sarif`: SARIF 2.1.0 as GitHub code scanning and SARIF viewers read it.
/// The log is decoded into the types below, which require what the tests rely on (a region without
/// an end, for example, does not decode).
@Suite struct CheckSARIFTests {
    struct Log: Decodable {
        var version: String
        var runs: [Run]
    }

    struct Run: Decodable {
        var tool: Tool
        var invocations: [Invocation]
        var originalUriBaseIds: [String: Artifact]
        var columnKind: String
        var results: [Result]
    }

    struct Tool: Decodable { var driver: Driver }

    struct Driver: Decodable {
        var name: String
        var rules: [Rule]
        var notifications: [Rule]
    }

    struct Rule: Decodable {
        var id: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Text
        var defaultConfiguration: Configuration
    }

    struct Text: Decodable {
        var text: String
        var markdown: String?
    }

    struct Configuration: Decodable { var level: String }

    struct Result: Decodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var fixes: [Fix]?
    }

    struct Location: Decodable { var physicalLocation: Physical }

    struct Physical: Decodable {
        var artifactLocation: Artifact
        var region: Region?
    }

    struct Artifact: Decodable, Equatable {
        var uri: String
        var uriBaseId: String?
    }

    struct Region: Decodable, Equatable, CustomStringConvertible {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
        var description: String { "\(startLine):\(startColumn)-\(endLine):\(endColumn)" }
    }

    struct Fix: Decodable {
        var description: Text
        var artifactChanges: [Change]
    }

    struct Change: Decodable {
        var artifactLocation: Artifact
        var replacements: [Replacement]
    }

    struct Replacement: Decodable {
        var deletedRegion: Region
        var insertedContent: Content?
    }

    struct Content: Decodable { var text: String }

    struct Invocation: Decodable {
        var executionSuccessful: Bool
        var exitCode: Int?
        var toolExecutionNotifications: [Notification]
        var workingDirectory: Artifact
    }

    struct Notification: Decodable {
        var descriptor: Reference
        var level: String
        var message: Text
        var locations: [Location]
    }

    struct Reference: Decodable { var id: String }

    static func sarif(_ arguments: [String], in folder: URL) throws -> (CLI.Result, Run) {
        let result = try CLI.run(["check", CLI.acmeStyle] + arguments + ["--format", "sarif"], in: folder)
        let log = try JSONDecoder().decode(Log.self, from: result.stdout)
        #expect(log.version == "2.1.0")
        #expect(log.runs.count == 1)
        return (result, try #require(log.runs.first))
    }

    /// `file://` and the absolute path of `url` without symbolic links, percent-encoded (the temporary
    /// folders of these tests have only letters, digits, `-` and `/` in their paths).
    static func fileURI(_ url: URL) -> String {
        let path = url.resolvingSymlinksInPath().path
        #expect(path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-/_.".contains($0)) }, "\(path)")
        return "file://" + path
    }

    @Test func resultsHaveRulesRegionsWithEndsAndARelativeURI() throws {
        let folder = try CheckCommandTests.docs()
        let (result, run) = try Self.sarif(["docs"], in: folder.url)
        #expect(result.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        #expect(run.tool.driver.name == "housestyle")
        #expect(run.columnKind == "unicodeCodePoints")
        // No .git above a temporary folder: the base is the folder check ran in.
        #expect(run.originalUriBaseIds["%SRCROOT%"]?.uri == Self.fileURI(folder.url) + "/")
        #expect(run.invocations.count == 1)
        #expect(run.invocations[0].executionSuccessful)
        #expect(run.invocations[0].exitCode == 1)
        #expect(run.invocations[0].toolExecutionNotifications.isEmpty)
        #expect(run.invocations[0].workingDirectory.uri == Self.fileURI(folder.url) + "/")
        #expect(run.tool.driver.rules.map(\.id) == ["avoid", "contractions+smart_quotes", "spelling", "terms"])

        // Same findings, in the same order, as the text output (CheckCommandTests.textFindings).
        let places = run.results.map { result -> String in
            let location = result.locations[0].physicalLocation
            return "\(location.artifactLocation.uri) \(location.region.map(\.description) ?? "-") \(result.level) \(result.ruleId)"
        }
        #expect(places == [
            "docs/api/keys.txt 1:1-1:6 warning contractions+smart_quotes",  // "It is"
            "docs/api/keys.txt 1:7-1:16 warning spelling",  // "organized"
            "docs/avoid.md 1:5-1:11 warning avoid",  // "robust"
            "docs/guide.md 1:8-1:14 warning terms",  // "log in"
            "docs/guide.md 1:18-1:28 warning terms",  // "acme cloud"
            "docs/guide.md 2:4-2:12 warning avoid",  // "leverage"
        ])
        for result in run.results {
            #expect(result.locations.count == 1)
            #expect(result.locations[0].physicalLocation.artifactLocation.uriBaseId == "%SRCROOT%")
            #expect(run.tool.driver.rules[result.ruleIndex].id == result.ruleId)
        }
        #expect(run.results[3].message.text == "write 'sign in' instead of 'log in': house term: use 'sign in' instead of 'log in'")
    }

    @Test func everyChangeIsAFixAndTheFixesGiveWhatRewriteWrites() throws {
        let folder = try TemporaryFolder()
        // A byte order mark, CRLF line ends, characters outside the Basic Multilingual Plane before
        // changes on their line (one column each, two UTF-16 code units), a deletion ("simply "), an
        // insertion (the serial comma), a finding without a change (a serial comma only a writer can
        // decide on), a change in the last line of a file without a final line break.
        try folder.write([
            "docs/tricky.md": "\u{FEFF}🚀🚀 Log in to acme cloud.\r\n\r\nYou can simply organize apples, pears, figs and plums 🎉 in acme cloud.\r\n"
                + "It is red, green and blue.\r\n",
            "docs/end.txt": "Café 🚀 users log in to acme cloud",
        ])
        for name in ["docs/tricky.md", "docs/end.txt"] {
            let (check, run) = try Self.sarif([name], in: folder.url)
            #expect(check.status == 1, "\(check)")
            let rewrite = try CLI.run(["rewrite", CLI.acmeStyle, name], in: folder.url)
            #expect(rewrite.status == 0, "\(rewrite)")
            let original = try Data(contentsOf: folder.url.appendingPathComponent(name))
            #expect(rewrite.stdout != original, "nothing to fix in \(name)")

            var replacements: [Replacement] = []
            for result in run.results {
                let location = result.locations[0].physicalLocation
                #expect(location.artifactLocation == Artifact(uri: name, uriBaseId: "%SRCROOT%"))
                let isChange = ["write ", "remove ", "insert "].contains { result.message.text.hasPrefix($0) }
                guard isChange else {
                    #expect(result.fixes == nil, "\(result.message.text)")
                    continue
                }
                let fixes = try #require(result.fixes, "no fix for \(result.message.text)")
                #expect(fixes.count == 1)
                #expect(fixes[0].artifactChanges.count == 1)
                let change = try #require(fixes[0].artifactChanges.first)
                #expect(change.artifactLocation == location.artifactLocation)
                #expect(change.replacements.count == 1)
                // The result points at the text its fix replaces.
                #expect(change.replacements.first?.deletedRegion == location.region)
                replacements += change.replacements
            }
            let fixed = try Self.apply(replacements, to: original)
            #expect(String(decoding: fixed, as: UTF8.self) == rewrite.out, "\(name)")
            if name == "docs/tricky.md" {
                #expect(replacements.contains { $0.insertedContent == nil }, "no deletion")
                #expect(replacements.contains { $0.deletedRegion.startColumn == $0.deletedRegion.endColumn }, "no insertion")
                #expect(run.results.contains { $0.fixes == nil }, "no finding without a change")
                // "Log in" after the byte order mark and two rockets: columns 4-10 in code points.
                #expect(replacements.contains { $0.deletedRegion == Region(startLine: 1, startColumn: 4, endLine: 1, endColumn: 10) },
                        "\(replacements.map(\.deletedRegion))")
            }
        }
    }

    /// Applies SARIF text replacements to `data` as the specification defines them, independently
    /// of HouseStyle's own positions: lines end at "\n" or "\r\n" (a "\r" alone ends none) and there
    /// is no line after a final line break; columns count Unicode code points from 1, one past
    /// the line (its line break included) at most; a byte order mark is not a column; every region
    /// is in the unchanged text, and they must not overlap.
    static func apply(_ replacements: [Replacement], to data: Data) throws -> Data {
        let text = String(decoding: data, as: UTF8.self)
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset += String(scalar).utf8.count
        }
        offsets.append(offset)
        let first = scalars.first == "\u{FEFF}" ? 1 : 0
        var lineStarts = [first]
        for index in first..<scalars.count where scalars[index] == "\n" { lineStarts.append(index + 1) }
        if scalars.last == "\n" { lineStarts.removeLast() }
        func byteOffset(line: Int, column: Int) throws -> Int {
            try #require(line >= 1 && line <= lineStarts.count, "line \(line) of \(lineStarts.count)")
            let lineEnd = line < lineStarts.count ? lineStarts[line] : scalars.count
            try #require(column >= 1 && lineStarts[line - 1] + column - 1 <= lineEnd, "column \(column) of line \(line)")
            return offsets[lineStarts[line - 1] + column - 1]
        }
        var edits: [(range: Range<Int>, text: String)] = []
        for replacement in replacements {
            let region = replacement.deletedRegion
            let start = try byteOffset(line: region.startLine, column: region.startColumn)
            let end = try byteOffset(line: region.endLine, column: region.endColumn)
            try #require(start <= end, "\(region)")
            edits.append((start..<end, replacement.insertedContent?.text ?? ""))
        }
        edits.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (a, b) in zip(edits, edits.dropFirst()) {
            try #require(a.range.upperBound <= b.range.lowerBound && !(a.range.isEmpty && b.range.isEmpty && a.range == b.range),
                         "overlapping replacements \(a.range) and \(b.range)")
        }
        var bytes = [UInt8](data)
        for edit in edits.reversed() { bytes.replaceSubrange(edit.range, with: Array(edit.text.utf8)) }
        return Data(bytes)
    }

    @Test func urisAreRelativeToTheGitWorkTreeAndPercentEncoded() throws {
        let folder = try TemporaryFolder()
        try folder.write([
            "repo/docs/my notes #1 café.md": "We leverage it.\n",
            "repo/notes/real.md": "We leverage that.\n",
            "outside/x.md": "We leverage this.\n",
        ])
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("repo/.git"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("repo/docs/alias.md").path, withDestinationPath: "../notes/real.md")
        let docs = folder.url.appendingPathComponent("repo/docs")
        let (result, run) = try Self.sarif(["my notes #1 café.md", "alias.md", "../../outside/x.md"], in: docs)
        #expect(result.status == 1, "\(result)")
        #expect(run.originalUriBaseIds["%SRCROOT%"]?.uri == Self.fileURI(folder.url.appendingPathComponent("repo")) + "/")
        #expect(run.invocations.first?.workingDirectory.uri == Self.fileURI(docs) + "/")
        #expect(run.results.map { $0.locations[0].physicalLocation.artifactLocation } == [
            Artifact(uri: "docs/my%20notes%20%231%20caf%C3%A9.md", uriBaseId: "%SRCROOT%"),
            // A symbolic link is reported where its target is, as code scanning needs.
            Artifact(uri: "notes/real.md", uriBaseId: "%SRCROOT%"),
            // Outside the work tree: absolute, with no base.
            Artifact(uri: Self.fileURI(folder.url.appendingPathComponent("outside/x.md")), uriBaseId: nil),
        ])
        // The text output keeps the paths as given.
        let text = try CLI.run(["check", CLI.acmeStyle, "my notes #1 café.md"], in: docs)
        #expect(text.out == "my notes #1 café.md:1:4: warning: avoid 'leverage' [avoid]\n")
    }

    @Test func filesThatCouldNotBeReadAreNotificationsAndTheRunFails() throws {
        let folder = try CheckCommandTests.docs()
        try folder.write(["docs/bad.md": Data([0x61, 0x0A, 0x80])])
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("docs/dead.md").path, withDestinationPath: "gone.md")
        let (result, run) = try Self.sarif(["docs"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.err == "docs/bad.md: not valid UTF-8 at byte 2\n"
            + "docs/dead.md: cannot read: it is a symbolic link to 'gone.md', which does not exist\n")
        // The files that could be read are still reported.
        #expect(run.results.count == 6)
        let invocation = try #require(run.invocations.first)
        #expect(!invocation.executionSuccessful)
        #expect(invocation.exitCode == 2)
        #expect(invocation.toolExecutionNotifications.map(\.message.text) == [
            "docs/bad.md: not valid UTF-8 at byte 2",
            "docs/dead.md: cannot read: it is a symbolic link to 'gone.md', which does not exist",
        ])
        #expect(invocation.toolExecutionNotifications.map(\.locations.first?.physicalLocation.artifactLocation) == [
            Artifact(uri: "docs/bad.md", uriBaseId: "%SRCROOT%"), Artifact(uri: "docs/dead.md", uriBaseId: "%SRCROOT%"),
        ])
        for notification in invocation.toolExecutionNotifications {
            #expect(notification.level == "error")
            #expect(notification.descriptor.id == "unreadable-file")
        }
        #expect(run.tool.driver.notifications.map(\.id).contains("unreadable-file"))
    }

    @Test func everyRuleHasDescriptionsHelpAndADefaultLevel() throws {
        let folder = try CheckCommandTests.docs()
        let (_, run) = try Self.sarif(["docs"], in: folder.url)
        let rules = Dictionary(uniqueKeysWithValues: run.tool.driver.rules.map { ($0.id, $0) })
        let spelling = try #require(rules["spelling"])
        #expect(spelling.shortDescription.text == "Writes British or American spelling variants (`spelling`).")
        #expect(spelling.fullDescription.text.hasPrefix(spelling.shortDescription.text + " Each result is a change"))
        #expect(spelling.help.text.contains("    spelling: en-GB\n    Organize the color catalog. -> Organise the colour catalogue."),
                "\(spelling.help.text)")
        #expect(spelling.help.markdown?.contains("```yaml\nspelling: en-GB\n```\n`Organize the color catalog.` → `Organise the colour catalogue.`")
                == true, "\(spelling.help.markdown ?? "")")
        // Several rules that changed one place: each is described.
        let composed = try #require(rules["contractions+smart_quotes"])
        #expect(composed.shortDescription.text == "Rules that changed the same text in turn: contractions: Writes or expands contractions"
            + " (`contractions: prefer | avoid`). smart_quotes: Curly or straight quotation marks and apostrophes (`punctuation.quotes`).")
        for rule in run.tool.driver.rules {
            #expect(rule.defaultConfiguration.level == "warning")
            #expect(rule.help.text.count > rule.fullDescription.text.count, "no examples for \(rule.id)")
            // GitHub code scanning shows at most 1,024 characters of these.
            #expect(rule.shortDescription.text.count <= 1024 && rule.fullDescription.text.count <= 1024)
        }
    }
}
