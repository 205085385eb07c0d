import HouseStyleYAML

/// Why another tool's style could not be imported at all. What can be read but not expressed in
/// a style file is not an error: it is listed in the import's report (`ValeRuleReport`).
public enum ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing at the path, or it cannot be read.
    case unreadable(path: String, reason: String)
    /// The path is neither a Vale configuration (`.vale.ini`) nor a folder of Vale rules (`*.yml`).
    case notAValeSource(path: String)
    /// A rule file's YAML is broken.
    case yaml(YAMLError)
    /// A rule file is not what Vale reads (no `extends`, an unknown check, a bad `level`, ...).
    case invalidRule(mark: SourceMark, reason: String)
    /// A line of `.vale.ini` that is not `key = value` or `[section]`, or a value Vale rejects.
    case invalidConfig(mark: SourceMark, reason: String)
    /// `BasedOnStyles` (or a `Style.Rule` key) names a style that is not a folder of `StylesPath`.
    case missingStyle(mark: SourceMark, style: String, stylesPath: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): error: cannot read: \(reason)"
        case .notAValeSource(let path):
            return "\(path): error: not a Vale configuration (.vale.ini) or a folder of Vale rules (*.yml)"
        case .yaml(let error): return error.description
        case .invalidRule(let mark, let reason): return "\(mark): error: \(reason)"
        case .invalidConfig(let mark, let reason): return "\(mark): error: \(reason)"
        case .missingStyle(let mark, let style, let stylesPath):
            return "\(mark): error: no style '\(style)' in StylesPath '\(stylesPath)' (no folder \(stylesPath)/\(style)); "
                + "run 'vale sync' to download the packages the configuration names"
        }
    }
}
