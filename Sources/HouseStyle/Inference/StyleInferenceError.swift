import HouseStyleText

/// What can go wrong inferring a style from documents (`housestyle init NAME --from DOCS`).
public enum StyleInferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `--from` argument that names no Markdown or text file.
    case noDocuments(argument: String)
    /// No `--from`, and the style's own corpus folder (`corpora/NAME` beside `styles/`) does not exist.
    case noCorpusFolder(path: String, name: String)
    /// A document that cannot be read or is not UTF-8 text (the error names the file).
    case unreadable(InputError)
    /// A document the word segmenter cannot take (too large for ICU, for one).
    case unsegmentable(path: String, TextError)
    /// The documents hold no prose to count: only code, markup or nothing at all.
    case noProse(documents: Int)
    /// The spelling stage's table is not installed.
    case missingSpellingTable(StageError)
    /// The style name cannot name a file `styles/NAME.yaml` (and the folder `models/NAME`).
    case invalidName(String)
    /// The style file exists and `--force` was not given.
    case styleExists(path: String)
    /// A `--from` folder lies outside the project the style file would be in, and no
    /// `--allow-path` allows it: the style could not read its own corpus.
    case outsideProject(path: String, message: String)
    /// The style file could not be written.
    case unwritable(InputError)
    /// The written style does not pass validation; `diagnostics` as `validate` prints them.
    /// Nothing is left at `path`.
    case invalidStyle(path: String, diagnostics: [String])

    public var description: String {
        switch self {
        case .noDocuments(let argument):
            return "\(argument): no Markdown or text files (.md, .markdown, .txt) to infer a style from"
        case .noCorpusFolder(let path, let name):
            return "no documents to infer the style from: give them with --from DOCS (folders, files or globs), "
                + "or put them in \(path)/, which init reads without --from (housestyle init \(name) --from \(path))"
        case .unreadable(let error):
            return error.description
        case .unsegmentable(let path, let error):
            return "\(path): cannot split into words: \(error)"
        case .noProse(let documents):
            return "the \(documents) document\(documents == 1 ? "" : "s") hold no prose to infer a style from (only code, markup or nothing)"
        case .missingSpellingTable(let error):
            return "cannot count British and American spellings: \(error)"
        case .invalidName(let name):
            return "invalid style name '\(name)': give a plain name such as 'acme' (no '/', not starting with '.'); the style is written to styles/NAME.yaml"
        case .styleExists(let path):
            return "\(path): already exists; pass --force to replace it"
        case .outsideProject(let path, let message):
            return "\(path): not written: \(message)"
        case .unwritable(let error):
            return error.description
        case .invalidStyle(let path, let diagnostics):
            return "\(path): not written: the inferred style does not validate:\n" + diagnostics.joined(separator: "\n")
        }
    }
}
