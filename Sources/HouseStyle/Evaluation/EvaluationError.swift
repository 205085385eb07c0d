/// Mistakes in what `housestyle eval` is given.
public enum EvaluationError: Error, CustomStringConvertible {
    /// A file could not be read or parsed (the corpus reader's message names the file and line).
    case input(CorpusError)
    case emptyInput(path: String)
    case lineCountMismatch(source: String, sourceLines: Int, reference: String, referenceLines: Int)

    public var description: String {
        switch self {
        case .input(let error): return "\(error)"
        case .emptyInput(let path): return "\(path): no sentences to evaluate"
        case .lineCountMismatch(let source, let sourceLines, let reference, let referenceLines):
            return "\(reference): has \(referenceLines) lines but \(source) has \(sourceLines); a reference file has one line per source line"
        }
    }
}
