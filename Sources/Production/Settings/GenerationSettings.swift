import Generation
import Learning

/// Every choice that shapes one generation, as the user gives it: the model, length, seed, start, tempo,
/// instrument, sampling and note lengths.
///
/// One value serves `tunesmith generate` and every album track, so equal settings give the same piece on both
/// paths. Values are checked as they are set (``set(_:to:)``); ``generationOptions(for:start:seed:)`` turns them
/// into the engine's options once the model is known.
public struct GenerationSettings: Sendable, Hashable, Codable {
    /// Model file path; nil: the embedded default model.
    public var model: String?
    /// Length in the `generate` syntax (`200n`, `60s`, `16bars`, `endless`).
    public var length = GenerationLength.notes(200).description
    /// Random seed; nil: drawn at random when the piece is made (and reported).
    public var seed: UInt64?
    /// Continue from the end of this MIDI file.
    public var primer: String?
    /// Start from a song of this folder, chosen by the seed.
    public var corpus: String?
    /// Tempo in BPM; nil: the primer's or corpus song's, else 120.
    public var tempo: Double?
    /// General MIDI program 0 ... 127; nil: the style's program when the model records one
    /// (``Learning/TrainedModel/program(ofStyle:)``), else 0.
    public var program: Int?
    /// MIDI channel 0 ... 15.
    public var channel = 0
    /// Sampling temperature 0 ... 100; nil: ``SamplingOptions/defaultTemperature(stateful:)`` for the model.
    public var temperature: Double?
    /// Regression noise at temperature 1 (standard deviations).
    public var noise = SamplingOptions.defaultNoise
    /// Categorical heads: the k most likely classes (0 = all).
    public var topK = 0
    /// Categorical heads: nucleus probability.
    public var topP = SamplingOptions.defaultTopP
    /// Rhythm heads: nucleus probability of velocity, time step and length.
    public var rhythmTopP = SamplingOptions.defaultRhythmTopP
    /// Rhythm heads: weight of the piece's own earlier continuation.
    public var motifMemory = SamplingOptions.defaultMotifMemory
    /// Rhythm heads: how much less likely a pitch outside the piece's own scale is.
    public var scaleMemory = SamplingOptions.defaultScaleMemory
    /// Rhythm heads: the chance a phrase begins by restating an earlier one.
    public var phraseRecall = SamplingOptions.defaultPhraseRecall
    /// Note lengths: `legato`, `normal`, `staccato` or a fraction.
    public var articulation = "legato"
    /// Onset grid: a note value, `off` or `auto`.
    public var onsetGrid = "auto"
    /// Style the model plays in (one of its style names, e.g. `folk`, or `any` for the empty style input); nil: one of
    /// the model's styles drawn by the seed (``styleIndex(in:modelLabel:seed:)``).
    public var style: String?

    /// Settings with every default.
    public init() {}

    /// The declaration named `name`, if any.
    public static func declaration(named name: String) -> SettingDeclaration? {
        declarations.first { $0.name == name }
    }

    /// Sets the setting `name` from its text, checking the value; unknown names and bad values throw a one-line error.
    public mutating func set(_ name: String, to text: String) throws(ProductionError) {
        guard let d = Self.declaration(named: name) else {
            throw ProductionError("unknown setting \"\(name)\"; expected one of \(Self.declarations.map(\.name).joined(separator: ", "))")
        }
        try d.apply(&self, text.trimmingCharacters(in: .whitespaces))
    }

    /// The sampling options these settings describe for a model (`stateful`: trained statefully, whose default
    /// temperature is lower; see ``SamplingOptions/defaultTemperature(stateful:)``).
    public func samplingOptions(stateful: Bool = false) throws(ProductionError) -> SamplingOptions {
        do {
            return try SamplingOptions(temperature: temperature ?? SamplingOptions.defaultTemperature(stateful: stateful), noise: noise, topK: topK, topP: topP, motifMemory: motifMemory,
                                       rhythmTopP: rhythmTopP, scaleMemory: scaleMemory, phraseRecall: phraseRecall)
        } catch { throw ProductionError(error.description) }
    }

    /// The note-length policy these settings describe.
    public func durationPolicy() throws(ProductionError) -> DurationPolicy {
        do {
            if let fraction = Double(articulation) { return try DurationPolicy(articulation: fraction) }
            return try DurationPolicy.named(articulation)
        } catch { throw ProductionError(error.description) }
    }

    /// The onset grid for a model: `auto` is none for a model that draws its time steps in beats (a rhythm head),
    /// else a 1/16 grid; otherwise the note value given (`off`: none).
    public func onsetGrid(forRhythmHead hasRhythmHead: Bool) throws(ProductionError) -> OnsetGrid? {
        if onsetGrid.lowercased() == "auto" { return hasRhythmHead ? nil : .sixteenth }
        do { return try OnsetGrid.parse(onsetGrid) } catch { throw ProductionError(error.description) }
    }

    /// The index of ``style`` among `styles` (a model's style names, matched ignoring case and a plural `s`, as
    /// ``StyleNames/index(of:in:)``: `chorale` is `chorales`). Without a style,
    /// a cold start (`coldStart`: no primer, no corpus song) of a model with styles plays in one of them drawn by `seed`
    /// (so a piece keeps one style rather than the style-less input's mix of all), and a primed start follows its
    /// primer with the empty style input; `any` (or a model without styles) gives nil, the empty style input. An
    /// unknown name, or a named style for a model without styles, is a one-line error listing the names.
    public func styleIndex(in styles: [String], modelLabel: String, seed: UInt64, coldStart: Bool = true) throws(ProductionError) -> Int? {
        guard let style else {
            guard coldStart, !styles.isEmpty else { return nil }
            var g = SeededGenerator(seed: seed ^ 0x5354_594C_4553_0001)  // its own stream: the piece's draws are unchanged
            return Int(g.next() % UInt64(styles.count))
        }
        if style.lowercased() == "any" { return nil }
        guard !styles.isEmpty else {
            throw ProductionError("--style \(style): \(modelLabel) has no styles (it was trained without a style input)")
        }
        guard let i = StyleNames.index(of: style, in: styles) else {
            throw ProductionError("--style: unknown style \"\(style)\" for \(modelLabel); expected one of \(styles.joined(separator: ", ")) or any")
        }
        return i
    }

    /// The parsed length.
    public func parsedLength() throws(ProductionError) -> GenerationLength {
        do { return try GenerationLength(parsing: length) } catch { throw ProductionError("--length: \(error.description)") }
    }
}
