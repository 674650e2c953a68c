/// The gain chosen for a render's master stage: its value, and whether the limited mix was measured to choose it.
struct MasterGainChoice {
    /// Gain in dB before the limiter.
    var decibels: Double
    /// Whether the limiter's effect was evaluated (so the gain already makes up for what it takes).
    var evaluated: Bool
}
