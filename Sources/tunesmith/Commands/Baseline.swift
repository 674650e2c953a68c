import ArgumentParser
import Foundation
import Learning
import MIDI
import Support

/// `tunesmith baseline`: the paper's logistic-regression baseline beside trivial predictors.
struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the paper's baseline: softmax regression of the next note from the previous notes, on held-out songs."
    )

    @Option(help: "Folder of MIDI files (searched recursively).") var corpus: String
    @Option(help: "Previous notes used to predict the next one.") var context = 10
    @Option(help: "Fraction of songs held out for testing.") var test = 0.2
    @Option(help: "Training epochs.") var epochs = 10
    @Option(help: "Random seed of the split.") var seed: UInt64 = 1
    @Option(help: "Read at most this many files of the corpus.") var limit: Int?
    @Flag(help: "Include the drum channel (10).") var includeDrums = false

    func run() throws {
        guard context > 0, epochs > 0, (0..<1).contains(test), test > 0 else {
            StandardStream.write("tunesmith: --context and --epochs must be positive and --test in (0, 1)\n", to: StandardStream.error)
            throw ExitCode.failure
        }
        let c: Corpus
        do {
            c = try Corpus(folder: URL(fileURLWithPath: corpus), configuration: FeatureConfiguration(includeDrums: includeDrums), limit: limit)
        } catch {
            StandardStream.write("tunesmith: \((error as? LocalizedError)?.errorDescription ?? "\(error)")\n", to: StandardStream.error)
            throw ExitCode.failure
        }
        for f in c.failures { StandardStream.write("warning: skipped \(f.message)\n", to: StandardStream.error) }
        let r = NoteBaseline(context: context, epochs: epochs, seed: seed).run(corpus: c, testFraction: test)
        func pct(_ v: Double) -> String { String(format: "%6.2f %%", v * 100) }
        var s = "songs: \(r.trainingSongs) training, \(r.testSongs) test (\(r.trainingSamples) / \(r.testSamples) notes predicted)\n"
        s += "next-note top-1 accuracy on test songs:\n"
        s += "  logistic regression (previous \(context) notes)  \(pct(r.logisticAccuracy))\n"
        s += "  majority class (always \(r.majorityNote))              \(pct(r.majorityAccuracy))\n"
        s += "  repeat last note                        \(pct(r.repeatLastAccuracy))\n"
        s += "  paper's logistic regression             \(pct(BaselineResult.paperAccuracy))\n"
        StandardStream.write(s, to: StandardStream.output)
    }
}
