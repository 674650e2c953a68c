import Foundation
import Support

/// Why a render failed: each case names the path or option involved and reads as one line.
public enum RenderError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible, InterruptionReporting {
    /// No renderer writes files with this extension.
    case unknownExtension(path: String, known: [String])
    /// No renderer has this name.
    case unknownRenderer(name: String, known: [String])
    /// The renderer exists but its format is not available in this build of a library.
    case formatUnavailable(renderer: String, reason: String)
    /// An option name the chosen renderer does not declare.
    case unknownOption(name: String, renderer: String, known: [String])
    /// An option value outside its type or range.
    case invalidOption(name: String, value: String, expected: String)
    /// The SoundFont file does not exist.
    case soundFontMissing(path: String)
    /// The SoundFont file exists but cannot be read.
    case soundFontUnreadable(path: String, reason: String)
    /// FluidSynth refused the SoundFont (corrupt or not an SF2 file).
    case soundFontInvalid(path: String, reason: String)
    /// No SoundFont was given and the bundled one cannot be found.
    case noSoundFont
    /// The synthesizer could not be created or failed while rendering.
    case synthesisFailed(reason: String)
    /// The render was cancelled (e.g. Ctrl-C); no output was left.
    case cancelled(path: String)
    /// Writing the output failed (disk full, I/O error); no partial file was left.
    case writeFailed(path: String, reason: String)
    /// The music is longer than the render-length cap (seconds); the `max-length` option raises it.
    case tooLong(path: String, seconds: Double, limit: Double)

    /// One line naming the problem and what to do.
    public var description: String {
        switch self {
        case .unknownExtension(let p, let known):
            let ext = (p as NSString).pathExtension
            return "\(p): unknown output extension '\(ext.isEmpty ? "(none)" : "." + ext)' (known: \(known.map { "." + $0 }.joined(separator: ", ")))"
        case .unknownRenderer(let n, let known):
            return "unknown renderer '\(n)' (known: \(known.joined(separator: ", ")))"
        case .formatUnavailable(let r, let reason):
            return "the \(r) renderer is not available: \(reason)"
        case .unknownOption(let n, let r, let known):
            return "option '\(n)' is not an option of the \(r) renderer (its options: \(known.joined(separator: ", ")))"
        case .invalidOption(let n, let v, let expected):
            return "invalid value '\(v)' for option \(n) (expected \(expected))"
        case .soundFontMissing(let p):
            return "\(p): SoundFont not found"
        case .soundFontUnreadable(let p, let reason):
            return "\(p): cannot read SoundFont: \(reason)"
        case .soundFontInvalid(let p, let reason):
            return "\(p): not a usable SoundFont: \(reason)"
        case .noSoundFont:
            return "the bundled SoundFont TunesmithGM.sf2 is missing from this installation; pass --soundfont FILE.sf2"
        case .synthesisFailed(let reason):
            return "synthesis failed: \(reason)"
        case .cancelled(let p):
            return "\(p): interrupted; no output written"
        case .writeFailed(let p, let reason):
            return "\(p): write failed: \(reason)"
        case .tooLong(let p, let seconds, let limit):
            return "\(p): the music lasts \(Int(seconds.rounded())) s, over the render cap of \(Int(limit)) s (raise it with --max-length SECONDS)"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

extension RenderError {
    /// Whether this is the user's interruption (Ctrl-C, SIGTERM).
    public var isInterruption: Bool {
        if case .cancelled = self { return true }
        return false
    }
}
