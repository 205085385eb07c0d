import Foundation

/// What another learner adds to a bundle: files (listed with checksums in the manifest, so a
/// damaged one makes the whole bundle refused) and metrics for the manifest.
public struct BundleContribution: Sendable {
    public var files: [(name: String, bytes: [UInt8])]
    public var metrics: [String: Double]
    /// A Markdown section appended to the bundle's report.md (empty for none).
    public var report: String

    public init(files: [(name: String, bytes: [UInt8])], metrics: [String: Double] = [:], report: String = "") {
        self.files = files
        self.metrics = metrics
        self.report = report
    }
}

/// What a `BundleContributor` trains from: the corpus, the style, and the statistical model
/// just learned (its substitutions, for instance).
public struct ContributorContext {
    public var corpus: TrainingCorpus
    public var style: Style
    public var statistics: StyleModel
    public var resources: Resources
    /// Reports a step (shown as is) and the fraction of this contributor's work done (0...1).
    public var progress: (String, Double) -> Void

    public init(corpus: TrainingCorpus, style: Style, statistics: StyleModel, resources: Resources,
                progress: @escaping (String, Double) -> Void = { _, _ in }) {
        (self.corpus, self.style, self.statistics, self.resources, self.progress) = (corpus, style, statistics, resources, progress)
    }
}

/// Something else a training run learns into the same bundle, e.g. the neural voice scorer.
/// Its output must depend only on the corpus, the style and its own code (bundles are
/// deterministic); bump `version` whenever that output would change, so old bundles go stale.
public protocol BundleContributor: Sendable {
    /// Shown in progress and errors, e.g. `voice-scorer`.
    var name: String { get }
    /// Part of the bundle's code version, e.g. `lora.1`.
    var version: String { get }
    func train(_ context: ContributorContext) throws -> BundleContribution
    /// Why a bundle whose own fingerprints match is out of date all the same (it was trained from
    /// something outside the style's files, such as a parent style's model, that has changed),
    /// or nil when it is not.
    func staleness(of style: Style, bundle directory: String) throws -> String?
}

extension BundleContributor {
    public func staleness(of style: Style, bundle directory: String) throws -> String? { nil }
}
