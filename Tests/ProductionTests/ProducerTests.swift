import Foundation
import Generation
import Learning
import MIDI
import Processing
import Production
import Rendering
import Support
import TestSupport
import XCTest

/// The production path as a library: requests are checked before any work, generation and files agree with the
/// lower modules, cancellation stops at once, many requests run in parallel with the same bytes.
final class ProducerTests: XCTestCase {
    /// The committed paper model (fast to step), or a skip.
    func paper() throws -> ProductionModel {
        let url = TestPaths.package("Samples/Models/paper.tsmodel")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no model at \(url.path)") }
        return try ProductionModel.load(url.path)
    }

    func settings(_ pairs: [(String, String)]) throws -> GenerationSettings {
        var s = GenerationSettings()
        for (k, v) in pairs { try s.set(k, to: v) }
        return s
    }

    func testGeneratedPieceEqualsTheGeneratorsAndIsWrittenAsMIDI() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let model = try paper()
        let s = try settings([("length", "40n"), ("seed", "11"), ("tempo", "90"), ("temperature", "0.7")])
        let out = dir.appendingPathComponent("a.mid")
        let result = try Producer().prepare(ProductionRequest(source: .generate(s, model: model), outputs: [OutputRequest(url: out)])).run()
        let options = try GenerationOptions(length: .notes(40), seed: 11, sampling: SamplingOptions(temperature: 0.7), tempoBPM: 90,
                                            onsetGrid: .sixteenth)
        let direct = try Generator(model: model.model, options: options).performance()
        // The generator's piece, plus the channel set-up at tick 0: pan, reverb and chorus sends (so effects are audible).
        XCTAssertEqual(result.performance.tracks.map(\.notes), direct.tracks.map(\.notes))
        XCTAssertEqual(result.performance.tempoMap, direct.tempoMap)
        let setup = result.performance.tracks[0].controls.prefix(3).map(\.message)
        XCTAssertEqual(setup, [.controlChange(channel: 0, control: 10, value: 64), .controlChange(channel: 0, control: 91, value: 40),
                               .controlChange(channel: 0, control: 93, value: 12)])
        XCTAssertEqual(Array(result.performance.tracks[0].controls.dropFirst(3)), direct.tracks[0].controls)
        XCTAssertEqual(try Performance(contentsOf: out).tracks.flatMap(\.notes).count, 40)
        XCTAssertEqual(result.generation?.seed, 11)
        XCTAssertTrue(result.summary.contains("seed 11"))
    }

    func testOverlongAudioIsRefusedInPrepareBeforeAnyGeneration() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let s = try settings([("length", "121m")])
        let request = ProductionRequest(source: .generate(s, model: try paper()), outputs: [OutputRequest(url: dir.appendingPathComponent("x.wav"))])
        XCTAssertThrowsError(try Producer().prepare(request)) { error in
            guard case RenderError.tooLong(_, let seconds, let limit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(seconds, 7260, accuracy: 1)
            XCTAssertEqual(limit, 7200)
        }
        var raised = RenderOptions()
        raised.set("max-length", .number(8000))
        let ok = ProductionRequest(source: .generate(s, model: try paper()),
                                   outputs: [OutputRequest(url: dir.appendingPathComponent("x.wav"), options: raised)])
        XCTAssertNoThrow(try Producer().prepare(ok))
    }

    func testCancellationStopsTheGenerationAndLeavesNoFile() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let s = try settings([("length", "600m"), ("seed", "1")])
        let out = dir.appendingPathComponent("long.mid")
        let prepared = try Producer().prepare(ProductionRequest(source: .generate(s, model: try paper()), outputs: [OutputRequest(url: out)]))
        let cancellation = Cancellation()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { cancellation.cancel() }
        let started = Date()
        XCTAssertThrowsError(try prepared.run(cancellation: cancellation)) { error in
            XCTAssertEqual(error as? GenerationError, .cancelled)
            XCTAssertTrue((error as? any InterruptionReporting)?.isInterruption == true)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testEveryDeclaredSettingAcceptsItsDefaultAndRejectsGarbageNamingItself() throws {
        for d in GenerationSettings.declarations {
            var s = GenerationSettings()
            if let text = d.defaultText, d.kind == .text, !text.contains(" ") {
                XCTAssertNoThrow(try s.set(d.name, to: text), d.name)
            }
            guard d.kind == .text else { continue }
            XCTAssertThrowsError(try s.set(d.name, to: "-1e999x"), d.name) { error in
                XCTAssertTrue("\(error)".hasPrefix("--\(d.name): "), "\(error)")
            }
        }
        var s = GenerationSettings()
        XCTAssertThrowsError(try s.set("loudness", to: "-14")) { XCTAssertTrue("\($0)".contains("unknown setting")) }
    }

    func testRenderSettingsAreCheckedAgainstEachRenderersOwnDeclaration() throws {
        var r = RenderSettings()
        try r.set("bits", to: "32f")  // valid for WAV only
        try r.set("gain", to: "0.5")
        XCTAssertThrowsError(try r.set("bits", to: "12"))
        XCTAssertThrowsError(try r.set("loudness-range", to: "1"))
        let registry = RendererRegistry.standard
        let wav = try r.options(for: registry.renderer(named: "wav"), strict: true)
        XCTAssertEqual(wav.values["bits"], .choice("32f"))
        XCTAssertThrowsError(try r.options(for: registry.renderer(named: "flac"), strict: true), "FLAC has no 32f")
        XCTAssertThrowsError(try r.options(for: registry.renderer(named: "mid"), strict: true), "MIDI has no gain")
        XCTAssertEqual(try r.options(for: registry.renderer(named: "mid"), strict: false).values, [:])
    }

    func testFileSourceKeepsEveryNoteThroughAnEmptyPipeline() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let input = try XCTUnwrap(FileManager.default.enumerator(atPath: TestPaths.sampleCorpus.path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".mid") }.sorted().first)
        let url = TestPaths.sampleCorpus.appendingPathComponent(input)
        let out = dir.appendingPathComponent("copy.mid")
        let result = try Producer().prepare(ProductionRequest(source: .file(url), outputs: [OutputRequest(url: out)])).run()
        XCTAssertEqual(try Performance(contentsOf: out).noteCount, try Performance(contentsOf: url).noteCount)
        XCTAssertEqual(result.generatedNotes, result.performance.noteCount)
        XCTAssertNil(result.generation)
    }

    func testManyRequestsInParallelWriteTheBytesOfOneByOne() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let input = dir.appendingPathComponent("in.mid")
        let notes = (0..<30).map { Note(pitch: UInt8(50 + $0 % 20), velocity: 100, startTick: $0 * 120, durationTicks: 200, program: UInt8($0 % 16 * 8)) }
        try Performance(ticksPerBeat: 480, tracks: [NoteTrack(name: "t", notes: notes)]).midiFile().write(to: input)
        let requests = (0..<4).map { i in
            // One title for all: by default each file's title tag is its own name.
            ProductionRequest(source: .file(input), outputs: [OutputRequest(url: dir.appendingPathComponent("par-\(i).wav"), tags: AudioTags(title: "t"))])
        }
        for r in Producer().run(requests, jobs: 2) { _ = try r.get() }
        let serial = dir.appendingPathComponent("serial.wav")
        _ = try Producer().prepare(ProductionRequest(source: .file(input), outputs: [OutputRequest(url: serial, tags: AudioTags(title: "t"))])).run()
        let reference = try Data(contentsOf: serial)
        XCTAssertGreaterThan(reference.count, 44)
        for i in 0..<4 { XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("par-\(i).wav")), reference) }
    }

    func testTwoOutputsMayNotWriteOneFile() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let out = dir.appendingPathComponent("x.mid")
        let request = ProductionRequest(source: .generate(GenerationSettings(), model: try paper()),
                                        outputs: [OutputRequest(url: out), OutputRequest(url: out)])
        XCTAssertThrowsError(try Producer().prepare(request)) { XCTAssertTrue("\($0)".contains("given twice")) }
    }
}

/// A style's own instrument: without `program`, a piece in a style plays on the program the model recorded for it
/// (and the network reads that instrument family); a given program wins.
final class StyleProgramTests: XCTestCase {
    func model() throws -> ProductionModel {
        let url = TestPaths.defaultModel
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no model at \(url.path)") }
        var trained = try TrainedModel(contentsOf: url)
        guard trained.styles.count == 3 else { throw XCTSkip("the default model has no three styles") }
        trained.features.encoding?.stylePrograms = [0, 0, 81]
        return ProductionModel(model: trained, url: url, label: "styled model")
    }

    func piece(_ pairs: [(String, String)], model: ProductionModel) throws -> (notes: [Note], summary: String) {
        var s = GenerationSettings()
        for (k, v) in [("length", "60n"), ("seed", "5")] + pairs { try s.set(k, to: v) }
        let result = try Producer().prepare(ProductionRequest(source: .generate(s, model: model), outputs: [])).run()
        return (result.performance.tracks.flatMap(\.notes), result.summary)
    }

    func testStyleSetsTheProgramUnlessOneIsGiven() throws {
        let m = try model()
        let games = try piece([("style", "games")], model: m)
        XCTAssertEqual(Set(games.notes.map(\.program)), [81])
        XCTAssertTrue(games.summary.contains("program 81"), games.summary)
        let named = try piece([("style", "games"), ("program", "0")], model: m)
        XCTAssertEqual(Set(named.notes.map(\.program)), [0])
        XCTAssertNotEqual(named.notes.map(\.pitch), games.notes.map(\.pitch), "the network reads the instrument family")
        let folk = try piece([("style", "folk")], model: m)
        XCTAssertEqual(Set(folk.notes.map(\.program)), [0])
        XCTAssertFalse(folk.summary.contains("program"), folk.summary)
    }
}
