import Testing
@testable import HouseStyle

/// Tests of `Glob`, the corpus file patterns.
struct StyleGlobTests {
    @Test(arguments: [
        ("*.md", "a.md", true), ("*.md", "dir/a.md", false), ("*.md", ".hidden.md", false), (".*.md", ".hidden.md", true),
        ("a?c.txt", "abc.txt", true), ("a?c.txt", "ac.txt", false), ("[abc].md", "b.md", true), ("[abc].md", "d.md", false),
        ("[a-c]x", "bx", true), ("[!a-c]x", "bx", false), ("[^a-c]x", "dx", true), ("**/*.md", "a.md", true),
        ("**/*.md", "x/y/z/a.md", true), ("docs/**/*.md", "docs/a.md", true), ("docs/**/*.md", "other/a.md", false),
        ("docs/**", "docs/x/y.txt", true), ("**/*.md", ".git/a.md", false), ("a\\*b", "a*b", true), ("a\\*b", "axb", false),
        ("*a*b*c*", "xaxbxcx", true), ("*a*b*c*", "xaxcxbx", false), ("[ab", "[ab", true), ("*", "", false),
        ("corpora/acme/edits.tsv", "corpora/acme/edits.tsv", true), ("**/x", "x", true), ("a/**/b/**/c", "a/b/c", true),
    ])
    func matching(pattern: String, path: String, expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }

    @Test(arguments: [
        ("corpora/voice/*.md", ["corpora/voice/intro.md"]),
        ("corpora/voice/**/*.md", ["corpora/voice/deep/guide.md", "corpora/voice/intro.md"]),
        ("corpora/**", ["corpora/contrast/generic.txt", "corpora/edits.tsv", "corpora/voice/deep/guide.md",
                        "corpora/voice/intro.md", "corpora/voice/notes.txt"]),
        ("corpora/*/*.[mt][dx]*", ["corpora/contrast/generic.txt", "corpora/voice/intro.md", "corpora/voice/notes.txt"]),
        ("corpora/.hidden/*.md", ["corpora/.hidden/secret.md"]),
        ("corpora/edits.tsv", ["corpora/edits.tsv"]),
        ("corpora/voice", []),
        ("corpora/none/**/*.md", []),
        ("**/guide.md", ["corpora/voice/deep/guide.md"]),
        ("corpora/voice/deep/../intro.md", ["corpora/voice/deep/../intro.md"]),
    ])
    func expansionIsSortedFilesOnly(pattern: String, expected: [String]) {
        #expect(Glob(pattern).expand(in: fixtureRepository) == expected)
    }

    @Test func absolutePatternsIgnoreTheBase() {
        #expect(Glob(fixtureRepository + "/corpora/*.tsv").expand(in: "/nowhere") == [fixtureRepository + "/corpora/edits.tsv"])
    }

    @Test func expansionIsDeterministic() {
        let glob = Glob("**/*")
        #expect(glob.expand(in: fixtureRepository) == glob.expand(in: fixtureRepository))
        #expect(glob.expand(in: fixtureRepository).allSatisfy { !$0.contains("/.") && !$0.hasPrefix(".") })
    }
}
