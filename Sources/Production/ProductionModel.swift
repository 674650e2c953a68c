import Foundation
import Generation
import Learning

/// A trained model loaded for production, with the name summaries give it.
public struct ProductionModel: Sendable {
    /// The model.
    public let model: TrainedModel
    /// Its file (the embedded resource for the default model).
    public let url: URL
    /// How summaries name it: `default model`, or the path as the user gave it.
    public let label: String

    /// Loads the model at `path` as given (relative to the current folder), or the embedded default model for nil.
    public static func load(_ path: String?) throws -> ProductionModel {
        guard let path else {
            let url = try DefaultModel.locate()
            return ProductionModel(model: try TrainedModel(contentsOf: url), url: url, label: "default model")
        }
        let url = URL(fileURLWithPath: path)
        return ProductionModel(model: try TrainedModel(contentsOf: url), url: url, label: path)
    }

    /// Wraps an already loaded model.
    public init(model: TrainedModel, url: URL, label: String) {
        self.model = model
        self.url = url
        self.label = label
    }
}
