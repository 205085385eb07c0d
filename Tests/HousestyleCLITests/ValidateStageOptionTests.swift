import Foundation
import Testing

/// `housestyle validate` reports a bad option of a built-in stage with its line and column: the
/// options are checked when the style is read, not when the first file is rewritten.
struct ValidateStageOptionTests {
    @Test func optionsOfAStageThatTakesNoneAreReportedWithLineAndColumn() throws {
        let repository = try Repository([
            "styles/opts.yaml": "version: 1\nstages:\n  pre: [normalize, {markdown: {front_matter: true}}]\n  post: [terms, {avoid: {x: 1}}]\n",
        ])
        let run = try housestyle(["validate", "opts"], in: repository.root)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == """
            styles/opts.yaml:3:31: error: stage 'markdown' takes no options; write it as 'markdown' in 'stages.pre[1]'
            styles/opts.yaml:4:25: error: stage 'avoid' takes no options; write it as 'avoid' in 'stages.post[1]'

            """)
    }
}
