import HouseStyleText
import HouseStyleYAML

/// Reads a style file's YAML tree into a `StyleFile`, reporting every mistake it finds and
/// carrying on past each one, so one run shows them all.
struct StyleFileDecoder {
    /// The stages whose settings, ids and options a style file may use.
    let registry: StageRegistry

    init(registry: StageRegistry = .builtin) {
        self.registry = registry
    }

    /// The top-level keys of the document itself; the stages' settings come between
    /// `documentKeys` and `laterKeys`.
    static let documentKeys = ["version", "name", "extends", "locale", "description", "corpus"]
    static let laterKeys = ["levels", "rules", "rewrite", "model", "learned", "stages", "ignore"]

    /// Every top-level key of a style file read with `registry`.
    static func topKeys(of registry: StageRegistry) -> [String] {
        var stageKeys: [String] = []
        for setting in registry.settings where !stageKeys.contains(setting.group) { stageKeys.append(setting.group) }
        return documentKeys + stageKeys + laterKeys
    }

    static var topKeys: [String] { topKeys(of: .builtin) }
    /// The keys of the `punctuation` mapping, as the stages declare them.
    static var punctuationKeys: [String] { StageRegistry.builtin.settings.filter { $0.group == "punctuation" }.compactMap(\.member) }
    static let corpusKeys = ["voice", "contrast", "pairs"]
    static let termKeys = ["use", "instead_of", "case_sensitive", "note", "level", "rule"]
    static let avoidKeys = ["word", "instead", "note", "case_sensitive", "report_only", "level", "rule"]
    /// The keys of `levels`: the stages whose level a style may set.
    static var levelsKeys: [String] { BuiltinStageID.leveled.map(\.rawValue) }
    /// The keys of `rules`: the stages whose rule name a style may set.
    static var rulesKeys: [String] { StageRegistry.builtin.namedRuleStageIDs.map(\.rawValue) }
    static let rewriteKeys = ["confidence", "min_similarity", "preserve"]
    static let modelKeys = ["base", "epochs", "lora_rank", "learning_rate", "batch_size", "seed", "max_sentences", "lora_layers"]
    static let learnedKeys = ["sources", "never", "target_precision"]
    static let stagesKeys = ["pre", "post"]
    static let ignoreKeys = ["presets", "inline", "blocks"]
    static let ignoreBlockKeys = ["start", "end"]
    static let commandKeys = ["command", "timeout", "name"]

    private(set) var diagnostics: [Diagnostic] = []

    /// Decodes `document`, the YAML of the file at `path` whose relative paths are resolved
    /// against `root`; its corpus globs may match files only inside `scope`.
    mutating func decode(_ document: YAMLDocument, path: String, root: String, scope: PathScope? = nil) -> StyleFile {
        for duplicate in document.duplicateKeys {
            diagnostics.append(Diagnostic(at: duplicate.mark, error: .yaml(duplicate)))
        }
        var file = StyleFile(path: path, root: root)
        guard let entries = document.root.mapping else {
            report(.notAMapping(found: document.root.kindDescription), at: document.root.mark, "")
            return file
        }
        if let version = entries.first(where: { $0.key.scalar?.text == "version" })?.value {
            file.version = int(version, "version", .atLeast(Double(Int.min)))
            if let number = file.version, number != Style.currentVersion {
                // A file from the future may use keys this version does not know: say only that.
                report(.unsupportedVersion(number), at: version.mark, "version")
                return file
            }
        } else {
            report(.missingVersion, at: document.root.mark, "version")
        }
        decodeFields(mappingFields(document.root, "", known: Self.topKeys(of: registry)), into: &file, scope: scope)
        return file
    }

    private mutating func decodeFields(_ fields: [Field], into file: inout StyleFile, scope: PathScope?) {
        let root = file.root
        for field in fields {
            let value = field.value
            switch field.name {
            case "version": break
            case "name": file.name = styleName(value)
            case "extends":
                if let name = nonEmptyString(value, "extends") { file.extends = (name, value.mark) }
            case "locale": file.locale = locale(value)
            case "description": file.description = string(value, "description")
            case "corpus":
                for field in mappingFields(value, "corpus", known: Self.corpusKeys) {
                    let keyPath = "corpus.\(field.name)"
                    let globs = stringList(field.value, keyPath, allowEmpty: true)?.map {
                        CorpusGlob(pattern: $0.text, root: root, mark: $0.mark, scope: scope)
                    }
                    switch field.name {
                    case "voice": file.voice = globs
                    case "contrast": file.contrast = globs
                    default: file.pairs = globs
                    }
                }
            case "levels":
                var levels: [BuiltinStageID: FindingLevel] = [:]
                for field in mappingFields(value, "levels", known: registry.leveledIDs.map(\.rawValue)) {
                    // `known` holds only the raw values of `registry.leveledIDs`.
                    if let id = registry.id(named: field.name), let level: FindingLevel = choice(field.value, "levels.\(field.name)") {
                        levels[id] = level
                    }
                }
                file.levels = levels
            case "rules":
                var names: [BuiltinStageID: String] = [:]
                for field in mappingFields(value, "rules", known: registry.namedRuleStageIDs.map(\.rawValue)) {
                    if let id = registry.id(named: field.name), let name = ruleName(field.value, "rules.\(field.name)") { names[id] = name }
                }
                file.ruleNames = names
            case "rewrite":
                for field in mappingFields(value, "rewrite", known: Self.rewriteKeys) {
                    let keyPath = "rewrite.\(field.name)"
                    switch field.name {
                    case "confidence": file.confidence = number(field.value, keyPath, .between(0, 1))
                    case "min_similarity": file.minSimilarity = number(field.value, keyPath, .between(0, 1))
                    default:
                        file.preserve = list(field.value, keyPath) { decoder, item, keyPath in
                            decoder.choice(item, keyPath) as PreservedKind?
                        }
                    }
                }
            case "model":
                for field in mappingFields(value, "model", known: Self.modelKeys) {
                    let keyPath = "model.\(field.name)"
                    let value = field.value
                    switch field.name {
                    case "base":
                        file.base = nonEmptyString(value, keyPath)
                        file.baseMark = value.mark
                    case "epochs": file.epochs = int(value, keyPath, .atLeast(1))
                    case "lora_rank": file.loraRank = int(value, keyPath, .between(1, 64))
                    case "learning_rate": file.learningRate = number(value, keyPath, .greaterThan(0))
                    case "batch_size": file.batchSize = int(value, keyPath, .atLeast(1))
                    case "seed": file.seed = int(value, keyPath, .atLeast(0))
                    case "lora_layers": file.loraLayers = int(value, keyPath, .between(1, 64))
                    default: file.maxSentences = int(value, keyPath, .atLeast(1))
                    }
                }
            case "learned":
                for field in mappingFields(value, "learned", known: Self.learnedKeys) {
                    let keyPath = "learned.\(field.name)"
                    let value = field.value
                    switch field.name {
                    case "sources":
                        file.sources = list(value, keyPath) { decoder, item, keyPath in decoder.learnedSource(item, keyPath) }
                    case "never":
                        file.never = list(value, keyPath) { decoder, item, keyPath in decoder.learnedVeto(item, keyPath) }
                    default: file.targetPrecision = number(value, keyPath, .aboveAtMost(0, 1))
                    }
                }
            case "stages":
                for field in mappingFields(value, "stages", known: Self.stagesKeys) {
                    let keyPath = "stages.\(field.name)"
                    let stages = list(field.value, keyPath) { decoder, item, keyPath in decoder.stage(item, keyPath) }
                    if field.name == "pre" { file.pre = stages } else { file.post = stages }
                }
            case "ignore":
                for field in mappingFields(value, "ignore", known: Self.ignoreKeys) {
                    let keyPath = "ignore.\(field.name)"
                    switch field.name {
                    case "presets":
                        file.ignorePresets = list(field.value, keyPath) { decoder, item, keyPath in decoder.choice(item, keyPath) }
                    case "inline":
                        file.ignoreInline = list(field.value, keyPath) { decoder, item, keyPath in decoder.pattern(item, keyPath) }
                    default:
                        file.ignoreBlocks = list(field.value, keyPath) { decoder, item, keyPath in decoder.ignoreBlock(item, keyPath) }
                    }
                }
            default:
                decodeStageSettings(field.name, value, into: &file)
            }
        }
    }

    /// The settings the stages declare under the top-level key `group`: its value (`spelling`),
    /// or a mapping of keys several stages may share (`punctuation`).
    private mutating func decodeStageSettings(_ group: String, _ value: YAMLNode, into file: inout StyleFile) {
        let members = registry.settings.filter { $0.group == group }
        precondition(!members.isEmpty, "key '\(group)' is in topKeys but not decoded")
        if members.count == 1, members[0].member == nil {
            if let decoded = members[0].decode(&self, value, group) { file.settings.values[members[0].key] = decoded }
            return
        }
        for field in mappingFields(value, group, known: members.compactMap(\.member)) {
            // `known` holds only the members' keys.
            guard let setting = members.first(where: { $0.member == field.name }) else { continue }
            if let decoded = setting.decode(&self, field.value, setting.key) { file.settings.values[setting.key] = decoded }
        }
    }

    /// The options of a built-in stage's entry in `stages`, checked against those it declares.
    /// - Parameter entry: the key path of the `stages` entry (`stages.pre[1]`).
    private mutating func stageOptions(_ id: BuiltinStageID, _ node: YAMLNode, entry: String) -> StageSettings? {
        let keyPath = "\(entry).\(id.rawValue)"
        let declared = registry.type(for: id)?.options ?? []
        guard !declared.isEmpty else {
            report(.takesNoOptions(stage: id.rawValue, keyPath: entry), at: node.mark, keyPath)
            return nil
        }
        var options = StageSettings()
        for field in mappingFields(node, keyPath, known: declared.map(\.key)) {
            guard let option = declared.first(where: { $0.key == field.name }) else { continue }
            if let value = option.decode(&self, field.value, "\(keyPath).\(field.name)") { options.values[option.key] = value }
        }
        return options
    }

    // MARK: - Entries of lists

    mutating func term(_ node: YAMLNode, _ keyPath: String) -> TermRule? {
        guard node.mapping != nil else {
            report(.wrongType(keyPath: keyPath, expected: "a mapping with 'use' and 'instead_of'", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        var use: String?, insteadOf: [String]?, caseSensitive: Bool?, note: String?, level: FindingLevel?, rule: String?
        var complete = true
        let fields = mappingFields(node, keyPath, known: Self.termKeys)
        for field in fields {
            let path = "\(keyPath).\(field.name)"
            switch field.name {
            case "use": use = nonEmptyString(field.value, path); complete = complete && use != nil
            case "instead_of":
                insteadOf = stringList(field.value, path, allowEmpty: false)?.map(\.text)
                complete = complete && insteadOf != nil
            case "case_sensitive": caseSensitive = bool(field.value, path)
            case "level": level = choice(field.value, path)
            case "rule": rule = ruleName(field.value, path); complete = complete && rule != nil
            default: note = string(field.value, path)
            }
        }
        for required in ["use", "instead_of"] where !fields.contains(where: { $0.name == required }) {
            report(.missingKey(key: required, parent: keyPath), at: node.mark, "\(keyPath).\(required)")
        }
        guard complete, let use, let insteadOf else { return nil }
        return TermRule(use: use, insteadOf: insteadOf, caseSensitive: caseSensitive ?? false, note: note, level: level, rule: rule,
                        mark: node.mark)
    }

    mutating func avoidRule(_ node: YAMLNode, _ keyPath: String) -> AvoidRule? {
        if node.scalar != nil {
            return nonEmptyString(node, keyPath, expected: "a word or a mapping with 'word'").map {
                AvoidRule(word: $0, mark: node.mark)
            }
        }
        guard node.mapping != nil else {
            report(.wrongType(keyPath: keyPath, expected: "a word or a mapping with 'word'", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        var word: String?, instead: String?, note: String?, caseSensitive: Bool?, reportOnly: Bool?, level: FindingLevel?, rule: String?
        var complete = true
        let fields = mappingFields(node, keyPath, known: Self.avoidKeys)
        for field in fields {
            let path = "\(keyPath).\(field.name)"
            switch field.name {
            case "word": word = nonEmptyString(field.value, path)
            case "instead": instead = string(field.value, path)
            case "case_sensitive": caseSensitive = bool(field.value, path)
            case "report_only": reportOnly = bool(field.value, path)
            case "level": level = choice(field.value, path)
            case "rule": rule = ruleName(field.value, path); complete = complete && rule != nil
            default: note = string(field.value, path)
            }
        }
        if !fields.contains(where: { $0.name == "word" }) {
            report(.missingKey(key: "word", parent: keyPath), at: node.mark, "\(keyPath).word")
        }
        guard complete else { return nil }
        return word.map {
            AvoidRule(word: $0, instead: instead, note: note, caseSensitive: caseSensitive ?? false, reportOnly: reportOnly ?? false,
                      level: level, rule: rule, mark: node.mark)
        }
    }

    /// The `rule` of a `terms` or `avoid` entry, or a stage's name in `rules`, checked by `RuleName`.
    private mutating func ruleName(_ node: YAMLNode, _ keyPath: String) -> String? {
        guard let name = nonEmptyString(node, keyPath, expected: "a rule name such as 'Microsoft.Avoid'") else { return nil }
        if let reason = RuleName.problem(with: name, registry: registry) {
            report(.invalidRuleName(keyPath: keyPath, found: name, reason: reason), at: node.mark, keyPath)
            return nil
        }
        return name
    }

    private mutating func learnedSource(_ node: YAMLNode, _ keyPath: String) -> LearnedSource? {
        let names = LearnedSource.allCases.map(\.rawValue)
        guard let name = string(node, keyPath, expected: "one of \(names.joined(separator: ", "))") else { return nil }
        if let source = LearnedSource(rawValue: name) { return source }
        report(.unknownLearnedSource(found: name, keyPath: keyPath, suggestion: closestMatch(to: name, among: names)), at: node.mark, keyPath)
        return nil
    }

    private mutating func learnedVeto(_ node: YAMLNode, _ keyPath: String) -> LearnedVeto? {
        guard let text = nonEmptyString(node, keyPath, expected: "a word or 'word -> replacement'") else { return nil }
        guard let veto = LearnedVeto(parsing: text, mark: node.mark) else {
            report(.invalidVeto(keyPath: keyPath, found: text), at: node.mark, keyPath)
            return nil
        }
        return veto
    }

    /// A regular expression, checked by compiling it.
    private mutating func pattern(_ node: YAMLNode, _ keyPath: String) -> IgnorePattern? {
        guard let text = nonEmptyString(node, keyPath, expected: "a regular expression") else { return nil }
        let pattern = IgnorePattern(pattern: text, mark: node.mark)
        do {
            _ = try pattern.compiled()
        } catch {
            report(.invalidPattern(keyPath: keyPath, found: text), at: node.mark, keyPath)
            return nil
        }
        return pattern
    }

    private mutating func ignoreBlock(_ node: YAMLNode, _ keyPath: String) -> IgnoreBlock? {
        guard node.mapping != nil else {
            report(.wrongType(keyPath: keyPath, expected: "a mapping with 'start' and 'end'", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        var start: IgnorePattern?, end: IgnorePattern?
        let fields = mappingFields(node, keyPath, known: Self.ignoreBlockKeys)
        for field in fields {
            if field.name == "start" { start = pattern(field.value, "\(keyPath).start") } else { end = pattern(field.value, "\(keyPath).end") }
        }
        for key in Self.ignoreBlockKeys where !fields.contains(where: { $0.name == key }) {
            report(.missingKey(key: key, parent: keyPath), at: node.mark, "\(keyPath).\(key)")
        }
        guard let start, let end else { return nil }
        return IgnoreBlock(start: start, end: end)
    }

    private mutating func stage(_ node: YAMLNode, _ keyPath: String) -> StageSpec? {
        if let scalar = node.scalar {
            guard case .string(let id) = scalar.value else {
                report(.wrongType(keyPath: keyPath, expected: "a stage id or a mapping", found: node.kindDescription), at: node.mark, keyPath)
                return nil
            }
            return builtinStage(id, at: node.mark, keyPath).map { .builtin($0) }
        }
        guard let entries = node.mapping else {
            report(.wrongType(keyPath: keyPath, expected: "a stage id or a mapping", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        let keys = entries.compactMap { $0.key.scalar?.text }
        if keys.contains("command") { return commandStage(node, keyPath) }
        guard entries.count == 1, let entry = entries.first, let id = entry.key.scalar?.text else {
            report(.ambiguousStage(keyPath: keyPath, keys: keys), at: node.mark, keyPath)
            return nil
        }
        let builtin = builtinStage(id, at: entry.key.mark, keyPath)
        let options = entry.value
        switch options.content {
        case .mapping:
            guard let builtin else { return nil }
            return stageOptions(builtin, options, entry: keyPath).map { .builtin(builtin, options: $0) }
        case .scalar(let scalar) where scalar.value == .null:
            return builtin.map { .builtin($0) }
        default:
            let path = "\(keyPath).\(id)"
            report(.wrongType(keyPath: path, expected: "a mapping of options", found: options.kindDescription), at: options.mark, path)
            return nil
        }
    }

    private mutating func builtinStage(_ id: String, at mark: SourceMark, _ keyPath: String) -> BuiltinStageID? {
        if let builtin = registry.id(named: id) { return builtin }
        let suggestion = closestMatch(to: id, among: registry.ids.map(\.rawValue))
        report(.unknownStage(id: id, keyPath: keyPath, suggestion: suggestion), at: mark, keyPath)
        return nil
    }

    private mutating func commandStage(_ node: YAMLNode, _ keyPath: String) -> StageSpec? {
        var argv: [String]?, timeout: Double?, name: String?
        var complete = true
        let fields = mappingFields(node, keyPath, known: Self.commandKeys)
        for field in fields {
            let path = "\(keyPath).\(field.name)"
            switch field.name {
            case "command": argv = stringList(field.value, path, allowEmpty: false)?.map(\.text); complete = complete && argv != nil
            case "timeout": timeout = number(field.value, path, .greaterThan(0)); complete = complete && timeout != nil
            default: name = nonEmptyString(field.value, path)
            }
        }
        if !fields.contains(where: { $0.name == "timeout" }) {
            report(.missingKey(key: "timeout", parent: keyPath), at: node.mark, "\(keyPath).timeout")
        }
        guard complete, let argv, let timeout else { return nil }
        return .command(CommandStage(argv: argv, timeout: timeout, name: name, mark: node.mark))
    }

    // MARK: - Values

    struct Field {
        var name: String
        var key: YAMLNode
        var value: YAMLNode
    }

    /// The entries of a mapping whose keys are known; reports a non-mapping and unknown keys.
    private mutating func mappingFields(_ node: YAMLNode, _ keyPath: String, known: [String]) -> [Field] {
        guard let entries = node.mapping else {
            report(.wrongType(keyPath: keyPath, expected: "a mapping", found: node.kindDescription), at: node.mark, keyPath)
            return []
        }
        var fields: [Field] = []
        for entry in entries {
            guard let scalar = entry.key.scalar, case .string(let name) = scalar.value else {
                let path = keyPath.isEmpty ? "key" : "\(keyPath) key"
                report(.wrongType(keyPath: path, expected: "a string key", found: entry.key.kindDescription), at: entry.key.mark, keyPath)
                continue
            }
            guard known.contains(name) else {
                let suggestion = closestMatch(to: name, among: known)
                report(.unknownKey(key: name, parent: keyPath, suggestion: suggestion, known: known), at: entry.key.mark, keyPath)
                continue
            }
            fields.append(Field(name: name, key: entry.key, value: entry.value))
        }
        return fields
    }

    mutating func list<Item>(
        _ node: YAMLNode, _ keyPath: String, item: (inout StyleFileDecoder, YAMLNode, String) -> Item?
    ) -> [Item]? {
        guard let items = node.sequence else {
            report(.wrongType(keyPath: keyPath, expected: "a list", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        var decoded: [Item] = []
        var complete = true
        for (index, element) in items.enumerated() {
            if let value = item(&self, element, "\(keyPath)[\(index)]") { decoded.append(value) } else { complete = false }
        }
        return complete ? decoded : nil
    }

    mutating func string(_ node: YAMLNode, _ keyPath: String, expected: String = "a string") -> String? {
        guard let scalar = node.scalar, case .string(let text) = scalar.value else {
            report(.wrongType(keyPath: keyPath, expected: expected, found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        return text
    }

    mutating func nonEmptyString(_ node: YAMLNode, _ keyPath: String, expected: String = "a string") -> String? {
        guard let text = string(node, keyPath, expected: expected) else { return nil }
        guard !text.allSatisfy(\.isWhitespace) else {
            report(.empty(keyPath: keyPath), at: node.mark, keyPath)
            return nil
        }
        return text
    }

    mutating func stringList(_ node: YAMLNode, _ keyPath: String, allowEmpty: Bool) -> [(text: String, mark: SourceMark)]? {
        let strings = list(node, keyPath) { decoder, item, keyPath in
            decoder.nonEmptyString(item, keyPath).map { (text: $0, mark: item.mark) }
        }
        if let strings, strings.isEmpty, !allowEmpty {
            report(.empty(keyPath: keyPath), at: node.mark, keyPath)
            return nil
        }
        return strings
    }

    mutating func bool(_ node: YAMLNode, _ keyPath: String) -> Bool? {
        guard let scalar = node.scalar, case .bool(let value) = scalar.value else {
            report(.wrongType(keyPath: keyPath, expected: "true or false", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        return value
    }

    mutating func number(_ node: YAMLNode, _ keyPath: String, _ allowed: NumberRequirement) -> Double? {
        let value: Double
        switch node.scalar?.value {
        case .int(let int): value = Double(int)
        case .double(let double): value = double
        default:
            report(.wrongType(keyPath: keyPath, expected: "a number", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        guard allowed.allows(value) else {
            report(.outOfRange(keyPath: keyPath, found: node.scalar?.text ?? "", allowed: allowed), at: node.mark, keyPath)
            return nil
        }
        return value
    }

    mutating func int(_ node: YAMLNode, _ keyPath: String, _ allowed: NumberRequirement) -> Int? {
        guard let scalar = node.scalar, case .int(let value) = scalar.value else {
            report(.wrongType(keyPath: keyPath, expected: "a whole number", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        guard allowed.allows(Double(value)) else {
            report(.outOfRange(keyPath: keyPath, found: scalar.text, allowed: allowed), at: node.mark, keyPath)
            return nil
        }
        return value
    }

    mutating func choice<Value: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ keyPath: String) -> Value?
    where Value.RawValue == String {
        let allowed = Value.allCases.map(\.rawValue)
        guard let scalar = node.scalar, scalar.value != .null else {
            report(.wrongType(keyPath: keyPath, expected: "one of \(allowed.joined(separator: ", "))", found: node.kindDescription), at: node.mark, keyPath)
            return nil
        }
        guard let value = Value(rawValue: scalar.text) else {
            report(.invalidValue(keyPath: keyPath, found: scalar.text, allowed: allowed), at: node.mark, keyPath)
            return nil
        }
        return value
    }

    /// A style name: it names the folder `models/NAME`, so it must not be a path.
    private mutating func styleName(_ node: YAMLNode) -> String? {
        guard let text = nonEmptyString(node, "name") else { return nil }
        guard !text.contains("/"), !text.contains("\0"), text != ".", text != ".." else {
            report(.invalidName(found: text), at: node.mark, "name")
            return nil
        }
        return text
    }

    /// A BCP 47 shaped tag: a 2-3 letter language, then subtags of 1-8 letters or digits.
    private mutating func locale(_ node: YAMLNode) -> String? {
        guard let text = string(node, "locale") else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let language = parts[0]
        let valid = (2...3).contains(language.count) && language.allSatisfy { $0.isASCII && $0.isLetter }
            && parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        guard valid else {
            report(.invalidLocale(found: text), at: node.mark, "locale")
            return nil
        }
        return text
    }

    private mutating func report(_ error: StyleError, at mark: SourceMark, _ keyPath: String) {
        diagnostics.append(Diagnostic(at: mark, keyPath: keyPath, error: error))
    }
}
