import Generation
import MIDI
import Music
import Processing
import XCTest

/// Post-processors applied to generated music keep their guarantees, in the order given.
final class PipelineOnGeneratedTests: XCTestCase {
    private func generated(seed: UInt64 = 21, temperature: Double = 1.5) throws -> Performance {
        try Generator.make(try Fixtures.paperModel(), length: .notes(800), seed: seed, temperature: temperature).performance()
    }

    func testScaleConstraintPutsEveryGeneratedNoteInTheScale() throws {
        let raw = try generated()
        let key = Key(name: "Eb dorian")!
        XCTAssertLessThan(raw.allNotes.filter { key.contains(pitch: Int($0.pitch)) }.count, raw.noteCount,
                          "the raw model output has off-scale notes (the paper's finding)")
        let out = try ProcessorRegistry.standard.makePipeline(["scale:key=Eb,mode=dorian"]).run(raw)
        XCTAssertGreaterThan(out.noteCount, raw.noteCount * 9 / 10, "notes moved onto the same pitch at once merge")
        XCTAssertTrue(out.allNotes.allSatisfy { key.contains(pitch: Int($0.pitch)) })
    }

    func testAutoKeyAndQuantizeInOrder() throws {
        let raw = try generated(seed: 8)
        var context = ProcessingContext()
        let out = try ProcessorRegistry.standard.makePipeline(["scale:key=auto,mode=major", "quantize:grid=1/16,strength=1"])
            .run(raw, context: &context)
        XCTAssertEqual(context.applied, ["scale", "quantize"])
        let key = try XCTUnwrap(context.key)
        XCTAssertTrue(out.allNotes.allSatisfy { key.contains(pitch: Int($0.pitch)) })
        let step = out.ticksPerBeat / 4
        XCTAssertTrue(out.allNotes.allSatisfy { $0.startTick % step == 0 }, "every onset on the 1/16 grid")
    }

    func testOrderMatters() throws {
        // Chords then scale: the scale constraint also moves the chord tones; scale then chords keeps
        // the melody in the key and adds diatonic chords. Different orders, different pieces.
        let raw = try generated(seed: 4)
        let a = try ProcessorRegistry.standard.makePipeline(["quantize:grid=1/8", "scale:key=C,mode=major"]).run(raw)
        let b = try ProcessorRegistry.standard.makePipeline(["scale:key=C,mode=major", "quantize:grid=1/8"]).run(raw)
        let c = try ProcessorRegistry.standard.makePipeline(["scale:key=C,mode=major", "chords:style=triad,every=bar"]).run(raw)
        XCTAssertTrue(a.allNotes.allSatisfy { Key(name: "C")!.contains(pitch: Int($0.pitch)) })
        XCTAssertTrue(b.allNotes.allSatisfy { $0.startTick % (b.ticksPerBeat / 2) == 0 })
        XCTAssertGreaterThan(c.noteCount, raw.noteCount, "the chord voicer adds notes")
    }

    func testBadProcessorSpecsGiveClearErrors() {
        XCTAssertThrowsError(try ProcessorRegistry.standard.makePipeline(["transpose:by=2"])) { error in
            XCTAssertTrue("\(error)".contains("unknown processor \"transpose\""), "\(error)")
        }
        XCTAssertThrowsError(try ProcessorRegistry.standard.makePipeline(["scale:key=H"])) { error in
            XCTAssertTrue("\(error)".contains("bad value \"H\""), "\(error)")
        }
    }
}
