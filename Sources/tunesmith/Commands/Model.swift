import ArgumentParser
import Foundation
import Learning
import MIDI
import Support

/// `tunesmith model`: inspect model files.
struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a trained model file.",
        subcommands: [Info.self]
    )

    /// `tunesmith model info MODEL`: the layer summary with parameter counts and the training record.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a model's layers with parameter counts, scaler and training record.")

        @Argument(help: "The model file.") var model: String

        func run() throws {
            let m: TrainedModel
            do {
                m = try TrainedModel(contentsOf: URL(fileURLWithPath: model))
            } catch {
                StandardStream.write("error: \(error.localizedDescription)\n", to: StandardStream.error)
                throw ExitCode.failure
            }
            StandardStream.write(ModelSummary.text(m, path: model), to: StandardStream.output)
        }
    }
}
