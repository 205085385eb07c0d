import HouseStyleYAML

/// One mistake in a style file. `Diagnostic` adds where it is; `message` says what to do.
public enum StyleError: Error, Sendable, Hashable {
    /// The file could not be read (missing, a folder, no permission).
    case unreadable(reason: String)
    /// The YAML itself is broken: syntax error, empty file, second document, duplicate key, ...
    case yaml(YAMLError)
    /// The top of the file is not a mapping of settings.
    case notAMapping(found: String)
    /// `version` is missing.
    case missingVersion
    /// `version` is not one this housestyle reads.
    case unsupportedVersion(Int)
    /// A key the schema does not have; `parent` is the key path of the mapping ("" at the top).
    case unknownKey(key: String, parent: String, suggestion: String?, known: [String])
    /// A value of the wrong kind; `expected` is e.g. "a number", `found` e.g. "a list".
    case wrongType(keyPath: String, expected: String, found: String)
    /// A number outside its allowed range; `found` is the number as written.
    case outOfRange(keyPath: String, found: String, allowed: NumberRequirement)
    /// A value not among the allowed ones.
    case invalidValue(keyPath: String, found: String, allowed: [String])
    /// A `learned.sources` entry that is not a source; `suggestion` is the nearest one.
    case unknownLearnedSource(found: String, keyPath: String, suggestion: String?)
    /// A `learned.never` entry with a blank side of `->`, or more than one `->`.
    case invalidVeto(keyPath: String, found: String)
    /// An `ignore` pattern that is not a regular expression.
    case invalidPattern(keyPath: String, found: String)
    /// A `locale` that is not a language tag.
    case invalidLocale(found: String)
    /// A required key is missing from the mapping at `parent`.
    case missingKey(key: String, parent: String)
    /// An empty string or list where something is needed.
    case empty(keyPath: String)
    /// A stage id that is not built in.
    case unknownStage(id: String, keyPath: String, suggestion: String?)
    /// A stage mapping that is neither `{id: {options}}` nor `{command: [...], timeout: ...}`.
    case ambiguousStage(keyPath: String, keys: [String])
    /// Options given to a built-in stage that declares none; `keyPath` is its entry's.
    case takesNoOptions(stage: String, keyPath: String)
    /// A corpus glob that matches no file.
    case globMatchesNothing(pattern: String, keyPath: String, root: String)
    /// `extends` names a style that does not exist; `searched` is the path looked at.
    case missingParent(name: String, searched: String, suggestion: String?)
    /// `extends` leads back to a style already in the chain; `chain` ends with the repeat.
    case extendsCycle(chain: [String])
    /// A path the style names (`extends`, a corpus glob, `model.base`) leads outside the folders
    /// it may read: its project and those the user allowed.
    case outsideProject(keyPath: String, OutsideScope)
    /// `extends` leads to a file that is not a style file (no mapping with `version` at its top).
    /// `reason` never quotes the file: it may be anything, a secret included.
    case notAStyleFile(path: String, reason: String)
    /// A `name` that is not a plain name (it names the folder `models/NAME`).
    case invalidName(found: String)
    /// A `rule` of a `terms` or `avoid` entry that cannot name a rule; `reason` says why.
    case invalidRuleName(keyPath: String, found: String, reason: String)

    /// What is wrong and what to do, lowercase, without the location.
    public var message: String {
        switch self {
        case .unreadable(let reason):
            return "cannot read the style file: \(reason)"
        case .yaml(let error):
            return error.message
        case .notAMapping(let found):
            return "expected a mapping of style settings at the top of the file, found \(found)"
        case .missingVersion:
            return "missing required key 'version'; add 'version: \(Style.currentVersion)' at the top of the file"
        case .unsupportedVersion(let version) where version > Style.currentVersion:
            return "this style file needs a newer housestyle: it is version \(version), "
                + "this housestyle reads version \(Style.currentVersion)"
        case .unsupportedVersion(let version):
            return "unsupported version \(version); the style file version is \(Style.currentVersion)"
        case .unknownKey(let key, let parent, let suggestion, let known):
            let place = parent.isEmpty ? "" : " in '\(parent)'"
            if let suggestion { return "unknown key '\(key)'\(place); did you mean '\(suggestion)'?" }
            return "unknown key '\(key)'\(place); expected one of: \(known.joined(separator: ", "))"
        case .wrongType(let keyPath, let expected, let found):
            return "expected \(expected) for '\(keyPath)', found \(found)"
        case .outOfRange(let keyPath, let found, let allowed):
            return "'\(keyPath)' must be \(allowed), found \(found)"
        case .invalidValue(let keyPath, let found, let allowed):
            return "invalid value '\(found)' for '\(keyPath)'; expected one of: \(allowed.joined(separator: ", "))"
        case .unknownLearnedSource(let found, let keyPath, let suggestion):
            if let suggestion { return "unknown source '\(found)' in '\(keyPath)'; did you mean '\(suggestion)'?" }
            let names = LearnedSource.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown source '\(found)' in '\(keyPath)'; expected one of: \(names)"
        case .invalidVeto(let keyPath, let found):
            return "expected a word or 'word -> replacement' for '\(keyPath)', found '\(found)'"
        case .invalidPattern(let keyPath, let found):
            return "'\(keyPath)' is not a valid regular expression (ICU syntax): '\(found)'"
        case .invalidLocale(let found):
            return "invalid locale '\(found)'; expected a language tag such as en-GB or en-US"
        case .missingKey(let key, let parent):
            return "missing required key '\(key)' in '\(parent)'"
        case .empty(let keyPath):
            return "'\(keyPath)' must not be empty"
        case .unknownStage(let id, let keyPath, let suggestion):
            if let suggestion { return "unknown stage '\(id)' in '\(keyPath)'; did you mean '\(suggestion)'?" }
            let ids = BuiltinStageID.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown stage '\(id)' in '\(keyPath)'; built-in stages are: \(ids); "
                + "an external stage is written {command: [program, args...], timeout: seconds}"
        case .takesNoOptions(let stage, let keyPath):
            return "stage '\(stage)' takes no options; write it as '\(stage)' in '\(keyPath)'"
        case .ambiguousStage(let keyPath, let keys):
            return "'\(keyPath)' has keys \(keys.map { "'\($0)'" }.joined(separator: ", ")); a built-in stage with "
                + "options has exactly one key, its id, and an external stage has 'command' and 'timeout'"
        case .globMatchesNothing(let pattern, let keyPath, let root):
            return "no file matches '\(pattern)' in '\(keyPath)' (globs are relative to '\(root)')"
        case .missingParent(let name, let searched, let suggestion):
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            return "cannot find the parent style '\(name)': no file \(searched)\(hint)"
        case .extendsCycle(let chain):
            return "'extends' forms a cycle: \(chain.joined(separator: " -> "))"
        case .outsideProject(let keyPath, let outside):
            return outside.message(keyPath: keyPath)
        case .notAStyleFile(let path, let reason):
            return "the parent style '\(path)' is not a style file: \(reason); nothing of its content is shown"
        case .invalidName(let found):
            return "'name' must be a plain name, without '/' and not '.' or '..' (it names the folder models/NAME), found '\(found)'"
        case .invalidRuleName(let keyPath, let found, let reason):
            return "invalid rule name '\(found)' for '\(keyPath)': \(reason)"
        }
    }
}

/// The allowed range of a number setting.
public enum NumberRequirement: Sendable, Hashable, CustomStringConvertible {
    case between(Double, Double)
    case atLeast(Double)
    case greaterThan(Double)
    /// Greater than the first bound and at most the second.
    case aboveAtMost(Double, Double)

    public var description: String {
        func text(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
        switch self {
        case .between(let low, let high): return "between \(text(low)) and \(text(high))"
        case .atLeast(let low): return "at least \(text(low))"
        case .greaterThan(let low): return "greater than \(text(low))"
        case .aboveAtMost(let low, let high): return "greater than \(text(low)) and at most \(text(high))"
        }
    }

    func allows(_ value: Double) -> Bool {
        switch self {
        case .between(let low, let high): return value >= low && value <= high
        case .atLeast(let low): return value >= low
        case .greaterThan(let low): return value > low
        case .aboveAtMost(let low, let high): return value > low && value <= high
        }
    }
}

/// One reported mistake: where it is, the key path it concerns, and what it is.
///
/// Printed as `path:line:column: error: message` (or `path: error: message` when the whole
/// file is concerned, e.g. it cannot be read).
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The style file's path, as given or found.
    public var path: String
    public var line: Int?
    public var column: Int?
    /// Dotted key path with 0-based list indexes, e.g. `terms[2].use`; "" for the whole file.
    public var keyPath: String
    public var error: StyleError

    public init(path: String, line: Int? = nil, column: Int? = nil, keyPath: String = "", error: StyleError) {
        self.path = path
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.error = error
    }

    public init(at mark: SourceMark, keyPath: String = "", error: StyleError) {
        self.init(path: mark.path, line: mark.line, column: mark.column, keyPath: keyPath, error: error)
    }

    public var message: String { error.message }

    public var description: String {
        guard let line, let column else { return "\(path): error: \(message)" }
        return "\(path):\(line):\(column): error: \(message)"
    }
}

/// Thrown by `StyleLoader.load` when a style has mistakes: all of them, in file order.
public struct StyleLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Whether a file of the style could not be read at all (as opposed to being invalid).
    public var isUnreadable: Bool {
        diagnostics.contains { if case .unreadable = $0.error { return true } else { return false } }
    }

    /// One diagnostic per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
