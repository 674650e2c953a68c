import Foundation

/// A rhythmic grid for generated onsets, in quarter-note beats: each step's time delta (model seconds,
/// turned into beats at the plan's tempo) becomes a whole number of grid steps, as a discrete time head
/// would emit. At temperature > 0 the count is rounded up with probability equal to the fractional part
/// (stochastic rounding: the expected delta stays the model's); at temperature 0 to the nearest step.
/// The rounded delta is what the model reads back as context.
public struct OnsetGrid: Sendable, Hashable {
    /// Grid step in quarter-note beats (a 16th note is 0.25).
    public let beats: Double

    /// Creates a grid of `beats` quarter notes; throws outside 1/64 ... 4 beats.
    public init(beats: Double) throws(GenerationError) {
        guard beats.isFinite, beats >= 1.0 / 64, beats <= 4 else {
            throw .outOfRange(option: "onset grid", value: "\(beats)", valid: "a note value from 1/256 to 1/1 (e.g. 1/16)")
        }
        self.beats = beats
    }

    /// A note value `1/N` (1/16 = a 16th note, 1/12 = an eighth-note triplet), or nil for `off`.
    public static func parse(_ text: String) throws(GenerationError) -> OnsetGrid? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "off" || t == "none" { return nil }
        let parts = t.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let num = Double(parts[0]), let den = Double(parts[1]), num > 0, den > 0 else {
            throw .outOfRange(option: "onset grid", value: text, valid: "a note value such as 1/16, 1/8, 1/12, or off")
        }
        return try OnsetGrid(beats: 4 * num / den)
    }

    /// The 16th-note grid.
    public static let sixteenth = try! OnsetGrid(beats: 0.25)

    /// `deltaBeats` as a whole number of grid steps (`unit` in [0, 1) draws the rounding; nil rounds to nearest).
    @inline(__always)
    func steps(deltaBeats: Double, unit: Double?) -> Double {
        let x = max(0, deltaBeats / beats)
        let down = x.rounded(.down)
        guard let unit else { return x - down >= 0.5 ? down + 1 : down }
        return unit < x - down ? down + 1 : down
    }
}
