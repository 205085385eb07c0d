import Foundation
import Testing

/// Runs the built `housestyle` binary as a subprocess.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The `housestyle` executable, built next to this test target's resource bundle.
let housestyleBinary: URL = {
    var directory = Bundle.module.bundleURL.deletingLastPathComponent()
    // On macOS the resource bundle sits inside the .xctest bundle; walk up to the products folder.
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("housestyle").path),
        directory.pathComponents.count > 1
    {
        directory = directory.deletingLastPathComponent()
    }
    return directory.appendingPathComponent("housestyle")
}()

func housestyle(_ arguments: [String], in directory: String) throws -> CLIRun {
    let process = Process()
    process.executableURL = housestyleBinary
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIRun(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// A throw-away repository (`styles/`, `corpora/`) removed on deinit.
final class Repository {
    let root: String

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("housestyle-cli-\(UUID().uuidString)").path
        for (path, contents) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

private let acme = """
    version: 1
    extends: plain
    locale: en-GB
    corpus:
      voice: [corpora/acme/**/*.md]
    terms:
      - use: Acme Cloud
        instead_of: [acme cloud]
    contractions: prefer
    stages:
      post: [terms, smart_quotes, {command: [./tools/dates], timeout: 5, name: dates}]

    """

private let plain = """
    version: 1
    avoid: [simply, obviously]
    spelling: en-GB
    punctuation: {oxford_comma: true}

    """

private let acmeWarning = "styles/acme.yaml: warning: the style has a voice corpus but no 'learned' stage in stages.post, so 'train' learns edits that rewrite never applies\n"

private func repository() throws -> Repository {
    try Repository([
        "styles/acme.yaml": acme,
        "styles/plain.yaml": plain,
        "styles/broken.yaml": "version: 1\ncontractons: prefer\nrewrite:\n  confidence: 2\nstages:\n  post: [terms, smartquotes]\n",
        "styles/orphan.yaml": "version: 1\nextends: plian\n",
        "corpora/acme/intro.md": "Acme Cloud is simple.\n",
        "corpora/acme/guides/start.md": "Sign in to Acme Cloud.\n",
    ])
}

struct ValidateCommandTests {
    @Test func validStyleByNamePrintsTheResolvedSummary() throws {
        let repository = try repository()
        let run = try housestyle(["validate", "acme"], in: repository.root)
        #expect(run.status == 0)
        #expect(run.stderr == acmeWarning)
        #expect(run.stdout == """
            style acme (styles/acme.yaml)
              extends: plain (styles/plain.yaml)
              locale: en-GB
              corpus voice: corpora/acme/**/*.md (2 files)
              corpus contrast: none
              corpus pairs: none
              terms: 1, avoid: 2
              spelling: en-GB, contractions: prefer
              punctuation: quotes keep, oxford comma yes, dashes keep, ellipsis keep
              rewrite: confidence 0.7, min similarity 0.85, preserve numbers, urls, code, entities, negation
              model: base (default encoder), epochs 3, lora rank 8, learning rate 0.0005, batch size 16, seed 0, max sentences 20000
              learned: sources pairs, retrieval, thesaurus, never none, target precision 0.9
              ignore: presets hugo, liquid, math, 0 inline patterns, 0 block patterns
              stages pre: normalize, markdown, segment
              stages post: terms, smart_quotes, dates (command, timeout 5 s)
              command dates: ./tools/dates (timeout 5 s, declared at styles/acme.yaml:11:31)

            """)
    }

    @Test func jsonFormatGivesTheResolvedStyleWithSortedKeys() throws {
        let repository = try repository()
        let run = try housestyle(["validate", "styles/acme.yaml", "--format", "json"], in: repository.root)
        #expect(run.status == 0)
        #expect(run.stderr == acmeWarning)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == [
            "avoid", "chain", "commands", "contractions", "corpus", "description", "ignore", "learned", "levels", "locale", "model", "name",
            "punctuation", "rewrite", "root", "rules", "spelling", "stages", "terms", "version",
        ])
        #expect(object["name"] as? String == "acme")
        #expect((object["chain"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["styles/acme.yaml", "styles/plain.yaml"])
        #expect(run.stdout.hasPrefix("{\n  \"avoid\" : [\n"))
        // Every command in full, with where it was declared, as the text output shows it.
        let commands = try #require(object["commands"] as? [[String: Any]])
        #expect(commands.count == 1)
        #expect(commands.first?["name"] as? String == "dates")
        #expect(commands.first?["command"] as? [String] == ["./tools/dates"])
        #expect(commands.first?["command_line"] as? String == "./tools/dates")
        #expect(commands.first?["timeout"] as? Double == 5)
        let mark = try #require(commands.first?["declared_at"] as? [String: Any])
        #expect(mark["path"] as? String == "styles/acme.yaml")
        #expect(mark["line"] as? Int == 11)
        #expect(mark["column"] as? Int == 31)
        #expect(run.stdout.contains("\"stages\" : {\n    \"post\" : [\n      \"terms\",\n      \"smart_quotes\",\n      {\n        \"command\" : [\n          \"./tools/dates\"\n        ],\n        \"name\" : \"dates\",\n        \"timeout\" : 5\n      }\n    ],"))
    }

    @Test func invalidStylePrintsEveryErrorAndExitsOne() throws {
        let repository = try repository()
        let run = try housestyle(["validate", "broken"], in: repository.root)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            styles/broken.yaml:2:1: error: unknown key 'contractons'; did you mean 'contractions'?
            styles/broken.yaml:4:15: error: 'rewrite.confidence' must be between 0 and 1, found 2
            styles/broken.yaml:6:17: error: unknown stage 'smartquotes' in 'stages.post[1]'; did you mean 'smart_quotes'?

            """)
    }

    @Test func missingParentExitsOne() throws {
        let repository = try repository()
        let run = try housestyle(["validate", "orphan"], in: repository.root)
        #expect(run.status == 1)
        #expect(run.stderr == "styles/orphan.yaml:2:10: error: cannot find the parent style 'plian': no file styles/plian.yaml; did you mean 'plain'?\n")
    }

    @Test func unreadableFileExitsTwo() throws {
        let repository = try repository()
        let run = try housestyle(["validate", "nosuch"], in: repository.root)
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == "styles/nosuch.yaml: error: cannot read the style file: no such file or directory\n")
    }

    @Test func severalStylesReportEachAndExitWithTheWorstStatus() throws {
        let repository = try repository()
        let run = try housestyle(["validate", "plain", "broken", "nosuch"], in: repository.root)
        #expect(run.status == 2)
        #expect(run.stdout.hasPrefix("style plain (styles/plain.yaml)\n"))
        #expect(run.stderr.split(separator: "\n").map { String($0.prefix(20)) } == [
            "styles/broken.yaml:2", "styles/broken.yaml:4", "styles/broken.yaml:6", "styles/nosuch.yaml: ",
        ])
    }

    @Test func corpusCheckCanBeSkipped() throws {
        let repository = try Repository(["styles/a.yaml": "version: 1\ncorpus: {voice: [corpora/*.md]}\n"])
        let checked = try housestyle(["validate", "a"], in: repository.root)
        #expect(checked.status == 1)
        #expect(checked.stderr == "styles/a.yaml:2:18: error: no file matches 'corpora/*.md' in 'corpus.voice' (globs are relative to '.')\n")
        let skipped = try housestyle(["validate", "a", "--skip-corpus-check"], in: repository.root)
        #expect(skipped.status == 0)
        #expect(skipped.stderr == "styles/a.yaml: warning: the style has a voice corpus but no 'learned' stage in stages.post, so 'train' learns edits that rewrite never applies\n")
    }

    @Test func aVoiceCorpusWithoutTheLearnedStageIsAWarningNotAnError() throws {
        let repository = try Repository([
            "styles/rules.yaml": "version: 1\ncorpus: {voice: [voice.txt]}\nstages: {post: [terms]}\n",
            "styles/learns.yaml": "version: 1\ncorpus: {voice: [voice.txt]}\nstages: {post: [learned, terms]}\n",
            "styles/plain.yaml": "version: 1\n",
            "voice.txt": "Use the CLI.\n",
        ])
        let run = try housestyle(["validate", "rules", "learns", "plain"], in: repository.root)
        #expect(run.status == 0)
        #expect(run.stderr == "styles/rules.yaml: warning: the style has a voice corpus but no 'learned' stage in stages.post, so 'train' learns edits that rewrite never applies\n")
        #expect(run.stdout.hasPrefix("style rules (styles/rules.yaml)\n"))
    }

    @Test func stylesDirectoryOption() throws {
        let repository = try Repository(["house/a.yaml": "version: 1\n"])
        let run = try housestyle(["validate", "a", "--styles-dir", "house"], in: repository.root)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("style a (house/a.yaml)\n"))
    }

    @Test func versionFlag() throws {
        let run = try housestyle(["--version"], in: NSTemporaryDirectory())
        #expect(run.status == 0)
        #expect(run.stdout == "0.1.0\n")
    }

    @Test(arguments: [["--help"], ["validate", "--help"], ["help", "validate"]])
    func helpWorks(arguments: [String]) throws {
        let run = try housestyle(arguments, in: NSTemporaryDirectory())
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: housestyle"))
        if arguments.contains("validate") {
            #expect(run.stdout.contains("USAGE: housestyle validate <styles> ... [--format <format>] [--skip-corpus-check] [--styles-dir <folder>]"))
        } else {
            #expect(run.stdout.contains("validate                Check style files and show each resolved style."))
        }
    }

    @Test func noStyleIsAUsageError() throws {
        let run = try housestyle(["validate"], in: NSTemporaryDirectory())
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("Error: Missing expected argument '<styles> ...'\n"))
    }
}
