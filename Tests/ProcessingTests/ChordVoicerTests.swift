import MIDI
import Music
@testable import Processing
import XCTest

final class ChordVoicerTests: XCTestCase {
    /// Groups the chord track's notes by onset.
    func chordPoints(_ p: Performance) -> [Int: [Note]] {
        Dictionary(grouping: p.tracks.last!.notes, by: \.startTick)
    }

    func assertChordGuarantee(_ out: Performance, key: Key, register: ClosedRange<Int> = 48...72, file: StaticString = #filePath, line: UInt = #line) {
        let points = chordPoints(out)
        XCTAssertFalse(points.isEmpty, file: file, line: line)
        for (tick, notes) in points {
            XCTAssertGreaterThanOrEqual(Set(notes.map(\.pitch)).count, 3, "at \(tick)", file: file, line: line)
            XCTAssertTrue(notes.allSatisfy { key.contains(pitch: Int($0.pitch)) }, "at \(tick) in \(key)", file: file, line: line)
            XCTAssertTrue(notes.allSatisfy { register.contains(Int($0.pitch)) }, file: file, line: line)
        }
        XCTAssertTrue(Fixtures.wellFormed(out), file: file, line: line)
    }

    func testTriadsPerBarInFixedKey() throws {
        let tune = Fixtures.tune(in: Key(name: "G")!)
        let out = try ProcessorRegistry.standard.makeProcessor("chords:key=G,mode=major").process(tune)
        XCTAssertEqual(out.tracks.count, 2)
        XCTAssertEqual(out.tracks[0], tune.tracks[0], "the melody is untouched")
        XCTAssertEqual(out.tracks[1].name, "Chords")
        assertChordGuarantee(out, key: Key(name: "G")!)
        // 8 bars of 4/4 at 480 ticks: one chord per bar.
        XCTAssertEqual(chordPoints(out).keys.sorted(), (0..<8).map { $0 * 1920 })
        XCTAssertTrue(chordPoints(out).values.allSatisfy { $0.count == 3 })
        // The first and last chords are the tonic triad.
        XCTAssertEqual(Set(chordPoints(out)[0]!.map { PitchClass(pitch: Int($0.pitch)) }), Set([7, 11, 2].map { PitchClass($0) }))
    }

    func testSeventhsPerBeatHaveFourTones() throws {
        let tune = Fixtures.tune(in: Key(name: "Eb")!)
        let out = try ProcessorRegistry.standard.makeProcessor("chords:style=seventh,every=beat,key=Eb,mode=major").process(tune)
        assertChordGuarantee(out, key: Key(name: "Eb")!)
        XCTAssertEqual(chordPoints(out).count, 32)
        XCTAssertTrue(chordPoints(out).values.allSatisfy { Set($0.map(\.pitch)).count == 4 })
    }

    func testChordsFollowTheMelodyHarmony() throws {
        // Bar 1: C E G, bar 2: F A C, bar 3: G B D, bar 4: C E G (C major).
        let bars: [[UInt8]] = [[60, 64, 67, 72], [65, 69, 72, 69], [67, 71, 74, 71], [72, 67, 64, 60]]
        var notes: [Note] = []
        for (b, bar) in bars.enumerated() {
            for (i, p) in bar.enumerated() { notes.append(Note(pitch: p, velocity: 80, startTick: b * 1920 + i * 480, durationTicks: 480)) }
        }
        let out = try ChordVoicer(selection: KeySelection(tonic: PitchClass(0), mode: .major)).process(Performance(tracks: [NoteTrack(notes: notes)]))
        let pcs = chordPoints(out).sorted { $0.key < $1.key }.map { Set($0.value.map { PitchClass(pitch: Int($0.pitch)).value }) }
        XCTAssertEqual(pcs, [[0, 4, 7], [5, 9, 0], [7, 11, 2], [0, 4, 7]])
        // Smooth voice leading: total movement between consecutive chords is small (at most 6 semitones each).
        let voicings = chordPoints(out).sorted { $0.key < $1.key }.map { $0.value.map { Int($0.pitch) }.sorted() }
        for (a, b) in zip(voicings, voicings.dropFirst()) { XCTAssertLessThanOrEqual(VoiceLeader.movement(from: a, to: b), 6) }
    }

    func testUsesTheScaleStagesKeyAndRandomMaterialKeepsTheGuarantee() throws {
        for seed in 1...8 {
            let input = Fixtures.performance(count: 250, seed: UInt64(seed))
            for every in ["beat", "bar", "strong"] {
                for style in ["triad", "seventh"] {
                    let pipeline = try ProcessorRegistry.standard.makePipeline(["scale:key=auto,mode=dorian", "chords:style=\(style),every=\(every),low=40,high=64"])
                    var context = ProcessingContext()
                    let out = try pipeline.run(input, context: &context)
                    let key = try XCTUnwrap(context.key)
                    XCTAssertEqual(key.mode, .dorian)
                    assertChordGuarantee(out, key: key, register: 40...64)
                    XCTAssertEqual(Fixtures.drums(out), Fixtures.drums(input))
                    XCTAssertEqual(context.applied, ["scale", "chords"])
                }
            }
        }
    }

    func testFreeChannelAndProgram() throws {
        let input = Fixtures.performance(count: 50, seed: 2) // uses channels 0, 1 and 9
        let out = try ProcessorRegistry.standard.makeProcessor("chords:program=89").process(input)
        let chordTrack = out.tracks.last!
        XCTAssertTrue(chordTrack.notes.allSatisfy { $0.channel == 2 && $0.program == 89 })
        XCTAssertEqual(chordTrack.controls, [MIDIEvent(tick: 0, .programChange(channel: 2, program: 89))])
        let fixed = try ProcessorRegistry.standard.makeProcessor("chords:channel=5").process(input)
        XCTAssertTrue(fixed.tracks.last!.notes.allSatisfy { $0.channel == 5 })
    }

    func testStrongRhythmPutsChordsOnStrongMelodyNotes() throws {
        // Downbeat notes, a long note on beat 3, and short off-beat notes.
        let notes = [Note(pitch: 60, velocity: 80, startTick: 0, durationTicks: 240),
                     Note(pitch: 62, velocity: 80, startTick: 240, durationTicks: 240),
                     Note(pitch: 64, velocity: 80, startTick: 960, durationTicks: 960),
                     Note(pitch: 65, velocity: 80, startTick: 1920, durationTicks: 120),
                     Note(pitch: 67, velocity: 80, startTick: 2160, durationTicks: 120)]
        let out = try ProcessorRegistry.standard.makeProcessor("chords:every=strong").process(Performance(tracks: [NoteTrack(notes: notes)]))
        XCTAssertEqual(chordPoints(out).keys.sorted(), [0, 960, 1920])
    }

    func testRegisterValidation() {
        XCTAssertThrowsError(try ProcessorRegistry.standard.makeProcessor("chords:low=60,high=65")) { error in
            XCTAssertEqual("\(error)", "chords: the register low=60 high=65 must lie within 0...127 and span at least 12 semitones")
        }
    }

    func testNoMelodyLeavesPerformanceUnchanged() throws {
        let drumsOnly = Performance(tracks: [NoteTrack(notes: [Note(pitch: 36, velocity: 100, startTick: 0, durationTicks: 10, channel: 9)])])
        XCTAssertEqual(try ChordVoicer().process(drumsOnly), drumsOnly)
    }
}
