import MIDI
import Music

/// How a processor picks its key: a fixed tonic and/or mode, or `auto` for either, resolved with
/// Krumhansl-Schmuckler key finding over the pitched notes.
public struct KeySelection: Sendable, Hashable {
    /// The tonic, or nil for `auto`.
    public var tonic: PitchClass?
    /// The mode, or nil for `auto`.
    public var mode: Mode?
    /// How the tonic was spelled (`key=Eb`: flats), kept so the resolved key is named as given ("Eb minor", not "D# minor").
    public var spelling: Key.Spelling?

    /// Creates a selection (nil = auto).
    public init(tonic: PitchClass? = nil, mode: Mode? = nil, spelling: Key.Spelling? = nil) {
        self.tonic = tonic
        self.mode = mode
        self.spelling = spelling
    }

    /// The `key` parameter: `auto` or a note name.
    static func keyParameter(_ summary: String) -> ParameterSpec {
        ParameterSpec("key", .custom(expected: "auto or a note name such as C, F#, Bb, Eb", isValid: {
            $0.lowercased() == "auto" || PitchClass(name: $0) != nil
        }), default: "auto", summary)
    }

    /// The `mode` parameter: `auto` or a mode name.
    static func modeParameter(_ summary: String) -> ParameterSpec {
        ParameterSpec("mode", .choice(["auto"] + Mode.allCases.map(\.rawValue)), default: "auto", summary)
    }

    /// Reads the `key` and `mode` arguments.
    init(arguments: ProcessorArguments) {
        let key = arguments.string("key")
        let auto = key.lowercased() == "auto"
        self.init(tonic: auto ? nil : PitchClass(name: key), mode: Mode(rawValue: arguments.string("mode")),
                  spelling: auto ? nil : Key.Spelling(noteName: key))
    }

    /// The key for these notes. Rules: both given → that key; tonic only → the better of its
    /// major and minor by correlation (major when there are no pitched notes); mode only → the
    /// best-correlating tonic among major keys (for major-third modes) or minor keys (for
    /// minor-third modes); both auto → `fallback` when given (e.g. the pipeline's key), else the
    /// best of the 24 major and minor keys. Nil only when a tonic must be found and there are no
    /// pitched notes. A given tonic keeps its ``spelling``.
    public func resolve<S: Sequence>(notes: S, fallback: Key? = nil) -> Key? where S.Element == Note {
        guard let tonic else { return resolveWithoutTonic(notes: notes, fallback: fallback) }
        let key = mode.map { Key(tonic: tonic, mode: $0) }
            ?? KeyFinder().estimate(notes: notes)?.best(tonic: tonic).key ?? Key(tonic: tonic, mode: .major)
        return Key(tonic: key.tonic, mode: key.mode, spelling: spelling)
    }

    /// ``resolve(notes:fallback:)`` without a given tonic.
    private func resolveWithoutTonic<S: Sequence>(notes: S, fallback: Key?) -> Key? where S.Element == Note {
        if mode == nil, let fallback { return fallback }
        guard let estimate = KeyFinder().estimate(notes: notes) else { return nil }
        if let mode {
            return Key(tonic: estimate.best(minor: mode.isMinor).key.tonic, mode: mode)
        }
        return estimate.best.key
    }
}
