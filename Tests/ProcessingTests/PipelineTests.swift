import Foundation
import MIDI
import Music
@testable import Processing
import TestSupport
import XCTest

final class PipelineTests: XCTestCase {
    let registry = ProcessorRegistry.standard

    func testRegistryListsBuiltIns() {
        XCTAssertEqual(registry.names, ["scale", "quantize", "chords"])
        for d in registry.descriptors {
            XCTAssertFalse(d.summary.isEmpty)
            XCTAssertFalse(d.guarantee.isEmpty)
            for p in d.parameters { XCTAssertNotNil(p.normalise(p.defaultValue), "\(d.name).\(p.name) default must be valid") }
        }
    }

    func testSpecParsing() throws {
        let s = try ProcessorSpec(parsing: " quantize : grid=1/16, strength = 0.8 ")
        XCTAssertEqual(s.name, "quantize")
        XCTAssertEqual(s.arguments, [.init(name: "grid", value: "1/16"), .init(name: "strength", value: "0.8")])
        XCTAssertEqual(s.text, "quantize:grid=1/16,strength=0.8")
        XCTAssertEqual(try ProcessorSpec(parsing: "scale").arguments, [])
        XCTAssertEqual(try ProcessorSpec(parsing: "scale:").arguments, [])
    }

    func testOrderIsRespected() throws {
        let input = Fixtures.performance(count: 200, seed: 11)
        let ab = try registry.makePipeline(["scale:key=C,mode=major", "scale:key=C#,mode=major"]).run(input)
        let ba = try registry.makePipeline(["scale:key=C#,mode=major", "scale:key=C,mode=major"]).run(input)
        XCTAssertTrue(Fixtures.pitched(ab).allSatisfy { Key(name: "C#")!.contains(pitch: Int($0.pitch)) })
        XCTAssertTrue(Fixtures.pitched(ba).allSatisfy { Key(name: "C")!.contains(pitch: Int($0.pitch)) })
        // A pipeline equals applying its stages one after another.
        let full = try registry.makePipeline(["scale:key=auto", "quantize:grid=1/8", "chords:style=seventh"]).run(input)
        var context = ProcessingContext()
        var manual = try registry.makeProcessor("scale:key=auto").process(input, context: &context)
        manual = try registry.makeProcessor("quantize:grid=1/8").process(manual, context: &context)
        manual = try registry.makeProcessor("chords:style=seventh").process(manual, context: &context)
        XCTAssertEqual(full, manual)
    }

    func testFullPipelineGuaranteesAndDeterminism() throws {
        let input = Fixtures.performance(count: 1000, seed: 5)
        let specs = ["scale:key=auto,mode=major", "quantize:grid=1/16,strength=1", "chords:style=seventh,every=bar"]
        var context = ProcessingContext()
        let out = try registry.makePipeline(specs).run(input, context: &context)
        let again = try registry.makePipeline(specs).run(input)
        XCTAssertEqual(out, again, "deterministic")
        let key = try XCTUnwrap(context.key)
        XCTAssertTrue(Fixtures.pitched(out).allSatisfy { key.contains(pitch: Int($0.pitch)) })
        XCTAssertTrue(out.tracks.allSatisfy { $0.notes.allSatisfy { $0.startTick % 120 == 0 } })
        XCTAssertTrue(Fixtures.wellFormed(out))
        XCTAssertEqual(out.tracks.count, input.tracks.count + 1)
    }

    func testBadSpecErrors() {
        func message(_ spec: String) -> String {
            do { _ = try registry.makeProcessor(spec); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("reverb:size=3"), "unknown processor \"reverb\"; valid processors: scale, quantize, chords")
        XCTAssertEqual(message("scale:kye=C"), "processor \"scale\" has no parameter \"kye\"; valid parameters: key, mode, collisions")
        XCTAssertEqual(message("scale:key=H"), "bad value \"H\" for scale parameter \"key\"; expected auto or a note name such as C, F#, Bb, Eb")
        XCTAssertEqual(message("scale:mode=locrian"), "bad value \"locrian\" for scale parameter \"mode\"; expected one of auto, major, minor, harmonic-minor, dorian, phrygian, lydian, mixolydian, pentatonic-major, pentatonic-minor, blues")
        XCTAssertEqual(message("quantize:grid=1/3"), "bad value \"1/3\" for quantize parameter \"grid\"; expected one of 1/4, 1/8, 1/16, 1/32, 1/4t, 1/8t, 1/16t")
        XCTAssertEqual(message("quantize:strength=1.5"), "bad value \"1.5\" for quantize parameter \"strength\"; expected a number from 0 to 1")
        XCTAssertEqual(message("quantize:strength=nan"), "bad value \"nan\" for quantize parameter \"strength\"; expected a number from 0 to 1")
        XCTAssertEqual(message("quantize:durations=maybe"), "bad value \"maybe\" for quantize parameter \"durations\"; expected true or false")
        XCTAssertEqual(message("chords:style=ninth"), "bad value \"ninth\" for chords parameter \"style\"; expected one of triad, seventh")
        XCTAssertEqual(message("chords:every=minute"), "bad value \"minute\" for chords parameter \"every\"; expected one of beat, bar, strong")
        XCTAssertEqual(message("chords:low=200"), "bad value \"200\" for chords parameter \"low\"; expected an integer from 0 to 115")
        XCTAssertEqual(message("chords:channel=9"), "bad value \"9\" for chords parameter \"channel\"; expected auto or a channel 0...15 other than 9 (drums)")
        XCTAssertEqual(message("quantize:grid=1/8,grid=1/16"), "parameter \"grid\" of processor \"quantize\" is given more than once")
        XCTAssertEqual(message(""), "empty processor spec; expected name:key=value,key=value")
        XCTAssertEqual(message("scale:key"), "malformed processor spec \"scale:key\": \"key\" is not key=value; expected name:key=value,key=value")
        XCTAssertEqual(message("scale:key="), "malformed processor spec \"scale:key=\": parameter \"key\" has no value; expected name:key=value,key=value")
        XCTAssertEqual(message(":key=C"), "malformed processor spec \":key=C\": missing processor name; expected name:key=value,key=value")
        XCTAssertEqual(message("sc ale"), "malformed processor spec \"sc ale\": processor name \"sc ale\" has characters other than letters, digits, - and _; expected name:key=value,key=value")
        // Names and choices are matched ignoring case.
        XCTAssertEqual(message("Quantize:GRID=1/8T"), "no error")
    }

    func testPipelineFile() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "tunesmith-pipeline")
        let good = dir.appendingPathComponent("good.txt")
        try "# my pipeline\n\nscale:key=auto,mode=major   # find the key\n  quantize:grid=1/16,strength=0.8\r\nchords:style=seventh,every=bar\n".write(to: good, atomically: true, encoding: .utf8)
        let pipeline = try registry.makePipeline(fileAt: good.path)
        XCTAssertEqual(pipeline.processors.map { type(of: $0).name }, ["scale", "quantize", "chords"])

        let bad = dir.appendingPathComponent("bad.txt")
        try "scale\n# comment\nquantize:grid=1/5\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try registry.makePipeline(fileAt: bad.path)) { error in
            XCTAssertEqual("\(error)", "\(bad.path) line 3: bad value \"1/5\" for quantize parameter \"grid\"; expected one of 1/4, 1/8, 1/16, 1/32, 1/4t, 1/8t, 1/16t")
        }
        let malformed = dir.appendingPathComponent("malformed.txt")
        try "scale:key\n".write(to: malformed, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try registry.makePipeline(fileAt: malformed.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(malformed.path) line 1: malformed processor spec"))
        }
        let missing = dir.appendingPathComponent("missing.txt").path
        XCTAssertThrowsError(try registry.makePipeline(fileAt: missing)) { error in
            XCTAssertEqual("\(error)", "cannot read pipeline file \(missing): no such file")
        }
        XCTAssertThrowsError(try registry.makePipeline(fileAt: dir.path)) { error in
            XCTAssertEqual("\(error)", "cannot read pipeline file \(dir.path): is a directory")
        }
        let binary = dir.appendingPathComponent("binary.txt")
        try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: binary)
        XCTAssertThrowsError(try registry.makePipeline(fileAt: binary.path)) { error in
            XCTAssertEqual("\(error)", "cannot read pipeline file \(binary.path): not readable UTF-8 text")
        }
    }

    func testCustomProcessorNeedsOnlyATypeAndARegistration() throws {
        struct Transpose: PostProcessor {
            static let name = "transpose"
            static let summary = "Shifts pitched notes."
            static let guarantee = "Pitches stay within 0...127."
            static let parameters = [ParameterSpec("semitones", .integer(-24...24), default: "0", "shift")]
            let semitones: Int
            init(arguments: ProcessorArguments) throws { semitones = arguments.int("semitones") }
            func process(_ p: Performance, context: inout ProcessingContext) throws -> Performance {
                var out = p
                for t in out.tracks.indices {
                    for i in out.tracks[t].notes.indices where !out.tracks[t].notes[i].isDrum {
                        out.tracks[t].notes[i].pitch = UInt8(min(127, max(0, Int(out.tracks[t].notes[i].pitch) + semitones)))
                    }
                }
                return out
            }
        }
        var registry = ProcessorRegistry.standard
        registry.register(Transpose.self)
        let p = Performance(tracks: [NoteTrack(notes: [Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 10)])])
        let out = try registry.makePipeline(["transpose:semitones=2", "scale:key=C,mode=major"]).run(p)
        XCTAssertEqual(out.tracks[0].notes[0].pitch, 62)
        XCTAssertEqual(registry.names.last, "transpose")
    }
}
