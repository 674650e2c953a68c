import Foundation
import MIDI

/// A key: a tonic pitch class and a mode, e.g. F# minor or D dorian.
///
/// Keys are equal when tonic and mode are; ``spelling`` only affects names and the key signature.
public struct Key: Sendable, Hashable, CustomStringConvertible {
    /// How a key's black-key notes are named: with sharps (`D#`) or flats (`Eb`).
    public enum Spelling: Sendable, Hashable {
        /// `C#`, `D#`, `F#`, `G#`, `A#`.
        case sharps
        /// `Db`, `Eb`, `Gb`, `Ab`, `Bb`.
        case flats

        /// The spelling a note name asks for: sharps for `D#` (`#`, `♯`, `s`, `x`), flats for `Eb` (`b`, `♭`),
        /// nil for a natural (`C`) or anything else.
        public init?(noteName: String) {
            let accidentals = noteName.trimmingCharacters(in: .whitespaces).dropFirst()
            if accidentals.contains(where: { "#♯sx𝄪".contains($0) }) {
                self = .sharps
            } else if accidentals.contains(where: { "b♭".contains($0) }) {
                self = .flats
            } else {
                return nil
            }
        }
    }

    /// The tonic (first scale degree).
    public var tonic: PitchClass
    /// The scale type.
    public var mode: Mode
    /// The tonic's spelling as the user gave it (`Eb`, `D#`), or nil for the conventional one (see ``prefersFlats``).
    public var spelling: Spelling?

    /// Creates a key; `spelling` names a black-key tonic as given (ignored for a white-key tonic; nil: conventionally).
    public init(tonic: PitchClass, mode: Mode, spelling: Spelling? = nil) {
        self.tonic = tonic
        self.mode = mode
        self.spelling = PitchClass.sharpNames[tonic.value] == PitchClass.flatNames[tonic.value] ? nil : spelling
    }

    /// Keys are equal when tonic and mode are (whatever the spelling).
    public static func == (a: Key, b: Key) -> Bool { a.tonic == b.tonic && a.mode == b.mode }

    /// Hashes tonic and mode (not the spelling, as ``==``).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(tonic)
        hasher.combine(mode)
    }

    /// Parses `C`, `F# minor`, `Bb dorian`, `Am`, `C#m`, `Eb:major` or `g-harmonic-minor`
    /// (a bare note name is major; a trailing `m` is natural minor); the note's accidental sets ``spelling``.
    /// Returns nil for anything else.
    public init?(name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, "ABCDEFGabcdefg".contains(first) else { return nil }
        // The note name is the letter plus any accidentals directly after it.
        var noteEnd = trimmed.index(after: trimmed.startIndex)
        while noteEnd < trimmed.endIndex, "#♯b♭".contains(trimmed[noteEnd]),
              trimmed.distance(from: trimmed.startIndex, to: noteEnd) < 3 {
            noteEnd = trimmed.index(after: noteEnd)
        }
        let note = String(trimmed[..<noteEnd])
        guard let tonic = PitchClass(name: note) else { return nil }
        let spelling = Spelling(noteName: note)
        var rest = String(trimmed[noteEnd...]).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix(":") || rest.hasPrefix("-") || rest.hasPrefix("_") { rest.removeFirst() }
        if rest.isEmpty {
            self.init(tonic: tonic, mode: .major, spelling: spelling)
        } else if rest == "m" {
            self.init(tonic: tonic, mode: .naturalMinor, spelling: spelling)
        } else if let mode = Mode(name: rest) {
            self.init(tonic: tonic, mode: mode, spelling: spelling)
        } else {
            return nil
        }
    }

    /// The key a MIDI key signature names (major, or natural minor when `minor` is set), spelled as the
    /// signature is (6 sharps: F# major, 6 flats: Gb major).
    public init(keySignature: KeySignatureChange) {
        let majorTonic = PitchClass(keySignature.sharpsOrFlats * 7)
        let spelling: Spelling? = keySignature.sharpsOrFlats > 0 ? .sharps : keySignature.sharpsOrFlats < 0 ? .flats : nil
        if keySignature.minor {
            self.init(tonic: majorTonic.transposed(by: -3), mode: .naturalMinor, spelling: spelling)
        } else {
            self.init(tonic: majorTonic, mode: .major, spelling: spelling)
        }
    }

    /// The scale's pitch classes in degree order from the tonic.
    public var pitchClasses: [PitchClass] { mode.intervals.map { tonic.transposed(by: $0) } }

    /// Bit `n` is set when pitch class `n` is in the scale (fast membership tests).
    public var pitchClassMask: UInt16 {
        var mask: UInt16 = 0
        for i in mode.intervals { mask |= 1 << UInt16((tonic.value + i) % 12) }
        return mask
    }

    /// Whether a pitch class belongs to the scale.
    public func contains(_ pitchClass: PitchClass) -> Bool {
        pitchClassMask & (1 << UInt16(pitchClass.value)) != 0
    }

    /// Whether a MIDI pitch belongs to the scale.
    public func contains(pitch: Int) -> Bool { contains(PitchClass(pitch: pitch)) }

    /// The in-scale MIDI pitch nearest to `pitch` within `range` (default 0 ... 127).
    ///
    /// Tie rule: when an in-scale pitch lies equally far below and above, the lower one wins
    /// (unless it falls outside `range`). The range must span at least 12 semitones.
    public func nearestPitch(to pitch: Int, in range: ClosedRange<Int> = 0...127) -> Int {
        let mask = pitchClassMask
        let p = min(max(pitch, range.lowerBound), range.upperBound)
        for distance in 0...12 {
            let down = p - distance
            if down >= range.lowerBound, mask & (1 << UInt16(((down % 12) + 12) % 12)) != 0 { return down }
            let up = p + distance
            if up <= range.upperBound, mask & (1 << UInt16(((up % 12) + 12) % 12)) != 0 { return up }
        }
        return p // unreachable for a range of 12 or more semitones
    }

    /// The key signature this key is written with: sharps (positive) or flats (negative) of its
    /// relative major, and whether the mode is minor. Conventionally the signature with fewer accidentals
    /// (Db major, not C#; G# minor, not Ab), flats at the tie of six (Gb major, Eb minor); a tonic spelled
    /// with a sharp or flat (``spelling``) takes the signature of that spelling when it has one of at most
    /// seven accidentals (F# major: 6 sharps, C# major: 7 sharps; D# major keeps Eb's 3 flats).
    public var keySignature: KeySignatureChange {
        let major = tonic.transposed(by: mode.relativeMajorOffset)
        let table = [0, -5, 2, -3, 4, -1, -6, 1, -4, 3, -2, 5]
        var accidentals = table[major.value]
        switch spelling {
        case .sharps? where accidentals < 0 && accidentals + 12 <= 7: accidentals += 12
        case .flats? where accidentals > 0 && accidentals - 12 >= -7: accidentals -= 12
        default: break
        }
        return KeySignatureChange(tick: 0, sharpsOrFlats: accidentals, minor: mode.isMinor)
    }

    /// Whether black-key notes of this key are spelled with flats: as the tonic was given (``spelling``),
    /// else as the key signature is (flat keys F, Bb, Eb, Ab, Db, Gb major; D, G, C, F, Bb, Eb minor).
    public var prefersFlats: Bool { spelling.map { $0 == .flats } ?? (keySignature.sharpsOrFlats < 0) }

    /// Spells a pitch class in this key's accidental convention (`Bb` in F major, `A#` in B major).
    public func spell(_ pitchClass: PitchClass) -> String { pitchClass.name(preferFlats: prefersFlats) }

    /// The key's name, e.g. `F# minor`, `Bb major`, `D dorian`.
    public var name: String { "\(spell(tonic)) \(mode.rawValue)" }

    /// The key's name.
    public var description: String { name }

    /// The 24 major and natural-minor keys, C major first, ordered by tonic then mode.
    public static let majorAndMinor: [Key] = PitchClass.all.flatMap {
        [Key(tonic: $0, mode: .major), Key(tonic: $0, mode: .naturalMinor)]
    }
}
