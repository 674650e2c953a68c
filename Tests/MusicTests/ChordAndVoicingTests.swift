@testable import Music
import XCTest

final class ChordAndVoicingTests: XCTestCase {
    func testDiatonicTriadsAndSeventhsOfCMajor() {
        let c = Key(name: "C")!
        XCTAssertEqual(c.diatonicChords(.triad).map(\.description), ["C", "Dm", "Em", "F", "G", "Am", "Bdim"])
        XCTAssertEqual(c.diatonicChords(.seventh).map(\.description), ["Cmaj7", "Dm7", "Em7", "Fmaj7", "G7", "Am7", "Bm7b5"])
    }

    func testHarmonicMinorChords() {
        let a = Key(name: "A harmonic-minor")!
        XCTAssertEqual(a.diatonicChords(.triad).map(\.description), ["Am", "Bdim", "Caug", "Dm", "E", "F", "G#dim"])
        XCTAssertEqual(a.diatonicChords(.seventh)[4].description, "E7")
        XCTAssertEqual(a.diatonicChords(.seventh)[6].description, "G#dim7")
    }

    func testEveryModesChordsAreInKeyWithThreeOrMoreTones() {
        for mode in Mode.allCases {
            for tonic in PitchClass.all {
                let key = Key(tonic: tonic, mode: mode)
                for style in ChordStyle.allCases {
                    let chords = key.diatonicChords(style)
                    XCTAssertEqual(chords.count, mode.intervals.count)
                    for chord in chords {
                        XCTAssertGreaterThanOrEqual(chord.pitchClasses.count, 3, "\(key) \(style) \(chord)")
                        XCTAssertTrue(chord.pitchClasses.allSatisfy(key.contains), "\(key) \(chord)")
                        if mode.intervals.count == 7 { XCTAssertEqual(chord.pitchClasses.count, style == .triad ? 3 : 4) }
                    }
                }
            }
        }
    }

    func testInitialVoicingIsRootPositionInRegister() {
        let leader = VoiceLeader(range: 48...72)
        let g = Key(name: "C")!.diatonicChords(.triad)[4]
        let v = leader.voice(g)
        XCTAssertEqual(v, [55, 59, 62])
    }

    func testVoiceLeadingKeepsCommonTonesAndMovesLeast() {
        let leader = VoiceLeader(range: 48...72)
        let chords = Key(name: "C")!.diatonicChords(.triad)
        let cVoicing = [60, 64, 67]
        // C -> Am keeps C and E, G moves up to A.
        let am = leader.voice(chords[5], after: cVoicing)
        XCTAssertEqual(am, [60, 64, 69])
        XCTAssertEqual(VoiceLeader.commonTones(cVoicing, am), 2)
        // C -> F: C stays, E->F, G->A.
        XCTAssertEqual(leader.voice(chords[3], after: cVoicing), [60, 65, 69])
        // Minimal against every candidate, for every chord pair.
        for a in chords {
            let va = leader.voice(a)
            for b in chords {
                let vb = leader.voice(b, after: va)
                XCTAssertEqual(Set(vb.map { PitchClass(pitch: $0) }), Set(b.pitchClasses))
                XCTAssertTrue(vb.allSatisfy { (48...72).contains($0) })
                let best = leader.candidates(for: b).map { VoiceLeader.movement(from: va, to: $0) }.min()!
                XCTAssertEqual(VoiceLeader.movement(from: va, to: vb), best)
            }
        }
    }

    func testMovementBetweenDifferentSizes() {
        XCTAssertEqual(VoiceLeader.movement(from: [60, 64, 67], to: [60, 64, 67]), 0)
        XCTAssertEqual(VoiceLeader.movement(from: [60, 64, 67], to: [60, 64, 67, 71]), 4)
    }
}
