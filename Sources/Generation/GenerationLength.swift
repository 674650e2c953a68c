import Foundation

/// How much music to generate: a number of notes, seconds of output, or 4/4-style bars.
public enum GenerationLength: Sendable, Hashable, CustomStringConvertible {
    /// Exactly this many generated notes.
    case notes(Int)
    /// Notes whose onsets fall before this many seconds of output (at the output tempo).
    case seconds(Double)
    /// Notes whose onsets fall inside this many bars (of the output's time signature).
    case bars(Int)
    /// No end: only for streaming consumers that stop reading.
    case endless

    /// Largest accepted note count.
    public static let maxNotes = 10_000_000
    /// Largest accepted length in seconds (about 11.6 days).
    public static let maxSeconds = 1_000_000.0
    /// Largest accepted bar count.
    public static let maxBars = 1_000_000

    /// Parses `200n`, `200notes`, `60s`, `90sec`, `2.5m`, `16bars`, `16bar` or `endless`.
    public init(parsing text: String) throws(GenerationError) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "endless" || t == "inf" { self = .endless; return }
        let digits = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(digits.count)
        guard !digits.isEmpty, let value = Double(digits), value.isFinite, value > 0 else {
            throw .badLength(text)
        }
        switch unit {
        case "n", "note", "notes":
            guard let n = Int(digits), n >= 1, n <= Self.maxNotes else { throw .badLength(text) }
            self = .notes(n)
        case "s", "sec", "secs", "second", "seconds":
            guard value <= Self.maxSeconds else { throw .badLength(text) }
            self = .seconds(value)
        case "m", "min", "mins", "minute", "minutes":
            guard value * 60 <= Self.maxSeconds else { throw .badLength(text) }
            self = .seconds(value * 60)
        case "b", "bar", "bars":
            guard let n = Int(digits), n >= 1, n <= Self.maxBars else { throw .badLength(text) }
            self = .bars(n)
        default:
            throw .badLength(text)
        }
    }

    /// The spec form (`200n`, `60s`, `16bars`, `endless`).
    public var description: String {
        switch self {
        case .notes(let n): return "\(n)n"
        case .seconds(let s): return s == s.rounded() && s < 1e15 ? "\(Int(s))s" : "\(s)s"
        case .bars(let b): return "\(b)bars"
        case .endless: return "endless"
        }
    }
}
