import HouseStyleText

/// A replacement as the text layer sees it, for these tests (the pipeline's `Edit` lives in HouseStyle).
struct Edit: TextReplacement, Sendable, Hashable {
    var range: Range<Int>
    var replacement: String
    var rule: String
    var reason: String

    init(range: Range<Int>, replacement: String, rule: String, reason: String) {
        (self.range, self.replacement, self.rule, self.reason) = (range, replacement, rule, reason)
    }
}
