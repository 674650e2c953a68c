/// A scale type (mode) given as semitone steps above the tonic.
///
/// The raw value is the name the CLI and pipeline specs use (`major`, `minor`, `harmonic-minor`, ...).
public enum Mode: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Ionian: 0 2 4 5 7 9 11.
    case major
    /// Natural minor (aeolian): 0 2 3 5 7 8 10.
    case naturalMinor = "minor"
    /// Harmonic minor: 0 2 3 5 7 8 11.
    case harmonicMinor = "harmonic-minor"
    /// Dorian: 0 2 3 5 7 9 10.
    case dorian
    /// Phrygian: 0 1 3 5 7 8 10.
    case phrygian
    /// Lydian: 0 2 4 6 7 9 11.
    case lydian
    /// Mixolydian: 0 2 4 5 7 9 10.
    case mixolydian
    /// Major pentatonic: 0 2 4 7 9.
    case pentatonicMajor = "pentatonic-major"
    /// Minor pentatonic: 0 3 5 7 10.
    case pentatonicMinor = "pentatonic-minor"
    /// Blues (minor pentatonic plus the flat fifth): 0 3 5 6 7 10.
    case blues

    /// Semitones above the tonic of each scale degree, ascending from 0.
    public var intervals: [Int] {
        switch self {
        case .major: return [0, 2, 4, 5, 7, 9, 11]
        case .naturalMinor: return [0, 2, 3, 5, 7, 8, 10]
        case .harmonicMinor: return [0, 2, 3, 5, 7, 8, 11]
        case .dorian: return [0, 2, 3, 5, 7, 9, 10]
        case .phrygian: return [0, 1, 3, 5, 7, 8, 10]
        case .lydian: return [0, 2, 4, 6, 7, 9, 11]
        case .mixolydian: return [0, 2, 4, 5, 7, 9, 10]
        case .pentatonicMajor: return [0, 2, 4, 7, 9]
        case .pentatonicMinor: return [0, 3, 5, 7, 10]
        case .blues: return [0, 3, 5, 6, 7, 10]
        }
    }

    /// Whether the mode has a minor third above the tonic (it takes a minor key signature).
    public var isMinor: Bool { intervals.contains(3) && !intervals.contains(4) }

    /// Semitones from the tonic up to the tonic of the major key whose signature this mode shares
    /// (0 for major, 3 for minor, 10 for dorian, ...).
    public var relativeMajorOffset: Int {
        switch self {
        case .major, .pentatonicMajor: return 0
        case .naturalMinor, .harmonicMinor, .pentatonicMinor, .blues: return 3
        case .dorian: return 10
        case .phrygian: return 8
        case .lydian: return 7
        case .mixolydian: return 5
        }
    }

    /// Parses a mode name, ignoring case, spaces, `-` and `_`; accepts the raw values and the
    /// aliases `ionian`, `aeolian`, `natural-minor`, `harmonic`, `pentatonic` (= major pentatonic).
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" }
        let table: [String: Mode] = [
            "major": .major, "ionian": .major, "maj": .major,
            "minor": .naturalMinor, "naturalminor": .naturalMinor, "aeolian": .naturalMinor, "min": .naturalMinor,
            "harmonicminor": .harmonicMinor, "harmonic": .harmonicMinor,
            "dorian": .dorian, "phrygian": .phrygian, "lydian": .lydian, "mixolydian": .mixolydian,
            "pentatonicmajor": .pentatonicMajor, "majorpentatonic": .pentatonicMajor, "pentatonic": .pentatonicMajor,
            "pentatonicminor": .pentatonicMinor, "minorpentatonic": .pentatonicMinor,
            "blues": .blues,
        ]
        guard let mode = table[key] else { return nil }
        self = mode
    }

    /// The mode's name as written in specs (`harmonic-minor`).
    public var description: String { rawValue }
}
