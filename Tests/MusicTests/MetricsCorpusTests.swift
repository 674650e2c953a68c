import Foundation
import MIDI
import Music
import TestSupport
import XCTest

/// Metrics on real corpus files (../shared/corpus, else the sample corpus Samples/Corpus).
final class MetricsCorpusTests: XCTestCase {
    /// Every `stride`-th file of a corpus folder: `shared` on the shared corpus (367 chorales, 1,799 folk tunes),
    /// `sample` on the sample corpus (100 chorales, 200 folk tunes), so both give more than 20 files.
    func files(_ folder: String, stride: (shared: Int, sample: Int)) -> [URL] {
        let step = TestPaths.usesSharedCorpus ? stride.shared : stride.sample
        return TestPaths.midiFiles(in: TestPaths.corpus.appendingPathComponent(folder)).enumerated()
            .filter { $0.offset % step == 0 }.map(\.element)
    }

    func metrics(_ urls: [URL]) -> [PieceMetrics] {
        urls.compactMap { try? Performance(contentsOf: $0) }.map { PieceMetrics.compute($0) }
    }

    func assertRanges(_ m: PieceMetrics, file: StaticString = #filePath, line: UInt = #line) {
        let fractions = [m.scaleConsistency, m.onsetGrid16Fraction, m.emptyBeatRate, m.grooveConsistency, m.ioiSteadiness,
                         m.repeatedIntervalNGramShare, m.repeatedRhythmNGramShare, m.selfSimilarity, m.chordOnsetFraction]
        XCTAssertTrue(fractions.allSatisfy { (0...1).contains($0) }, "\(fractions)", file: file, line: line)
        XCTAssertTrue((-1...1).contains(m.keyCorrelation), file: file, line: line)
        XCTAssertTrue((0...log2(12.0) + 1e-9).contains(m.pitchClassEntropy), file: file, line: line)
        XCTAssertTrue((1...127).contains(m.velocityMean), file: file, line: line)
        XCTAssertTrue((0...127).contains(m.pitchRange) && m.distinctPitches <= 128, file: file, line: line)
        XCTAssertTrue(m.values.allSatisfy { $0.value.isFinite }, file: file, line: line)
    }

    func testChoralesAreTonalFourPartHarmony() throws {
        let set = metrics(files("chorales", stride: (10, 3)))
        XCTAssertGreaterThan(set.count, 20)
        set.forEach { assertRanges($0) }
        let rows = MetricsSummary.rows(set)
        func mean(_ name: String) -> Double { rows.first { $0.name == name }!.mean }
        print("chorales:", rows.map { "\($0.name)=\(String(format: "%.3f", $0.mean))" }.joined(separator: " "))
        XCTAssertGreaterThan(mean("scaleConsistency"), 0.9)
        XCTAssertGreaterThan(mean("keyCorrelation"), 0.7)
        XCTAssertGreaterThan(mean("polyphony"), 3)
        XCTAssertGreaterThan(mean("chordOnsetFraction"), 0.5)
        XCTAssertGreaterThan(mean("onsetGrid16Fraction"), 0.95)
    }

    func testFolkTunesAreMonophonicAndRepetitive() throws {
        let set = metrics(files("folk", stride: (25, 6)))
        XCTAssertGreaterThan(set.count, 20)
        set.forEach { assertRanges($0) }
        let rows = MetricsSummary.rows(set)
        func mean(_ name: String) -> Double { rows.first { $0.name == name }!.mean }
        print("folk:", rows.map { "\($0.name)=\(String(format: "%.3f", $0.mean))" }.joined(separator: " "))
        XCTAssertLessThan(mean("polyphony"), 1.5)
        XCTAssertGreaterThan(mean("scaleConsistency"), 0.9)
        XCTAssertGreaterThan(mean("repeatedIntervalNGramShare"), 0.3)
        XCTAssertGreaterThan(mean("selfSimilarity"), 0.5)
    }

    func testChoralesAndFolkDifferInChordMetrics() throws {
        let chorales = metrics(files("chorales", stride: (10, 3)))
        let folk = metrics(files("folk", stride: (25, 6)))
        let rows = MetricsSummary.rows(chorales, reference: folk)
        let chord = rows.first { $0.name == "chordOnsetFraction" }!
        XCTAssertLessThan(chord.distance!.overlappingArea, 0.5)
        XCTAssertGreaterThan(chord.distance!.klDivergence, 1)
    }
}
