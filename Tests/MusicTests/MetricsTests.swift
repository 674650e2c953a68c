import Foundation
import MIDI
@testable import Music
import XCTest

final class MetricsTests: XCTestCase {
    func line(_ pitches: [Int], step: Int = 480, velocity: UInt8 = 80) -> Performance {
        let notes = pitches.enumerated().map { Note(pitch: UInt8($1), velocity: velocity, startTick: $0 * step, durationTicks: step) }
        return Performance(ticksPerBeat: 480, timeSignatures: [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)], tracks: [NoteTrack(notes: notes)])
    }

    func testCMajorScale() {
        let m = PieceMetrics.compute(line([60, 62, 64, 65, 67, 69, 71, 72]))
        XCTAssertEqual(m.noteCount, 8)
        XCTAssertEqual(m.key, "C major")
        XCTAssertGreaterThan(m.keyCorrelation, 0.8)
        XCTAssertEqual(m.scaleConsistency, 1)
        // Counts: C twice, six others once (8 notes).
        let expected = -(2.0 / 8 * log2(2.0 / 8)) - 6 * (1.0 / 8 * log2(1.0 / 8))
        XCTAssertEqual(m.pitchClassEntropy, expected, accuracy: 1e-12)
        XCTAssertEqual(m.velocityMean, 80)
        XCTAssertEqual(m.velocityStandardDeviation, 0)
        XCTAssertEqual(m.velocityRange, 0)
        XCTAssertEqual(m.onsetGrid16Fraction, 1)
        XCTAssertEqual(m.emptyBeatRate, 0)
        XCTAssertEqual(m.grooveConsistency, 1)
        XCTAssertEqual(m.ioiEntropy, 0)
        XCTAssertEqual(m.ioiSteadiness, 1, accuracy: 1e-12)
        XCTAssertEqual(m.repeatedIntervalNGramShare, 0)
        XCTAssertEqual(m.repeatedRhythmNGramShare, 1)
        XCTAssertEqual(m.polyphony, 1)
        XCTAssertEqual(m.chordOnsetFraction, 0)
        XCTAssertEqual(m.pitchRange, 12)
        XCTAssertEqual(m.distinctPitches, 8)
        XCTAssertEqual(m.values.map(\.name), PieceMetrics.names)
    }

    func testChordsPolyphonyAndDynamics() {
        var notes: [Note] = []
        for beat in 0..<8 {
            for (k, p) in [60, 64, 67].enumerated() {
                notes.append(Note(pitch: UInt8(p), velocity: UInt8(40 + 20 * k), startTick: beat * 480, durationTicks: 480))
            }
        }
        notes.append(Note(pitch: 36, velocity: 127, startTick: 0, durationTicks: 10, channel: 9))
        let m = PieceMetrics.compute(Performance(tracks: [NoteTrack(notes: notes)]))
        XCTAssertEqual(m.chordOnsetFraction, 1)
        XCTAssertEqual(m.polyphony, 3, accuracy: 1e-12)
        XCTAssertEqual(m.distinctPitches, 3, "drums excluded from pitch metrics")
        XCTAssertEqual(m.velocityRange, 127 - 40)
        XCTAssertEqual(m.noteCount, 25)
        let v = notes.map { Double($0.velocity) }
        XCTAssertEqual(m.velocityMean, v.reduce(0, +) / 25, accuracy: 1e-12)
    }

    func testFirstNotesMeasuresTheOpeningOnly() {
        // A C major scale, then a chromatic run: the opening 8 notes are all in C major.
        var notes = line([60, 62, 64, 65, 67, 69, 71, 72, 61, 63, 66, 68, 70]).tracks[0].notes
        // A drum hit with the 8th note (tick 3360) and one after it (tick 3840).
        notes.append(Note(pitch: 36, velocity: 100, startTick: 7 * 480, durationTicks: 10, channel: 9))
        notes.append(Note(pitch: 38, velocity: 100, startTick: 8 * 480, durationTicks: 10, channel: 9))
        let piece = Performance(ticksPerBeat: 480, timeSignatures: [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)],
                                tracks: [NoteTrack(notes: notes)])
        let whole = PieceMetrics.compute(piece)
        XCTAssertEqual(whole.distinctPitches, 13)
        XCTAssertLessThan(whole.scaleConsistency, 1)
        let opening = PieceMetrics.compute(piece, options: MetricsOptions(firstNotes: 8))
        XCTAssertEqual(opening.distinctPitches, 8, "only the first 8 pitched notes")
        XCTAssertEqual(opening.scaleConsistency, 1)
        XCTAssertEqual(opening.noteCount, 9, "with the drum hit that starts with the 8th note, not the later one")
        XCTAssertEqual(PieceMetrics.compute(piece, options: MetricsOptions(firstNotes: 100)), whole, "a longer cut is the whole piece")
    }

    func testEmptyBeatsGridAndSteadiness() {
        // One note per 4/4 bar: 13 beats from 0 to 5760, 4 with an onset.
        let sparse = line([60, 62, 64, 65], step: 1920)
        XCTAssertEqual(PieceMetrics.compute(sparse).emptyBeatRate, 9.0 / 13, accuracy: 1e-12)
        // Onsets 0 (on), 100 (20 ticks from 120: off), 250 (10 from 240: on within 15).
        let offGrid = Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: [0, 100, 250].map { Note(pitch: 60, velocity: 80, startTick: $0, durationTicks: 50) })])
        XCTAssertEqual(PieceMetrics.compute(offGrid).onsetGrid16Fraction, 2.0 / 3, accuracy: 1e-12)
        // IOIs alternate 480 and 960 ticks: CV = 240 / 720 -> steadiness 0.75; two IOI bins -> 1 bit.
        var t = 0
        var notes: [Note] = []
        for i in 0..<41 { notes.append(Note(pitch: 60, velocity: 80, startTick: t, durationTicks: 100)); t += i % 2 == 0 ? 480 : 960 }
        let m = PieceMetrics.compute(Performance(ticksPerBeat: 480, tracks: [NoteTrack(notes: notes)]))
        XCTAssertEqual(m.ioiSteadiness, 0.75, accuracy: 1e-9)
        XCTAssertEqual(m.ioiEntropy, 1, accuracy: 1e-12)
    }

    func testGrooveAndSelfSimilarity() {
        // Same bar four times: groove 1, self-similarity 1.
        let bar = [60, 64, 67, 64]
        let repeated = PieceMetrics.compute(line(bar + bar + bar + bar))
        XCTAssertEqual(repeated.grooveConsistency, 1)
        XCTAssertEqual(repeated.selfSimilarity, 1, accuracy: 1e-12)
        XCTAssertEqual(repeated.repeatedIntervalNGramShare, 1)
        // Bar A: four quarters; bar B: one whole note. Patterns differ in 3 of 16 steps.
        var notes = [0, 480, 960, 1440].map { Note(pitch: 60, velocity: 80, startTick: $0, durationTicks: 480) }
        notes.append(Note(pitch: 60, velocity: 80, startTick: 1920, durationTicks: 1920))
        let m = PieceMetrics.compute(Performance(tracks: [NoteTrack(notes: notes)]))
        XCTAssertEqual(m.grooveConsistency, 1 - 3.0 / 16, accuracy: 1e-12)
    }

    func testMathHelpers() {
        XCTAssertEqual(MetricMath.entropyBits([Double](repeating: 1, count: 12)), log2(12), accuracy: 1e-12)
        XCTAssertEqual(MetricMath.entropyBits([5, 0, 0]), 0)
        XCTAssertEqual(MetricMath.repeatedNGramShare([1, 2, 1, 2, 1, 2], n: 2), 1)
        XCTAssertEqual(MetricMath.repeatedNGramShare([1, 2, 3, 4], n: 2), 0)
        XCTAssertEqual(MetricMath.repeatedNGramShare([1, 2, 1, 2, 3], n: 2), 0.5)
        XCTAssertEqual(MetricMath.cosine([1, 0], [0, 1]), 0)
        XCTAssertEqual(MetricMath.polyphony([Note(pitch: 60, velocity: 1, startTick: 0, durationTicks: 100),
                                             Note(pitch: 64, velocity: 1, startTick: 50, durationTicks: 100)]), 200.0 / 150, accuracy: 1e-12)
    }

    func testEmptyPiece() {
        let m = PieceMetrics.compute(Performance())
        XCTAssertNil(m.key)
        XCTAssertEqual(m.noteCount, 0)
        XCTAssertTrue(m.values.allSatisfy { $0.value == 0 })
    }

    func testJSONRoundTrip() throws {
        let m = PieceMetrics.compute(line([60, 62, 64, 65, 67]))
        let data = try JSONEncoder().encode(m)
        XCTAssertEqual(try JSONDecoder().decode(PieceMetrics.self, from: data), m)
    }

    func testDistributionComparison() throws {
        let a = (0..<200).map { sin(Double($0) * 0.37) * 2 + 5 }
        let same = try XCTUnwrap(DistributionComparison.compare(a, a))
        XCTAssertEqual(same.overlappingArea, 1, accuracy: 1e-9)
        XCTAssertEqual(same.klDivergence, 0, accuracy: 1e-9)
        let far = try XCTUnwrap(DistributionComparison.compare(a, a.map { $0 + 100 }))
        XCTAssertLessThan(far.overlappingArea, 1e-6)
        XCTAssertGreaterThan(far.klDivergence, 10)
        let near = try XCTUnwrap(DistributionComparison.compare(a, a.map { $0 + 1 }))
        let nearer = try XCTUnwrap(DistributionComparison.compare(a, a.map { $0 + 0.3 }))
        XCTAssertGreaterThan(nearer.overlappingArea, near.overlappingArea)
        XCTAssertGreaterThan(near.overlappingArea, far.overlappingArea)
        XCTAssertLessThan(nearer.klDivergence, near.klDivergence)
        // Constant sets still compare (bandwidth floor).
        let constant = try XCTUnwrap(DistributionComparison.compare([1, 1, 1], [1, 1]))
        XCTAssertEqual(constant.overlappingArea, 1, accuracy: 1e-9)
        XCTAssertNil(DistributionComparison.compare([], [1]))
    }
}

final class MetricsSummaryTests: XCTestCase {
    func piece(_ pitches: [Int], velocity: UInt8) -> PieceMetrics {
        let notes = pitches.enumerated().map { Note(pitch: UInt8($1), velocity: velocity, startTick: $0 * 240, durationTicks: 240) }
        return PieceMetrics.compute(Performance(tracks: [NoteTrack(notes: notes)]))
    }

    func testRowsWithAndWithoutReference() throws {
        let set = (0..<10).map { piece([60, 62, 64, 65, 67 + $0 % 3], velocity: UInt8(60 + $0)) }
        let rows = MetricsSummary.rows(set)
        XCTAssertEqual(rows.map(\.name), PieceMetrics.names)
        let velocity = try XCTUnwrap(rows.first { $0.name == "velocityMean" })
        XCTAssertEqual(velocity.mean, 64.5, accuracy: 1e-12)
        XCTAssertNil(velocity.distance)

        let same = MetricsSummary.rows(set, reference: set)
        XCTAssertTrue(same.allSatisfy { ($0.distance?.overlappingArea ?? 0) > 0.999 })
        let louder = (0..<10).map { piece([60, 62, 64, 65, 67 + $0 % 3], velocity: UInt8(110 + $0)) }
        let apart = MetricsSummary.rows(set, reference: louder)
        let v = try XCTUnwrap(apart.first { $0.name == "velocityMean" })
        XCTAssertEqual(v.referenceMean!, 114.5, accuracy: 1e-12)
        XCTAssertLessThan(v.distance!.overlappingArea, 0.01)
        // Pitch metrics are identical between the two sets.
        XCTAssertGreaterThan(apart.first { $0.name == "pitchRange" }!.distance!.overlappingArea, 0.999)
    }
}
