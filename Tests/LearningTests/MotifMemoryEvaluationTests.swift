import Foundation
import MIDI
import TestSupport
import XCTest
@testable import Learning

/// Next-note scores with the song's motif memory mixed in (`evaluate-model --motif-memory W`): the mixing arithmetic,
/// and the shipped default model on a tune that states a phrase twice, where the memory proposes the second statement's
/// notes and is right every time.
final class MotifMemoryEvaluationTests: XCTestCase {
    /// p = (1 - w) p_network + w one-hot(proposal): rank and cross-entropy are taken on the mixed distribution.
    func testMixedDistributionArithmetic() {
        var t = NextNoteEvaluation.Tally()
        t.memoryWeight = 0.5
        let p: [Double] = [0.6, 0.3, 0.1]
        p.withUnsafeBufferPointer { pb in
            t.countMixed(truth: 1, probabilities: pb, proposed: 1)  // 0.3 -> 0.65, above 0.6 -> 0.3: a top-1 hit
            t.countMixed(truth: 2, probabilities: pb, proposed: 1)  // a wrong proposal: 0.1 -> 0.05, third
            t.countMixed(truth: 0, probabilities: pb, proposed: nil)  // no proposal: the network's 0.6 -> 0.3, still first
        }
        XCTAssertEqual(t.memoryNotes, 3)
        XCTAssertEqual(t.memoryTop1, 2)
        XCTAssertEqual(t.memoryTop5, 3)
        XCTAssertEqual(t.proposals, 2)
        XCTAssertEqual(t.proposalHits, 1)
        XCTAssertEqual(t.memoryPitchLoss, -log(0.65) - log(0.05) - log(0.3), accuracy: 1e-12)
    }

    /// A 24-note phrase, then the same phrase again, then a different ending: the default model with the memory scores
    /// at least as well as without it; the memory proposes the second statement's notes (and once, inside the first
    /// statement, where its opening four notes come back at note 18 and lead elsewhere: the one wrong proposal).
    func testDefaultModelOnAPhraseStatedTwice() throws {
        let url = TestPaths.defaultModel
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no default model at \(url.path)") }
        let model = try TrainedModel(contentsOf: url)
        let phrase = [67, 69, 71, 72, 74, 72, 71, 69, 67, 66, 67, 69, 71, 67, 64, 62, 64, 66, 67, 69, 71, 72, 71, 69]
        let ending = [74, 76, 74, 72, 71, 69, 67, 66, 67]
        let pitches = phrase + phrase + ending
        let notes = pitches.enumerated().map { i, p in
            Note(pitch: UInt8(p), velocity: 80, startTick: i * 240, durationTicks: i % 3 == 2 ? 220 : 200)
        }
        let performance = Performance(ticksPerBeat: 480, tempoMap: TempoMap(ticksPerBeat: 480), tracks: [NoteTrack(notes: notes)])
        let song = CorpusSong(path: "/c/folk/twice.mid", frames: PaperFeatures.frames(of: performance, configuration: model.features))
        let folk = model.styleIndex(named: "folk")
        let plain = NextNoteEvaluation.evaluate(.regression(model), songs: [song], styles: [folk], workers: 1)
        XCTAssertNil(plain.withMotifMemory, "weight 0: not scored")
        let mixed = NextNoteEvaluation.evaluate(.regression(model), songs: [song], styles: [folk], workers: 1, motifMemory: 0.8)
        let m = try XCTUnwrap(mixed.withMotifMemory)
        XCTAssertEqual(mixed.top1, plain.top1, "the network's own figures are unchanged")
        let proposals = (m.proposalShare * Double(mixed.notes)).rounded()
        let wrong = (proposals * (1 - m.proposalPrecision)).rounded()
        XCTAssertEqual(wrong, 1, "only the proposal after the first statement's returning opening is wrong")
        XCTAssertGreaterThanOrEqual(proposals - wrong, 15, "the second statement is proposed once 4 notes of it match")
        XCTAssertLessThanOrEqual(proposals - wrong, 20, "and not past it")
        XCTAssertGreaterThanOrEqual(m.top1, plain.top1)
        XCTAssertGreaterThanOrEqual((m.top1 * Double(mixed.notes)).rounded(), proposals - wrong, "every right proposal is a top-1 hit at weight 0.8")
    }
}
