import MIDI
import Music

/// Phrase-level dynamics and small, bounded timing and velocity variation.
///
/// Velocity: each phrase of `phrase` bars gets an arch (rising to two thirds of the phrase, falling after it) spanning
/// `arc` velocity steps, strong beats get an accent (`accent` on a bar's first pulse, half of it on the other pulses),
/// and every note gets a random variation within +-`velocity`; so each note's velocity moves by at most
/// `velocity + arc/2 + accent` (and stays within 1...127). Timing: each onset moves by at most `timing` milliseconds
/// (converted at the tempo in force there), never out of its bar; an early note keeps its length, a late one its
/// release, so no note ends later than it did. Drums move by half as much.
public struct Humanizer: PostProcessor {
    /// The name used in pipeline specs.
    public static let name = "humanize"
    /// One line on what it does.
    public static let summary = "Shapes dynamics over phrases (arches, accents on strong beats) and varies velocity and timing within bounds."
    /// The property every output keeps.
    public static let guarantee = "Each velocity moves by at most velocity + arc/2 + accent; each onset by at most `timing` ms and never out of its bar; no note ends later; pitches and note count unchanged."
    /// Parameters with defaults, as listed by `tunesmith plugins`.
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("velocity", .integer(0...40), default: "8", "largest random velocity change per note (steps)"),
        ParameterSpec("timing", .number(0...40), default: "8", "largest onset shift in milliseconds (drums: half)"),
        ParameterSpec("arc", .integer(0...60), default: "20", "velocity span of each phrase's arch (steps)"),
        ParameterSpec("accent", .integer(0...30), default: "8", "velocity added on a bar's first pulse (half on the other pulses)"),
        ParameterSpec("phrase", .choice(["2", "4", "8"]), default: "4", "bars per phrase arch"),
        ParameterSpec("seed", .integer(0...Int(Int32.max)), default: "1", "seed of the random variation"),
    ]

    /// Largest random velocity change.
    public var velocity: Int
    /// Largest onset shift in milliseconds.
    public var timing: Double
    /// Velocity span of a phrase arch.
    public var arc: Int
    /// Accent on a bar's first pulse.
    public var accent: Int
    /// Bars per phrase.
    public var phrase: Int
    /// Seed.
    public var seed: UInt64

    /// Creates a humanizer; throws for negative bounds.
    public init(velocity: Int = 8, timing: Double = 8, arc: Int = 20, accent: Int = 8, phrase: Int = 4, seed: UInt64 = 1) throws {
        guard velocity >= 0, timing >= 0, timing.isFinite, arc >= 0, accent >= 0, phrase >= 1 else {
            throw ProcessingError.invalidCombination(processor: Self.name, reason: "bounds must be zero or more and phrase at least 1")
        }
        self.velocity = velocity
        self.timing = timing
        self.arc = arc
        self.accent = accent
        self.phrase = phrase
        self.seed = seed
    }

    /// Creates it from validated arguments.
    public init(arguments: ProcessorArguments) throws {
        try self.init(velocity: arguments.int("velocity"), timing: arguments.double("timing"), arc: arguments.int("arc"),
                      accent: arguments.int("accent"), phrase: arguments.int("phrase"), seed: UInt64(arguments.int("seed")))
    }

    /// The largest velocity change any note may get.
    public var velocityBound: Int { velocity + arc / 2 + accent }

    /// Humanizes every track.
    public func process(_ performance: Performance, context: inout ProcessingContext) throws -> Performance {
        let meter = Meter(performance)
        var random = SeededRandom(seed: seed, stream: 0x4855)
        var out = performance
        let tempoMap = performance.tempoMap
        for t in out.tracks.indices where !out.tracks[t].notes.isEmpty {
            var notes = out.tracks[t].notes.sorted(by: Note.playingOrder)
            for i in notes.indices {
                let n = notes[i]
                let bar = meter.barStart(atOrBefore: n.startTick)
                let segment = meter.segment(at: bar)
                let pulses = MetrePulses(segment, quarterTicks: performance.ticksPerBeat)
                let barIndex = barNumber(bar, meter: meter)
                // Phrase arch: position in the phrase 0 ... 1, peak at 2/3.
                let ticksIn = Double(barIndex % phrase) * Double(pulses.barTicks) + Double(n.startTick - bar)
                let x = ticksIn / Double(phrase * pulses.barTicks)
                let shape = x < 2.0 / 3 ? x * 1.5 : (1 - x) * 3
                let arcTerm = Double(arc) * (shape - 0.5)
                let offset = n.startTick - bar
                let accentTerm = offset == 0 ? Double(accent) : offset % pulses.pulseTicks == 0 ? Double(accent / 2) : 0
                let jitter = Double(velocity) * (random.signed() + random.signed()) / 2
                let change = max(-Double(velocityBound), min(Double(velocityBound), arcTerm + accentTerm + jitter))
                notes[i].velocity = UInt8(max(1, min(127, Int((Double(n.velocity) + change).rounded()))))
                // Timing: a shift in ms at the local tempo, kept inside the bar.
                let limitMs = n.isDrum ? timing / 2 : timing
                if limitMs > 0 {
                    let ms = limitMs * (random.signed() + random.signed()) / 2
                    let secondsPerTick = Double(tempoMap.microsecondsPerBeat(atTick: n.startTick)) / 1e6 / Double(max(1, performance.ticksPerBeat))
                    let limitTicks = Int((limitMs / 1000 / secondsPerTick).rounded(.down))
                    var shift = Int((ms / 1000 / secondsPerTick).rounded())
                    shift = max(-limitTicks, min(limitTicks, shift))
                    let barEnd = bar + segment.barTicks
                    let start = max(bar, min(barEnd - 1, n.startTick + shift))
                    notes[i].startTick = start
                    // A late note keeps its release (the piece never grows); an early one keeps its length.
                    if start > n.startTick { notes[i].durationTicks = max(1, n.endTick - start) }
                }
            }
            out.tracks[t].notes = notes.sorted(by: Note.playingOrder)
        }
        return out
    }

    /// 0-based index of the bar starting at `bar`.
    private func barNumber(_ bar: Int, meter: Meter) -> Int {
        var count = 0
        for (i, s) in meter.segments.enumerated() {
            let end = i + 1 < meter.segments.count ? meter.segments[i + 1].start : Int.max
            if bar >= end { count += (end - s.start + s.barTicks - 1) / s.barTicks; continue }
            return count + (bar - s.start) / s.barTicks
        }
        return count
    }
}
