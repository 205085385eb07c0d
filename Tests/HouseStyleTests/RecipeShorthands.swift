@testable import HouseStyle

// The tests' shorthands for bundles of the statistics alone, which most tests train: the library
// asks every caller for its recipe (`ModelRecipe`), so that training, the freshness check and
// loading cannot disagree about what a bundle should hold.

extension Trainer {
    /// A trainer of the statistics alone (`ModelRecipe.statisticsOnly`).
    init(style: Style, resources: Resources) {
        self.init(style: style, resources: resources, recipe: .statisticsOnly)
    }

    /// The learners `housestyle train` runs after the statistics: those of `ModelRecipe.standard`.
    static var standardContributors: [any BundleContributor] { ModelRecipe.standard.contributors }
}

extension ModelBundle {
    /// `status(of:recipe:)` for the statistics and these contributors.
    static func status(of style: Style, contributors: [any BundleContributor] = []) throws(ModelError) -> ModelStatus {
        try status(of: style, recipe: ModelRecipe(contributors: contributors))
    }

    /// The statistics of a verified bundle trained with `recipe`.
    static func load(_ style: Style, recipe: ModelRecipe = .statisticsOnly) throws(ModelError) -> StyleModel {
        try load(style, recipe: recipe, resources: Resources(styleRoot: style.root, modelRecipe: recipe)).statistics
    }
}
