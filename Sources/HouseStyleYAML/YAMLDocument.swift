/// The one document of a YAML file.
public struct YAMLDocument: Sendable, Hashable {
    /// The top node.
    public var root: YAMLNode
    /// Keys written a second time in a mapping, in the order they appear. The mapping keeps
    /// only the first occurrence. Each is a `YAMLError.duplicateKey`.
    public var duplicateKeys: [YAMLError]

    public init(root: YAMLNode, duplicateKeys: [YAMLError] = []) {
        self.root = root
        self.duplicateKeys = duplicateKeys
    }
}
