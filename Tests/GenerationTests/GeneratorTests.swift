import Foundation
import Generation
import Learning
import MIDI
import TestSupport
import XCTest

final class GeneratorTests: XCTestCase {
    // MARK: determinism

    func testSameSeedGivesTheSameNotesAndBytes() throws {
        let model = try Fixtures.paperModel()
        let a = try Generator.make(model, seed: 42).performance()
        let b = try Generator.make(model, seed: 42).performance()
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.midiFile().encoded(), b.midiFile().encoded())
        let c = try Generator.make(model, seed: 43).performance()
        XCTAssertNotEqual(a.allNotes, c.allNotes, "a different seed should give different notes")
    }

    func testDeterministicSteppingNeedsNoSeed() throws {
        // Temperature 0 with the same start context: the seed only matters for the random start.
        let model = try Fixtures.paperModel()
        let primer = try Generator.make(model, length: .notes(30), seed: 5).performance()
        let a = try Generator.make(model, length: .notes(50), seed: 1, start: .primer(primer), temperature: 0).performance()
        let b = try Generator.make(model, length: .notes(50), seed: 2, start: .primer(primer), temperature: 0).performance()
        XCTAssertEqual(a.allNotes, b.allNotes)
    }

    // MARK: lengths

    func testLengthInNotes() throws {
        let model = try Fixtures.paperModel()
        for n in [1, 7, 200, 1000] {
            XCTAssertEqual(try Generator.make(model, length: .notes(n)).performance().noteCount, n)
        }
    }

    func testLengthInSeconds() throws {
        let model = try Fixtures.paperModel()
        for tempo in [60.0, 120, 173] {
            let p = try Generator.make(model, length: .seconds(20), tempo: tempo).performance()
            let onsets = p.allNotes.map { p.seconds(atTick: $0.startTick) }
            XCTAssertFalse(onsets.isEmpty)
            XCTAssertLessThan(onsets.max()!, 20)
            XCTAssertGreaterThan(onsets.max()!, 14, "the piece should fill most of the 20 s at \(tempo) BPM")
            XCTAssertLessThanOrEqual(p.durationSeconds, 20 + 1e-6, "notes are cut at the end")
            XCTAssertEqual(p.tempoMap.microsecondsPerBeat(atTick: 0), Int((60e6 / tempo).rounded()))
        }
    }

    func testLengthInBars() throws {
        let model = try Fixtures.paperModel()
        let p = try Generator.make(model, length: .bars(8)).performance()
        let end = 8 * 4 * p.ticksPerBeat
        XCTAssertEqual(p.timeSignatures, [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)])
        XCTAssertLessThan(p.allNotes.map(\.startTick).max()!, end)
        XCTAssertGreaterThan(p.allNotes.map(\.startTick).max()!, end - 2 * 4 * p.ticksPerBeat)
        XCTAssertLessThanOrEqual(p.endTick, end)
    }

    // MARK: starts

    func testPrimerContinuesFromItsLastNotes() throws {
        let model = try Fixtures.paperModel()
        let corpus = TestPaths.sampleCorpus
        let file = try Corpus.midiFiles(in: corpus)[3]
        let start = try GenerationStart.primer(fileAt: file)
        guard case .primer(let primer) = start else { return XCTFail("not a primer") }
        let frames = PaperFeatures.frames(of: primer)
        let generator = try Generator.make(model, length: .notes(20), start: start, temperature: 0)
        XCTAssertEqual(generator.plan.context, Array(frames.suffix(3)))
        // The first note is the model's prediction after the primer's last three note-ons.
        let predicted = model.makePredictor().predict(Array(frames.suffix(3)))
        let first = generator.performance().allNotes[0]
        XCTAssertEqual(Int(first.pitch), Int(min(127, max(0, predicted.note.rounded()))))
        XCTAssertEqual(Int(first.velocity), Int(min(127, max(1, predicted.velocity.rounded()))))
        // Without --tempo the continuation keeps the primer's tempo at its end.
        let tempo = 60e6 / Double(primer.tempoMap.microsecondsPerBeat(atTick: primer.allNotes.last!.startTick))
        XCTAssertEqual(generator.plan.tempoBPM, tempo, accuracy: 1e-9)
    }

    func testEmptyPrimerIsRejected() throws {
        let model = try Fixtures.paperModel()
        let folder = try TestPaths.temporaryFolder(self, prefix: "gen-tests")
        let url = folder.appendingPathComponent("empty.mid")
        try Performance().midiFile().write(to: url, overwrite: false)
        XCTAssertThrowsError(try GenerationStart.primer(fileAt: url)) { error in
            XCTAssertEqual("\(error)", "\(url.path): the primer has no notes to continue from")
        }
        XCTAssertThrowsError(try Generator.make(model, start: .primer(Performance())))
    }

    func testCorpusSongStartIsAWindowOfTheChosenSong() throws {
        let model = try Fixtures.paperModel()
        let corpus = TestPaths.sampleCorpus
        let (start, path) = try GenerationStart.corpusSong(inFolder: corpus, seed: 11)
        XCTAssertEqual(try GenerationStart.corpusSong(inFolder: corpus, seed: 11).path, path, "the seed picks the song")
        guard case .corpusSong(let song) = start else { return XCTFail("not a corpus song") }
        let frames = PaperFeatures.frames(of: song)
        let context = try Generator.make(model, seed: 11, start: start).plan.context
        XCTAssertEqual(context.count, 3)
        let found = (0...(frames.count - 3)).contains { Array(frames[$0..<($0 + 3)]) == context }
        XCTAssertTrue(found, "the context is three consecutive note-ons of \(path)")
    }

    // MARK: ranges and durations

    func testRangesHoldAtExtremeTemperatures() throws {
        let model = try Fixtures.paperModel()
        for (temperature, noise) in [(0.0, 0.0), (1.0, 0.2), (100.0, 10.0), (37.0, 3.0)] {
            for length in [GenerationLength.notes(2000), .seconds(30), .bars(16)] {
                let p = try Generator.make(model, length: length, seed: 3, temperature: temperature, noise: noise).performance()
                XCTAssertGreaterThan(p.noteCount, 0)
                var previous = 0
                for n in p.allNotes {
                    XCTAssertTrue((0...127).contains(n.pitch), "pitch \(n.pitch)")
                    XCTAssertTrue((1...127).contains(n.velocity), "velocity \(n.velocity)")
                    XCTAssertGreaterThan(n.durationTicks, 0)
                    XCTAssertGreaterThanOrEqual(n.startTick, previous)
                    previous = n.startTick
                }
                XCTAssertTrue(p.allNotes.allSatisfy { $0.startTick >= 0 })
            }
        }
        // At the extremes the notes really reach the ends of the range.
        let wild = try Generator.make(model, length: .notes(2000), temperature: 100, noise: 10).performance().allNotes
        XCTAssertTrue(wild.contains { $0.pitch == 0 } && wild.contains { $0.pitch == 127 })
        XCTAssertTrue(wild.contains { $0.velocity == 1 } && wild.contains { $0.velocity == 127 })
    }

    func testLegatoNotesLastUntilTheNextOnsetCapped() throws {
        let model = try Fixtures.paperModel()
        let p = try Generator.make(model, length: .notes(500)).performance()
        let notes = p.allNotes
        let tpb = p.ticksPerBeat
        let onsets = Array(Set(notes.map(\.startTick))).sorted()
        for n in notes {
            let i = onsets.firstIndex(of: n.startTick)!
            let gap = i + 1 < onsets.count ? onsets[i + 1] - n.startTick : tpb
            let expected = max(tpb / 8, min(gap, 2 * tpb))
            XCTAssertEqual(n.durationTicks, expected, "note at \(n.startTick)")
        }
    }

    func testStaccatoHalvesTheGap() throws {
        let model = try Fixtures.paperModel()
        let legato = try Generator.make(model, length: .notes(300)).performance().allNotes
        let staccato = try Generator.make(model, length: .notes(300), durations: .staccato).performance().allNotes
        XCTAssertEqual(legato.map(\.startTick), staccato.map(\.startTick), "articulation changes lengths, not onsets")
        XCTAssertEqual(legato.map(\.pitch), staccato.map(\.pitch))
        for (l, s) in zip(legato, staccato) {
            XCTAssertEqual(Double(s.durationTicks), max(60, (Double(min(l.durationTicks, 960)) * 0.5).rounded()), accuracy: 1)
        }
    }

    func testConstantModelStillAdvancesInTime() throws {
        // Always the same pitch with no time between notes: duplicates sound once and time moves on.
        let model = try Fixtures.constantModel()
        let p = try Generator.make(model, length: .seconds(4), temperature: 0).performance()
        let notes = p.allNotes
        XCTAssertEqual(Set(notes.map(\.pitch)), [60])
        XCTAssertEqual(Set(notes.map(\.velocity)), [80])
        XCTAssertEqual(Set(zip(notes, notes.dropFirst()).map { $1.startTick - $0.startTick }), [60], "pushed a 32nd note each time")
        XCTAssertEqual(notes.count, 4 * 2 * 8, "4 s at 120 BPM: 8 beats of 8 onsets each")
    }

    func testProgramChannelAndTempoOptions() throws {
        let model = try Fixtures.paperModel()
        let options = try GenerationOptions(length: .notes(20), seed: 2, tempoBPM: 90, program: 40, channel: 3)
        let p = try Generator(model: model, options: options).performance()
        XCTAssertTrue(p.allNotes.allSatisfy { $0.program == 40 && $0.channel == 3 })
        let back = Performance(midiFile: try MIDIFile(bytes: p.midiFile().encoded()))
        XCTAssertEqual(back.allNotes, p.allNotes)
        XCTAssertEqual(back.tempoMap.microsecondsPerBeat(atTick: 0), 666_667)
        XCTAssertThrowsError(try GenerationOptions(program: 128))
        XCTAssertThrowsError(try GenerationOptions(tempoBPM: 0))
        XCTAssertThrowsError(try GenerationOptions(channel: 16))
    }

    // MARK: streaming

    func testStreamYieldsTheSameNotesAsBatch() async throws {
        let model = try Fixtures.paperModel()
        for length in [GenerationLength.notes(300), .seconds(15), .bars(6)] {
            let generator = try Generator.make(model, length: length, seed: 77)
            var streamed: [Note] = []
            for await note in generator.notes { streamed.append(note) }
            XCTAssertEqual(streamed, generator.performance().tracks[0].notes)
        }
    }

    func testEndlessStreamCanBeConsumedIncrementally() async throws {
        let model = try Fixtures.paperModel()
        let endless = try Generator.make(model, length: .endless, seed: 5)
        var count = 0
        for await _ in endless.notes {
            count += 1
            if count == 5000 { break }
        }
        XCTAssertEqual(count, 5000)
        let prefix = try Generator.make(model, length: .notes(100), seed: 5).performance().allNotes.map(\.pitch)
        var streamed: [UInt8] = []
        for await n in endless.notes {
            streamed.append(n.pitch)
            if streamed.count == 99 { break }
        }
        XCTAssertEqual(Array(prefix.prefix(99)), streamed, "an endless stream starts like a finite one")
    }

    func testJSONLinesParse() throws {
        let model = try Fixtures.paperModel()
        let generator = try Generator.make(model, length: .notes(10))
        for note in generator.performance().allNotes {
            let line = NoteJSONLine.line(note, tempoMap: generator.plan.tempoMap)
            XCTAssertTrue(line.hasSuffix("}\n"))
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            XCTAssertEqual(object["pitch"] as? Int, Int(note.pitch))
            XCTAssertEqual(object["start_tick"] as? Int, note.startTick)
            XCTAssertEqual((object["start_seconds"] as! NSNumber).doubleValue, generator.plan.tempoMap.seconds(atTick: note.startTick), accuracy: 1e-6)
        }
    }

    // MARK: models

    func testDefaultModelIsFoundAndMatchesTheSample() throws {
        let url = try DefaultModel.locate()
        let model = try TrainedModel(contentsOf: url)
        XCTAssertNoThrow(try StepperFactory.validate(model: model, path: url.path), "generate can step the default model")
        // The default model is default.tsmodel when it is committed, else the paper model.
        let samples = TestPaths.packageRoot.appendingPathComponent("Samples/Models")
        if FileManager.default.fileExists(atPath: samples.appendingPathComponent("default.tsmodel").path) {
            XCTAssertEqual(url.lastPathComponent, "default.tsmodel")
            XCTAssertNotNil(model.loss.categorical)
        } else {
            XCTAssertEqual(model.network.architecture.lookBack, 3)
        }
        // Every committed sample model has a byte-identical resource copy (Samples/Models/sync-resources.sh).
        let names = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".tsmodel") }
        XCTAssertTrue(names.contains("paper.tsmodel"))
        for name in names {
            let resource = TestPaths.packageRoot.appendingPathComponent("Sources/Generation/Resources/" + name)
            XCTAssertEqual(try Data(contentsOf: samples.appendingPathComponent(name)), try Data(contentsOf: resource),
                           "\(name): run Samples/Models/sync-resources.sh")
        }
    }

    func testUnknownModelFileGivesAClearError() throws {
        XCTAssertThrowsError(try TrainedModel(contentsOf: URL(fileURLWithPath: "/nonexistent/model.tsmodel"))) { error in
            XCTAssertTrue(error.localizedDescription.contains("/nonexistent/model.tsmodel"), error.localizedDescription)
        }
    }
}
