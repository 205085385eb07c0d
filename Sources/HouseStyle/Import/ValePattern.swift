/// A Vale token or swap key (a regular expression) read as the finite list of phrases it
/// matches, when it is made only of literal text, alternations (`a|b`, `(?:a|b)`), optional parts
/// (`s?`, `(?:very )?`), small character sets (`[ae]`, `[Oo]`) and word boundaries at its ends.
///
/// Anything else (`\w`, `.`, `*` and `+` on letters, `{2,4}`, lookarounds, anchors, back
/// references) cannot be listed: `expand` says which construct stops it. A separator set repeated
/// (`[ -]*`, `[ -]+`) is read as at most (or exactly) one separator, an approximation it reports.
struct ValePattern: Sendable {
    /// The phrases, each single-spaced and trimmed, in the order the pattern writes them.
    var phrases: [String]
    /// Where the phrases only approximate the pattern, in words (`'[ -]*' read as at most one space or hyphen`).
    var approximations: [String]
    /// Whether the pattern starts with `(?i)`.
    var caseInsensitive: Bool
    /// Whether it starts, and ends, with `\b`.
    var leadingBoundary: Bool, trailingBoundary: Bool

    /// Why a pattern cannot be listed as phrases.
    struct Unsupported: Error, Sendable, Hashable, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// At most this many phrases per pattern; more is not a word list any more.
    static let limit = 256

    static func expand(_ pattern: String, limit: Int = limit) throws(Unsupported) -> ValePattern {
        var body = Substring(pattern)
        var caseInsensitive = false
        if body.hasPrefix("(?i)") {
            caseInsensitive = true
            body = body.dropFirst(4)
        }
        let (spaced, spaceApproximations) = betweenSpaces(body)
        var parser = Parser(characters: Array(spaced))
        parser.approximations = spaceApproximations
        // Word boundaries only at the start or end of the pattern's alternatives (`\bocd\b|o\.c\.d\.`).
        var alternatives = try parser.alternatives(insideGroup: false)
        var leading = true, trailing = true
        for index in alternatives.indices {
            if alternatives[index].first?.atom == .boundary { alternatives[index].removeFirst() } else { leading = false }
            if alternatives[index].last?.atom == .boundary { alternatives[index].removeLast() } else { trailing = false }
        }
        let node = Node(atom: .group(alternatives), optional: false)
        if node.containsBoundary { throw Unsupported(reason: "a word boundary '\\b' inside the pattern") }
        var phrases: [String] = []
        var seen = Set<String>()
        for raw in try node.expansions(limit: limit) {
            let phrase = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            guard !phrase.isEmpty else { continue }
            if seen.insert(phrase).inserted { phrases.append(phrase) }
        }
        guard !phrases.isEmpty else { throw Unsupported(reason: "it matches no words") }
        for phrase in phrases {
            guard let first = phrase.first, let last = phrase.last, first.isLetter || first.isNumber else {
                throw Unsupported(reason: "'\(phrase)' starts with '\(phrase.first.map(String.init) ?? "")', not a letter or digit, "
                    + "so it cannot be matched as whole words")
            }
            guard last.isLetter || last.isNumber else {
                throw Unsupported(reason: "'\(phrase)' ends with '\(last)', not a letter or digit, so it cannot be matched as whole words")
            }
        }
        return ValePattern(phrases: phrases, approximations: parser.approximations, caseInsensitive: caseInsensitive,
                           leadingBoundary: leading, trailingBoundary: trailing)
    }

    /// `(?:^|\s)I\s` and `(?:^|\s)I(?=\s)`, Vale's way of writing a word that stands between spaces
    /// (Google.FirstPerson and Microsoft.FirstPerson: "I", but not the "I" of "I'm" or "I/O"), read
    /// with word boundaries instead, `\bI\b`: housestyle matches whole words, so the word followed
    /// by punctuation ("I, too") matches as well. Each approximation is reported. Only a pattern
    /// that starts so is read so: a trailing `\s` alone is still a character class.
    static func betweenSpaces(_ body: Substring) -> (String, [String]) {
        var body = body, approximations: [String] = []
        for start in ["(?:^|\\s)", "(?:\\s|^)"] where body.hasPrefix(start) {
            body = Substring("\\b" + String(body.dropFirst(start.count)))
            approximations.append("'\(start)' read as a word boundary")
        }
        guard !approximations.isEmpty else { return (String(body), []) }
        // After such a start, a trailing `\s` or `(?=\s)` that is not itself escaped (`\\s` is a
        // backslash and an "s").
        for end in ["(?=\\s)", "\\s"] where body.hasSuffix(end) && !body.dropLast(end.count).hasSuffix("\\") {
            body = Substring(String(body.dropLast(end.count)) + "\\b")
            approximations.append("'\(end)' at the end read as a word boundary (a word followed by punctuation matches too)")
            break
        }
        return (String(body), approximations)
    }

    /// Whether `text` has anything a regular expression reads specially: Vale adds such a
    /// vocabulary entry to no rule but its exceptions.
    static func isPhrase(_ text: String) -> Bool {
        !text.contains { "\\[]()?*+{}|^$.".contains($0) }
    }

    // MARK: - Parsing

    private indirect enum Atom: Sendable, Equatable {
        case literal(Character)
        /// One of several characters.
        case set([Character])
        /// Alternatives, each a sequence.
        case group([[Node]])
        case boundary
    }

    private struct Node: Sendable, Equatable {
        var atom: Atom
        var optional: Bool

        var containsBoundary: Bool {
            switch atom {
            case .boundary: return true
            case .group(let alternatives): return alternatives.contains { $0.contains(where: \.containsBoundary) }
            default: return false
            }
        }

        func expansions(limit: Int) throws(Unsupported) -> [String] {
            var result: [String]
            switch atom {
            case .literal(let character): result = [String(character)]
            case .set(let characters): result = characters.map(String.init)
            case .boundary: result = [""]
            case .group(let alternatives):
                result = []
                for sequence in alternatives {
                    var partial = [""]
                    for node in sequence {
                        let next = try node.expansions(limit: limit)
                        guard partial.count * next.count <= limit else { throw Unsupported(reason: "it stands for more than \(limit) phrases") }
                        partial = partial.flatMap { prefix in next.map { prefix + $0 } }
                    }
                    result += partial
                    guard result.count <= limit else { throw Unsupported(reason: "it stands for more than \(limit) phrases") }
                }
            }
            return optional ? result + [""] : result
        }
    }

    private struct Parser {
        var characters: [Character]
        var index = 0
        var approximations: [String] = []

        /// `a|b|c` up to the end, or up to the `)` that closes the current group.
        mutating func alternatives(insideGroup: Bool) throws(Unsupported) -> [[Node]] {
            var alternatives: [[Node]] = [[]]
            while index < characters.count {
                let character = characters[index]
                switch character {
                case "|":
                    index += 1
                    alternatives.append([])
                case ")":
                    guard insideGroup else { throw Unsupported(reason: "an unbalanced ')'") }
                    return alternatives
                case "(":
                    index += 1
                    try openGroup()
                    let inner = try self.alternatives(insideGroup: true)
                    guard index < characters.count, characters[index] == ")" else { throw Unsupported(reason: "an unclosed '('") }
                    index += 1
                    alternatives[alternatives.count - 1].append(Node(atom: .group(inner), optional: false))
                case "[":
                    index += 1
                    alternatives[alternatives.count - 1].append(Node(atom: .set(try characterSet()), optional: false))
                case "\\":
                    guard index + 1 < characters.count else { throw Unsupported(reason: "a trailing '\\'") }
                    let escaped = characters[index + 1]
                    index += 2
                    if escaped == "b" {
                        alternatives[alternatives.count - 1].append(Node(atom: .boundary, optional: false))
                    } else if escaped.isLetter || escaped.isNumber {
                        throw Unsupported(reason: Self.describe(escape: escaped))
                    } else {
                        alternatives[alternatives.count - 1].append(Node(atom: .literal(escaped), optional: false))
                    }
                case "?", "*", "+", "{":
                    try quantify(&alternatives[alternatives.count - 1])
                case ".":
                    throw Unsupported(reason: "'.', any character")
                case "^", "$":
                    throw Unsupported(reason: "an anchor '\(character)' (start or end of a line or scope)")
                default:
                    index += 1
                    alternatives[alternatives.count - 1].append(Node(atom: .literal(character), optional: false))
                }
            }
            guard !insideGroup else { throw Unsupported(reason: "an unclosed '('") }
            return alternatives
        }

        /// After `(`: a plain, non-capturing or named group is fine; lookarounds, flags inside the
        /// pattern and other extensions are not.
        mutating func openGroup() throws(Unsupported) {
            guard index < characters.count, characters[index] == "?" else { return }
            let rest = String(characters[index...].prefix(4))
            if rest.hasPrefix("?:") { index += 2; return }
            if rest.hasPrefix("?=") || rest.hasPrefix("?!") { throw Unsupported(reason: "a lookahead '(\(rest.prefix(2))…)'") }
            if rest.hasPrefix("?<=") || rest.hasPrefix("?<!") { throw Unsupported(reason: "a lookbehind '(\(rest.prefix(3))…)'") }
            if rest.hasPrefix("?P<") || rest.hasPrefix("?<") {
                // A named group: skip its name.
                while index < characters.count, characters[index] != ">" { index += 1 }
                guard index < characters.count else { throw Unsupported(reason: "an unclosed group name") }
                index += 1
                return
            }
            throw Unsupported(reason: "a group extension '(\(rest)…)'")
        }

        /// After `[`: the characters of the set, up to `]`.
        mutating func characterSet() throws(Unsupported) -> [Character] {
            guard index < characters.count, characters[index] != "^" else { throw Unsupported(reason: "a negated character set '[^…]'") }
            var members: [Character] = []
            var first = true
            while index < characters.count {
                var character = characters[index]
                if character == "]" && !first { index += 1; return members }
                first = false
                if character == "\\" {
                    guard index + 1 < characters.count else { throw Unsupported(reason: "a trailing '\\'") }
                    character = characters[index + 1]
                    if character.isLetter || character.isNumber { throw Unsupported(reason: Self.describe(escape: character)) }
                    index += 2
                } else {
                    index += 1
                }
                // A range `a-e`, not a `-` at the start or the end.
                if index + 1 < characters.count, characters[index] == "-", characters[index + 1] != "]",
                    let low = character.unicodeScalars.first?.value, let high = characters[index + 1].unicodeScalars.first?.value {
                    guard low <= high, high - low < 10 else {
                        throw Unsupported(reason: "a character range '[\(character)-\(characters[index + 1])]'")
                    }
                    members += (low...high).compactMap { Unicode.Scalar($0).map(Character.init) }
                    index += 2
                } else {
                    members.append(character)
                }
            }
            throw Unsupported(reason: "an unclosed '['")
        }

        /// `?`, `??`: the previous node is optional. `*` and `+` after a set of spaces and hyphens
        /// are read as at most one and exactly one; other repetitions cannot be listed.
        mutating func quantify(_ sequence: inout [Node]) throws(Unsupported) {
            let quantifier = characters[index]
            guard var last = sequence.popLast(), last.atom != .boundary else {
                throw Unsupported(reason: "a '\(quantifier)' with nothing before it")
            }
            switch quantifier {
            case "?":
                last.optional = true
                index += 1
            case "*", "+":
                guard case .set(let members) = last.atom, members.allSatisfy({ $0 == " " || $0 == "-" }) else {
                    throw Unsupported(reason: "a repetition '\(quantifier)' (one or more of something)")
                }
                let written = "[" + String(members) + "]" + String(quantifier)
                approximations.append("'\(written)' read as \(quantifier == "*" ? "at most one" : "exactly one") space or hyphen")
                if quantifier == "*" { last.optional = true }
                index += 1
            default:
                throw Unsupported(reason: "a counted repetition '{…}'")
            }
            // A lazy or possessive mark changes nothing here.
            if index < characters.count, characters[index] == "?" || characters[index] == "+" { index += 1 }
            sequence.append(last)
        }

        static func describe(escape: Character) -> String {
            switch escape {
            case "w", "W", "d", "D", "s", "S": return "a character class '\\\(escape)'"
            case "B": return "a non-boundary '\\B'"
            case _ where escape.isNumber: return "a back reference '\\\(escape)'"
            default: return "the escape '\\\(escape)'"
            }
        }
    }
}
