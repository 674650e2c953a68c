import Foundation
import MIDI
@testable import Music
import XCTest

/// The loop detector and the thirds overlap: the two metrics that judge a whole piece's course.
final class PieceStructureMetricsTests: XCTestCase {
    /// A melody line of (pitch, step ticks, length ticks) events starting at tick 0.
    func piece(_ events: [(Int, Int, Int)]) -> [Note] {
        var tick = 0
        return events.enumerated().map { i, e in
            if i > 0 { tick += e.1 }
            return Note(pitch: UInt8(e.0), velocity: 80, startTick: tick, durationTicks: e.2)
        }
    }

    func testFreeMelodyHasNoLoopTail() {
        var state: UInt64 = 12345
        var events: [(Int, Int, Int)] = []
        for _ in 0..<300 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            events.append((48 + Int(state >> 59), 120 * (1 + Int((state >> 40) % 4)), 240))
        }
        XCTAssertLessThan(LoopTail.share(piece(events)), 0.05)
    }

    func testLoopingTailIsMeasuredExactly() {
        // 40 free notes, then a 6-note phrase played 10 times: 60 of 100 notes loop.
        var events: [(Int, Int, Int)] = (0..<40).map { (60 + ($0 * 7) % 13, 240, 240) }
        let phrase = [(60, 240, 240), (62, 240, 240), (64, 480, 480), (65, 240, 240), (67, 120, 120), (64, 360, 360)]
        for _ in 0..<10 { events += phrase }
        let notes = piece(events)
        let tail = LoopTail.longest(notes)
        XCTAssertEqual(tail.period, 6)
        XCTAssertGreaterThanOrEqual(tail.covered, 60)
        XCTAssertLessThan(tail.covered, 62, "only notes equal to the one a period later count")
        let m = PieceMetrics.compute(Performance(tracks: [NoteTrack(notes: notes)]))
        XCTAssertEqual(m.loopTailShare, Double(tail.covered) / 100, accuracy: 1e-12)
    }

    func testSamePitchesWithAnotherRhythmIsNoLoop() {
        // The pitch phrase repeats but every repeat changes one length: not an exact loop.
        var events: [(Int, Int, Int)] = []
        for r in 0..<10 { events += [(60, 240, 240), (62, 240, 240 + 10 * r), (64, 240, 240), (65, 240, 240)] }
        XCTAssertLessThan(LoopTail.share(piece(events)), 0.2)
    }

    func testZFunction() {
        XCTAssertEqual(LoopTail.zFunction(Array("aabxaab")), [7, 1, 0, 0, 3, 1, 0])
    }

    func testThirdsOverlapSeesDrift() throws {
        // A steady melody throughout, against one that turns from a low slow line into high fast chords halfway.
        var state: UInt64 = 99
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        var steady: [Note] = [], drifting: [Note] = []
        var tick = 0
        for _ in 0..<600 {
            let p = [60, 62, 64, 65, 67, 69, 71][next(7)]
            steady.append(Note(pitch: UInt8(p), velocity: UInt8(70 + next(20)), startTick: tick, durationTicks: 240))
            tick += [240, 480][next(2)]
        }
        tick = 0
        for i in 0..<300 {
            let p = [48, 50, 52, 53, 55][next(5)]
            drifting.append(Note(pitch: UInt8(p), velocity: UInt8(50 + next(10)), startTick: tick, durationTicks: 900))
            tick += 960 + 0 * i
        }
        for _ in 0..<300 {
            for p in [72, 76, 79] { drifting.append(Note(pitch: UInt8(p + next(3)), velocity: UInt8(100 + next(20)), startTick: tick, durationTicks: 100)) }
            tick += 120
        }
        let ts = [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)]
        let a = PieceMetrics.compute(Performance(timeSignatures: ts, tracks: [NoteTrack(notes: steady)]))
        let b = PieceMetrics.compute(Performance(timeSignatures: ts, tracks: [NoteTrack(notes: drifting)]))
        XCTAssertGreaterThan(a.thirdsOverlap, 0.7)
        // Key, velocity, texture and range part; the rhythm metrics (one steady pulse in the first third, and in 7 of
        // the last third's 8 runs) rightly overlap by about 7/8.
        XCTAssertLessThan(b.thirdsOverlap, 0.45)

        // Metric by metric: the overlap is the drift's mean, and the drift says what moved (louder, higher, denser).
        let performance = Performance(timeSignatures: ts, tracks: [NoteTrack(notes: drifting)])
        let (metrics, drift) = PieceMetrics.computeWithDrift(performance)
        XCTAssertEqual(metrics, b)
        let rows = try XCTUnwrap(drift)
        XCTAssertEqual(ThirdsOverlap.overlap(of: rows), b.thirdsOverlap)
        XCTAssertTrue(Set(rows.map(\.name)).isSubset(of: Set(PieceMetrics.segmentMetricNames)))
        let velocity = try XCTUnwrap(rows.first { $0.name == "velocityMean" })
        XCTAssertEqual(velocity.first, 54.5, accuracy: 2, "the first third plays at 50 ... 59")
        XCTAssertGreaterThan(velocity.last, 100, "the last third mostly at 100 ... 119 (its runs start with some slow notes)")
        XCTAssertLessThan(velocity.overlap, 0.05)
        let chords = try XCTUnwrap(rows.first { $0.name == "chordOnsetFraction" })
        XCTAssertEqual(chords.first, 0, accuracy: 1e-9, "no chords at first")
        XCTAssertGreaterThan(chords.last, 0.8, "chords at the end")
        let steadyRows = try XCTUnwrap(PieceMetrics.computeWithDrift(Performance(timeSignatures: ts, tracks: [NoteTrack(notes: steady)])).drift)
        XCTAssertGreaterThan(try XCTUnwrap(steadyRows.first { $0.name == "velocityMean" }).overlap, 0.5)
    }

    /// Two samples of one thing share one kernel width: 8 runs all at 95 against 7 at 95 and one at 96 overlap by about
    /// 7/8 (each set sized by its own spread, the constant set is a spike the other barely touches: under 0.2); the
    /// corpus comparison keeps each set's own width.
    func testPooledSmoothingSeesANearConstantMetricAsUnmoved() throws {
        let first = [Double](repeating: 95, count: 8), last = [Double](repeating: 95, count: 7) + [96]
        let pooled = try XCTUnwrap(DistributionComparison.compare(first, last, smoothing: .shared))
        XCTAssertEqual(pooled.overlappingArea, 0.875, accuracy: 0.05)
        let perSet = try XCTUnwrap(DistributionComparison.compare(first, last))
        XCTAssertLessThan(perSet.overlappingArea, 0.2)
        // Moved sets still part: 8 runs at 95 against 8 at 105 (with a little spread) hardly overlap either way.
        let moved = (0..<8).map { 105 + Double($0 % 3) }
        XCTAssertLessThan(try XCTUnwrap(DistributionComparison.compare(first + [96], moved, smoothing: .shared)).overlappingArea, 0.05)
        // Identical sets overlap fully.
        XCTAssertEqual(try XCTUnwrap(DistributionComparison.compare(last, last, smoothing: .shared)).overlappingArea, 1, accuracy: 1e-6)
    }

    func testThirdsOverlapIsZeroForAPieceTooShort() {
        let notes = piece((0..<40).map { (60 + $0 % 5, 240, 240) })
        XCTAssertEqual(PieceMetrics.compute(Performance(tracks: [NoteTrack(notes: notes)])).thirdsOverlap, 0)
    }
}
