import Foundation

/// A richer network input per note than the paper's scaled [note, velocity, time delta]: those three first
/// (so targets keep that layout), then optionally the pitch class one-hot (12), the note's duration as
/// `log(1 + 4 x seconds)` and the instrument family of its program (`(program / 8) / 15`, 0 ... 1).
///
/// Stored in the model file inside ``FeatureConfiguration``; a model without it reads the paper's 3 values.
public struct InputEncoding: Sendable, Hashable, Codable {
    /// Adds 12 one-hot pitch-class inputs.
    public var pitchClasses: Bool
    /// Adds the note duration (the paper's future work).
    public var duration: Bool
    /// Adds the General MIDI instrument family of the note's program.
    public var program: Bool

    /// Creates an encoding.
    public init(pitchClasses: Bool = true, duration: Bool = true, program: Bool = true) {
        self.pitchClasses = pitchClasses
        self.duration = duration
        self.program = program
    }

    /// Values per input step.
    public var width: Int { 3 + (pitchClasses ? 12 : 0) + (duration ? 1 : 0) + (program ? 1 : 0) }

    /// Whether frames must carry durations and programs.
    public var readsNoteDetails: Bool { duration || program }

    /// Writes the encoded frame (`width` values) at `out`.
    @inline(__always)
    public func encode(_ f: FeatureFrame, scaler: StandardScaler, into out: UnsafeMutablePointer<Float>) {
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
        }
    }

    /// A song's frames encoded and flattened (`width` values per frame).
    public func encode(_ frames: [FeatureFrame], scaler: StandardScaler) -> [Float] {
        var out = [Float](repeating: 0, count: frames.count * width)
        out.withUnsafeMutableBufferPointer { buf in
            for (i, f) in frames.enumerated() { encode(f, scaler: scaler, into: buf.baseAddress! + i * width) }
        }
        return out
    }
}

extension FeatureConfiguration {
    /// A song's frames as network input rows: the encoding's, or the paper's 3 scaled values.
    public func encode(_ frames: [FeatureFrame], scaler: StandardScaler) -> [Float] {
        encoding?.encode(frames, scaler: scaler) ?? scaler.transform(frames)
    }

    /// Writes one frame's input row (``inputWidth`` values) at `out`.
    @inline(__always)
    public func encode(_ f: FeatureFrame, scaler: StandardScaler, into out: UnsafeMutablePointer<Float>) {
        if let encoding { encoding.encode(f, scaler: scaler, into: out); return }
        let (a, b, c) = scaler.transform(f)
        out[0] = a; out[1] = b; out[2] = c
    }
}
