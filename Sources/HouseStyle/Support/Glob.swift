import Foundation

/// A path pattern such as `corpora/acme/**/*.md`, matched against paths and expanded against
/// the file system.
///
/// - `*` matches any run of characters within one path component, `?` one character;
/// - `[abc]`, `[a-z]`, `[!abc]` (or `[^abc]`) match one character of (or not of) a set;
/// - `**` as a whole component matches zero or more directories (`a/**/*.md` matches `a/x.md`
///   and `a/b/c/x.md`); a trailing `**` matches every file below;
/// - `\` makes the next character literal.
///
/// Wildcards do not match a leading `.` (as in a shell), so hidden files and folders such as
/// `.git` are skipped unless the pattern names them (`.github/*.md`). `**` does not follow
/// symbolic links to folders, so a link cycle cannot loop. Expansion lists files only (not
/// folders), in byte order of their paths, so the result is the same on every machine.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    private let segments: [Segment]

    private enum Segment: Sendable, Hashable {
        case anyDepth
        case literal(String)
        case wildcard([Token])
    }

    private enum Token: Sendable, Hashable {
        case character(Character)
        case anyRun
        case anyOne
        case set([ClosedRange<Character>], negated: Bool)
    }

    public init(_ pattern: String) {
        self.pattern = pattern
        var segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Self.segment(String($0)) }
        if segments.last == .anyDepth { segments.append(.wildcard([.anyRun])) }
        self.segments = segments
    }

    public var description: String { pattern }

    /// Whether the pattern starts at the file-system root rather than at a base folder.
    public var isAbsolute: Bool { pattern.hasPrefix("/") }

    /// Whether `path` (relative, `/`-separated, as `expand` returns them) matches the pattern.
    public func matches(_ path: String) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        return Self.match(segments[...], components[...])
    }

    /// The leading components of the pattern that hold no wildcard (`corpora/acme` for
    /// `corpora/acme/**/*.md`, `/etc` for `/etc/*.conf`, the whole pattern when it has none):
    /// every match lies below it. "" when the pattern starts with a wildcard; "/" for `/*`.
    public var literalPrefix: String {
        var names: [String] = []
        for segment in segments {
            guard case .literal(let name) = segment else { break }
            names.append(name)
        }
        let joined = names.joined(separator: "/")
        return isAbsolute ? "/" + joined : joined
    }

    /// Whether the pattern has no wildcard, so that it names one path.
    public var isLiteral: Bool {
        segments.allSatisfy { if case .literal = $0 { return true } else { return false } }
    }

    /// The files that match, relative to `baseDirectory` (absolute patterns give absolute
    /// paths), sorted by their bytes.
    ///
    /// - Parameter listing: asked before the walk lists the entries of a folder, for a wildcard
    ///   or `**` (its path as the walk reached it: `baseDirectory` joined with the relative
    ///   path); a folder it refuses is not listed, so nothing below it matches. Literal components
    ///   (`..` included) are passed through without listing anything.
    public func expand(in baseDirectory: String, listing: ((String) -> Bool)? = nil) -> [String] {
        var results = Set<String>()
        let start = isAbsolute ? "/" : baseDirectory
        walk(directory: start, relative: isAbsolute ? "/" : "", index: 0, listing: listing, into: &results)
        return results.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func walk(directory: String, relative: String, index: Int, listing: ((String) -> Bool)?, into results: inout Set<String>) {
        let fileManager = FileManager.default
        func join(_ base: String, _ name: String) -> String {
            base.isEmpty ? name : base.hasSuffix("/") ? base + name : base + "/" + name
        }
        func visit(_ name: String, nextIndex: Int) {
            let path = join(directory, name)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
            if nextIndex == segments.count {
                if !isDirectory.boolValue { results.insert(join(relative, name)) }
            } else if isDirectory.boolValue {
                walk(directory: path, relative: join(relative, name), index: nextIndex, listing: listing, into: &results)
            }
        }
        guard index < segments.count else { return }
        switch segments[index] {
        case .literal(let name):
            visit(name, nextIndex: index + 1)
        case .wildcard(let tokens):
            guard listing?(directory) ?? true else { return }
            for name in Self.entries(of: directory) where Self.match(tokens[...], Array(name)[...]) {
                visit(name, nextIndex: index + 1)
            }
        case .anyDepth:
            guard listing?(directory) ?? true else { return }
            walk(directory: directory, relative: relative, index: index + 1, listing: listing, into: &results)
            for name in Self.entries(of: directory) where !name.hasPrefix(".") {
                let path = join(directory, name)
                guard let attributes = try? fileManager.attributesOfItem(atPath: path),
                    attributes[.type] as? FileAttributeType == .typeDirectory
                else { continue }  // files, and symbolic links (which could form a cycle)
                walk(directory: path, relative: join(relative, name), index: index, listing: listing, into: &results)
            }
        }
    }

    private static func entries(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    // MARK: - Matching

    private static func match(_ segments: ArraySlice<Segment>, _ components: ArraySlice<String>) -> Bool {
        guard let segment = segments.first else { return components.isEmpty }
        switch segment {
        case .anyDepth:
            var rest = components
            while true {
                if match(segments.dropFirst(), rest) { return true }
                guard let first = rest.first, !first.hasPrefix(".") else { return false }
                rest = rest.dropFirst()
            }
        case .literal(let name):
            return components.first == name && match(segments.dropFirst(), components.dropFirst())
        case .wildcard(let tokens):
            guard let first = components.first else { return false }
            return match(tokens[...], Array(first)[...]) && match(segments.dropFirst(), components.dropFirst())
        }
    }

    /// Matches one path component; a wildcard never matches a leading dot.
    private static func match(_ tokens: ArraySlice<Token>, _ name: ArraySlice<Character>) -> Bool {
        if name.first == ".", tokens.first != .character(".") { return false }
        // Iterative matching with backtracking to the last `*`.
        var t = tokens.startIndex, n = name.startIndex
        var star: (token: Int, name: Int)?
        while n < name.endIndex {
            if t < tokens.endIndex, tokens[t] != .anyRun, matchOne(tokens[t], name[n]) {
                t += 1
                n += 1
            } else if t < tokens.endIndex, tokens[t] == .anyRun {
                star = (t, n)
                t += 1
            } else if let last = star {
                t = last.token + 1
                n = last.name + 1
                star = (last.token, last.name + 1)
            } else {
                return false
            }
        }
        while t < tokens.endIndex, tokens[t] == .anyRun { t += 1 }
        return t == tokens.endIndex
    }

    private static func matchOne(_ token: Token, _ character: Character) -> Bool {
        switch token {
        case .character(let expected): return character == expected
        case .anyOne: return true
        case .anyRun: return true
        case .set(let ranges, let negated): return ranges.contains { $0.contains(character) } != negated
        }
    }

    // MARK: - Parsing

    private static func segment(_ text: String) -> Segment {
        if text == "**" { return .anyDepth }
        let tokens = tokenize(Array(text))
        var literal = ""
        for token in tokens {
            guard case .character(let character) = token else { return .wildcard(tokens) }
            literal.append(character)
        }
        return .literal(literal)
    }

    private static func tokenize(_ characters: [Character]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < characters.count {
            let character = characters[i]
            switch character {
            case "\\" where i + 1 < characters.count:
                tokens.append(.character(characters[i + 1]))
                i += 2
                continue
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case "?":
                tokens.append(.anyOne)
            case "[":
                if let (set, end) = bracket(characters, from: i) {
                    tokens.append(set)
                    i = end + 1
                    continue
                }
                tokens.append(.character("["))  // unclosed: a literal bracket, as in a shell
            default:
                tokens.append(.character(character))
            }
            i += 1
        }
        return tokens
    }

    /// Parses `[...]` starting at `start`; returns the set and the index of its `]`.
    private static func bracket(_ characters: [Character], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < characters.count, characters[i] == "!" || characters[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while i < characters.count {
            let character = characters[i]
            if character == "]" && !first { return (.set(ranges, negated: negated), i) }
            first = false
            if i + 2 < characters.count, characters[i + 1] == "-", characters[i + 2] != "]", character <= characters[i + 2] {
                ranges.append(character...characters[i + 2])
                i += 3
            } else {
                ranges.append(character...character)
                i += 1
            }
        }
        return nil
    }
}
