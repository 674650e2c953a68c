import MIDI

/// Pulls note onsets (and optionally durations) towards a rhythmic grid.
///
/// The grid is a note value in ticks from the performance's ticks per beat (a quarter note),
/// restarted at each time-signature change so it follows the bars. Each onset moves
/// `strength` of the way to its nearest grid point (ties go to the earlier point). Swing delays every
/// second grid point by `swing` x half a step (0 straight, 0.67 triplet feel, 1 dotted). With
/// `durations=true` note lengths become whole numbers of steps (at least one). Drums are quantised
/// too. Notes that land on the same pitch, channel and onset are all kept (`collisions=keep`, the default: no note
/// is lost) or merged into one, the longest and loudest (`collisions=merge`); either way the pipeline context
/// reports how many collided. Controls, sysex and meta events stay where they are.
public struct Quantizer: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "quantize"
    /// One line on what it does.
    public static let summary = "Moves note onsets (and optionally durations) towards a rhythmic grid."
    /// The property every output keeps.
    public static let guarantee = "At strength 1 every onset is on the (swung) grid; durations stay > 0 and notes never start before tick 0; with collisions=keep (default) every note is kept, with collisions=merge notes on the same onset, pitch and channel merge (and are reported)."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("grid", .choice(Grid.allCases.map(\.rawValue)), default: "1/16", "grid note value (t = triplet)"),
        ParameterSpec("strength", .number(0...1), default: "1", "fraction of the way each onset moves to the grid"),
        ParameterSpec("swing", .number(0...1), default: "0", "delay of every second grid point, in half grid steps"),
        ParameterSpec("durations", .boolean, default: "false", "also quantise note lengths to whole grid steps"),
        CollisionPolicy.parameter,
    ]

    /// Grid note values.
    public enum Grid: String, CaseIterable, Sendable, Hashable {
        /// Quarter notes.
        case quarter = "1/4"
        /// Eighth notes.
        case eighth = "1/8"
        /// Sixteenth notes.
        case sixteenth = "1/16"
        /// Thirty-second notes.
        case thirtySecond = "1/32"
        /// Quarter-note triplets (three per half note).
        case quarterTriplet = "1/4t"
        /// Eighth-note triplets (three per quarter note).
        case eighthTriplet = "1/8t"
        /// Sixteenth-note triplets (six per quarter note).
        case sixteenthTriplet = "1/16t"

        /// The step as a fraction of a whole note.
        public var wholeNoteFraction: Double {
            switch self {
            case .quarter: return 1.0 / 4
            case .eighth: return 1.0 / 8
            case .sixteenth: return 1.0 / 16
            case .thirtySecond: return 1.0 / 32
            case .quarterTriplet: return 1.0 / 6
            case .eighthTriplet: return 1.0 / 12
            case .sixteenthTriplet: return 1.0 / 24
            }
        }
    }

    /// Grid note value.
    public var grid: Grid
    /// Fraction of the way each onset moves (0 ... 1).
    public var strength: Double
    /// Swing in half grid steps (0 ... 1).
    public var swing: Double
    /// Whether durations are quantised too.
    public var quantizesDurations: Bool
    /// What happens to notes landing on the same onset, pitch and channel.
    public var collisions: CollisionPolicy

    /// Creates a quantiser.
    public init(grid: Grid = .sixteenth, strength: Double = 1, swing: Double = 0, quantizesDurations: Bool = false,
                collisions: CollisionPolicy = .keep) {
        self.grid = grid
        self.strength = min(max(strength, 0), 1)
        self.swing = min(max(swing, 0), 1)
        self.quantizesDurations = quantizesDurations
        self.collisions = collisions
    }

    /// Creates it from validated arguments.
    public init(arguments: ProcessorArguments) throws {
        self.init(grid: Grid(rawValue: arguments.string("grid")) ?? .sixteenth,
                  strength: arguments.double("strength"), swing: arguments.double("swing"),
                  quantizesDurations: arguments.bool("durations"),
                  collisions: CollisionPolicy(rawValue: arguments.string("collisions")) ?? .keep)
    }

    /// The grid this quantiser uses for a performance.
    public func grid(for performance: Performance) -> QuantizeGrid {
        QuantizeGrid(wholeNoteFraction: grid.wholeNoteFraction, swing: swing,
                     ticksPerBeat: performance.ticksPerBeat, timeSignatures: performance.timeSignatures)
    }

    /// Quantises every track's notes; reports collisions in `context`.
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        let g = grid(for: performance)
        var out = performance
        var collided = 0
        for t in out.tracks.indices {
            var notes = out.tracks[t].notes
            for i in notes.indices {
                let start = max(0, notes[i].startTick)
                let target = g.nearest(start)
                let newStart = start + Int((Double(target - start) * strength).rounded())
                var duration = notes[i].durationTicks
                if quantizesDurations {
                    let steps = max(1, (Double(duration) / g.stepTicks).rounded())
                    let targetDuration = Int((steps * g.stepTicks).rounded())
                    duration += Int((Double(targetDuration - duration) * strength).rounded())
                }
                notes[i].startTick = newStart
                notes[i].durationTicks = max(1, duration)
            }
            let tidied = NoteTidying.tidy(notes, collisions: collisions)
            out.tracks[t].notes = tidied.notes
            collided += tidied.collided
        }
        if let line = NoteTidying.report(Self.name, collided: collided, policy: collisions) { context.reports.append(line) }
        return out
    }
}
