import Foundation
import Support

/// Why a generation request was rejected; each message is one line naming the problem (and the path).
public enum GenerationError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible, InterruptionReporting {
    /// The length spec is not `<count>n`, `<seconds>s`, `<count>bars` or `endless`.
    case badLength(String)
    /// A numeric option is outside its valid range.
    case outOfRange(option: String, value: String, valid: String)
    /// The primer file holds no (non-drum) notes to continue from.
    case emptyPrimer(path: String)
    /// No default model was found (neither a resource nor Samples/Models).
    case noDefaultModel(searched: [String])
    /// The model's architecture has an output this engine cannot step.
    case unsupportedModel(path: String, reason: String)
    /// The user stopped the generation (Ctrl-C, SIGTERM); nothing was written.
    case cancelled

    /// The one-line message.
    public var description: String {
        switch self {
        case .badLength(let t):
            return "bad length \"\(t)\"; expected a count of notes (200n), seconds (60s, 1.5m), bars (16bars) or endless"
        case .outOfRange(let option, let value, let valid):
            return "bad value \"\(value)\" for \(option); expected \(valid)"
        case .emptyPrimer(let p):
            return "\(p): the primer has no notes to continue from"
        case .noDefaultModel(let searched):
            return "no default model found (looked for \(searched.joined(separator: ", "))); pass --model MODEL"
        case .unsupportedModel(let p, let reason):
            return "\(p): cannot generate with this model: \(reason)"
        case .cancelled:
            return "interrupted; no output written"
        }
    }

    /// The one-line message.
    public var errorDescription: String? { description }

    /// Whether this is the user's interruption.
    public var isInterruption: Bool { self == .cancelled }
}
