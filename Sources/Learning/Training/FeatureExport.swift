import Foundation
import MIDI
import Support

/// Writes the exact training and validation features of a `tunesmith train` run as JSON, so that a peer
/// implementation (the Keras benchmark) trains on identical data with the identical loss.
///
/// Content: `scaler` {mean, scale}, `loss` {mode, noteScale, auxiliaryWeight, curve {kind, coefficients}},
/// `lookBack`, and for `training` and `validation`: `frames` (flat standardised [note, velocity, dt] triples)
/// and `windowStarts` (first frame of each sample's window; the target is the frame after the window).
public enum FeatureExport {
    struct Split: Encodable { var frames: [Float]; var windowStarts: [Int32]; var songs: Int }
    struct Document: Encodable {
        var scaler: StandardScaler
        var loss: FeatureLoss
        var lookBack: Int
        var seed: UInt64
        var training: Split
        var validation: Split
    }

    /// Reads the corpus as `train` would with `options`, splits and scales it, and writes the JSON to `url`.
    public static func write(options o: TrainingOptions, to url: URL) throws -> (trainingSamples: Int, validationSamples: Int) {
        let corpus = try Corpus(folder: o.corpus, configuration: o.features, limit: o.fileLimit)
        let (trainSongs, valSongs) = corpus.split(validationFraction: o.validation, seed: o.seed)
        let scaler = StandardScaler(fitting: trainSongs.map(\.frames))
        let lb = o.architecture.lookBack
        let t = WindowedDataset(songs: trainSongs.map { scaler.transform($0.frames) }, lookBack: lb)
        let v = WindowedDataset(songs: valSongs.map { scaler.transform($0.frames) }, lookBack: lb)
        let doc = Document(scaler: scaler, loss: FeatureLoss(mode: o.noteLoss, noteScale: scaler.scale[0]), lookBack: lb, seed: o.seed,
                           training: Split(frames: t.frames, windowStarts: t.windowStarts, songs: trainSongs.count),
                           validation: Split(frames: v.frames, windowStarts: v.windowStarts, songs: valSongs.count))
        let data = try JSONEncoder().encode(doc)
        try AtomicFileWriter(destination: url, overwrite: o.overwrite).write(Array(data))
        return (t.count, v.count)
    }
}
