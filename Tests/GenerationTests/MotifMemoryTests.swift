import Foundation
@testable import Generation
import Learning
import Music
import TestSupport
import XCTest

/// The motif memory proposes what followed an earlier passage the latest notes repeat, only for phrases
/// (not overlapping, at least the minimum distance back), and the stepper's mixing makes repetition more likely.
final class MotifMemoryTests: XCTestCase {
    private func event(_ p: Int) -> MotifMemory.Event { .init(pitch: Int16(p), step: 6, length: 5) }

    func testProposesTheContinuationOfTheLongestEarlierMatch() {
        var m = MotifMemory(minimumMatch: 3, minimumDistance: 4)
        // A phrase 60 62 64 65 67, other notes, then 60 62 64 again: the memory proposes 65.
        for p in [60, 62, 64, 65, 67, 50, 51, 52, 53, 60, 62, 64] { m.record(event(p)) }
        XCTAssertEqual(m.proposal(), event(65))
        // A different length breaks the match.
        m.record(.init(pitch: 65, step: 6, length: 11))
        XCTAssertNil(m.proposal())
    }

    func testShortLoopsAndTooFewNotesProposeNothing() {
        var m = MotifMemory(minimumMatch: 4, minimumDistance: 8)
        for _ in 0..<6 { m.record(event(60)) }
        XCTAssertNil(m.proposal(), "a repeated note is not a phrase eight notes back")
        var few = MotifMemory(minimumMatch: 4, minimumDistance: 2)
        for p in [1, 2, 3] { few.record(event(p)) }
        XCTAssertNil(few.proposal())
    }

    func testForgetsOldNotesInBlocks() {
        var m = MotifMemory(capacity: 16, minimumMatch: 2, minimumDistance: 2)
        for p in 0..<40 { m.record(event(p)) }
        var forgot = m
        for p in [34, 35] { m.record(event(p)) }  // still remembered: proposes 36
        XCTAssertEqual(m.proposal(), event(36))
        for p in [20, 21] { forgot.record(event(p)) }  // dropped with an older block
        XCTAssertNil(forgot.proposal())
    }

    /// A passage is restated once: after two copies in a row the note that would start a third is never proposed,
    /// even though an earlier, longer match points to it.
    func testNeverProposesAThirdCopyInARow() {
        var m = MotifMemory(minimumMatch: 3, minimumDistance: 4)
        let phrase = [60, 62, 64, 65, 67, 69]
        // A long enough piece before it that two copies (12 notes) stay under 30 % of it.
        for p in (0..<60).map({ 20 + $0 % 17 }) + [40, 41] + phrase { m.record(event(p)) }
        for p in phrase.prefix(5) { m.record(event(p)) }
        XCTAssertEqual(m.proposal(), event(69), "the second copy is completed")
        m.record(event(69))
        XCTAssertNil(m.proposal(), "two copies in a row: no third")
        // Something else, then the phrase's start again: restating it later is fine.
        for p in [50, 52, 53, 55, 57, 59, 50] { m.record(event(p)) }
        for p in phrase.prefix(3) { m.record(event(p)) }
        XCTAssertEqual(m.proposal(), event(65))
    }

    /// In a short piece a second copy that would fill more than 30 % of it is varied at its end; a short figure
    /// repeats over at most 16 notes.
    func testLoopsNeverFillTooMuchOfThePiece() {
        var m = MotifMemory(minimumMatch: 3, minimumDistance: 4)
        let phrase = [60, 62, 64, 65, 67, 69]
        for p in [40, 41] + phrase + phrase.prefix(5) { m.record(event(p)) }
        _ = m.proposal()
        XCTAssertTrue(m.continuesLoop(event(69)), "12 of 14 notes would loop")
        XCTAssertFalse(m.continuesLoop(event(70)))
        var trill = MotifMemory()
        for i in 0..<100 { trill.record(event(30 + i % 50)) }
        for i in 0..<15 { trill.record(event(i % 2 == 0 ? 72 : 74)) }
        _ = trill.proposal()
        XCTAssertFalse(trill.continuesLoop(event(74)), "16 notes of a trill are fine")
        trill.record(event(74))
        _ = trill.proposal()
        XCTAssertTrue(trill.continuesLoop(event(72)), "a 17th is a loop")
    }

    /// A copy lets go after `maximumCopy` notes.
    func testCopiesAtMostMaximumCopyNotes() {
        var m = MotifMemory(minimumMatch: 3, minimumDistance: 4, maximumCopy: 10)
        let long = Array(70..<94)
        for p in long + [30, 31] { m.record(event(p)) }
        var copied = 0
        for p in long {
            m.record(event(p))
            if m.proposal() != nil { copied += 1 }
        }
        XCTAssertEqual(copied, 10 - 3, "proposals for matches of 3 ... 9 notes")
    }

    /// With the memory on (at the model's default temperature), the shipped default model's pieces repeat more of their own 4-note passages than with it off.
    func testMemoryRaisesRepetition() throws {
        let model = try Fixtures.defaultModel()
        guard model.loss.categorical?.rhythm != nil else { throw XCTSkip("the default model has no rhythm head") }
        let files = try Corpus.midiFiles(in: TestPaths.sampleCorpus)
        func repeatedShare(_ weight: Double) throws -> Double {
            var total = 0.0
            for seed in 1...3 as ClosedRange<UInt64> {
                let start = try GenerationStart.primer(fileAt: files[Int(seed) * 40], features: model.features)
                let options = try GenerationOptions(length: .notes(150), seed: seed, start: start,
                                                    sampling: SamplingOptions(temperature: SamplingOptions.defaultTemperature(stateful: model.isStateful),
                                                                              motifMemory: weight))
                let notes = try Generator(model: model, options: options).performance().allNotes
                let keys = notes.map { [Int($0.pitch), $0.durationTicks] }
                var counts: [[[Int]]: Int] = [:]
                for i in 0..<(keys.count - 3) { counts[Array(keys[i..<(i + 4)]), default: 0] += 1 }
                total += Double(counts.values.filter { $0 > 1 }.reduce(0, +)) / Double(keys.count - 3)
            }
            return total / 3
        }
        let off = try repeatedShare(0), on = try repeatedShare(0.8)
        XCTAssertGreaterThan(on, off + 0.02, "memory on \(on), off \(off)")
        XCTAssertGreaterThan(on, off * 1.5, "memory on \(on), off \(off)")
    }

    /// A cue restates an earlier passage from the given note where no match proposes one: note by note, also past a
    /// note drawn otherwise (a varied restatement), until it has missed ``MotifMemory/cueMisses`` notes in a row; once
    /// the latest notes repeat the passage the matching carries it on; forgotten notes cannot be cued.
    func testRecallCuesAnEarlierPhrase() {
        var m = MotifMemory(minimumMatch: 3, minimumDistance: 4)
        for p in [60, 62, 64, 65, 67, 69, 71, 72, 40, 41, 42, 43, 44, 45, 46, 47] { m.record(event(p)) }
        XCTAssertNil(m.proposal(), "nothing repeats yet")
        m.recall(from: 1)  // the phrase's second note on
        XCTAssertEqual(m.proposal(), event(62))
        m.record(event(62))
        XCTAssertEqual(m.proposal(), event(64))
        m.record(event(30))  // drawn otherwise: the cue goes on with the next note of the passage
        XCTAssertEqual(m.proposal(), event(65))
        m.record(event(65))
        XCTAssertEqual(m.proposal(), event(67))
        m.record(event(67))
        // 65 67 now repeat the passage's 65 67 but the match needs 3 notes: still the cue.
        XCTAssertEqual(m.proposal(), event(69))
        m.record(event(69))
        // 65 67 69 match: the matching proposes what followed.
        XCTAssertEqual(m.proposal(), event(71))

        var missing = MotifMemory(minimumMatch: 3, minimumDistance: 4)
        for p in [60, 62, 64, 65, 67, 69, 71, 72, 40, 41, 42, 43] { missing.record(event(p)) }
        missing.recall(from: 0)
        for p in [20, 21, 22] {
            XCTAssertNotNil(missing.proposal())
            missing.record(event(p))
        }
        XCTAssertNil(missing.proposal(), "three notes in a row off the passage end the cue")

        // Notes already forgotten cannot be cued; a cue copies its passage, so it outlives the notes' forgetting.
        var forgotten = MotifMemory(capacity: 16, minimumMatch: 3, minimumDistance: 4)
        for p in 0..<17 { forgotten.record(event(100 + p)) }
        XCTAssertEqual(forgotten.firstRemembered, 8, "the oldest block of 8 is dropped")
        forgotten.recall(from: 2)
        XCTAssertNil(forgotten.proposal())
        forgotten.recall(from: 9)
        XCTAssertEqual(forgotten.proposal(), event(109))
        for p in 0..<3 { forgotten.record(event(p)) }  // drawn otherwise: the cue ends after three of them
        XCTAssertNil(forgotten.proposal())
        var outlives = MotifMemory(capacity: 16, minimumMatch: 3, minimumDistance: 4)
        for p in 0..<16 { outlives.record(event(100 + p)) }
        outlives.recall(from: 1)
        for p in 1...4 {
            XCTAssertEqual(outlives.proposal(), event(100 + p))
            outlives.record(event(100 + p))  // the first of these drops notes 0...7 from the memory
        }
        XCTAssertEqual(outlives.firstRemembered, 8)
        XCTAssertEqual(outlives.proposal(), event(105), "the cue goes on with its own copy of the passage")
    }

    /// Phrase recall on the shipped default model's chorale cold starts: their melody (top line) repeats more of its
    /// interval 4-grams than with recall off, and no piece ends in an exact loop over 35 % of it.
    func testPhraseRecallRaisesRepetitionWithoutLoops() throws {
        let model = try Fixtures.defaultModel()
        guard model.loss.categorical?.rhythm != nil, let style = model.features.styles.firstIndex(of: "chorales") else {
            throw XCTSkip("the default model has no rhythm head or no chorale style")
        }
        func measure(_ recall: Double) throws -> (repeated: Double, loop: Double) {
            var repeated = 0.0, loop = 0.0
            for seed in 1...6 as ClosedRange<UInt64> {
                let sampling = try SamplingOptions(temperature: SamplingOptions.defaultTemperature(stateful: model.isStateful),
                                                   phraseRecall: recall)
                let options = try GenerationOptions(length: .notes(200), seed: seed, start: .random, sampling: sampling, style: style)
                let performance = try Generator(model: model, options: options).performance()
                let metrics = PieceMetrics.compute(performance)
                repeated += metrics.repeatedIntervalNGramShare / 6
                loop = max(loop, metrics.loopTailShare)
            }
            return (repeated, loop)
        }
        let off = try measure(0), on = try measure(1)
        XCTAssertGreaterThan(on.repeated, off.repeated + 0.1, "recall on \(on), off \(off)")
        XCTAssertLessThanOrEqual(on.loop, 0.35)
    }
}
