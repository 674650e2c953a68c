import Foundation
import MIDI

/// A key: a tonic pitch class and a mode, e.g. F# minor or D dorian.
public struct Key: Sendable, Hashable, CustomStringConvertible {
    /// The tonic (first scale degree).
    public var tonic: PitchClass
    /// The scale type.
    public var mode: Mode

    /// Creates a key.
    public init(tonic: PitchClass, mode: Mode) {
        self.tonic = tonic
        self.mode = mode
    }

    /// Parses `C`, `F# minor`, `Bb dorian`, `Am`, `C#m`, `Eb:major` or `g-harmonic-minor`
    /// (a bare note name is major; a trailing `m` is natural minor). Returns nil for anything else.
    public init?(name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, "ABCDEFGabcdefg".contains(first) else { return nil }
        // The note name is the letter plus any accidentals directly after it.
        var noteEnd = trimmed.index(after: trimmed.startIndex)
        while noteEnd < trimmed.endIndex, "#♯b♭".contains(trimmed[noteEnd]),
              trimmed.distance(from: trimmed.startIndex, to: noteEnd) < 3 {
            noteEnd = trimmed.index(after: noteEnd)
        }
        guard let tonic = PitchClass(name: String(trimmed[..<noteEnd])) else { return nil }
        var rest = String(trimmed[noteEnd...]).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix(":") || rest.hasPrefix("-") || rest.hasPrefix("_") { rest.removeFirst() }
        if rest.isEmpty {
            self.init(tonic: tonic, mode: .major)
        } else if rest == "m" {
            self.init(tonic: tonic, mode: .naturalMinor)
        } else if let mode = Mode(name: rest) {
            self.init(tonic: tonic, mode: mode)
        } else {
            return nil
        }
    }

    /// The key a MIDI key signature names (major, or natural minor when `minor` is set).
    public init(keySignature: KeySignatureChange) {
        let majorTonic = PitchClass(keySignature.sharpsOrFlats * 7)
        if keySignature.minor {
            self.init(tonic: majorTonic.transposed(by: -3), mode: .naturalMinor)
        } else {
            self.init(tonic: majorTonic, mode: .major)
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
    /// relative major, and whether the mode is minor. F# major and D# minor use 6 sharps.
    public var keySignature: KeySignatureChange {
        let major = tonic.transposed(by: mode.relativeMajorOffset)
        let table = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5]
        return KeySignatureChange(tick: 0, sharpsOrFlats: table[major.value], minor: mode.isMinor)
    }

    /// Whether black-key notes of this key are conventionally spelled with flats.
    public var prefersFlats: Bool { keySignature.sharpsOrFlats < 0 }

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
