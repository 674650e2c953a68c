import Foundation

extension TrainedModel {
    /// Whether the model draws each note's time step and length in beats (a categorical model with a ``RhythmHead``);
    /// otherwise it regresses the time to the next onset in seconds.
    public var hasRhythmHead: Bool { loss.categorical?.rhythm != nil }
}

extension TrainedModel {
    /// Whether the model was trained statefully (truncated back-propagation through time over whole songs): feed each
    /// new note once through ``makeStepper()`` (or ``Predictor/step(_:)``) and keep the state from note to note; never
    /// re-run a window. Reset the state only at the start of a piece.
    public var isStateful: Bool { network.architecture.isStateful }

    /// The style names the model's input knows (the training corpus's top-level folders), in index order; empty when
    /// the model has no style input. Pass an index into this list as the `style` of ``FeatureConfiguration/encode(_:scaler:style:into:)``
    /// or ``Predictor/style``.
    public var styles: [String] { features.styles }

    /// The index of style `name` in ``styles`` (ignoring case and a plural `s`: `chorale` is `chorales`), or nil.
    public func styleIndex(named name: String) -> Int? {
        StyleNames.index(of: name, in: styles)
    }

    /// The General MIDI program (0 ... 127) most of style `index`'s training notes were played on, or nil when the model
    /// did not record one (``InputEncoding/stylePrograms``) or `index` is not a style.
    public func program(ofStyle index: Int) -> Int? {
        let programs = features.encoding?.stylePrograms ?? []
        return programs.indices.contains(index) ? programs[index] : nil
    }
}
