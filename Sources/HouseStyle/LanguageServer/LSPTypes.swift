import Foundation

// The parts of the Language Server Protocol 3.17 that the server reads and writes, named as the
// specification names them. Decoding is lenient: members the server does not use are ignored.

struct Position: Codable, Hashable, Sendable {
    /// 0-based line.
    var line: Int
    /// 0-based offset in the line, in UTF-16 code units.
    var character: Int
}

struct LSPRange: Codable, Hashable, Sendable {
    var start: Position
    var end: Position
}

struct TextDocumentIdentifier: Codable, Sendable {
    var uri: String
}

struct TextDocumentItem: Codable, Sendable {
    var uri: String
    var languageId: String
    var version: Int
    var text: String
}

struct VersionedTextDocumentIdentifier: Codable, Sendable {
    var uri: String
    var version: Int
}

struct DidOpenTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentItem
}

struct DidChangeTextDocumentParams: Codable, Sendable {
    struct Change: Codable, Sendable {
        /// Absent for the whole text (full sync); present for an incremental change.
        var range: LSPRange?
        var text: String
    }

    var textDocument: VersionedTextDocumentIdentifier
    var contentChanges: [Change]
}

struct DidCloseTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
}

struct DidSaveTextDocumentParams: Codable, Sendable {
    var textDocument: TextDocumentIdentifier
}

struct DidChangeWatchedFilesParams: Codable, Sendable {
    struct FileEvent: Codable, Sendable {
        var uri: String
        /// 1 created, 2 changed, 3 deleted.
        var type: Int
    }

    var changes: [FileEvent]
}

struct CodeActionParams: Codable, Sendable {
    struct Context: Codable, Sendable {
        /// The kinds the client asks for (a kind matches its own sub-kinds); nil for all.
        var only: [String]?
    }

    var textDocument: TextDocumentIdentifier
    var range: LSPRange
    var context: Context
}

/// A diagnostic as published: `code` is the rule id, `source` is always "housestyle".
struct LSPDiagnostic: Codable, Hashable, Sendable {
    enum Severity: Int, Codable, Sendable {
        case error = 1, warning = 2, information = 3, hint = 4
    }

    var range: LSPRange
    var severity: Severity
    var code: String
    var source: String
    var message: String
}

struct PublishDiagnosticsParams: Codable, Sendable {
    var uri: String
    var version: Int?
    var diagnostics: [LSPDiagnostic]
}

struct TextEdit: Codable, Hashable, Sendable {
    var range: LSPRange
    var newText: String
}

/// A document's edits, for the version they were computed on (the client refuses them if the
/// document changed since).
struct TextDocumentEdit: Codable, Hashable, Sendable {
    struct Document: Codable, Hashable, Sendable {
        var uri: String
        var version: Int?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(uri, forKey: .uri)
            // `OptionalVersionedTextDocumentIdentifier`: the member is required, null allowed.
            if let version { try container.encode(version, forKey: .version) } else { try container.encodeNil(forKey: .version) }
        }
    }

    var textDocument: Document
    var edits: [TextEdit]
}

struct WorkspaceEdit: Codable, Hashable, Sendable {
    var changes: [String: [TextEdit]]?
    var documentChanges: [TextDocumentEdit]?
}

struct CodeAction: Codable, Hashable, Sendable {
    static let quickFix = "quickfix"
    static let fixAll = "source.fixAll.housestyle"

    var title: String
    var kind: String
    var diagnostics: [LSPDiagnostic]?
    var isPreferred: Bool?
    var edit: WorkspaceEdit
}

struct LogMessageParams: Codable, Sendable {
    enum MessageType: Int, Codable, Sendable {
        case error = 1, warning = 2, info = 3, log = 4
    }

    var type: MessageType
    var message: String
}

struct InitializeResult: Codable, Sendable {
    struct Capabilities: Codable, Sendable {
        struct TextDocumentSync: Codable, Sendable {
            struct Save: Codable, Sendable { var includeText: Bool }
            var openClose: Bool
            /// 1: the client sends the whole text on every change.
            var change: Int
            var save: Save
        }

        struct CodeActionOptions: Codable, Sendable {
            var codeActionKinds: [String]
        }

        var positionEncoding: String
        var textDocumentSync: TextDocumentSync
        var codeActionProvider: CodeActionOptions
    }

    struct ServerInfo: Codable, Sendable {
        var name: String
        var version: String
    }

    var capabilities: Capabilities
    var serverInfo: ServerInfo
}

struct RegistrationParams: Codable, Sendable {
    struct Registration: Codable, Sendable {
        var id: String
        var method: String
        var registerOptions: WatchedFilesOptions
    }

    struct WatchedFilesOptions: Codable, Sendable {
        struct Watcher: Codable, Sendable { var globPattern: String }
        var watchers: [Watcher]
    }

    var registrations: [Registration]
}
