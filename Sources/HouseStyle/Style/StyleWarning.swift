/// Something in a valid style that is probably not what its author meant. Printed as
/// `path: warning: message`; it never fails a command.
public struct StyleWarning: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The style has a voice corpus, so `train` learns edits, but no stage applies them.
        case voiceCorpusWithoutLearnedStage
    }

    /// The style file's path, as given or found.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var message: String {
        switch kind {
        case .voiceCorpusWithoutLearnedStage:
            return "the style has a voice corpus but no 'learned' stage in stages.post, so 'train' learns edits that rewrite never applies"
        }
    }

    public var description: String { "\(path): warning: \(message)" }
}

extension Style {
    /// What in this style is valid but probably unintended.
    public var warnings: [StyleWarning] {
        let path = chain.first?.path ?? name
        var warnings: [StyleWarning] = []
        if !corpus.voice.isEmpty && !usesLearnedStage {
            warnings.append(StyleWarning(path: path, kind: .voiceCorpusWithoutLearnedStage))
        }
        return warnings
    }
}
