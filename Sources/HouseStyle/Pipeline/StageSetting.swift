import HouseStyleYAML

/// What a stage setting's value looks like: for the decoder's checks and messages, the JSON
/// Schema and the reference table of docs/style-file.md.
public indirect enum SettingType: Sendable, Hashable {
    /// One of these words.
    case choice([String])
    /// `true` or `false`.
    case bool
    /// A number within `NumberRequirement`.
    case number(NumberRequirement)
    /// A whole number within `NumberRequirement`.
    case integer(NumberRequirement)
    /// A list of entries described by the schema definition `definition` (`$defs/<definition>`),
    /// `documented` in the reference table as written here (`list of term entries`).
    case entries(definition: String, documented: String)
}

/// One setting a built-in stage declares: a key of the style file (`spelling`,
/// `punctuation.dashes`) or an option of the stage's entry in `stages`, with its type, default,
/// range and one line of documentation. The decoder, the merge of `extends`, the resolved
/// style's JSON, the JSON Schema and the reference table are all made from these declarations.
///
/// Read a value with `style[setting]` (or `options[setting]` for an option).
public struct StageSetting<Value: Sendable & Hashable & Encodable>: Sendable {
    /// Dotted key path: `spelling`, or `punctuation.dashes` for a key of a mapping several
    /// stages share. An option's key has no dot.
    public let key: String
    public let type: SettingType
    public let defaultValue: Value
    /// The default as the reference table shows it (`keep`, `not enforced`).
    public let documentedDefault: String
    /// One line for the schema's description and the reference table.
    public let summary: String
    let decode: @Sendable (inout StyleFileDecoder, YAMLNode, String) -> Value?
    let merge: @Sendable (_ parent: Value, _ child: Value) -> Value

    /// A setting of any shape: `decode` reads the YAML node at the key path (reporting its own
    /// mistakes), `merge` lays a child style's value over its parent's (default: the child's wins).
    init(
        _ key: String, type: SettingType, default defaultValue: Value, documentedDefault: String, summary: String,
        decode: @escaping @Sendable (inout StyleFileDecoder, YAMLNode, String) -> Value?,
        merge: @escaping @Sendable (_ parent: Value, _ child: Value) -> Value = { _, child in child }
    ) {
        self.key = key
        self.type = type
        self.defaultValue = defaultValue
        self.documentedDefault = documentedDefault
        self.summary = summary
        self.decode = decode
        self.merge = merge
    }

    /// One of the cases of `Value` (its raw values, in declaration order).
    public init(_ key: String, default defaultValue: Value, summary: String)
    where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
        self.init(key, type: .choice(Value.allCases.map(\.rawValue)), default: defaultValue, documentedDefault: "`\(defaultValue.rawValue)`",
                  summary: summary, decode: { decoder, node, keyPath in decoder.choice(node, keyPath) })
    }

    /// `true` or `false`; left out, `nil`.
    public init(_ key: String, documentedDefault: String, summary: String) where Value == Bool? {
        self.init(key, type: .bool, default: nil, documentedDefault: documentedDefault, summary: summary,
                  decode: { decoder, node, keyPath in decoder.bool(node, keyPath).map { .some($0) } })
    }

    /// A whole number within `range`.
    public init(_ key: String, default defaultValue: Int, range: NumberRequirement, summary: String) where Value == Int {
        self.init(key, type: .integer(range), default: defaultValue, documentedDefault: "`\(defaultValue)`", summary: summary,
                  decode: { decoder, node, keyPath in decoder.int(node, keyPath, range) })
    }

    /// A number within `range`.
    public init(_ key: String, default defaultValue: Double, range: NumberRequirement, summary: String) where Value == Double {
        self.init(key, type: .number(range), default: defaultValue, documentedDefault: "`\(defaultValue)`", summary: summary,
                  decode: { decoder, node, keyPath in decoder.number(node, keyPath, range) })
    }

    /// The declaration without its value type, for the registry's lists.
    public var erased: AnyStageSetting {
        AnyStageSetting(
            key: key, type: type, defaultValue: SettingValue(defaultValue), documentedDefault: documentedDefault, summary: summary,
            decode: { [decode] decoder, node, keyPath in decode(&decoder, node, keyPath).map(SettingValue.init) },
            merge: { [merge] parent, child in
                guard let parentValue = parent.value as? Value, let childValue = child.value as? Value else { return child }
                return SettingValue(merge(parentValue, childValue))
            })
    }
}

/// A `StageSetting` without its value type.
public struct AnyStageSetting: Sendable {
    public let key: String
    public let type: SettingType
    public let defaultValue: SettingValue
    public let documentedDefault: String
    public let summary: String
    let decode: @Sendable (inout StyleFileDecoder, YAMLNode, String) -> SettingValue?
    let merge: @Sendable (SettingValue, SettingValue) -> SettingValue

    /// The first component of the key: the style file's top-level key.
    public var group: String { key.split(separator: ".", maxSplits: 1).first.map(String.init) ?? key }
    /// The key inside its group's mapping, or nil for a top-level value (`spelling`).
    public var member: String? { key.contains(".") ? String(key.drop { $0 != "." }.dropFirst()) : nil }
}

/// A setting's value, whatever its type.
public struct SettingValue: Sendable, Hashable, Encodable {
    public let value: any Sendable & Hashable & Encodable

    public init(_ value: any Sendable & Hashable & Encodable) { self.value = value }

    public static func == (a: Self, b: Self) -> Bool { AnyHashable(a.value) == AnyHashable(b.value) }
    public func hash(into hasher: inout Hasher) { AnyHashable(value).hash(into: &hasher) }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// Values of stage settings by key: what a style file sets (before `extends` is resolved), every
/// setting of a resolved style, or a stage's options.
public struct StageSettings: Sendable, Hashable, Encodable {
    public var values: [String: SettingValue]

    public init(_ values: [String: SettingValue] = [:]) { self.values = values }

    /// The value of `setting`, its default when unset.
    public subscript<Value>(setting: StageSetting<Value>) -> Value {
        get { values[setting.key]?.value as? Value ?? setting.defaultValue }
        set { values[setting.key] = SettingValue(newValue) }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// Encodes as a mapping of keys to values (an option's keys have no dots).
    public func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }
}

extension Style {
    /// The value of a stage's setting (its default when no file of the chain sets it).
    public subscript<Value>(setting: StageSetting<Value>) -> Value {
        get { settings[setting] }
        set { settings[setting] = newValue }
    }
}

/// A list setting's merge: the parent's entries in order, a child entry replacing the parent's
/// entry with the same `key` in place, new child entries after them.
func mergedInPlace<Entry, Key: Equatable>(_ parent: [Entry], _ child: [Entry], by key: (Entry) -> Key) -> [Entry] {
    var merged = parent
    for entry in child {
        if let index = merged.firstIndex(where: { key($0) == key(entry) }) { merged[index] = entry } else { merged.append(entry) }
    }
    return merged
}
