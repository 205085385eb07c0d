import Foundation
import HouseStyleText

/// A Language Server (LSP 3.17) that checks open Markdown and plain-text documents against a
/// house style: it publishes what `housestyle check` reports as diagnostics, and offers each
/// change `housestyle rewrite` would make as a quick fix, plus one action that makes them all.
///
/// Feed it the content of each framed message with `receive`, and call `publishPending` when no
/// more input is waiting: documents are checked then, so a burst of changes is checked once.
/// `serve(options:input:output:)` does both over file descriptors (stdin and stdout).
///
/// Positions are UTF-16 code units, the encoding every client supports. Documents are synced in
/// full (each change sends the whole text), though a client that sends ranges is understood.
public final class LanguageServer {
    public struct Options: Sendable {
        /// A style name (`styles/NAME.yaml` in the workspace) or a path (relative to the workspace
        /// root); nil to use the style in the workspace's `styles/` that no other style there
        /// extends, as the SwiftPM plugins do.
        public var style: String?
        /// Whether the style's external stages may run (`--allow-commands`).
        public var allowsCommands: Bool
        /// Folders outside the style's project it may read (`--allow-path`).
        public var allowedPaths: [String]
        /// Whether a style's `learned` stage runs when its model is trained and up to date
        /// (`--learned`). The server never trains.
        public var runsLearnedStage: Bool
        /// The workspace root when the client names none.
        public var workingDirectory: String

        public init(style: String? = nil, allowsCommands: Bool = false, allowedPaths: [String] = [],
                    runsLearnedStage: Bool = false, workingDirectory: String = FileManager.default.currentDirectoryPath) {
            self.style = style
            self.allowsCommands = allowsCommands
            self.allowedPaths = allowedPaths
            self.runsLearnedStage = runsLearnedStage
            self.workingDirectory = workingDirectory
        }
    }

    private enum Phase { case waitingForInitialize, running, shuttingDown, exited }

    public let options: Options
    /// Writes one message's JSON to the client (framing is the caller's).
    private let send: (Data) -> Void
    private var phase = Phase.waitingForInitialize
    private var sawShutdown = false
    /// The folder a style name or relative path is looked up in: the client's root, else the working directory.
    private(set) var root: String
    private var clientSupportsDocumentChanges = false
    private var clientRegistersWatchedFiles = false
    private var documents: [String: OpenDocument] = [:]
    private var style: ServedStyle?
    /// Style files that have diagnostics published (to clear them once the style loads).
    private var styleProblemURIs: Set<String> = []
    private var nextRequestNumber = 1

    /// - Parameter send: called with the JSON of each message for the client, in order.
    public init(options: Options, send: @escaping (Data) -> Void) {
        self.options = options
        self.send = send
        root = options.workingDirectory
    }

    /// After `exit`: 0 when `shutdown` came first, 1 otherwise (as LSP asks); nil while running.
    public var exitStatus: Int32? { phase == .exited ? (sawShutdown ? 0 : 1) : nil }

    /// The status to end with when the input ends: `exitStatus`, or 1 when the client went away without `exit`.
    public var statusAtEndOfInput: Int32 { exitStatus ?? (sawShutdown ? 0 : 1) }

    // MARK: - Messages

    /// Handles the content of one message.
    public func receive(_ content: Data) {
        guard phase != .exited else { return }
        let message: IncomingMessage
        do { message = try IncomingMessage.parse(content) } catch {
            if error.isNotification {
                log(.warning, "housestyle: ignored a notification: \(error.error.message)")
            } else {
                respond(error.id, .failure(error.error))
            }
            return
        }
        switch message {
        case .request(let id, let method, let params):
            respond(id, handleRequest(method, params: params))
        case .notification(let method, let params):
            handleNotification(method, params: params)
        case .response:
            break  // the client's answer to a registration; nothing depends on it
        }
    }

    /// Tells the client about a header part that could not be read (there is no id to answer).
    public func receiveMalformedHeader(_ reason: String) {
        respond(.null, .failure(.parseError("malformed message header: \(reason)")))
    }

    /// Checks the documents that changed (or whose style changed) since they were last checked,
    /// and publishes their diagnostics. Call it when no input is waiting.
    public func publishPending() {
        guard phase == .running else { return }
        refreshStyle()
        for uri in documents.keys.sorted() where !(documents[uri]?.isPublished ?? true) {
            publish(uri)
        }
    }

    private func respond(_ id: JSONValue, _ result: Result<(any Encodable)?, ResponseError>) {
        switch result {
        case .success(let value): write(OutgoingMessage(body: .result(id: id, value)))
        case .failure(let error): write(OutgoingMessage(body: .error(id: id, error)))
        }
    }

    private func notify(_ method: String, _ params: any Encodable) {
        write(OutgoingMessage(body: .notification(method: method, params: params)))
    }

    private func write(_ message: OutgoingMessage) {
        send(message.json())
    }

    private func log(_ type: LogMessageParams.MessageType, _ text: String, shows: Bool = false) {
        notify("window/logMessage", LogMessageParams(type: type, message: text))
        if shows { notify("window/showMessage", LogMessageParams(type: type, message: text)) }
    }

    private func handleRequest(_ method: String, params: JSONValue?) -> Result<(any Encodable)?, ResponseError> {
        switch phase {
        case .waitingForInitialize where method != "initialize":
            return .failure(.init(code: .serverNotInitialized, message: "the server is not initialized: send 'initialize' first"))
        case .shuttingDown:
            return .failure(.invalidRequest("the server is shutting down: only 'exit' is accepted after 'shutdown'"))
        default:
            break
        }
        do throws(ResponseError) {
            switch method {
            case "initialize":
                return try .success(initialize(params))
            case "shutdown":
                phase = .shuttingDown
                sawShutdown = true
                return .success(nil)
            case "textDocument/codeAction":
                return try .success(codeActions(decode(CodeActionParams.self, params, method: method)))
            default:
                return .failure(.methodNotFound(method))
            }
        } catch {
            return .failure(error)
        }
    }

    private func handleNotification(_ method: String, params: JSONValue?) {
        if method == "exit" {
            phase = .exited
            return
        }
        // Before `initialize` and after `shutdown`, notifications other than `exit` are dropped.
        guard phase == .running else { return }
        do throws(ResponseError) {
            switch method {
            case "initialized":
                registerWatchedFiles()
            case "textDocument/didOpen":
                didOpen(try decode(DidOpenTextDocumentParams.self, params, method: method))
            case "textDocument/didChange":
                didChange(try decode(DidChangeTextDocumentParams.self, params, method: method))
            case "textDocument/didClose":
                didClose(try decode(DidCloseTextDocumentParams.self, params, method: method))
            case "textDocument/didSave":
                didSave(try decode(DidSaveTextDocumentParams.self, params, method: method))
            case "workspace/didChangeWatchedFiles":
                didChangeWatchedFiles(try decode(DidChangeWatchedFilesParams.self, params, method: method))
            default:
                break  // `$/cancelRequest`, `$/setTrace`, `workspace/didChangeConfiguration`, ...: nothing to do
            }
        } catch {
            log(.warning, "housestyle: ignored '\(method)': \(error.message)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ params: JSONValue?, method: String) throws(ResponseError) -> T {
        guard let params else { throw .invalidParams("'\(method)' needs params") }
        do { return try params.decode(T.self) } catch {
            throw .invalidParams("invalid params of '\(method)': \(IncomingMessage.describe(error))")
        }
    }

    // MARK: - Lifecycle

    private func initialize(_ params: JSONValue?) throws(ResponseError) -> InitializeResult {
        guard phase == .waitingForInitialize else { throw .invalidRequest("the server is already initialized") }
        guard let params, case .object = params else { throw .invalidParams("'initialize' needs params (an object)") }
        if let folder = params["workspaceFolders"]?.arrayValue?.first?["uri"]?.stringValue.flatMap(Self.path(ofURI:)) {
            root = folder
        } else if let uri = params["rootUri"]?.stringValue, let path = Self.path(ofURI: uri) {
            root = path
        } else if let path = params["rootPath"]?.stringValue, !path.isEmpty {
            root = path
        }
        let workspace = params["capabilities"]?["workspace"]
        clientSupportsDocumentChanges = workspace?["workspaceEdit"]?["documentChanges"]?.boolValue ?? false
        clientRegistersWatchedFiles = workspace?["didChangeWatchedFiles"]?["dynamicRegistration"]?.boolValue ?? false
        phase = .running
        return InitializeResult(
            capabilities: .init(
                positionEncoding: "utf-16",
                textDocumentSync: .init(openClose: true, change: 1, save: .init(includeText: false)),
                codeActionProvider: .init(codeActionKinds: [CodeAction.quickFix, CodeAction.fixAll])),
            serverInfo: .init(name: "housestyle", version: houseStyleVersion))
    }

    /// Asks the client to report changes of style files and model manifests, so that a style
    /// edited outside the editor is picked up without waiting for the next edit of a document.
    private func registerWatchedFiles() {
        guard clientRegistersWatchedFiles else { return }
        let params = RegistrationParams(registrations: [.init(
            id: "housestyle-style-files", method: "workspace/didChangeWatchedFiles",
            registerOptions: .init(watchers: [.init(globPattern: "**/*.{yaml,yml}"), .init(globPattern: "**/models/*/manifest.json")]))])
        write(OutgoingMessage(body: .request(id: .string("housestyle-\(nextRequestNumber)"), method: "client/registerCapability", params: params)))
        nextRequestNumber += 1
    }

    // MARK: - Documents

    private func didOpen(_ params: DidOpenTextDocumentParams) {
        let item = params.textDocument
        let path = Self.path(ofURI: item.uri)
        guard let format = Self.format(languageID: item.languageId, path: path ?? item.uri) else { return }
        documents[item.uri] = OpenDocument(path: path, format: format, version: item.version, text: item.text)
    }

    private func didChange(_ params: DidChangeTextDocumentParams) {
        guard var document = documents[params.textDocument.uri] else { return }
        for change in params.contentChanges {
            if let range = change.range {
                let bytes = TextPositions(document.text).byteRange(of: range)
                var utf8 = Array(document.text.utf8)
                utf8.replaceSubrange(bytes, with: change.text.utf8)
                document.text = String(decoding: utf8, as: UTF8.self)
            } else {
                document.text = change.text
            }
        }
        document.version = params.textDocument.version
        document.checked = nil
        document.isPublished = false
        documents[params.textDocument.uri] = document
    }

    private func didClose(_ params: DidCloseTextDocumentParams) {
        guard documents.removeValue(forKey: params.textDocument.uri) != nil else { return }
        notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: params.textDocument.uri, version: nil, diagnostics: []))
    }

    private func didSave(_ params: DidSaveTextDocumentParams) {
        guard let path = Self.path(ofURI: params.textDocument.uri) else { return }
        if style?.watches(path) ?? false { refreshStyle(force: true) }
    }

    private func didChangeWatchedFiles(_ params: DidChangeWatchedFilesParams) {
        let paths = params.changes.compactMap { Self.path(ofURI: $0.uri) }
        refreshStyle(force: paths.contains { style?.watches($0) ?? false })
    }

    /// Loads the style when it was never loaded, when one of its files changed on disk, or when `force`.
    private func refreshStyle(force: Bool = false) {
        if let style, !force, style.isCurrent { return }
        let previous = style?.pipeline
        let loaded = ServedStyle.load(options: options, root: root, previous: previous)
        style = loaded
        for message in loaded.messages { log(message.type, message.text, shows: message.shows) }
        // Mistakes in style files go to those files, for an editor that has them open; fixed ones are cleared.
        let problemURIs = Dictionary(uniqueKeysWithValues: loaded.problems.map { (Self.uri(ofPath: $0.key), $0.value) })
        for uri in styleProblemURIs.subtracting(problemURIs.keys).sorted() {
            notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: []))
        }
        for (uri, diagnostics) in problemURIs.sorted(by: { $0.key < $1.key }) {
            notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: diagnostics))
        }
        styleProblemURIs = Set(problemURIs.keys)
        if loaded.isFresh {
            for uri in documents.keys {
                documents[uri]?.checked = nil
                documents[uri]?.isPublished = false
            }
        }
    }

    /// Checks a document if its text or the style changed since it was last checked.
    private func check(_ uri: String) -> OpenDocument.Checked? {
        guard var document = documents[uri] else { return nil }
        if let checked = document.checked { return checked }
        let positions = TextPositions(document.text)
        var items: [OpenDocument.Item] = []
        if let pipeline = style?.pipeline {
            do {
                let rewrite = try pipeline.rewrite(document.text, path: document.path, format: document.format)
                for (finding, edit) in rewrite.checkResults() {
                    let diagnostic = LSPDiagnostic(
                        range: positions.range(ofBytes: finding.range), severity: Self.severity(finding.level),
                        code: finding.rule, source: "housestyle", message: finding.message)
                    items.append(.init(diagnostic: diagnostic, range: finding.range, edit: edit))
                }
            } catch {
                let start = Position(line: 0, character: 0)
                items = [.init(diagnostic: LSPDiagnostic(
                    range: LSPRange(start: start, end: start), severity: .error, code: "file-not-checked", source: "housestyle",
                    message: "housestyle could not check this document: \(error)"), range: 0..<0, edit: nil)]
            }
        }
        let checked = OpenDocument.Checked(version: document.version, positions: positions, items: items)
        document.checked = checked
        document.isPublished = false
        documents[uri] = document
        return checked
    }

    private func publish(_ uri: String) {
        guard let checked = check(uri) else { return }
        documents[uri]?.isPublished = true
        notify("textDocument/publishDiagnostics",
               PublishDiagnosticsParams(uri: uri, version: checked.version, diagnostics: checked.items.map(\.diagnostic)))
    }

    // MARK: - Code actions

    /// A quick fix for each change at a diagnostic that touches the requested range, then one
    /// action that makes every change of the document (offered there too, or when asked for by kind).
    private func codeActions(_ params: CodeActionParams) -> [CodeAction] {
        let uri = params.textDocument.uri
        guard documents[uri] != nil else { return [] }
        refreshStyle()
        guard let checked = check(uri) else { return [] }
        let requested = checked.positions.byteRange(of: params.range)
        let fixable = checked.items.filter { $0.edit != nil }
        let touching = fixable.filter { $0.range.lowerBound <= requested.upperBound && requested.lowerBound <= $0.range.upperBound }
        var actions: [CodeAction] = []
        if Self.wants(CodeAction.quickFix, only: params.context.only) {
            for item in touching {
                guard let edit = item.edit else { continue }
                actions.append(CodeAction(
                    title: Self.title(of: edit, in: checked.positions.text) + " (\(edit.edit.rule))", kind: CodeAction.quickFix,
                    diagnostics: [item.diagnostic], isPreferred: true,
                    edit: workspaceEdit(uri, version: checked.version, [textEdit(edit, checked.positions)])))
            }
        }
        let askedForFixAll = params.context.only?.contains { CodeAction.fixAll.hasPrefix($0) && $0.hasPrefix("source") } ?? false
        if !fixable.isEmpty && Self.wants(CodeAction.fixAll, only: params.context.only) && (!touching.isEmpty || askedForFixAll) {
            let count = fixable.count
            actions.append(CodeAction(
                title: "Fix all housestyle findings in this document (\(count) \(count == 1 ? "change" : "changes"))",
                kind: CodeAction.fixAll, diagnostics: fixable.map(\.diagnostic), isPreferred: nil,
                edit: workspaceEdit(uri, version: checked.version, fixable.compactMap { $0.edit.map { textEdit($0, checked.positions) } })))
        }
        return actions
    }

    private func textEdit(_ edit: ComposedEdit, _ positions: TextPositions) -> TextEdit {
        TextEdit(range: positions.range(ofBytes: edit.range), newText: edit.replacement)
    }

    private func workspaceEdit(_ uri: String, version: Int, _ edits: [TextEdit]) -> WorkspaceEdit {
        clientSupportsDocumentChanges
            ? WorkspaceEdit(documentChanges: [TextDocumentEdit(textDocument: .init(uri: uri, version: version), edits: edits)])
            : WorkspaceEdit(changes: [uri: edits])
    }

    /// Whether `kind` is among the kinds the client asked for (each a prefix at a dot), or it asked for any.
    static func wants(_ kind: String, only: [String]?) -> Bool {
        guard let only else { return true }
        return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
    }

    /// "Write 'Acme Cloud' instead of 'acme cloud'", "Remove 'simply '", "Insert ','".
    static func title(of edit: ComposedEdit, in text: String) -> String {
        let before = String(decoding: Array(text.utf8)[edit.range], as: UTF8.self)
        if before.isEmpty { return "Insert '\(edit.replacement)'" }
        if edit.replacement.isEmpty { return "Remove '\(before)'" }
        return "Write '\(edit.replacement)' instead of '\(before)'"
    }

    static func severity(_ level: FindingLevel) -> LSPDiagnostic.Severity {
        switch level {
        case .error: return .error
        case .warning: return .warning
        case .suggestion: return .information
        }
    }

    // MARK: - URIs and formats

    /// The file path of a `file:` URI (percent-decoded); nil for other schemes (`untitled:`).
    static func path(ofURI uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        let path = url.path
        return path.isEmpty ? nil : path
    }

    static func uri(ofPath path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }

    /// How a document is checked: by its language id (`markdown`; `plaintext` or `text`), else
    /// by the extensions `check` takes from a folder (`.md`, `.markdown`, ... and `.txt`); nil
    /// for any other document, which is not checked.
    static func format(languageID: String, path: String) -> DocumentFormat? {
        switch languageID.lowercased() {
        case "markdown", "mdx": return .markdown
        case "plaintext", "text", "txt": return .plain
        default:
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
            let ext = name[name.index(after: dot)...].lowercased()
            if DocumentFormat.markdownExtensions.contains(ext) { return .markdown }
            return ext == "txt" ? .plain : nil
        }
    }
}

/// A document the client has open, as the server last heard it.
struct OpenDocument {
    /// The file's path, for a `file:` URI.
    let path: String?
    let format: DocumentFormat
    var version: Int
    var text: String
    /// The results for the current text and style, once checked.
    var checked: Checked?
    /// Whether `checked` went to the client.
    var isPublished = false

    init(path: String?, format: DocumentFormat, version: Int, text: String) {
        self.path = path
        self.format = format
        self.version = version
        self.text = text
    }

    struct Checked {
        var version: Int
        var positions: TextPositions
        var items: [Item]
    }

    /// A diagnostic with the byte range it is about and the change `rewrite` makes there, if any.
    struct Item {
        var diagnostic: LSPDiagnostic
        var range: Range<Int>
        var edit: ComposedEdit?
    }
}
