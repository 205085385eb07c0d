/// The `rule` of a `terms` or `avoid` entry: the name its edits and findings are reported under
/// instead of the stage's id (a Vale rule's `Microsoft.Avoid`, which `housestyle import vale`
/// writes), and which `--only` and `--skip` select.
enum RuleName {
    /// Why `name` cannot name a rule, or nil when it can. A rule name is letters, digits, `.`, `_`
    /// and `-`, starting with a letter or digit (so that it reads as one word in `[rule]` and
    /// joins unambiguously with `+`), and is not the id of a stage or of the comment check
    /// (`--skip spelling` must mean the stage).
    static func problem(with name: String, registry: StageRegistry) -> String? {
        let allowed = name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-")
        }
        guard allowed, let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
            return "a rule name is ASCII letters, digits, '.', '_' and '-', starting with a letter or digit, such as 'Microsoft.Avoid'"
        }
        if registry.id(named: name) != nil || name == "housestyle-comment" {
            return "'\(name)' names a stage; leave 'rule' out to report under the stage's id, or give the entry a name of its own"
        }
        return nil
    }
}
