import Foundation
import Generation
import Learning

/// A generation with everything resolved: the model, the seed, the start and a ``Generator`` with its plan.
public struct PreparedGeneration: Sendable {
    /// The model.
    public let model: ProductionModel
    /// The settings as given.
    public let settings: GenerationSettings
    /// The seed used (the settings' or one drawn at random).
    public let seed: UInt64
    /// How the piece starts, for summaries: `random start`, `primer PATH` or `corpus song PATH`.
    public let startLabel: String
    /// The generator (model checked, plan worked out once).
    public let generator: Generator

    /// Resolves `settings` against a loaded model.
    public init(settings: GenerationSettings, model: ProductionModel) throws {
        guard settings.primer == nil || settings.corpus == nil else {
            throw ProductionError("give either --primer or --corpus, not both")
        }
        let seed = settings.seed ?? UInt64.random(in: 0...UInt64.max)
        let features = model.model.features
        var start = GenerationStart.random
        var label = "random start"
        if let primer = settings.primer {
            start = try GenerationStart.primer(fileAt: URL(fileURLWithPath: primer), features: features)
            label = "primer \(primer)"
        } else if let corpus = settings.corpus {
            let picked = try GenerationStart.corpusSong(inFolder: URL(fileURLWithPath: corpus), seed: seed, features: features)
            start = picked.start
            label = "corpus song \(picked.path)"
        }
        let style = try settings.styleIndex(in: model.model.styles, modelLabel: model.label, seed: seed, coldStart: start == .random)
        if let style { label += ", style \(model.model.styles[style])\(settings.style == nil ? " (drawn by the seed)" : "")" }
        // The style's own instrument unless the user names one: the network reads the instrument family.
        let styleProgram = settings.program == nil ? style.flatMap { model.model.program(ofStyle: $0) } : nil
        if let styleProgram, styleProgram != 0 { label += ", the style's program \(styleProgram)" }
        let program = settings.program ?? styleProgram ?? 0
        let options = try GenerationOptions(
            length: try settings.parsedLength(), seed: seed, start: start, sampling: try settings.samplingOptions(stateful: model.model.isStateful),
            tempoBPM: settings.tempo, program: program, channel: settings.channel,
            durations: try settings.durationPolicy(), onsetGrid: try settings.onsetGrid(forRhythmHead: model.model.hasRhythmHead),
            style: style)
        self.model = model
        self.settings = settings
        self.seed = seed
        self.startLabel = label
        self.generator = try Generator(model: model.model, options: options, modelPath: model.label)
    }
}
