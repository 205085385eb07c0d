import Foundation
import Testing

/// Issue 15 item 5: a long run is never silent, in a log as on a terminal, and a command that
/// must train first says so before it starts.
@Test(.enabled(if: baseModelInstalled, "the base model all-MiniLM-L6-v2 is not installed; run `bash scripts/setup.sh`"))
func trainingInALogPrintsProgressLinesAndFilterSaysItTrainsFirst() throws {
    let repository = try Repository(trainableRepositoryFiles)
    let root = URL(fileURLWithPath: repository.root)
    // stderr is a pipe here, as in CI; an interval of 0 s prints a line at every step.
    let filter = try CLI.run(["filter", "demo"], in: root, stdin: Data("Teams utilize keys.\n".utf8),
                             environment: ["HOUSESTYLE_PROGRESS_SECONDS": "0"])
    #expect(filter.status == 0, "\(filter.err)")
    // Before training starts: what it reads and how long it should take, from the corpus files.
    #expect(filter.err.hasPrefix("note: style 'demo' needs its trained model, so it is trained first; "
        + "this reads 405 bytes of corpora (about 8 sentences, 2 pairs) and should take about "), "\(filter.err)")
    // (On a busy machine the time says so: "about 20 s (about 5 s on an idle machine; the machine is busy: load 8.1 on 2 processors)".)
    #expect(filter.err.range(of: #"^note: [^\n]+ and should take about \d+ (s|min)( \(about [^)]+ on an idle machine; the machine is busy: load [0-9.]+ on \d+ processors?\))? "#
        + #"\(--no-train refuses instead, with status 2\)\n"#
        + #"training the model of style 'demo' \(no model in ./models/demo\): 405 bytes of corpora \(about 8 sentences, 2 pairs\); "#
        + #"estimated about \d+ (s|min)[^\n]* \((statistics|neighbour pairs|voice scorer|calibration) about [^\n]+\)\n"#, options: .regularExpression) != nil, "\(filter.err)")
    let lines = filter.err.split(separator: "\n").filter { $0.hasPrefix("train demo: ") }
    #expect(lines.count >= 3, "\(filter.err)")
    #expect(lines.allSatisfy { $0.range(of: #"^train demo: \d+% .+, \d+ s elapsed"#, options: .regularExpression) != nil }, "\(lines)")
    #expect(!filter.err.contains("\r"), "no bar drawn into a log")
    // Fine-tuning says how fast it goes and how long it has left (issue 16, item 3).
    #expect(lines.contains { $0.range(of: #"voice scorer: epoch 1/\d+, step \d+/\d+, \d+ sentences/s, loss \d+\.\d+, \d+ s elapsed, about \d+ s left$"#,
                                      options: .regularExpression) != nil }, "\(lines)")
    // A step that reports nothing for longer than the interval (loading the encoder, mining
    // neighbours) is shown again, so a log never goes quiet.
    let beating = try CLI.run(["train", "demo", "--force"], in: root, environment: ["HOUSESTYLE_PROGRESS_SECONDS": "0.05"])
    #expect(beating.status == 0, "\(beating.err)")
    #expect(beating.err.split(separator: "\n").contains { $0.range(of: #"^train demo: \d+% .+, \d+ s elapsed, still working$"#, options: .regularExpression) != nil },
            "\(beating.err)")
    // The first line comes only after one interval: a run shorter than that is quiet.
    let again = try CLI.run(["train", "demo", "--force"], in: root, environment: ["HOUSESTYLE_PROGRESS_SECONDS": "600"])
    #expect(again.status == 0 && !again.err.contains("train demo: "), "\(again.err)")
}
