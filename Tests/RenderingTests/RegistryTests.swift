import Foundation
import MIDI
@testable import Rendering
import TestSupport
import XCTest
import Support

/// Renderer registry: lookup, option declarations and validation, bad outputs.
final class RegistryTests: XCTestCase {
    typealias S = RenderTestSupport

    func testLookupByExtensionAndName() throws {
        let r = RendererRegistry.standard
        XCTAssertEqual(try r.renderer(forOutput: URL(fileURLWithPath: "a.WAV")).name, "wav")
        XCTAssertEqual(try r.renderer(forOutput: URL(fileURLWithPath: "a.flac")).name, "flac")
        XCTAssertEqual(try r.renderer(forOutput: URL(fileURLWithPath: "a.mid")).name, "mid")
        XCTAssertEqual(try r.renderer(forOutput: URL(fileURLWithPath: "a.ogg")).name, "ogg")
        XCTAssertEqual(try r.renderer(named: "FLAC").fileExtensions, ["flac"])
        XCTAssertThrowsError(try r.renderer(forOutput: URL(fileURLWithPath: "a.xyz"))) { XCTAssertTrue("\($0)".contains(".xyz")) }
        XCTAssertThrowsError(try r.renderer(named: "mp3")) { XCTAssertTrue("\($0)".contains("mp3")) }
    }

    /// Adding a renderer is one type plus one registration line.
    func testRegisteringANewRenderer() throws {
        struct NoteListRenderer: Renderer {
            var name: String { "notes" }
            var summary: String { "one line per note" }
            var fileExtensions: [String] { ["notes"] }
            var options: [RenderOptionSpec] { [RenderOptionSpec("header", .flag, default: .flag(true), doc: "print a header")] }
            func render(_ p: Performance, to url: URL, options: ResolvedRenderOptions, context: RenderContext) throws -> RenderSummary {
                var text = options.flag("header") == true ? "pitch start\n" : ""
                for n in p.allNotes { text += "\(n.pitch) \(n.startTick)\n" }
                try AtomicFileWriter(destination: url, overwrite: context.overwrite).write(Array(text.utf8))
                return RenderSummary(path: url.path, renderer: name)
            }
        }
        var registry = RendererRegistry.standard
        registry.register(NoteListRenderer())
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let out = dir.appendingPathComponent("x.notes")
        _ = try registry.render(S.performance([Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 10)]), to: out,
                                options: RenderOptions(["header": .flag(false)]))
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "60 0\n")
    }

    func testOptionsAreDeclaredAndValidated() throws {
        let wav = try RendererRegistry.standard.renderer(named: "wav")
        let names = Set(wav.options.map(\.name))
        for n in ["soundfont", "sample-rate", "bits", "gain", "tail-max", "reverb", "chorus", "polyphony", "loudness", "true-peak", "dither"] {
            XCTAssertTrue(names.contains(n), n)
        }
        let rate = try XCTUnwrap(wav.options.first { $0.name == "sample-rate" })
        XCTAssertEqual(rate.defaultValue, .integer(44_100))
        XCTAssertEqual(try rate.parse("48000"), .integer(48_000))
        XCTAssertThrowsError(try rate.parse("0"))
        XCTAssertThrowsError(try rate.parse("fast"))
        XCTAssertThrowsError(try RenderOptions(["bits": .choice("32f")]).validated(against: RendererRegistry.standard.renderer(named: "flac").options, renderer: "flac"))
        XCTAssertThrowsError(try RenderOptions(["volume": .number(1)]).validated(against: wav.options, renderer: "wav")) {
            XCTAssertTrue("\($0)".contains("volume"))
        }
        let flac = try RendererRegistry.standard.renderer(named: "flac")
        XCTAssertNotNil(flac.options.first { $0.name == "compression" })
    }

    /// Bad outputs and SoundFonts fail with one line naming the path, and leave no file behind.
    func testBadInputsLeaveNoFiles() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let p = S.performance([Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 480)])
        let reg = RendererRegistry.standard
        let existing = dir.appendingPathComponent("existing.wav")
        try Data("keep".utf8).write(to: existing)
        let junk = dir.appendingPathComponent("junk.sf2")
        try Data(repeating: 7, count: 100).write(to: junk)
        let cases: [(URL, [String: RenderOptionValue], String)] = [
            (dir.appendingPathComponent("missing/x.wav"), [:], "missing/x.wav"),
            (existing, [:], existing.path),
            (dir.appendingPathComponent("a.wav"), ["soundfont": .path(dir.appendingPathComponent("none.sf2").path)], "none.sf2"),
            (dir.appendingPathComponent("b.wav"), ["soundfont": .path(junk.path)], junk.path),
            (dir.appendingPathComponent("c.wav"), ["soundfont": .path(dir.path)], dir.path),
        ]
        for (url, options, mention) in cases {
            XCTAssertThrowsError(try reg.render(p, to: url, options: RenderOptions(options), overwrite: false)) { error in
                XCTAssertTrue("\(error)".contains(mention), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        XCTAssertEqual(try Data(contentsOf: existing), Data("keep".utf8))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(left, ["existing.wav", "junk.sf2"])
    }

    /// A cancelled render throws and leaves neither the output nor a temporary file.
    func testCancelledRenderLeavesNothing() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let p = S.performance((0..<200).map { Note(pitch: 60, velocity: 90, startTick: $0 * 480, durationTicks: 400) })
        let cancel = Cancellation()
        cancel.cancel()
        XCTAssertThrowsError(try RendererRegistry.standard.render(p, to: dir.appendingPathComponent("x.wav"),
                                                                  context: RenderContext(cancellation: cancel)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    /// Music longer than the render-length cap is refused before any work, naming the option that raises it.
    func testMusicLongerThanTheCapIsRefusedWithoutAFile() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        // Two notes three hours apart at 120 BPM (480 ticks per beat): 10,800 s of music.
        let threeHours = 3 * 3600 * 2 * 480
        let p = S.performance([Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 480),
                               Note(pitch: 62, velocity: 90, startTick: threeHours, durationTicks: 480)])
        XCTAssertThrowsError(try RendererRegistry.standard.render(p, to: dir.appendingPathComponent("long.wav"))) { error in
            XCTAssertEqual(error as? RenderError, .tooLong(path: dir.appendingPathComponent("long.wav").path, seconds: p.durationSeconds, limit: 7_200))
            XCTAssertTrue("\(error)".contains("max-length"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }
}
