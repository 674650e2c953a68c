import Foundation

/// One of the twelve pitch classes (0 = C, 1 = C#/Db, ... 11 = B), independent of octave.
public struct PitchClass: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Semitones above C, 0 ... 11.
    public let value: Int

    /// Creates a pitch class from any integer, reduced modulo 12.
    public init(_ value: Int) {
        self.value = ((value % 12) + 12) % 12
    }

    /// The pitch class of a MIDI pitch (0 ... 127).
    public init(pitch: Int) {
        self.init(pitch)
    }

    /// Parses a note name: a letter A-G (any case) followed by up to two accidentals
    /// (`#`, `♯`, `s` for sharp; `b`, `♭` for flat; `x` for double sharp), e.g. `C`, `F#`, `Bb`, `e♭`.
    /// Returns nil for anything else.
    public init?(name: String) {
        let chars = Array(name.trimmingCharacters(in: .whitespaces))
        guard let first = chars.first else { return nil }
        let naturals: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        guard let base = naturals[Character(first.uppercased())] else { return nil }
        var offset = 0
        let accidentals = chars.dropFirst()
        guard accidentals.count <= 2 else { return nil }
        for c in accidentals {
            switch c {
            case "#", "♯", "s": offset += 1
            case "b", "♭": offset -= 1
            case "x", "𝄪": offset += 2
            default: return nil
            }
        }
        self.init(base + offset)
    }

    /// The sharp spellings of the twelve pitch classes.
    public static let sharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    /// The flat spellings of the twelve pitch classes.
    public static let flatNames = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]

    /// The name with sharps (`C#`) or flats (`Db`) for the black keys.
    public func name(preferFlats: Bool = false) -> String {
        preferFlats ? Self.flatNames[value] : Self.sharpNames[value]
    }

    /// The name with sharps.
    public var description: String { name() }

    /// This pitch class moved up by a number of semitones (negative moves down).
    public func transposed(by semitones: Int) -> PitchClass {
        PitchClass(value + semitones)
    }

    /// Semitones upwards from this pitch class to another, 0 ... 11.
    public func semitonesUp(to other: PitchClass) -> Int {
        PitchClass(other.value - value).value
    }

    /// Orders by value (C lowest).
    public static func < (lhs: PitchClass, rhs: PitchClass) -> Bool { lhs.value < rhs.value }

    /// All twelve pitch classes from C.
    public static let all: [PitchClass] = (0..<12).map { PitchClass($0) }
}
