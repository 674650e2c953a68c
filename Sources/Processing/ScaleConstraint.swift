import MIDI
import Music

/// Moves every off-scale pitched note to the nearest pitch of a key's scale; drums are untouched.
///
/// Tie rule: an off-scale note with in-scale pitches equally far below and above moves down
/// (C# in C major becomes C), unless the lower one is below MIDI 0. Notes that land on the same
/// pitch, channel and onset are all kept (`collisions=keep`, the default) or merged into one (`collisions=merge`),
/// reported in the pipeline context either way. The chosen key is recorded as the performance's key
/// signature (from tick 0) and in the pipeline context for later stages (e.g. `chords`).
public struct ScaleConstraint: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "scale"
    /// One line on what it does.
    public static let summary = "Moves off-scale notes to the nearest in-scale pitch (drums untouched)."
    /// The property every output keeps.
    public static let guarantee = "100 % of pitched notes are in the scale; pitches stay within 0...127; drums are untouched; with collisions=keep (default) every note is kept."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        KeySelection.keyParameter("tonic, or auto for Krumhansl-Schmuckler key finding over the notes"),
        KeySelection.modeParameter("scale; auto takes major or minor from key finding"),
        CollisionPolicy.parameter,
    ]

    /// The key to constrain to.
    public var selection: KeySelection
    /// What happens to notes landing on the same onset, pitch and channel.
    public var collisions: CollisionPolicy

    /// Creates a scale constraint for a key selection (auto by default).
    public init(selection: KeySelection = KeySelection(), collisions: CollisionPolicy = .keep) {
        self.selection = selection
        self.collisions = collisions
    }

    /// Creates a scale constraint for a fixed key.
    public init(key: Key, collisions: CollisionPolicy = .keep) {
        self.init(selection: KeySelection(tonic: key.tonic, mode: key.mode, spelling: key.spelling), collisions: collisions)
    }

    /// Creates it from validated `key` and `mode` arguments.
    public init(arguments: ProcessorArguments) throws {
        self.init(selection: KeySelection(arguments: arguments),
                  collisions: CollisionPolicy(rawValue: arguments.string("collisions")) ?? .keep)
    }

    /// Constrains the performance (unchanged when it has no pitched notes and the key is auto).
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        guard let key = selection.resolve(notes: performance.tracks.lazy.flatMap(\.notes)) else { return performance }
        var out = performance
        let mask = key.pitchClassMask
        var collided = 0
        for t in out.tracks.indices {
            var moved = false
            var notes = out.tracks[t].notes
            for i in notes.indices where !notes[i].isDrum {
                let pitch = Int(notes[i].pitch)
                if mask & (1 << UInt16(pitch % 12)) == 0 {
                    notes[i].pitch = UInt8(key.nearestPitch(to: pitch))
                    moved = true
                }
            }
            if moved {
                let tidied = NoteTidying.tidy(notes, collisions: collisions)
                out.tracks[t].notes = tidied.notes
                collided += tidied.collided
            }
        }
        if let line = NoteTidying.report(Self.name, collided: collided, policy: collisions) { context.reports.append(line) }
        out.keySignatures = [key.keySignature]
        context.key = key
        return out
    }
}
