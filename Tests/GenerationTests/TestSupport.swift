import Foundation
import Generation
import Learning
import MIDI
import TestSupport
import XCTest

/// Shared helpers: the committed models (paths from ``TestPaths``) and small real networks built in code.
enum Fixtures {
    /// The committed paper model.
    static func paperModel() throws -> TrainedModel { try TrainedModel(contentsOf: TestPaths.paperModel) }

    /// A real paper-architecture network whose weights are all zero, so every prediction is the
    /// scaler's mean: a model that always asks for the same pitch with no time between notes.
    /// Built from the paper model's file (its training record and loss), with the weights replaced.
    static func constantModel(note: Double = 60, velocity: Double = 80, timeDelta: Double = 0) throws -> TrainedModel {
        var model = try paperModel()
        let layout = ParameterLayout(architecture: .paper)
        model.network = Network<Float>(architecture: .paper, parameters: [Float](repeating: 0, count: layout.count))
        model.scaler = StandardScaler(mean: [note, velocity, timeDelta], scale: [12, 20, 0.3])
        return model
    }

    /// The committed default model (categorical pitch head).
    static func defaultModel() throws -> TrainedModel { try TrainedModel(contentsOf: TestPaths.defaultModel) }

    /// A small real stateful categorical network (one LSTM(16) returning sequences, chunk 8, the rich input encoding with
    /// a style block for `styles`, 128 pitch logits + velocity + time delta) with seeded random weights scaled by `gain`;
    /// scaler and training record taken from the paper model.
    static func randomStatefulModel(seed: UInt64 = 5, gain: Float = 4, styles: [String] = ["chorales", "folk"]) throws -> TrainedModel {
        let paper = try paperModel()
        let encoding = InputEncoding(styles: styles)
        var architecture = Architecture(name: "stateful", lookBack: 8, inputWidth: encoding.width,
                                        layers: [.lstm(units: 16, returnSequences: true), .dense(units: CategoricalPitchLoss.outputWidth, activation: .linear)])
        architecture.stateful = true
        var network = Network<Float>(architecture: architecture, seed: seed)
        network = Network(architecture: architecture, parameters: network.parameters.map { $0 * gain })
        let scaler = paper.scaler
        return TrainedModel(network: network, scaler: scaler, features: FeatureConfiguration(includeDrums: false, encoding: encoding),
                            loss: .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0]), training: paper.training)
    }

    /// A small real categorical network (one LSTM(16), look-back 4, the rich input encoding, 128 pitch logits +
    /// velocity + time delta) with seeded random weights scaled by `gain` so its distributions are far from uniform;
    /// scaler and training record taken from the paper model.
    static func randomCategoricalModel(seed: UInt64 = 3, gain: Float = 4) throws -> TrainedModel {
        let paper = try paperModel()
        let architecture = ArchitecturePreset.categorical.architecture(.init(layers: 1, units: 16, lookBack: 4))
        var network = Network<Float>(architecture: architecture, seed: seed)
        network = Network(architecture: architecture, parameters: network.parameters.map { $0 * gain })
        let scaler = paper.scaler
        return TrainedModel(network: network, scaler: scaler,
                            features: FeatureConfiguration(includeDrums: false, encoding: InputEncoding()),
                            loss: .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0]), training: paper.training)
    }

    /// A small real categorical network with a rhythm head (one LSTM(16), look-back 4, the rich encoding with the
    /// metre block, 128 pitch logits + velocity, time-step and length logits), seeded random weights scaled by `gain`.
    static func randomRhythmModel(seed: UInt64 = 3, gain: Float = 4) throws -> TrainedModel {
        let paper = try paperModel()
        let architecture = ArchitecturePreset.categorical.architecture(.init(layers: 1, units: 16, lookBack: 4), timing: .categorical)
        var network = Network<Float>(architecture: architecture, seed: seed)
        network = Network(architecture: architecture, parameters: network.parameters.map { $0 * gain })
        let scaler = paper.scaler
        let encoding = InputEncoding(metre: true)
        let rhythm = RhythmHead(velocityMean: scaler.mean[1], velocityScale: scaler.scale[1], metreIndex: encoding.metreIndex)
        return TrainedModel(network: network, scaler: scaler, features: FeatureConfiguration(includeDrums: false, encoding: encoding),
                            loss: .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0], rhythm: rhythm), training: paper.training)
    }
}

extension Fixtures {
    /// A small real stateful network with a rhythm head that reads the motif memory's proposal (one LSTM(16), chunk 8,
    /// the rich encoding with the metre and recall blocks), seeded random weights scaled by `gain`.
    static func randomRecallModel(seed: UInt64 = 7, gain: Float = 4) throws -> TrainedModel {
        let paper = try paperModel()
        let encoding = InputEncoding(metre: true, recall: true)
        var architecture = ArchitecturePreset.stateful.architecture(.init(layers: 1, units: 16, lookBack: 8), timing: .categorical)
        architecture.inputWidth = encoding.width
        var network = Network<Float>(architecture: architecture, seed: seed)
        network = Network(architecture: architecture, parameters: network.parameters.map { $0 * gain })
        let scaler = paper.scaler
        let rhythm = RhythmHead(velocityMean: scaler.mean[1], velocityScale: scaler.scale[1], metreIndex: encoding.metreIndex)
        return TrainedModel(network: network, scaler: scaler, features: FeatureConfiguration(includeDrums: false, encoding: encoding),
                            loss: .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0], rhythm: rhythm), training: paper.training)
    }
}

extension Generator {
    /// A generator with the given options (test shorthand).
    static func make(_ model: TrainedModel, length: GenerationLength = .notes(200), seed: UInt64 = 1,
                     start: GenerationStart = .random, temperature: Double = 1, noise: Double = SamplingOptions.defaultNoise,
                     tempo: Double? = nil, durations: DurationPolicy = .legato) throws -> Generator {
        let options = try GenerationOptions(length: length, seed: seed, start: start,
                                            sampling: SamplingOptions(temperature: temperature, noise: noise),
                                            tempoBPM: tempo, durations: durations)
        return try Generator(model: model, options: options)
    }
}
