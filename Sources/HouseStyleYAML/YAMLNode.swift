/// One node of a YAML document, with the place it was written.
///
/// Aliases are resolved: an alias becomes a copy of its anchored node whose own `mark` is the
/// alias's position, while the nodes inside keep the positions where they were written.
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        /// Entries in the order written. Duplicate keys are not kept: the first one wins and
        /// the others are listed in `YAMLDocument.duplicateKeys`.
        case mapping([YAMLMappingEntry])
    }

    public var content: Content
    /// Where the node starts.
    public var mark: SourceMark
    /// The explicit tag of a sequence or mapping, expanded; `nil` when it has none. (A scalar's
    /// tag is kept on the scalar because it decides its type.)
    public var tag: String?

    public init(_ content: Content, mark: SourceMark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value of `key` in a mapping whose keys are scalars; `nil` for other nodes.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// The node's kind and, for a scalar, its value, as a message says it: `a list`,
    /// `a mapping`, `null`, `the boolean true`, `the number 3`, `the string 'high'`.
    public var kindDescription: String {
        switch content {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return "null"
            case .bool(let bool): return "the boolean \(bool)"
            case .int, .double: return "the number \(scalar.text)"
            case .string(let string): return "the string '\(string)'"
            }
        }
    }

    /// Whether two nodes hold the same data, ignoring where they were written.
    public func hasSameContent(as other: YAMLNode) -> Bool {
        switch (content, other.content) {
        case (.scalar(let a), .scalar(let b)):
            return a.value == b.value
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.hasSameContent(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.key.hasSameContent(as: $1.key) && $0.value.hasSameContent(as: $1.value) }
        default:
            return false
        }
    }
}

/// One `key: value` pair of a mapping; both keep their positions.
public struct YAMLMappingEntry: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// Encodes the data of the node as JSON would hold it: scalars by their core-schema value,
/// mappings as objects keyed by each key's text. Positions are not encoded.
extension YAMLNode: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch content {
        case .scalar(let scalar):
            var container = encoder.singleValueContainer()
            switch scalar.value {
            case .null: try container.encodeNil()
            case .bool(let bool): try container.encode(bool)
            case .int(let int): try container.encode(int)
            case .double(let double):
                // JSON has no infinity or NaN; keep the text.
                if double.isFinite { try container.encode(double) } else { try container.encode(scalar.text) }
            case .string(let string): try container.encode(string)
            }
        case .sequence(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .mapping(let entries):
            var container = encoder.container(keyedBy: Key.self)
            for entry in entries {
                let key = entry.key.scalar?.text ?? entry.key.kindDescription
                try container.encode(entry.value, forKey: Key(stringValue: key))
            }
        }
    }
}
