import Foundation
import MIDI
import Processing
import Rendering

/// What a production made: the final notes, how they were made and the files written.
public struct ProductionResult: Sendable {
    /// The notes after processing.
    public let performance: Performance
    /// Notes the generation (or the file) gave before processing.
    public let generatedNotes: Int
    /// Model steps taken (0 for a file).
    public let steps: Int
    /// The generation, when the notes were generated (model, seed, start).
    public let generation: PreparedGeneration?
    /// What the processors did: the stages applied and the key they imposed, if any.
    public let processing: ProcessingContext
    /// One summary per output, in order.
    public let files: [RenderSummary]
    /// Wall and CPU time per stage.
    public let timing: ProductionTiming
    /// Problems tolerant reading of a MIDI file source worked around (one per kind and track).
    public internal(set) var readingWarnings: [MIDIWarning] = []

    /// The piece's key as a name (`D dorian`): the one a processor imposed (the scale stage), else `detected`, the
    /// key found in the notes.
    public func keyName(detected: String?) -> String? { processing.key.map { "\($0)" } ?? detected }

    /// One line describing the piece: notes, length, tempo, seed, start, model, stages and the imposed key.
    public var summary: String {
        var parts = ["\(performance.noteCount) notes", String(format: "%.1f s", performance.durationSeconds)]
        if let g = generation {
            parts.append(String(format: "%g BPM", g.generator.plan.tempoBPM))
            parts.append("seed \(g.seed)")
            parts.append(g.startLabel)
            parts.append(g.model.label)
        }
        var line = parts.joined(separator: ", ")
        if !processing.applied.isEmpty { line += ", processed by \(processing.applied.joined(separator: " > "))" }
        if let key = processing.key { line += " (key \(key))" }
        return line
    }
}

/// Wall-clock and CPU seconds of a production's stages.
public struct ProductionTiming: Sendable, Hashable {
    /// Generating (or nothing, for a file), seconds.
    public var generation = 0.0
    /// CPU seconds of the process while generating.
    public var generationCPU = 0.0
    /// Running the processors, seconds.
    public var processing = 0.0
    /// Writing every output, seconds.
    public var rendering = 0.0

    /// Creates zero timings.
    public init() {}

    /// A duration in seconds.
    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// The process's CPU clock.
public enum ProcessClock {
    /// CPU seconds this process has used so far (all threads).
    public static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
