import Foundation
import HouseStyleText
import HouseStyleYAML

/// Turns a Vale configuration (`.vale.ini`) or a Vale style (a folder of rule files) into a
/// HouseStyle style: `substitution` rules become `terms` (or `contractions`), `existence` rules
/// and rejected vocabulary become `avoid` entries that are reported, accepted vocabulary becomes
/// terms that enforce its case and words learned edits never change, and Vale's levels become
/// the entries' levels. Every rule, token or setting that cannot be expressed is listed with why
/// (`ValeImport.rules`, `.notes`); nothing is left out without a word.
public struct ValeImporter: Sendable {
    public init() {}

    /// Converts what is at `path`: a `.vale.ini` (or a folder holding one), a folder of Vale
    /// rules (`*.yml`), or one rule file.
    /// - Parameter name: the style's name; nil: the folder's name.
    /// - Throws: `ImportError` when the path cannot be read or is not what Vale reads.
    public func convert(path: String, name: String? = nil) throws(ImportError) -> ValeImport {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .unreadable(path: path, reason: "no such file or folder")
        }
        var converter = Converter()
        let folderName: String
        if isFolder.boolValue {
            if let ini = [".vale.ini", "_vale.ini", "vale.ini"].map({ Self.join(path, $0) }).first(where: { FileManager.default.fileExists(atPath: $0) }) {
                try converter.convertConfig(at: ini)
            } else {
                let rules = try Self.ruleFiles(in: path)
                guard !rules.isEmpty else { throw .notAValeSource(path: path) }
                let style = Self.lastComponent(path)
                for file in rules { try converter.convert(try ValeRule(source: Self.read(file), path: file, style: style)) }
            }
            folderName = Self.lastComponent(path)
        } else if path.hasSuffix(".ini") {
            try converter.convertConfig(at: path)
            folderName = Self.lastComponent((path as NSString).deletingLastPathComponent)
        } else if path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
            let style = Self.lastComponent((path as NSString).deletingLastPathComponent)
            try converter.convert(try ValeRule(source: Self.read(path), path: path, style: style))
            folderName = style
        } else {
            throw .notAValeSource(path: path)
        }
        var result = converter.result
        result.source = path
        result.name = name ?? (folderName.isEmpty || folderName == "." ? "vale" : folderName)
        return result
    }

    // MARK: - Files

    static func read(_ path: String) throws(ImportError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "no such file, or no permission") }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
        return text
    }

    /// The `*.yml` files of a Vale style folder, sorted, so every machine converts in one order.
    static func ruleFiles(in folder: String) throws(ImportError) -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .unreadable(path: folder, reason: error.localizedDescription)
        }
        return names.filter { $0.hasSuffix(".yml") }.sorted().map { join(folder, $0) }
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The name of the file or folder `path` leads to (`.` is the current folder's name).
    static func lastComponent(_ path: String) -> String {
        URL(fileURLWithPath: path.isEmpty ? "." : path).standardizedFileURL.lastPathComponent
    }
}

// MARK: - The conversion

/// What the checks Vale has but the style file has no counterpart for do, and so why they are not converted.
private let unsupportedChecks: [String: String] = [
    "occurrence": "it counts occurrences in a scope (such as words per sentence); housestyle has no such rule",
    "repetition": "it finds repeated words ('the the'); housestyle has no such rule",
    "consistency": "it asks for one of two spellings throughout a document, whichever comes first; housestyle has no such rule",
    "conditional": "it asks for one pattern wherever another occurs (an acronym defined before use); housestyle has no such rule",
    "capitalization": "it checks the capitalization of a scope (such as sentence-case headings); housestyle has no such rule",
    "metric": "it computes a formula over counts of words and sentences; housestyle has no such rule",
    "readability": "it computes a readability grade; housestyle has no such rule",
    "spelling": "it checks words against a spelling dictionary; housestyle's 'spelling' converts British and American variants only",
    "sequence": "it matches part-of-speech sequences; housestyle has no such rule",
    "script": "it runs a Tengo script; housestyle runs no Vale scripts (an external stage could)",
]

/// The scopes a converted rule keeps its meaning in: housestyle's rules look at all prose.
private let proseScopes: Set<String> = ["text", "sentence", "paragraph", "summary"]

private struct Converter {
    var result = ValeImport(name: "", source: "")
    /// Accepted vocabulary: exceptions to every rule that reads vocabularies.
    var accepted: [(phrase: String, caseInsensitive: Bool)] = []
    /// Lower-cased variant -> index of the term that replaces it.
    var termByVariant: [String: Int] = [:]
    /// Lower-cased word -> index of its avoid entry.
    var avoidByWord: [String: Int] = [:]

    // MARK: Rules

    mutating func convert(_ rule: ValeRule, levelNote: ValeIssue? = nil) throws(ImportError) {
        var report = ValeRuleReport(rule: rule.id, kind: rule.extends, level: rule.level, mark: rule.mark)
        if let levelNote { report.issues.append(levelNote) }
        if let reason = unsupportedChecks[rule.extends] {
            report.issues.append(ValeIssue(mark: rule.mark, text: reason))
        } else if let outside = rule.scope.first(where: { !proseScopes.contains($0) }) {
            report.issues.append(ValeIssue(mark: rule.mark,
                text: "its scope is '\(outside)'; housestyle's rules apply to all prose, so converting it would report matches everywhere"))
        } else if rule.extends == "existence" {
            existence(rule, &report)
        } else {
            substitution(rule, &report)
        }
        result.rules.append(report)
    }

    /// Tokens -> avoid entries that are reported (removed only where Vale's fix removes them and
    /// housestyle knows the word is a filler it can drop).
    mutating func existence(_ rule: ValeRule, _ report: inout ValeRuleReport) {
        guard rule.raw.isEmpty else {
            report.issues.append(ValeIssue(mark: rule.raw[0].mark, text: "'raw' is a regular expression ('\(rule.raw.map(\.text).joined())'), not a list of words"))
            return
        }
        let removes = rule.action == "remove"
        var kept = Set<String>()
        var reportedOnly: [String] = []
        for token in rule.tokens {
            guard let pattern = expand(token, in: rule, &report) else { continue }
            let caseSensitive = !(rule.ignorecase || pattern.caseInsensitive)
            for phrase in pattern.phrases where !isException(phrase, of: rule, caseSensitive: caseSensitive, &report) {
                guard kept.insert(phrase.lowercased()).inserted else { continue }
                if removes && AvoidStage.removable[phrase.lowercased()] == nil { reportedOnly.append(phrase) }
                if addAvoid(phrase, caseSensitive: caseSensitive, reportOnly: !removes, note: rule.message(with: phrase),
                            rule: rule, &report) {
                    report.entries += 1
                }
            }
        }
        if let action = rule.action, report.entries > 0 {
            if removes && !reportedOnly.isEmpty {
                report.issues.append(ValeIssue(mark: rule.mark, text: "its fix (remove) is applied only to the filler words housestyle "
                    + "removes safely; \(reportedOnly.count) of \(kept.count) words are only reported"))
            } else if !removes && action != "suggest" {
                report.issues.append(ValeIssue(mark: rule.mark, text: "its fix (action '\(action)') is not converted: the words are reported, not rewritten"))
            }
        }
        exceptionsNotKept(rule, &report)
    }

    /// Swaps -> terms (one replacement), avoid entries that are reported (several replacements,
    /// or none), or `contractions` for a rule that writes contractions.
    mutating func substitution(_ rule: ValeRule, _ report: inout ValeRuleReport) {
        let direction = Self.contractionDirection(of: rule)
        var auxiliaries: [String] = [], clauseEnds: [String] = []
        for (written, value) in rule.swap {
            if value.text.contains(where: { $0 == "$" }), value.text.range(of: #"\$\d"#, options: .regularExpression) != nil {
                report.issues.append(ValeIssue(mark: written.mark, text: "'\(written.text)' -> '\(value.text)': the replacement uses a capture group"))
                continue
            }
            var key = written
            if let direction, let stripped = Self.withoutTrailingNegativeLookahead(key.text),
                Self.isContractionPair(stripped, value.text, direction) {
                // "it is(?!\.)": not before a period. The contractions stage never contracts at a clause's end.
                key.text = stripped
            }
            guard let pattern = expand(key, in: rule, &report) else { continue }
            let caseSensitive = !(rule.ignorecase || pattern.caseInsensitive)
            let phrases = pattern.phrases.filter { !isException($0, of: rule, caseSensitive: caseSensitive, &report) }
            guard !phrases.isEmpty else { continue }
            let alternatives = value.text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let direction, Self.isContractionPair(key.text, value.text, direction) {
                setContractions(direction, rule: rule, &report)
                if direction == .prefer {
                    // Where the stage does not contract although the swap would.
                    auxiliaries += phrases.filter { $0.lowercased().hasSuffix(" have") }
                    if key.text == written.text {  // no "(?!\.)" that keeps Vale from contracting before a period either
                        clauseEnds += phrases.filter { phrase in [" is", " are", " have", " will", " am"].contains { phrase.lowercased().hasSuffix($0) } }
                    }
                }
                continue
            }
            if alternatives.count != 1 {
                // Several replacements (a writer picks one), or none (Vale deletes the words): reported.
                let shown = alternatives.joined(separator: "' or '")
                for phrase in phrases where addAvoid(phrase, caseSensitive: caseSensitive, reportOnly: true,
                                                     note: rule.message(with: shown, phrase), rule: rule, &report) {
                    report.entries += 1
                }
                if alternatives.isEmpty {
                    report.issues.append(ValeIssue(mark: value.mark, text: "'\(key.text)' -> '': deleting the words is reported, not done "
                        + "(housestyle deletes only filler words it knows)"))
                }
                continue
            }
            let use = alternatives[0]
            guard use.contains("(s)") else {
                if addTerm(use: use, phrases, caseSensitive: caseSensitive, rule: rule, &report) { report.entries += 1 }
                continue
            }
            // "pilot(s)": the singular for singular forms, the plural for "-men" forms of a "-man" form.
            let lower = Set(phrases.map { $0.lowercased() })
            let plural = phrases.filter { $0.lowercased().hasSuffix("men") && lower.contains(String($0.lowercased().dropLast(3)) + "man") }
            let singular = phrases.filter { !plural.contains($0) }
            for (written, forms) in [(use.replacingOccurrences(of: "(s)", with: ""), singular), (use.replacingOccurrences(of: "(s)", with: "s"), plural)]
            where !forms.isEmpty && addTerm(use: written, forms, caseSensitive: caseSensitive, rule: rule, &report) {
                report.entries += 1
            }
        }
        if !auxiliaries.isEmpty {
            report.issues.append(ValeIssue(mark: rule.mark, text: "\(auxiliaries.map { "'\($0)'" }.joined(separator: ", ")): the contractions stage "
                + "contracts 'have' only as an auxiliary ('we have seen' -> 'we've seen'), not 'we have two'"))
        }
        if !clauseEnds.isEmpty {
            report.issues.append(ValeIssue(mark: rule.mark, text: "\(clauseEnds.map { "'\($0)'" }.joined(separator: ", ")): the contractions stage "
                + "never contracts at the end of a clause ('I know what it is.'), where this rule would"))
        }
        exceptionsNotKept(rule, &report)
    }

    /// The phrases of a token or swap key, or nil with the reason in `report`; approximations and
    /// a `nonword` pattern's wider matching are noted too.
    func expand(_ text: ValeRule.Text, in rule: ValeRule, _ report: inout ValeRuleReport) -> ValePattern? {
        let pattern: ValePattern
        do { pattern = try ValePattern.expand(text.text) } catch {
            report.issues.append(ValeIssue(mark: text.mark, text: "'\(text.text)' is not a list of words: \(error.reason)"))
            return nil
        }
        for approximation in pattern.approximations {
            report.issues.append(ValeIssue(mark: text.mark, text: "'\(text.text)': \(approximation)"))
        }
        if rule.nonword && !(pattern.leadingBoundary && pattern.trailingBoundary) {
            report.issues.append(ValeIssue(mark: text.mark,
                text: "'\(text.text)' also matches inside longer words in Vale (nonword: true); housestyle matches whole words"))
        }
        return pattern
    }

    // MARK: Exceptions

    /// Whether `phrase` is exempt from `rule`: it holds one of the rule's `exceptions`, or (for a
    /// rule that reads vocabularies) an accepted word, as whole words. An accepted word is noted.
    func isException(_ phrase: String, of rule: ValeRule, caseSensitive: Bool, _ report: inout ValeRuleReport) -> Bool {
        for exception in rule.exceptions {
            guard let pattern = try? ValePattern.expand(exception.text) else { continue }
            let insensitive = !caseSensitive || pattern.caseInsensitive
            if pattern.phrases.contains(where: { Self.contains(phrase, words: $0, caseInsensitive: insensitive) }) { return true }
        }
        guard rule.vocab && !rule.nonword,
            let word = accepted.first(where: { Self.contains(phrase, words: $0.phrase, caseInsensitive: $0.caseInsensitive) }) else { return false }
        report.issues.append(ValeIssue(mark: nil, text: "'\(phrase)' is left out: it holds '\(word.phrase)', accepted vocabulary, which is an exception to every rule", lossy: false))
        return true
    }

    /// Reports the exceptions that housestyle cannot keep: longer than the words they would exempt
    /// (Vale skips a match inside such a phrase of the text), or not a list of words.
    func exceptionsNotKept(_ rule: ValeRule, _ report: inout ValeRuleReport) {
        guard report.entries > 0 else { return }
        let words = Set(result.avoid.filter { $0.rule == rule.id }.map { $0.word.lowercased() }
            + result.terms.filter { $0.rule == rule.id }.flatMap { $0.insteadOf.map { $0.lowercased() } })
        for exception in rule.exceptions {
            guard let pattern = try? ValePattern.expand(exception.text) else {
                report.issues.append(ValeIssue(mark: exception.mark, text: "the exception '\(exception.text)' is not kept: it is not a list of words"))
                continue
            }
            for phrase in pattern.phrases where words.contains(where: { Self.contains(phrase, words: $0, caseInsensitive: true) && $0 != phrase.lowercased() }) {
                report.issues.append(ValeIssue(mark: exception.mark,
                    text: "the exception '\(phrase)' is not kept: housestyle cannot exempt a phrase longer than the words it matches"))
            }
        }
    }

    /// Whether `phrase` holds `words` as whole words.
    static func contains(_ phrase: String, words: String, caseInsensitive: Bool) -> Bool {
        let (haystack, needle) = caseInsensitive ? (phrase.lowercased(), words.lowercased()) : (phrase, words)
        guard !needle.isEmpty else { return false }
        var search = haystack.startIndex
        while let found = haystack.range(of: needle, range: search..<haystack.endIndex) {
            let before = found.lowerBound == haystack.startIndex || !Self.isWordCharacter(haystack[haystack.index(before: found.lowerBound)])
            let after = found.upperBound == haystack.endIndex || !Self.isWordCharacter(haystack[found.upperBound])
            if before && after { return true }
            search = haystack.index(after: found.lowerBound)
        }
        return false
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" }

    // MARK: Entries

    /// Adds an avoid entry unless the word has one (then the higher level is kept) or a term
    /// rewrites it first; whether it was added.
    mutating func addAvoid(_ word: String, caseSensitive: Bool, reportOnly: Bool, note: String, rule: ValeRule,
                           _ report: inout ValeRuleReport) -> Bool {
        let key = word.lowercased()
        if let index = avoidByWord[key] {
            let first = result.avoid[index]
            if first.rule != rule.id {
                result.avoid[index].level = max(first.level, rule.level)
                report.issues.append(ValeIssue(mark: nil, text: "'\(word)' is also listed by \(first.rule): one entry, at the higher level", lossy: false))
            }
            return first.rule != rule.id
        }
        // The terms stage also rewrites a one-word variant's plural ("hymies" for "hymie").
        let plurals = key.allSatisfy({ $0.isLetter || $0.isNumber })
            ? [key.hasSuffix("es") ? String(key.dropLast(2)) : nil, key.hasSuffix("s") ? String(key.dropLast()) : nil].compactMap { $0 } : []
        let termIndex = termByVariant[key] ?? plurals.compactMap { termByVariant[$0] }.first
        if let index = termIndex {
            let term = result.terms[index]
            report.issues.append(ValeIssue(mark: nil, text: "'\(word)' is rewritten first by the term '\(term.use)' of \(term.rule), "
                + "at its level (\(term.level.rawValue))", lossy: term.level < rule.level))
            return true
        }
        avoidByWord[key] = result.avoid.count
        result.avoid.append(ValeImport.AvoidWord(word: word, caseSensitive: caseSensitive, reportOnly: reportOnly, level: rule.level,
                                                 note: note, rule: rule.id))
        return true
    }

    /// Adds a term `use` for `phrases`, leaving out those another term already replaces, those the
    /// term's plural endings cover ("bots" with "bot") and `use` itself; whether anything remains.
    mutating func addTerm(use: String, _ phrases: [String], caseSensitive: Bool, rule: ValeRule, _ report: inout ValeRuleReport) -> Bool {
        let lower = Set(phrases.map { $0.lowercased() })
        var variants: [String] = []
        for phrase in phrases where phrase != use {
            let key = phrase.lowercased()
            if (key.hasSuffix("s") && lower.contains(String(key.dropLast()))) || (key.hasSuffix("es") && lower.contains(String(key.dropLast(2)))) {
                continue
            }
            // The terms stage rewrites a one-word variant's plural too ("hymies" for "hymie").
            let forms = key.allSatisfy({ $0.isLetter || $0.isNumber }) ? [key, key + "s", key + "es"] : [key]
            for index in forms.compactMap({ avoidByWord[$0] }) where result.avoid[index].rule != rule.id {
                guard let owner = result.rules.firstIndex(where: { $0.rule == result.avoid[index].rule }) else { continue }
                // The term rewrites the word before the avoid entry can report it.
                let avoided = result.avoid[index]
                result.rules[owner].issues.append(ValeIssue(mark: nil, text: "'\(avoided.word)' is rewritten first by the term '\(use)' of "
                    + "\(rule.id), at its level (\(rule.level.rawValue))", lossy: rule.level < avoided.level))
            }
            if let index = termByVariant[key] {
                let other = result.terms[index]
                if other.use != use || other.rule != rule.id {
                    report.issues.append(ValeIssue(mark: nil, text: "'\(phrase)' is already replaced by '\(other.use)' (\(other.rule)), which comes first",
                                                   lossy: other.use.lowercased() != use.lowercased()))
                }
                continue
            }
            variants.append(phrase)
        }
        guard !variants.isEmpty else { return phrases.contains(use) }
        // One entry per replacement of a rule: "pilot" from airman and anchorman alike.
        if let index = result.terms.lastIndex(where: { $0.rule == rule.id && $0.use == use && $0.caseSensitive == caseSensitive }) {
            result.terms[index].insteadOf += variants
            for variant in variants { termByVariant[variant.lowercased()] = index }
            return false
        }
        for variant in variants { termByVariant[variant.lowercased()] = result.terms.count }
        result.terms.append(ValeImport.Term(use: use, insteadOf: variants, caseSensitive: caseSensitive, level: rule.level, rule: rule.id))
        return true
    }

    // MARK: Contractions

    /// `prefer` when most of the rule's swaps write a contraction the contractions stage knows
    /// ("do not" -> "don't"), `avoid` when most expand one; nil otherwise.
    static func contractionDirection(of rule: ValeRule) -> ContractionPolicy? {
        for direction in [ContractionPolicy.prefer, .avoid] {
            let pairs = rule.swap.filter { isContractionPair(withoutTrailingNegativeLookahead($0.key.text) ?? $0.key.text, $0.value.text, direction) }
            if pairs.count >= 3 && pairs.count * 2 >= rule.swap.count { return direction }
        }
        return nil
    }

    /// Whether every phrase of `key` and `value` are a contraction pair the stage knows, in `direction`.
    static func isContractionPair(_ key: String, _ value: String, _ direction: ContractionPolicy) -> Bool {
        guard let pattern = try? ValePattern.expand(key) else { return false }
        func contraction(_ phrase: String) -> String? {
            let lower = phrase.lowercased()
            return (ContractionsStage.contractions[lower] ?? ContractionsStage.single[lower])?.lowercased()
        }
        let other = value.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        return pattern.phrases.allSatisfy { phrase in
            switch direction {
            case .prefer: return contraction(phrase) == other
            default: return contraction(other) == phrase.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
            }
        }
    }

    /// `text` without a negative lookahead that ends it (`it is(?!\.)` -> `it is`), or nil.
    static func withoutTrailingNegativeLookahead(_ text: String) -> String? {
        guard text.hasSuffix(")"), let open = text.range(of: "(?!", options: .backwards),
            !text[open.upperBound...].dropLast().contains(where: { $0 == "(" || $0 == ")" }) else { return nil }
        return String(text[..<open.lowerBound])
    }

    mutating func setContractions(_ policy: ContractionPolicy, rule: ValeRule, _ report: inout ValeRuleReport) {
        guard var contractions = result.contractions else {
            result.contractions = ValeImport.Contractions(policy: policy, level: rule.level, rules: [rule.id])
            report.entries += 1
            report.issues.append(ValeIssue(mark: rule.mark, text: "its contraction swaps are 'contractions: \(policy.rawValue)', "
                + "which \(policy == .prefer ? "contracts" : "expands") every form the contractions stage knows, not only those the rule lists",
                lossy: false))
            return
        }
        guard !contractions.rules.contains(rule.id) else { return }
        if contractions.policy != policy {
            report.issues.append(ValeIssue(mark: rule.mark,
                text: "its contraction swaps ask for 'contractions: \(policy.rawValue)', but \(contractions.rules[0]) asked for '\(contractions.policy.rawValue)' first"))
            return
        }
        contractions.level = max(contractions.level, rule.level)
        contractions.rules.append(rule.id)
        result.contractions = contractions
        report.entries += 1
        // One stage, one name: the first rule's.
        report.issues.append(ValeIssue(mark: rule.mark, text: "its contractions are reported under \(ValeImport.ruleName(contractions.rules[0])), "
            + "the rule that asked for 'contractions: \(policy.rawValue)' first (the stage takes one name)", lossy: false))
    }

    // MARK: Configuration

    /// Reads a `.vale.ini`: its vocabularies, then every rule of `BasedOnStyles` (and of single
    /// `Style.Rule` keys) that applies to Markdown or text, with its level setting.
    mutating func convertConfig(at path: String) throws(ImportError) {
        let config = try ValeConfig(source: ValeImporter.read(path), path: path)
        let folder = (path as NSString).deletingLastPathComponent
        var stylesPath = folder.isEmpty ? "." : folder
        var minimum = FindingLevel.suggestion
        var vocabularies: [ValeConfig.Entry] = []
        for entry in config.global {
            switch entry.key {
            case "StylesPath":
                stylesPath = entry.value.hasPrefix("/") ? entry.value : ValeImporter.join(folder.isEmpty ? "." : folder, entry.value)
            case "MinAlertLevel":
                guard let level = FindingLevel(rawValue: entry.value) else {
                    throw .invalidConfig(mark: entry.mark, reason: "MinAlertLevel must be suggestion, warning or error, found '\(entry.value)'")
                }
                minimum = level
            case "Vocab": vocabularies.append(entry)
            case "Packages":
                result.notes.append(ValeIssue(mark: entry.mark, text: "Packages: the styles are read from StylesPath, where 'vale sync' puts them", lossy: false))
            case "IgnoredScopes", "SkippedScopes", "IgnoredClasses":
                result.notes.append(ValeIssue(mark: entry.mark, text: "\(entry.key) is not imported: housestyle leaves code, URLs, "
                    + "front matter, HTML and tables alone, and has no list of scopes to skip"))
            default:
                result.notes.append(ValeIssue(mark: entry.mark, text: "\(entry.key) is not imported: housestyle has no such setting"))
            }
        }

        // Sections: those for Markdown or text files anywhere make the style; the others are listed.
        var styles: [(name: String, mark: SourceMark)] = []
        var settings: [String: ValeConfig.Entry] = [:]
        var settingOrder: [String] = []
        for section in config.sections {
            if section.name == "formats" {
                result.notes.append(ValeIssue(mark: section.mark, text: "[formats] is not imported: housestyle reads .md, .markdown and .txt files"))
                continue
            }
            let reads = Self.sectionReads(section.name)
            guard reads.any else {
                result.notes.append(ValeIssue(mark: section.mark, text: "[\(section.name)] is not imported: "
                    + (reads.folderSpecific ? "it applies to some folders only, and a style applies to every file it checks"
                                            : "it names no Markdown or text files, which are what housestyle reads")))
                continue
            }
            if !reads.all {
                result.notes.append(ValeIssue(mark: section.mark, text: "[\(section.name)] applies to some of the files housestyle reads "
                    + "(.md, .markdown, .txt); the style applies its rules to all of them", lossy: false))
            }
            for entry in section.entries {
                switch entry.key {
                case "BasedOnStyles":
                    for style in ValeConfig.list(entry.value) where !styles.contains(where: { $0.name == style }) {
                        styles.append((style, entry.mark))
                    }
                case "TokenIgnores":
                    for pattern in ValeConfig.list(entry.value) {
                        if (try? IgnorePattern(pattern: pattern).compiled()) != nil {
                            if !result.ignoreInline.contains(pattern) { result.ignoreInline.append(pattern) }
                        } else {
                            result.notes.append(ValeIssue(mark: entry.mark, text: "TokenIgnores '\(pattern)' is not imported: not a regular expression housestyle reads (ICU)"))
                        }
                    }
                case "BlockIgnores":
                    result.notes.append(ValeIssue(mark: entry.mark, text: "BlockIgnores is not imported: housestyle's ignore.blocks takes "
                        + "a start and an end line pattern; write them by hand"))
                case _ where entry.key.contains("."):
                    if settings[entry.key] == nil { settingOrder.append(entry.key) }
                    settings[entry.key] = entry
                default:
                    result.notes.append(ValeIssue(mark: entry.mark, text: "\(entry.key) is not imported: housestyle has no such setting"))
                }
            }
        }

        // Vocabularies: accepted words are exceptions everywhere and protected; Vale.Terms and
        // Vale.Avoid exist only with the built-in style 'Vale'.
        var acceptedEntries: [ValeRule.Text] = [], rejectedEntries: [ValeRule.Text] = []
        for entry in vocabularies {
            for name in ValeConfig.list(entry.value) {
                let candidates = [stylesPath + "/config/vocabularies/" + name, stylesPath + "/Vocab/" + name]
                guard let vocabulary = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                    throw .invalidConfig(mark: entry.mark, reason: "no vocabulary '\(name)': no folder \(candidates[0]) or \(candidates[1])")
                }
                acceptedEntries += try Self.vocabularyLines(vocabulary + "/accept.txt")
                rejectedEntries += try Self.vocabularyLines(vocabulary + "/reject.txt")
            }
        }
        for entry in acceptedEntries {
            let insensitive = entry.text.hasPrefix("(?i)")
            guard let pattern = try? ValePattern.expand(entry.text) else {
                result.notes.append(ValeIssue(mark: entry.mark, text: "accepted '\(entry.text)' is not a list of words: it is not an exception to the rules here, nor protected"))
                continue
            }
            for phrase in pattern.phrases {
                accepted.append((phrase, insensitive))
                if !result.protected.contains(phrase) { result.protected.append(phrase) }
            }
        }

        func setting(_ id: String) -> ValeConfig.Entry? { settings[id] }
        func isOff(_ id: String) -> Bool { setting(id).map { ["no", "off", "false"].contains($0.value.lowercased()) } ?? false }
        /// Where .vale.ini switches rule `id` off, if it does.
        func switchedOff(_ id: String) -> SourceMark? { isOff(id) ? setting(id)?.mark : nil }
        func level(of id: String, default fallback: FindingLevel) throws(ImportError) -> (FindingLevel, ValeIssue?) {
            guard let entry = setting(id), let level = FindingLevel(rawValue: entry.value.lowercased()) else {
                if let entry = setting(id), !["yes", "on", "true", "no", "off", "false"].contains(entry.value.lowercased()) {
                    throw .invalidConfig(mark: entry.mark, reason: "'\(id)' must be YES, NO, suggestion, warning or error, found '\(entry.value)'")
                }
                return (fallback, nil)
            }
            return (level, fallback == level ? nil : ValeIssue(mark: entry.mark, text: "level \(level.rawValue) from .vale.ini (the rule says \(fallback.rawValue))", lossy: false))
        }
        /// Adds a rule read from its file, unless .vale.ini switches it off or it is below MinAlertLevel.
        func add(_ rule: ValeRule, to converter: inout Converter) throws(ImportError) {
            var rule = rule
            let (level, note) = try level(of: rule.id, default: rule.level)
            rule.level = level
            var report = ValeRuleReport(rule: rule.id, kind: rule.extends, level: rule.level, mark: rule.mark)
            if let entry = setting(rule.id), isOff(rule.id) {
                report.issues.append(ValeIssue(mark: entry.mark, text: "switched off in .vale.ini"))
                converter.result.rules.append(report)
            } else if rule.level < minimum {
                report.issues.append(ValeIssue(mark: rule.mark, text: "its level (\(rule.level.rawValue)) is below MinAlertLevel (\(minimum.rawValue)), so Vale does not report it"))
                converter.result.rules.append(report)
            } else {
                try converter.convert(rule, levelNote: note)
            }
        }

        for (style, mark) in styles {
            if style == "Vale" {
                try builtinRules(accepted: acceptedEntries, rejected: rejectedEntries, mark: mark, level: level, switchedOff: switchedOff, minimum: minimum)
                continue
            }
            let folder = stylesPath + "/" + style
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw .missingStyle(mark: mark, style: style, stylesPath: stylesPath)
            }
            for file in try ValeImporter.ruleFiles(in: folder) {
                try add(try ValeRule(source: ValeImporter.read(file), path: file, style: style), to: &self)
            }
        }
        // `Style.Rule = YES` (or a level) turns on one rule of a style not in BasedOnStyles.
        for id in settingOrder where !isOff(id) {
            let parts = id.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, !styles.contains(where: { $0.name == parts[0] }), parts[0] != "Vale", let entry = setting(id) else { continue }
            let file = stylesPath + "/" + parts[0] + "/" + parts[1] + ".yml"
            guard FileManager.default.fileExists(atPath: file) else { throw .missingStyle(mark: entry.mark, style: parts[0], stylesPath: stylesPath) }
            try add(try ValeRule(source: ValeImporter.read(file), path: file, style: parts[0]), to: &self)
        }
    }

    /// Vale's own rules when `BasedOnStyles` lists `Vale`: Terms (accepted words in their case),
    /// Avoid (rejected words), Spelling and Repetition (not converted).
    mutating func builtinRules(accepted: [ValeRule.Text], rejected: [ValeRule.Text], mark: SourceMark,
                               level: (String, FindingLevel) throws(ImportError) -> (FindingLevel, ValeIssue?),
                               switchedOff: (String) -> SourceMark?, minimum: FindingLevel) throws(ImportError) {
        func report(_ id: String, _ kind: String, _ fallback: FindingLevel, at mark: SourceMark) throws(ImportError) -> ValeRuleReport? {
            let (chosen, note) = try level(id, fallback)
            var report = ValeRuleReport(rule: id, kind: kind, level: chosen, mark: mark)
            if let note { report.issues.append(note) }
            if let off = switchedOff(id) {
                report.issues.append(ValeIssue(mark: off, text: "switched off in .vale.ini"))
            } else if chosen < minimum {
                report.issues.append(ValeIssue(mark: mark, text: "its level (\(chosen.rawValue)) is below MinAlertLevel (\(minimum.rawValue)), so Vale does not report it"))
            } else {
                return report
            }
            result.rules.append(report)
            return nil
        }
        if !accepted.isEmpty, var terms = try report("Vale.Terms", "vocabulary accept", .error, at: accepted[0].mark) {
            // Vale.Terms: each plain accepted word, in any case, is written as accepted.
            let rule = ValeRule.builtin(id: "Vale.Terms", level: terms.level, mark: terms.mark)
            for entry in accepted {
                guard ValePattern.isPhrase(entry.text) else {
                    terms.issues.append(ValeIssue(mark: entry.mark, text: "'\(entry.text)' is a pattern: Vale makes it an exception only, and so does the import", lossy: false))
                    continue
                }
                if entry.text != entry.text.lowercased(), addTerm(use: entry.text, [entry.text.lowercased()], caseSensitive: false, rule: rule, &terms) {
                    terms.entries += 1
                } else if entry.text == entry.text.lowercased() {
                    terms.entries += 1  // Already in its case wherever it matches: protected only.
                }
            }
            result.rules.append(terms)
        }
        if !rejected.isEmpty, var avoid = try report("Vale.Avoid", "vocabulary reject", .error, at: rejected[0].mark) {
            let rule = ValeRule.builtin(id: "Vale.Avoid", level: avoid.level, mark: avoid.mark)
            for entry in rejected {
                guard let pattern = expand(entry, in: rule, &avoid) else { continue }
                for phrase in pattern.phrases where addAvoid(phrase, caseSensitive: !pattern.caseInsensitive, reportOnly: true,
                                                             note: "Vale.Avoid: Avoid using '\(phrase)'.", rule: rule, &avoid) {
                    avoid.entries += 1
                }
            }
            result.rules.append(avoid)
        }
        for (id, kind, reason) in [
            ("Vale.Spelling", "spelling", unsupportedChecks["spelling"]!), ("Vale.Repetition", "repetition", unsupportedChecks["repetition"]!),
        ] {
            if var report = try report(id, kind, .error, at: mark) {
                report.issues.append(ValeIssue(mark: mark, text: reason))
                result.rules.append(report)
            }
        }
    }

    /// The entries of a vocabulary file, one a line, without blank lines and `#` comments; none
    /// when the file is missing.
    static func vocabularyLines(_ path: String) throws(ImportError) -> [ValeRule.Text] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try ValeImporter.read(path)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line in
            let entry = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !entry.isEmpty, !entry.hasPrefix("#") else { return nil }
            return ValeRule.Text(text: entry, mark: SourceMark(path: path, line: number + 1, column: 1))
        }
    }

    /// Which of the files housestyle reads a section glob applies to: `any` of `x.md`,
    /// `x.markdown`, `x.txt`, or `all` of them; `folderSpecific` when it names folders.
    static func sectionReads(_ glob: String) -> (any: Bool, all: Bool, folderSpecific: Bool) {
        let globs = ValeConfig.expandBraces(glob)
        var stripped = globs.map { $0.hasPrefix("**/") ? String($0.dropFirst(3)) : $0 }
        let folderSpecific = stripped.contains { $0.contains("/") }
        if folderSpecific { return (false, false, true) }
        stripped = stripped.map { $0.isEmpty ? "*" : $0 }
        let matched = ["x.md", "x.markdown", "x.txt"].map { name in stripped.contains { Glob($0).matches(name) } }
        return (matched.contains(true), !matched.contains(false), false)
    }
}

extension ValeRule {
    /// A rule of Vale's own (`Vale.Terms`, `Vale.Avoid`), for entries made from vocabularies.
    static func builtin(id: String, level: FindingLevel, mark: SourceMark) -> ValeRule {
        // Parsing a fixed, valid rule cannot fail.
        var rule = try! ValeRule(source: "extends: existence\nmessage: \"Avoid using '%s'.\"\n", path: mark.path, style: "Vale")
        rule.id = id
        rule.level = level
        rule.mark = mark
        return rule
    }
}
