import Foundation
import Testing
import HouseStyleText
@testable import HouseStyle

/// The batch runner `rewrite` and `check` share: files on several threads, results in file order,
/// a failure belonging to its file, writes through the output plan.
@Suite struct BatchRunnerTests {
    @Test(arguments: [1, 2, 5])
    func resultsComeBackInFileOrderWithFailuresInPlace(jobs: Int) throws {
        var files: [String: String] = [:]
        for index in 0..<7 { files["in/\(index).md"] = "File \(index) uses AcmeCloud.\n" }
        files["in/3.md"] = nil  // missing: its result is the failure, the others go on
        let repository = try TemporaryRepository(files)
        let pipeline = try Pipeline(style: makeStyle("terms: [{use: Acme Cloud, instead_of: [AcmeCloud]}]"), resources: testResources)
        let inputs = (0..<7).map { InputFile(path: repository.root + "/in/\($0).md", relativePath: "\($0).md") }
        let plan = OutputPlan(outputFolder: repository.root + "/out", inPlace: false, backupSuffix: nil)
        let counter = Counter()
        let results = BatchRunner(pipeline: pipeline, plan: plan, jobs: jobs).run(inputs) { counter.add() }
        #expect(counter.value == 7)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let rewrite):
                #expect(index != 3)
                #expect(rewrite.text == "File \(index) uses Acme Cloud.\n")
                #expect(try String(contentsOfFile: repository.root + "/out/\(index).md", encoding: .utf8) == rewrite.text)
            case .failure(let error):
                #expect(index == 3, "\(error)")
                #expect(error is InputError, "\(error)")
            }
        }
        // Without a plan nothing is written.
        let unwritten = BatchRunner(pipeline: pipeline, jobs: jobs).run([InputFile(path: repository.root + "/in/0.md", relativePath: "0.md")])
        #expect((try? unwritten[0].get().changed) == true)
        #expect(!FileManager.default.fileExists(atPath: repository.root + "/0.md"))
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.lock(); count += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    }
}
