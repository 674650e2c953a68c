import Learning
import MIDI

/// The fixed frame of one generation, worked out before the first step: output tempo and metre,
/// how model seconds map to beats, where the piece ends, and the starting context frames.
public struct GenerationPlan: Sendable, Hashable {
    /// Output ticks per quarter note.
    public let ticksPerBeat: Int
    /// Output tempo in beats per minute.
    public let tempoBPM: Double
    /// The output's tempo map (one tempo at tick 0).
    public let tempoMap: TempoMap
    /// Output time signature at tick 0: the primer's or corpus song's last one, else 4/4.
    public let timeSignature: TimeSignatureChange
    /// Beats per model second: the start's own tempo (primer / corpus song, else 120 BPM) / 60, so the
    /// learned timing plays unchanged at that tempo and `--tempo` speeds it up or slows it down.
    public let beatsPerModelSecond: Double
    /// First tick at which no note may start (seconds and bars lengths), nil for note counts and endless.
    public let endTick: Int?
    /// Number of notes to generate (note-count lengths), else nil.
    public let noteLimit: Int?
    /// The `lookBack` frames the first step reads (model units).
    public let context: [FeatureFrame]

    /// Works out the plan for a model and options; `generator` supplies the random start and corpus window.
    init(model: TrainedModel, options: GenerationOptions, generator: inout SeededGenerator) throws(GenerationError) {
        let lookBack = model.network.architecture.lookBack
        var referenceBPM = 120.0
        var signature = (numerator: 4, denominator: 4)
        var context: [FeatureFrame] = []
        switch options.start {
        case .random where model.isStateful:
            context = [Self.openingFrame(model: model, generator: &generator)]
        case .random:
            for _ in 0..<lookBack {
                let z = (Float(generator.nextNormal()), Float(generator.nextNormal()), Float(generator.nextNormal()))
                context.append(model.scaler.inverse(z.0, z.1, z.2))
            }
        case .primer(let performance), .corpusSong(let performance):
            let frames = PaperFeatures.frames(of: performance, configuration: model.features)
            guard !frames.isEmpty else { throw .emptyPrimer(path: "primer") }
            var end = frames.count
            if case .corpusSong = options.start, frames.count > lookBack {
                end = lookBack + Int(generator.next() % UInt64(frames.count - lookBack + 1))
            }
            let first = max(0, end - lookBack)
            context = Array(frames[first..<end])
            while context.count < lookBack { context.insert(context[0], at: 0) }
            // The tempo and metre in force at the last context note.
            let lastTick = Self.tick(ofFrame: end - 1, in: performance, configuration: model.features)
            if performance.tempoMap.ticksPerBeat != nil {
                referenceBPM = 60e6 / Double(performance.tempoMap.microsecondsPerBeat(atTick: lastTick))
            }
            if let ts = performance.timeSignatures.last(where: { $0.tick <= lastTick }) ?? performance.timeSignatures.first,
               ts.numerator >= 1, ts.numerator <= 64, [1, 2, 4, 8, 16, 32].contains(ts.denominator) {
                signature = (ts.numerator, ts.denominator)
            }
            referenceBPM = min(max(referenceBPM, 10), 400)
        }
        let tempo = options.tempoBPM ?? referenceBPM
        let tpb = options.ticksPerBeat
        ticksPerBeat = tpb
        tempoBPM = tempo
        tempoMap = TempoMap(ticksPerBeat: tpb, changes: [.init(tick: 0, microsecondsPerBeat: Int((60e6 / tempo).rounded()))])
        timeSignature = TimeSignatureChange(tick: 0, numerator: signature.numerator, denominator: signature.denominator)
        beatsPerModelSecond = referenceBPM / 60
        switch options.length {
        case .notes(let n): noteLimit = n; endTick = nil
        case .seconds(let s): noteLimit = nil; endTick = max(1, Int(tempoMap.exactTick(atSeconds: s).rounded(.down)))
        case .bars(let b):
            noteLimit = nil
            endTick = b * signature.numerator * 4 * tpb / signature.denominator
        case .endless: noteLimit = nil; endTick = nil
        }
        self.context = context
    }

    /// A stateful model's cold start: one opening note, as a song's first note (what the model read first in training,
    /// from a zero state), not played. Its pitch is drawn around the training notes' mean (the scaler's mean plus a
    /// standard normal times its deviation, rounded and clamped to 0 ... 127), at the mean velocity, on the downbeat,
    /// one beat long, a model-second gap (the seed sets the opening, the model everything after it).
    static func openingFrame(model: TrainedModel, generator: inout SeededGenerator) -> FeatureFrame {
        let mean = model.scaler.mean, scale = model.scaler.scale
        let pitch = min(127, max(0, (mean[0] + scale[0] * generator.nextNormal()).rounded()))
        var f = FeatureFrame(note: pitch, velocity: min(127, max(1, mean[1].rounded())), timeDelta: 0, duration: 0.5, program: nil)
        if model.hasRhythmHead {
            f.beatDelta = 0
            f.beatDuration = 1
            f.barPosition = 0
        }
        return f
    }

    /// The start tick of the `index`-th feature frame of a performance (frames are note-ons in playing order).
    private static func tick(ofFrame index: Int, in performance: Performance, configuration: FeatureConfiguration) -> Int {
        var ticks: [Int] = []
        for track in performance.tracks {
            for n in track.notes where configuration.includeDrums || !n.isDrum { ticks.append(n.startTick) }
        }
        ticks.sort()
        return ticks.isEmpty ? 0 : ticks[min(max(0, index), ticks.count - 1)]
    }
}
