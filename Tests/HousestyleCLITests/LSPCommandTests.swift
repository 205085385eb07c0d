import Foundation
import Testing

/// `housestyle lsp`, driven by a scripted client over the built binary's stdin and stdout.
@Suite struct LSPCommandTests {
    static let style = """
        version: 1
        name: house
        terms:
          - use: Acme Cloud
            instead_of: [acme cloud]
        avoid:
          - simply
          - robust
          - word: utilize
            instead: use

        """

    /// Non-ASCII characters of one UTF-16 unit (é, ☕), astral ones of two (😀, 𝄞), CRLF line ends.
    static let text = "# Café ☕ notes\r\nWe 😀 utilize acme cloud.\r\nOur robust tool 𝄞 simply works.\r\n"

    static func workspace(style: String = style) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write(["styles/house.yaml": style, "docs/guide.md": text])
        return folder
    }

    static func uri(_ folder: TemporaryFolder, _ relative: String) -> String {
        folder.url.appendingPathComponent(relative).absoluteString
    }

    @discardableResult
    static func initialize(_ client: LSPClient, _ folder: TemporaryFolder, documentChanges: Bool = false) throws -> [String: Any] {
        let response = try client.request("initialize", [
            "processId": NSNull(), "rootUri": folder.url.absoluteString,
            "capabilities": ["workspace": ["workspaceEdit": ["documentChanges": documentChanges]]],
        ])
        try client.notify("initialized", [:])
        return response
    }

    static func open(_ client: LSPClient, _ uri: String, _ text: String, language: String = "markdown", version: Int = 1) throws {
        try client.notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": language, "version": version, "text": text]])
    }

    static func change(_ client: LSPClient, _ uri: String, _ text: String, version: Int) throws {
        try client.notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": text]]])
    }

    static func codeActions(_ client: LSPClient, _ uri: String, _ range: TextRange, only: [String]? = nil) throws -> [[String: Any]] {
        var context: [String: Any] = ["diagnostics": []]
        if let only { context["only"] = only }
        let response = try client.request("textDocument/codeAction", ["textDocument": ["uri": uri], "range": range.json, "context": context])
        return try #require(response["result"] as? [[String: Any]], "\(response)")
    }

    typealias Row = LSPClient.Diagnostic

    static func row(_ range: TextRange, _ code: String, _ message: String, severity: Int = 2) -> Row {
        Row(["range": range.json, "severity": severity, "code": code, "source": "housestyle", "message": message])
    }

    static let utilize = row(TextRange(1, 6, 1, 13), "avoid", "write 'use' instead of 'utilize': avoid 'utilize': use 'use'")
    static let acmeCloud = row(TextRange(1, 14, 1, 24), "terms",
                               "write 'Acme Cloud' instead of 'acme cloud': house term: use 'Acme Cloud' instead of 'acme cloud'")
    static let robust = row(TextRange(2, 4, 2, 10), "avoid", "avoid 'robust'")
    static let simply = row(TextRange(2, 19, 2, 26), "avoid", "remove 'simply ': avoid 'simply': it adds nothing")

    @Test func diagnosticsQuickFixesAndFixAll() throws {
        let folder = try Self.workspace()
        // No --style: the style in styles/ that no other extends, as the plugins find it.
        let client = try LSPClient(arguments: ["--stdio"], in: folder.url)
        let uri = Self.uri(folder, "docs/guide.md")
        let initialized = try Self.initialize(client, folder, documentChanges: true)
        let capabilities = try #require((initialized["result"] as? [String: Any])?["capabilities"] as? [String: Any], "\(initialized)")
        #expect(capabilities["positionEncoding"] as? String == "utf-16")
        #expect((capabilities["textDocumentSync"] as? [String: Any])?["change"] as? Int == 1, "full sync is declared")
        #expect((capabilities["codeActionProvider"] as? [String: Any])?["codeActionKinds"] as? [String] == ["quickfix", "source.fixAll.housestyle"])

        try Self.open(client, uri, Self.text)
        let first = try client.diagnostics(for: uri)
        #expect(first.version == 1)
        #expect(first.rows == [Self.utilize, Self.acmeCloud, Self.robust, Self.simply], "\(first.rows)\n\(client.stderr)")
        // The same findings, in the same order, as check reports for the file.
        let check = try CLI.run(["check", "house", "docs/guide.md", "--format", "json"], in: folder.url)
        let findings = try #require(try JSONSerialization.jsonObject(with: check.stdout) as? [[String: Any]], "\(check)")
        #expect(findings.map { "\($0["rule"] ?? "") \($0["message"] ?? "")" } == first.rows.map { "\($0.code) \($0.message)" })
        #expect(client.logMessages.contains { $0.hasPrefix("housestyle: checking with style 'house' (\(folder.url.path)/styles/house.yaml)") },
                "\(client.logMessages)")

        // A cursor inside 'acme cloud': its quick fix, then the action that fixes everything.
        let actions = try Self.codeActions(client, uri, TextRange(1, 15, 1, 15))
        #expect(actions.map { $0["title"] as? String } == [
            "Write 'Acme Cloud' instead of 'acme cloud' (terms)", "Fix all housestyle findings in this document (3 changes)",
        ])
        #expect(actions.map { $0["kind"] as? String } == ["quickfix", "source.fixAll.housestyle"])
        #expect(actions.first?["isPreferred"] as? Bool == true)
        #expect((actions.first?["diagnostics"] as? [[String: Any]])?.map(Row.init) == [Self.acmeCloud])
        let change = try #require(((actions.first?["edit"] as? [String: Any])?["documentChanges"] as? [[String: Any]])?.first)
        let document = change["textDocument"] as? [String: Any]
        #expect(document?["uri"] as? String == uri)
        #expect(document?["version"] as? Int == 1, "the edit is for the version checked")
        let edits = try #require(change["edits"] as? [[String: Any]])
        #expect(edits.map { TextRange($0["range"]) } == [TextRange(1, 14, 1, 24)])
        let fixed = applying(edits, to: Self.text)
        #expect(fixed == "# Café ☕ notes\r\nWe 😀 utilize Acme Cloud.\r\nOur robust tool 𝄞 simply works.\r\n")

        // The client applies the fix and sends the text: that diagnostic is gone, the others stay.
        try Self.change(client, uri, fixed, version: 2)
        let second = try client.diagnostics(for: uri)
        #expect(second.version == 2)
        #expect(second.rows == [Self.utilize, Self.robust, Self.simply], "\(second.rows)")

        // Where no diagnostic is, nothing is offered unless the client asks for source actions.
        #expect(try Self.codeActions(client, uri, TextRange(0, 0, 0, 5)).isEmpty)
        // A range over the whole line 'We ... Cloud.' and only quick fixes: the one fix there.
        let quickFixes = try Self.codeActions(client, uri, TextRange(1, 0, 1, 25), only: ["quickfix"])
        #expect(quickFixes.map { $0["title"] as? String } == ["Write 'use' instead of 'utilize' (avoid)"])
        let fixAll = try Self.codeActions(client, uri, TextRange(0, 0, 0, 0), only: ["source.fixAll"])
        #expect(fixAll.map { $0["title"] as? String } == ["Fix all housestyle findings in this document (2 changes)"])
        let allEdits = try #require((((fixAll.first?["edit"] as? [String: Any])?["documentChanges"] as? [[String: Any]])?.first)?["edits"] as? [[String: Any]])
        let rewritten = applying(allEdits, to: fixed)
        #expect(rewritten == "# Café ☕ notes\r\nWe 😀 use Acme Cloud.\r\nOur robust tool 𝄞 works.\r\n")
        // Fixing everything gives what rewrite writes.
        let filter = try CLI.run(["filter", "house"], in: folder.url, stdin: Data(fixed.utf8))
        #expect(filter.out == rewritten, "\(filter)")

        try Self.change(client, uri, rewritten, version: 3)
        let third = try client.diagnostics(for: uri)
        #expect(third.rows == [Self.robust], "only the finding without a fix is left: \(third.rows)")
        #expect(try Self.codeActions(client, uri, TextRange(2, 4, 2, 10)).isEmpty, "a finding without an edit offers no fix")

        try client.notify("textDocument/didClose", ["textDocument": ["uri": uri]])
        let closed = try client.diagnostics(for: uri)
        #expect(closed.rows.isEmpty, "closing a document clears its diagnostics")
        #expect(try client.shutdown() == 0, "\(client.stderr)")
    }

    @Test func aClientWithoutDocumentChangesGetsChangesByURI() throws {
        let folder = try Self.workspace()
        let client = try LSPClient(arguments: ["--style", "house"], in: folder.url)
        let uri = Self.uri(folder, "docs/guide.md")
        try Self.initialize(client, folder)
        try Self.open(client, uri, Self.text)
        _ = try client.diagnostics(for: uri)
        let actions = try Self.codeActions(client, uri, TextRange(2, 19, 2, 19))
        #expect(actions.map { $0["title"] as? String } == ["Remove 'simply ' (avoid)", "Fix all housestyle findings in this document (3 changes)"])
        let changes = try #require((actions.first?["edit"] as? [String: Any])?["changes"] as? [String: [[String: Any]]])
        #expect(Array(changes.keys) == [uri])
        #expect(applying(changes[uri] ?? [], to: Self.text) == "# Café ☕ notes\r\nWe 😀 utilize acme cloud.\r\nOur robust tool 𝄞 works.\r\n")
        #expect(try client.shutdown() == 0, "\(client.stderr)")
    }

    @Test func plainTextMarkdownAndOtherLanguages() throws {
        let folder = try Self.workspace()
        let client = try LSPClient(arguments: ["--style", "styles/house.yaml"], in: folder.url)
        try Self.initialize(client, folder)
        let source = "Run `acme cloud` now.\n"
        // Plain text protects no code span; Markdown does. Other languages are not checked.
        try Self.open(client, Self.uri(folder, "main.swift"), "// acme cloud\n", language: "swift")
        try Self.open(client, Self.uri(folder, "notes.md"), source, language: "markdown")
        try Self.open(client, Self.uri(folder, "notes.txt"), source, language: "plaintext")
        #expect(try client.diagnostics(for: Self.uri(folder, "notes.md")).rows.isEmpty)
        #expect(try client.diagnostics(for: Self.uri(folder, "notes.txt")).rows.map(\.range) == [TextRange(0, 5, 0, 15)])
        #expect(try client.shutdown() == 0)
        #expect(!client.notifications.contains { ($0["params"] as? [String: Any])?["uri"] as? String == Self.uri(folder, "main.swift") })
    }

    @Test func styleChangesOnDiskArePickedUp() throws {
        let folder = try Self.workspace(style: "version: 1\nname: house\navoid: [robust]\n")
        let client = try LSPClient(arguments: ["--style", "house"], in: folder.url)
        let uri = Self.uri(folder, "a.md")
        let styleURI = Self.uri(folder, "styles/house.yaml")
        try Self.initialize(client, folder)
        try Self.open(client, uri, "We leverage it.\n")
        #expect(try client.diagnostics(for: uri).rows.isEmpty)

        // Saved in the editor: didSave of the style file checks the open documents again.
        try folder.write(["styles/house.yaml": "version: 1\nname: house\navoid: [robust, leverage]\n"])
        try client.notify("textDocument/didSave", ["textDocument": ["uri": styleURI]])
        #expect(try client.diagnostics(for: uri).rows == [Self.row(TextRange(0, 3, 0, 11), "avoid", "avoid 'leverage'")])

        // Changed behind the editor's back: the next check sees the new modification time.
        try folder.write(["styles/house.yaml": "version: 1\nname: house\navoid: [robust, it]\n"])
        try Self.change(client, uri, "We leverage it.\n", version: 2)
        #expect(try client.diagnostics(for: uri, version: 2).rows == [Self.row(TextRange(0, 12, 0, 14), "avoid", "avoid 'it'")])

        // A broken style: its mistakes go to the style file, and documents keep the last good style.
        try folder.write(["styles/house.yaml": "version: 1\nname: house\navoidd: [it]\n"])
        try client.notify("textDocument/didSave", ["textDocument": ["uri": styleURI]])
        let problems = try client.diagnostics(for: styleURI)
        #expect(problems.rows == [Self.row(TextRange(2, 0, 2, 0), "style", "unknown key 'avoidd'; did you mean 'avoid'?", severity: 1)])
        let shown = try client.notification("window/showMessage")
        #expect((shown["message"] as? String)?.contains("still checking with the style as it was last loaded") == true, "\(shown)")
        #expect(shown["type"] as? Int == 1)
        try Self.change(client, uri, "We leverage it!\n", version: 3)
        #expect(try client.diagnostics(for: uri, version: 3).rows.map(\.message) == ["avoid 'it'"])

        try folder.write(["styles/house.yaml": "version: 1\nname: house\navoid: [robust]\n"])
        try client.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": styleURI, "type": 2]]])
        #expect(try client.diagnostics(for: styleURI).rows.isEmpty, "the fixed style's diagnostics are cleared")
        #expect(try client.diagnostics(for: uri).rows.isEmpty)
        #expect(try client.shutdown() == 0)
    }

    @Test(arguments: [false, true])
    func theLearnedStageIsNeverTrained(learned: Bool) throws {
        let style = "version: 1\nname: house\ncorpus: {voice: [corpora/*.md]}\navoid: [robust]\nstages: {post: [terms, avoid, learned]}\n"
        let folder = try Self.workspace(style: style)
        try folder.write(["corpora/a.md": "Our house voice is plain and short.\n"])
        let client = try LSPClient(arguments: learned ? ["--learned"] : [], in: folder.url)
        let uri = Self.uri(folder, "docs/guide.md")
        try Self.initialize(client, folder)
        try Self.open(client, uri, Self.text)
        #expect(try client.diagnostics(for: uri).rows == [Self.robust], "the rules still run")
        let models = folder.url.appendingPathComponent("models").path
        let expected = learned
            ? "housestyle: no model in \(models)/house, so the learned stage is off and only the rules run; the language server never trains a model: "
                + "run 'housestyle train \(folder.url.path)/styles/house.yaml', and the server picks the model up"
            : "housestyle: style 'house' lists the learned stage; the language server runs its rules only "
                + "(start it with --learned to use the trained model of \(models)/house)"
        #expect(client.logMessages.contains(expected), "\(client.logMessages)")
        #expect(try client.shutdown() == 0)
        #expect(!folder.exists("models"), "nothing was trained")
    }

    @Test func malformedMessagesGetErrorsAndTheServerGoesOn() throws {
        let folder = try Self.workspace()
        let client = try LSPClient(arguments: [], in: folder.url)
        try client.sendRaw(Data("Content-Length: x\r\n\r\n".utf8))
        var reply = try client.next()
        #expect(reply["id"] is NSNull)
        #expect((reply["error"] as? [String: Any])?["code"] as? Int == -32700)
        #expect((reply["error"] as? [String: Any])?["message"] as? String == "malformed message header: Content-Length 'x' is not a number of bytes")
        try client.sendRaw(Data("Content-Length: 9\r\n\r\n{not json".utf8))
        reply = try client.next()
        #expect((reply["error"] as? [String: Any])?["code"] as? Int == -32700)
        try client.notify("custom/ignored", ["x": 1])
        let initialized = try Self.initialize(client, folder)
        #expect(initialized["result"] != nil, "\(initialized)")
        reply = try client.request("workspace/symbol", ["query": ""])
        #expect((reply["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect((reply["error"] as? [String: Any])?["message"] as? String == "unknown method 'workspace/symbol'")
        // `exit` without `shutdown` ends the server with status 1, as LSP says.
        try client.notify("exit", [:])
        #expect(client.waitForExit() == 1)
    }
}
