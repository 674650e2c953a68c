import Foundation

/// The fitted softmax regression of ``NoteBaseline``: next-pitch probabilities from the previous `context` pitches.
public struct NoteBaselineModel: Sendable {
    /// Previous pitches read per prediction.
    public var context: Int
    /// Mean of the training inputs (semitones), subtracted before the weights.
    public var mean: Float
    /// Standard deviation of the training inputs (semitones), divided out before the weights.
    public var scale: Float
    /// Weights W (context x 128, row-major) followed by the bias b (128).
    public var parameters: [Float]
    /// The most frequent training pitch.
    public var majorityNote: Int
    /// Training examples it was fitted on.
    public var trainingSamples: Int

    /// The 128 next-pitch probabilities after the last `context` pitches of `previous` (which must hold at least that many).
    public func probabilities(previous: ArraySlice<Double>) -> [Double] {
        precondition(previous.count >= context, "the baseline needs \(context) previous pitches")
        let classes = 128
        var logits = [Double](repeating: 0, count: classes)
        for j in 0..<classes { logits[j] = Double(parameters[context * classes + j]) }
        let first = previous.endIndex - context
        for k in 0..<context {
            let x = (Float(previous[first + k]) - mean) / scale
            for j in 0..<classes { logits[j] += Double(x * parameters[k * classes + j]) }
        }
        let top = logits.max() ?? 0
        var sum = 0.0
        for j in 0..<classes { logits[j] = exp(logits[j] - top); sum += logits[j] }
        for j in 0..<classes { logits[j] /= sum }
        return logits
    }
}
