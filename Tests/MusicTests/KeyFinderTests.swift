import MIDI
@testable import Music
import XCTest

final class KeyFinderTests: XCTestCase {
    func notes(_ pitches: [Int], ticks: Int = 480) -> [Note] {
        pitches.enumerated().map { Note(pitch: UInt8($1), velocity: 80, startTick: $0 * ticks, durationTicks: ticks) }
    }

    func testProfileItselfCorrelatesPerfectly() {
        var weights = [Double](repeating: 0, count: 12)
        for i in 0..<12 { weights[(i + 7) % 12] = KeyFinder.krumhanslKesslerMajor[i] }
        let estimate = KeyFinder().estimate(PitchClassHistogram(weights: weights))!
        XCTAssertEqual(estimate.best.key, Key(name: "G")!)
        XCTAssertEqual(estimate.best.correlation, 1, accuracy: 1e-12)
        XCTAssertEqual(estimate.ranking.count, 24)
        XCTAssertEqual(Set(estimate.ranking.map(\.key)).count, 24)
        for (a, b) in zip(estimate.ranking, estimate.ranking.dropFirst()) { XCTAssertGreaterThanOrEqual(a.correlation, b.correlation) }
    }

    func testScalesAndCadencesFindTheirKeys() {
        // C major scale with a tonic-heavy ending.
        let cMajor = notes([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60, 60])
        XCTAssertEqual(KeyFinder().estimate(notes: cMajor)?.best.key, Key(name: "C"))
        // A harmonic minor melody.
        let aMinor = notes([69, 71, 72, 74, 76, 77, 80, 81, 76, 72, 69, 69, 64, 69])
        XCTAssertEqual(KeyFinder().estimate(notes: aMinor)?.best.key, Key(name: "Am"))
        // E-flat major arpeggios.
        let eFlat = notes([63, 67, 70, 75, 68, 72, 75, 70, 74, 77, 63, 67, 70, 63])
        XCTAssertEqual(KeyFinder().estimate(notes: eFlat)?.best.key, Key(name: "Eb"))
    }

    func testDurationWeightingAndDrums() {
        // Long Cs and Gs, short passing notes.
        var ns = [Note(pitch: 60, velocity: 80, startTick: 0, durationTicks: 4000),
                  Note(pitch: 67, velocity: 80, startTick: 0, durationTicks: 3000),
                  Note(pitch: 64, velocity: 80, startTick: 0, durationTicks: 2000)]
        ns.append(Note(pitch: 61, velocity: 80, startTick: 10, durationTicks: 10))
        // A heavy drum note that must be ignored.
        ns.append(Note(pitch: 66, velocity: 80, startTick: 0, durationTicks: 100_000, channel: 9))
        let h = PitchClassHistogram(notes: ns)
        XCTAssertEqual(h.weights[0], 4000)
        XCTAssertEqual(h.weights[1], 10)
        XCTAssertEqual(h.weights[6], 0)
        XCTAssertEqual(KeyFinder().estimate(h)?.best.key, Key(name: "C"))
    }

    func testEmptyGivesNil() {
        XCTAssertNil(KeyFinder().estimate(notes: [Note]()))
        XCTAssertNil(KeyFinder().estimate(notes: [Note(pitch: 36, velocity: 90, startTick: 0, durationTicks: 10, channel: 9)]))
    }

    func testBestByModeAndTonic() {
        let cMajor = notes([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60, 60])
        let e = KeyFinder().estimate(notes: cMajor)!
        XCTAssertEqual(e.best(minor: true).key.mode, .naturalMinor)
        XCTAssertEqual(e.best(minor: false).key, Key(name: "C"))
        XCTAssertEqual(e.best(tonic: PitchClass(9)).key.tonic, PitchClass(9))
    }
}
