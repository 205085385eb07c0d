/// A replacement of a byte range of a document's original text, as `Document.applying` applies
/// it. The text layer needs no more than this; the pipeline's `Edit` (HouseStyle), with its reason,
/// confidence, origin and level, is one.
public protocol TextReplacement {
    /// Bytes of the original text this edit replaces (UTF-8 offsets, half-open).
    var range: Range<Int> { get }
    /// The new text.
    var replacement: String { get }
    /// Id of the rule or stage that made the edit, for error messages.
    var rule: String { get }
}
