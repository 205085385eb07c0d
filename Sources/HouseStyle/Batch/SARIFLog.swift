/// The part of SARIF 2.1.0 (OASIS, errata 01) that `check` writes, as Encodable values whose
/// property names are the specification's. Optional properties left nil are omitted.
struct SARIFLog: Encodable {
    var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    var version = "2.1.0"
    var runs: [Run]

    enum CodingKeys: String, CodingKey {
        case schema = "$schema", version, runs
    }

    struct Run: Encodable {
        var tool: Tool
        var invocations: [Invocation]
        /// Base id -> the absolute URI (ending in `/`) it stood for where the log was written.
        var originalUriBaseIds: [String: ArtifactLocation]
        /// `unicodeCodePoints`: a character outside the Basic Multilingual Plane is one column.
        var columnKind: String
        var results: [Result]
    }

    struct Tool: Encodable {
        var driver: ToolComponent
    }

    struct ToolComponent: Encodable {
        var name: String
        var version: String
        var semanticVersion: String?
        var rules: [ReportingDescriptor]
        /// Descriptors of the notifications in `invocations[].toolExecutionNotifications`.
        var notifications: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var shortDescription: MultiformatMessage
        var fullDescription: MultiformatMessage
        var help: MultiformatMessage
        var defaultConfiguration: ReportingConfiguration
    }

    struct ReportingConfiguration: Encodable {
        var level: String
    }

    struct MultiformatMessage: Encodable {
        var text: String
        var markdown: String?
    }

    struct Message: Encodable {
        var text: String
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var fixes: [Fix]?
        var properties: Properties?
    }

    /// The result's property bag: how sure the rule or model was.
    struct Properties: Encodable {
        var confidence: Double
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
        var description: Message?
    }

    /// A text region: lines and columns from 1; `endColumn` is one past the last character, and
    /// equal start and end make an insertion point.
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
    }

    struct Fix: Encodable {
        var description: Message
        var artifactChanges: [ArtifactChange]
    }

    struct ArtifactChange: Encodable {
        var artifactLocation: ArtifactLocation
        var replacements: [Replacement]
    }

    /// Deletes `deletedRegion` of the unchanged file, then inserts `insertedContent` there
    /// (absent for a pure deletion).
    struct Replacement: Encodable {
        var deletedRegion: Region
        var insertedContent: ArtifactContent?
    }

    struct ArtifactContent: Encodable {
        var text: String
    }

    struct Invocation: Encodable {
        /// False when a file could not be checked (the exit status is then 2).
        var executionSuccessful: Bool
        var exitCode: Int32?
        var toolExecutionNotifications: [Notification]
        var workingDirectory: ArtifactLocation
    }

    struct Notification: Encodable {
        var descriptor: DescriptorReference
        var level: String
        var message: Message
        var locations: [Location]
    }

    struct DescriptorReference: Encodable {
        var id: String
    }
}
