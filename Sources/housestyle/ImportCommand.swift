import ArgumentParser
import Foundation
import HouseStyle

/// `housestyle import vale PATH`: another tool's style as a HouseStyle style file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn another tool's style into a HouseStyle style file.",
        subcommands: [ImportValeCommand.self])
}

struct ImportValeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vale",
        abstract: "Turn a Vale configuration or Vale style into a HouseStyle style file.",
        discussion: """
            PATH is a .vale.ini (or a folder holding one), a Vale style folder of *.yml rules, or one rule \
            file. Substitution rules become terms (contractions: prefer when they write contractions), \
            existence rules and rejected vocabulary become avoid entries that are reported, accepted \
            vocabulary becomes terms in its case and words learned edits never change, and Vale's levels \
            become the entries' levels. Every rule, token or setting that cannot be expressed is listed on \
            stderr as path:line:column: what: why, and as comments in the style file. Exit status: 0 when \
            the style was written, 2 when PATH cannot be read, is not Vale's, or the output exists.
            """)

    @Argument(help: "A .vale.ini, a folder with one, a Vale style folder or a Vale rule file.")
    var path: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write the style file here (atomically; see --force); without it, the style goes to stdout.", valueName: "file"))
    var output: String?

    @Option(help: "The style's name (default: the output file's name, else the Vale folder's).")
    var name: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        if let name, name.isEmpty || name.contains("/") || name == "." || name == ".." {
            throw ValidationError("--name must be a plain name, without '/' and not '.' or '..' (it names the folder models/NAME)")
        }
    }

    func run() throws {
        var existing = stat()
        if let output, !force, lstat(output, &existing) == 0 {
            Console.error("\(InputError.exists(path: output))")
            throw ExitCode(Status.unusable)
        }
        let styleName = name ?? output.map { ((($0 as NSString).lastPathComponent) as NSString).deletingPathExtension }
        let converted: ValeImport
        do { converted = try ValeImporter().convert(path: path, name: styleName) } catch {
            Console.error("\(error)")
            throw ExitCode(Status.unusable)
        }
        // Vale files are named relative to the folder given (or holding the file given).
        var isDirectory: ObjCBool = false
        let isFolder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        let base = isFolder ? path : (path as NSString).deletingLastPathComponent
        let (diagnostics, warnings) = converted.check(path: output ?? "\(converted.name).yaml")
        guard diagnostics.isEmpty else {
            // A bug of the importer: say so rather than write a style that does not load.
            Console.error(diagnostics.map { "\($0) (housestyle import made an invalid style file: please report this)" }.joined(separator: "\n"))
            throw ExitCode(Status.unusable)
        }
        for line in converted.reportLines(relativeTo: base) { Console.error(line) }
        for warning in warnings { Console.error(warning.description) }
        let text = converted.styleFile(relativeTo: base)
        guard let output else {
            Console.out(text)
            Console.error("import vale: \(converted.summary)")
            return
        }
        do {
            if force {
                try TextFile.writeAtomically(text, to: output)
            } else {
                try TextFile.createAtomically(text, at: output)
            }
        } catch {
            Console.error("\(error)")
            throw ExitCode(Status.unusable)
        }
        Console.error("import vale: \(converted.summary); wrote \(output)")
    }
}
