/// Named architectures for `tunesmith train --architecture`, and their adjustable size.
///
/// `paper` is the paper's model, unchanged (look-back 3, LSTM(48) -> Dense(24) -> Dense(3), 3 inputs).
/// `categorical` and `deep` read the rich input encoding (note, velocity, time delta, pitch class,
/// duration, instrument family) and end in a categorical pitch head: 128 pitch logits + velocity + time delta,
/// or, with ``TimingHead/categorical``, 128 pitch logits + a ``RhythmHead``'s velocity, time-step and length
/// logits (the input then adds the metre block).
public enum ArchitecturePreset: String, CaseIterable, Sendable {
    /// The paper's regression model.
    case paper
    /// One LSTM(256), look-back 32, softmax pitch head.
    case categorical
    /// Two stacked LSTM(256), look-back 32, softmax pitch head.
    case deep
    /// Stacked LSTMs (2 x 256 unless sized) trained statefully over whole songs: every LSTM returns sequences, the
    /// head reads every step, and the look-back is the training chunk length (64 unless sized); see
    /// ``Architecture/stateful``.
    case stateful

    /// Size overrides (nil keeps the preset's value).
    public struct Size: Sendable, Hashable {
        /// Stacked LSTM layers.
        public var layers: Int?
        /// Units per LSTM layer.
        public var units: Int?
        /// Input steps per prediction.
        public var lookBack: Int?

        /// Creates overrides.
        public init(layers: Int? = nil, units: Int? = nil, lookBack: Int? = nil) {
            self.layers = layers
            self.units = units
            self.lookBack = lookBack
        }

        /// Whether any override is set.
        public var isEmpty: Bool { layers == nil && units == nil && lookBack == nil }
    }

    /// The input encoding the preset reads (nil: the paper's 3 values); categorical timing adds the metre block.
    public func encoding(timing: TimingHead = .regression) -> InputEncoding? {
        self == .paper ? nil : InputEncoding(metre: timing == .categorical)
    }

    /// The input encoding the preset reads with regressed timing.
    public var encoding: InputEncoding? { encoding() }

    /// The architecture with optional size overrides (the paper accepts none: it stays exactly the paper's).
    public func architecture(_ size: Size = Size(), timing: TimingHead = .regression) -> Architecture {
        switch self {
        case .paper:
            return .paper
        case .categorical, .deep, .stateful:
            let layers = max(1, size.layers ?? (self == .categorical ? 1 : 2))
            let units = max(1, size.units ?? 256)
            let lookBack = max(1, size.lookBack ?? (self == .stateful ? 64 : 32))
            var specs: [LayerSpec] = (0..<layers).map { .lstm(units: units, returnSequences: self == .stateful || $0 < layers - 1) }
            let head = timing == .categorical ? CategoricalPitchLoss.pitchCount + RhythmHead(velocityMean: 0, velocityScale: 1, metreIndex: 0).width
                                              : CategoricalPitchLoss.outputWidth
            specs.append(.dense(units: head, activation: .linear))
            var a = Architecture(name: rawValue, lookBack: lookBack, inputWidth: encoding(timing: timing)!.width, layers: specs)
            if self == .stateful { a.stateful = true }
            return a
        }
    }
}

/// How a categorical model predicts velocity and timing.
public enum TimingHead: String, CaseIterable, Sendable, Codable {
    /// Velocity and time delta (seconds) regressed by MSE, as the paper.
    case regression
    /// Velocity, time step and note length as classes (``RhythmHead``), reading the metre block.
    case categorical
}
