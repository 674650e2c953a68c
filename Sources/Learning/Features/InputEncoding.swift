import Foundation

/// A richer network input per note than the paper's scaled [note, velocity, time delta]: those three first
/// (so targets keep that layout), then optionally the pitch class one-hot (12), the note's duration as
/// `log(1 + 4 x seconds)`, the instrument family of its program (`(program / 8) / 15`, 0 ... 1) and the
/// metre block: the time step since the previous onset and the note's length in quarter-note beats (to
/// the nearest 1/24 beat, at most 4 and 8 beats), the onset's phase within its beat in 1/24 beats (24
/// one-hot: on the beat, 16ths and triplets are all told apart) and the index of its beat in the bar
/// (8 one-hot; beats past the eighth wrap).
///
/// Optionally a style block follows: one input per style name in ``styles`` (the corpus's top-level folders,
/// `chorale`, `folk`, `game`, ...), one-hot for the song's style, all zeros for "no style given".
///
/// Optionally a pitch block closes the row: the note's MIDI key as a one-hot of 128 (``pitchOneHot``), so the first
/// layer learns a vector per key instead of reading the key from one scaled number and its pitch class.
///
/// Optionally a recall block follows: the pitch the piece's own motif memory proposes for the next note (the note that
/// followed the longest earlier passage the latest notes repeat, ``MotifMemory``) as a one-hot of 128, all zeros when it
/// proposes none (``recall``; the frame's ``FeatureFrame/recall``). So the network learns when a tune restates a phrase
/// and what comes next in it, which an LSTM of 128 units cannot hold over a whole song.
///
/// Building a frame with a style (the same call in training, evaluation and generation):
///
///     let style = model.styleIndex(named: "folk")          // nil: unknown name or a model without styles
///     model.features.encode(frame, scaler: model.scaler, style: style, into: row)   // row: model.features.inputWidth values
///
/// or set ``Predictor/style`` once and call ``Predictor/step(_:)`` per note. A nil style (or a model whose
/// ``styles`` is empty) leaves the style block at zero; training shows the network such frames too, so it means "any style".
///
/// Stored in the model file inside ``FeatureConfiguration``; a model without it reads the paper's 3 values.
public struct InputEncoding: Sendable, Hashable, Codable {
    /// Adds 12 one-hot pitch-class inputs.
    public var pitchClasses: Bool
    /// Adds the note duration (the paper's future work).
    public var duration: Bool
    /// Adds the General MIDI instrument family of the note's program.
    public var program: Bool
    /// Adds the metre block (time step and length in beats, position in the bar): what a ``RhythmHead`` predicts.
    public var metre: Bool

    /// Style names, in input order (empty: no style block). The style index of a frame is a position in this list.
    public var styles: [String] = []

    /// The General MIDI program (0 ... 127) most of each style's training notes were played on, drums excluded, in the
    /// order of ``styles`` (empty: not recorded, as in files written before it). A style's music is as much its
    /// instruments as its notes (a game tune's square lead plays other lines than a piano does), and the
    /// instrument-family input tells the network which: generation feeds and plays a style's piece on this program
    /// unless the user names one.
    public var stylePrograms: [Int] = []

    /// Adds the 128 one-hot key inputs after the style block (model files written without it read as false).
    public var pitchOneHot: Bool = false

    /// Values of the pitch block.
    public static let pitchOneHotWidth = 128

    /// Adds the 128 one-hot inputs of the motif memory's proposed next pitch after the pitch block (model files written
    /// without it read as false).
    public var recall: Bool = false

    /// Values of the recall block.
    public static let recallWidth = 128

    /// Values of the metre block.
    public static let metreWidth = 2 + 24 + 8

    /// Creates an encoding.
    public init(pitchClasses: Bool = true, duration: Bool = true, program: Bool = true, metre: Bool = false, styles: [String] = [],
                pitchOneHot: Bool = false, recall: Bool = false) {
        self.pitchClasses = pitchClasses
        self.duration = duration
        self.program = program
        self.metre = metre
        self.styles = styles
        self.pitchOneHot = pitchOneHot
        self.recall = recall
    }

    private enum CodingKeys: String, CodingKey { case pitchClasses, duration, program, metre, styles, stylePrograms, pitchOneHot, recall }

    /// Encodes the encoding; `styles`, `stylePrograms`, `pitchOneHot` and `recall` are written only when set (so files
    /// without them are unchanged).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(pitchClasses, forKey: .pitchClasses)
        try c.encode(duration, forKey: .duration)
        try c.encode(program, forKey: .program)
        try c.encode(metre, forKey: .metre)
        if !styles.isEmpty { try c.encode(styles, forKey: .styles) }
        if !stylePrograms.isEmpty { try c.encode(stylePrograms, forKey: .stylePrograms) }
        if pitchOneHot { try c.encode(pitchOneHot, forKey: .pitchOneHot) }
        if recall { try c.encode(recall, forKey: .recall) }
    }

    /// Decodes an encoding; model files written before the metre block read as `metre: false`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pitchClasses = try c.decode(Bool.self, forKey: .pitchClasses)
        duration = try c.decode(Bool.self, forKey: .duration)
        program = try c.decode(Bool.self, forKey: .program)
        metre = try c.decodeIfPresent(Bool.self, forKey: .metre) ?? false
        styles = try c.decodeIfPresent([String].self, forKey: .styles) ?? []
        stylePrograms = try c.decodeIfPresent([Int].self, forKey: .stylePrograms) ?? []
        guard stylePrograms.isEmpty || (stylePrograms.count == styles.count && stylePrograms.allSatisfy({ (0...127).contains($0) })) else {
            throw DecodingError.dataCorruptedError(forKey: .stylePrograms, in: c,
                                                   debugDescription: "style programs must be one General MIDI program 0 ... 127 per style")
        }
        pitchOneHot = try c.decodeIfPresent(Bool.self, forKey: .pitchOneHot) ?? false
        recall = try c.decodeIfPresent(Bool.self, forKey: .recall) ?? false
    }

    /// Values per input step.
    public var width: Int { recallIndex + (recall ? Self.recallWidth : 0) }

    /// Index of the recall block in an encoded row (after the pitch block).
    public var recallIndex: Int { pitchIndex + (pitchOneHot ? Self.pitchOneHotWidth : 0) }

    /// Index of the pitch block in an encoded row (after the style block).
    public var pitchIndex: Int { styleIndex + styles.count }

    /// Index of the style block in an encoded row (after the metre block).
    public var styleIndex: Int { metreIndex + (metre ? Self.metreWidth : 0) }

    /// Index of the metre block in an encoded row (its time step in beats; the length follows).
    public var metreIndex: Int { 3 + (pitchClasses ? 12 : 0) + (duration ? 1 : 0) + (program ? 1 : 0) }

    /// Whether frames must carry durations and programs.
    public var readsNoteDetails: Bool { duration || program || metre }

    /// Writes the encoded frame (`width` values) at `out`; `style` (an index into ``styles``) sets the style block's
    /// one-hot, nil (or an index outside ``styles``) leaves it at zero.
    @inline(__always)
    public func encode(_ f: FeatureFrame, scaler: StandardScaler, style: Int? = nil, into out: UnsafeMutablePointer<Float>) {
        let (a, b, c) = scaler.transform(f)
        out[0] = a; out[1] = b; out[2] = c
        var i = 3
        if pitchClasses {
            for j in 0..<12 { out[i + j] = 0 }
            let p = f.note.isFinite ? Int(f.note.rounded()) : 60
            out[i + ((p % 12) + 12) % 12] = 1
            i += 12
        }
        if duration {
            let d = f.duration ?? 0.5
            out[i] = Float(Foundation.log1p(4 * max(0, d.isFinite ? d : 0.5)))
            i += 1
        }
        if program {
            let p = min(127, max(0, f.program ?? 0))
            out[i] = Float((p / 8).rounded(.down) / 15)
            i += 1
        }
        if metre {
            let steps = Double(RhythmHead.stepsPerBeat)
            func quantised(_ beats: Double?, lowest: Double, highest: Double, missing: Double) -> Float {
                let b = beats.flatMap { $0.isFinite ? $0 : nil } ?? missing
                return Float(min(highest, max(lowest, (b * steps).rounded())) / steps)
            }
            out[i] = quantised(f.beatDelta, lowest: 0, highest: 4 * steps, missing: 0.5)
            out[i + 1] = quantised(f.beatDuration, lowest: 1, highest: 8 * steps, missing: 0.5)
            for j in 0..<32 { out[i + 2 + j] = 0 }
            let position = f.barPosition.flatMap { $0.isFinite ? max(0, $0) : nil } ?? 0
            let step = Int(min(1e6, position * steps).rounded())
            out[i + 2 + step % RhythmHead.stepsPerBeat] = 1
            out[i + 2 + 24 + (step / RhythmHead.stepsPerBeat) % 8] = 1
        }
        if !styles.isEmpty {
            let s = styleIndex
            for j in 0..<styles.count { out[s + j] = 0 }
            if let style, styles.indices.contains(style) { out[s + style] = 1 }
        }
        if pitchOneHot {
            let k = pitchIndex
            for j in 0..<Self.pitchOneHotWidth { out[k + j] = 0 }
            let p = f.note.isFinite ? Int(min(127, max(0, f.note.rounded()))) : 60
            out[k + p] = 1
        }
        if recall {
            let k = recallIndex
            for j in 0..<Self.recallWidth { out[k + j] = 0 }
            if let p = f.recall, (0..<Self.recallWidth).contains(p) { out[k + p] = 1 }
        }
    }

    /// A song's frames encoded and flattened (`width` values per frame), all with style `style`.
    public func encode(_ frames: [FeatureFrame], scaler: StandardScaler, style: Int? = nil) -> [Float] {
        var out = [Float](repeating: 0, count: frames.count * width)
        out.withUnsafeMutableBufferPointer { buf in
            for (i, f) in frames.enumerated() { encode(f, scaler: scaler, style: style, into: buf.baseAddress! + i * width) }
        }
        return out
    }
}

extension FeatureConfiguration {
    /// A song's frames as network input rows: the encoding's (with style `style`), or the paper's 3 scaled values.
    public func encode(_ frames: [FeatureFrame], scaler: StandardScaler, style: Int? = nil) -> [Float] {
        encoding?.encode(frames, scaler: scaler, style: style) ?? scaler.transform(frames)
    }

    /// Style names of the encoding (empty without a style block).
    public var styles: [String] { encoding?.styles ?? [] }

    /// Writes one frame's input row (``inputWidth`` values) at `out`; `style` indexes ``styles`` (nil: none).
    @inline(__always)
    public func encode(_ f: FeatureFrame, scaler: StandardScaler, style: Int? = nil, into out: UnsafeMutablePointer<Float>) {
        if let encoding { encoding.encode(f, scaler: scaler, style: style, into: out); return }
        let (a, b, c) = scaler.transform(f)
        out[0] = a; out[1] = b; out[2] = c
    }
}
