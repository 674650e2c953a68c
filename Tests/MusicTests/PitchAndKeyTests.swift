import MIDI
@testable import Music
import XCTest

final class PitchAndKeyTests: XCTestCase {
    func testPitchClassNames() {
        XCTAssertEqual(PitchClass(name: "C")?.value, 0)
        XCTAssertEqual(PitchClass(name: "F#")?.value, 6)
        XCTAssertEqual(PitchClass(name: "Bb")?.value, 10)
        XCTAssertEqual(PitchClass(name: "e♭")?.value, 3)
        XCTAssertEqual(PitchClass(name: "Cb")?.value, 11)
        XCTAssertEqual(PitchClass(name: "B#")?.value, 0)
        XCTAssertEqual(PitchClass(name: "Fx")?.value, 7)
        XCTAssertNil(PitchClass(name: "H"))
        XCTAssertNil(PitchClass(name: "C###"))
        XCTAssertNil(PitchClass(name: ""))
        XCTAssertNil(PitchClass(name: "C7"))
        XCTAssertEqual(PitchClass(10).name(), "A#")
        XCTAssertEqual(PitchClass(10).name(preferFlats: true), "Bb")
        XCTAssertEqual(PitchClass(-1).value, 11)
        XCTAssertEqual(PitchClass(pitch: 61).value, 1)
        XCTAssertEqual(PitchClass(9).semitonesUp(to: PitchClass(0)), 3)
    }

    func testModeIntervalsAndNames() {
        for mode in Mode.allCases {
            XCTAssertEqual(mode.intervals.first, 0)
            XCTAssertEqual(mode.intervals, mode.intervals.sorted())
            XCTAssertEqual(Set(mode.intervals).count, mode.intervals.count)
            XCTAssertEqual(Mode(name: mode.rawValue), mode)
        }
        XCTAssertEqual(Mode.major.intervals.count, 7)
        XCTAssertEqual(Mode.pentatonicMinor.intervals.count, 5)
        XCTAssertEqual(Mode.blues.intervals, [0, 3, 5, 6, 7, 10])
        XCTAssertEqual(Mode(name: "Natural Minor"), .naturalMinor)
        XCTAssertEqual(Mode(name: "aeolian"), .naturalMinor)
        XCTAssertEqual(Mode(name: "harmonic_minor"), .harmonicMinor)
        XCTAssertNil(Mode(name: "locrianish"))
        XCTAssertTrue(Mode.dorian.isMinor)
        XCTAssertFalse(Mode.mixolydian.isMinor)
    }

    func testKeyParsingAndNames() {
        XCTAssertEqual(Key(name: "C"), Key(tonic: PitchClass(0), mode: .major))
        XCTAssertEqual(Key(name: "Am"), Key(tonic: PitchClass(9), mode: .naturalMinor))
        XCTAssertEqual(Key(name: "F# minor"), Key(tonic: PitchClass(6), mode: .naturalMinor))
        XCTAssertEqual(Key(name: "Bb dorian"), Key(tonic: PitchClass(10), mode: .dorian))
        XCTAssertEqual(Key(name: "bb"), Key(tonic: PitchClass(10), mode: .major))
        XCTAssertEqual(Key(name: "Eb:harmonic-minor"), Key(tonic: PitchClass(3), mode: .harmonicMinor))
        XCTAssertNil(Key(name: "X major"))
        XCTAssertNil(Key(name: "C sideways"))
        XCTAssertEqual(Key(name: "Bb major")?.name, "Bb major")
        XCTAssertEqual(Key(name: "F# minor")?.name, "F# minor")
        XCTAssertEqual(Key(name: "D dorian")?.name, "D dorian")
    }

    /// Keys are named conventionally (flat keys F, Bb, Eb, Ab, Db, Gb major and D, G, C, F, Bb, Eb minor), or as
    /// the tonic was spelled when it was given: `Eb` is never reported as "D#".
    func testKeyNamesUseConventionalOrGivenSpelling() {
        let majors = (0..<12).map { Key(tonic: PitchClass($0), mode: .major).name }
        XCTAssertEqual(majors, ["C major", "Db major", "D major", "Eb major", "E major", "F major",
                                "Gb major", "G major", "Ab major", "A major", "Bb major", "B major"])
        let minors = (0..<12).map { Key(tonic: PitchClass($0), mode: .naturalMinor).name }
        XCTAssertEqual(minors, ["C minor", "C# minor", "D minor", "Eb minor", "E minor", "F minor",
                                "F# minor", "G minor", "G# minor", "A minor", "Bb minor", "B minor"])
        XCTAssertEqual(Key(name: "Eb")?.name, "Eb major")
        XCTAssertEqual(Key(name: "Eb minor")?.name, "Eb minor")
        XCTAssertEqual(Key(name: "Eb phrygian")?.name, "Eb phrygian")
        XCTAssertEqual(Key(tonic: PitchClass(3), mode: .phrygian).name, "D# phrygian", "conventional: B major's signature")
        XCTAssertEqual(Key(name: "D# minor")?.name, "D# minor")
        XCTAssertEqual(Key(name: "F#")?.name, "F# major")
        XCTAssertEqual(Key(name: "C#")?.name, "C# major")
        XCTAssertEqual(Key(name: "Eb"), Key(name: "D#"), "spelling is not part of equality")
        XCTAssertEqual(Set([Key(name: "Eb")!, Key(name: "D#")!]).count, 1)
        XCTAssertEqual(Key(tonic: PitchClass(0), mode: .major, spelling: .flats).spelling, nil, "a white-key tonic has no spelling")
    }

    func testSpellingChoosesTheKeySignature() {
        func sig(_ name: String) -> Int { Key(name: name)!.keySignature.sharpsOrFlats }
        XCTAssertEqual(sig("Gb"), -6)
        XCTAssertEqual(sig("F#"), 6)
        XCTAssertEqual(sig("Eb minor"), -6)
        XCTAssertEqual(sig("D# minor"), 6)
        XCTAssertEqual(sig("C#"), 7)
        XCTAssertEqual(sig("Db"), -5)
        XCTAssertEqual(sig("D#"), -3, "D# major would need 9 sharps: Eb's signature")
        XCTAssertEqual(Key(tonic: PitchClass(6), mode: .major).keySignature.sharpsOrFlats, -6, "the tie goes to flats")
        XCTAssertEqual(Key(keySignature: KeySignatureChange(tick: 0, sharpsOrFlats: 6, minor: false)).name, "F# major")
        XCTAssertEqual(Key(keySignature: KeySignatureChange(tick: 0, sharpsOrFlats: -6, minor: true)).name, "Eb minor")
        XCTAssertEqual(Key(keySignature: KeySignatureChange(tick: 0, sharpsOrFlats: 6, minor: true)).name, "D# minor")
    }

    func testKeySignatures() {
        func sig(_ name: String) -> (Int, Bool) {
            let s = Key(name: name)!.keySignature
            return (s.sharpsOrFlats, s.minor)
        }
        XCTAssertTrue(sig("C") == (0, false))
        XCTAssertTrue(sig("F") == (-1, false))
        XCTAssertTrue(sig("E") == (4, false))
        XCTAssertTrue(sig("Am") == (0, true))
        XCTAssertTrue(sig("C minor") == (-3, true))
        XCTAssertTrue(sig("D dorian") == (0, true))
        XCTAssertTrue(sig("G mixolydian") == (0, false))
        XCTAssertTrue(sig("F lydian") == (0, false))
        XCTAssertTrue(sig("E phrygian") == (0, true))
        for key in Key.majorAndMinor {
            XCTAssertEqual(Key(keySignature: key.keySignature), key, "\(key)")
        }
    }

    func testScaleMembershipAndNearestPitchTieRule() {
        let c = Key(name: "C")!
        XCTAssertEqual(c.pitchClasses.map(\.value), [0, 2, 4, 5, 7, 9, 11])
        XCTAssertTrue(c.contains(pitch: 60))
        XCTAssertFalse(c.contains(pitch: 61))
        XCTAssertEqual(c.nearestPitch(to: 61), 60, "ties move down")
        XCTAssertEqual(c.nearestPitch(to: 66), 65, "ties move down")
        XCTAssertEqual(c.nearestPitch(to: 64), 64)
        let fSharp = Key(name: "F#")!
        XCTAssertEqual(fSharp.nearestPitch(to: 127), 126, "stays within 0...127")
        let cSharp = Key(name: "C#")!
        XCTAssertEqual(cSharp.nearestPitch(to: 0), 0) // B# = C is in C# major
        let blues = Key(name: "A blues")!
        XCTAssertEqual(blues.nearestPitch(to: 70), 69) // Bb between A and C: A is 1 below
        for key in [c, fSharp, cSharp, blues, Key(name: "Eb pentatonic-major")!] {
            for p in 0...127 {
                let q = key.nearestPitch(to: p)
                XCTAssertTrue((0...127).contains(q))
                XCTAssertTrue(key.contains(pitch: q))
                // No in-scale pitch is strictly nearer.
                for r in 0...127 where key.contains(pitch: r) { XCTAssertGreaterThanOrEqual(abs(r - p), abs(q - p)) }
            }
        }
    }
}
