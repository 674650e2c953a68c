import Foundation
import MIDI
import TestSupport
import XCTest

/// `tunesmith render` and `tunesmith soundfonts`, run as the built binary.
final class RenderCommandTests: XCTestCase {
    private var work: URL!
    private var input: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "render-cli")
        input = work.appendingPathComponent("in.mid")
        let notes = (0..<12).map { Note(pitch: UInt8(60 + $0), velocity: 100, startTick: $0 * 240, durationTicks: 240, channel: UInt8($0 % 2 == 0 ? 0 : 9), program: 0) }
        try Performance(ticksPerBeat: 480, tracks: [NoteTrack(name: "t", notes: notes)]).midiFile().write(to: input)
    }

    private func path(_ name: String) -> String { work.appendingPathComponent(name).path }

    /// Renders WAV, FLAC, Ogg and MIDI from another working directory, with the bundled SoundFont.
    func testRenderEveryFormatFromAnyFolder() throws {
        for ext in ["wav", "flac", "ogg", "mid"] {
            let out = path("out.\(ext)")
            let r = try ToolRunner.run(["render", input.path, "-o", out], in: URL(fileURLWithPath: "/"))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out), ext)
        }
        // The MIDI output holds the same notes.
        let back = try Performance(contentsOf: URL(fileURLWithPath: path("out.mid")))
        XCTAssertEqual(back.allNotes, try Performance(contentsOf: input).allNotes)
        // 16-bit WAV by default: RIFF/WAVE header, 44.1 kHz stereo.
        let wav = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("out.wav"))))
        XCTAssertEqual(Array(wav[0..<4]), Array("RIFF".utf8))
        XCTAssertEqual(Array(wav[8..<12]), Array("WAVE".utf8))
    }

    /// --sample-rate, --bits, --gain, --tail-max and --option reach the renderer; --force replaces, otherwise refuses.
    func testOptionsAndForce() throws {
        let out = path("x.wav")
        var r = try ToolRunner.run(["render", input.path, "-o", out, "--sample-rate", "22050", "--bits", "24", "--gain", "0.3",
                                    "--tail-max", "0.5", "--option", "reverb=on"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("22050 Hz"), r.output)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        r = try ToolRunner.run(["render", input.path, "-o", out])
        ToolRunner.assertCleanFailure(r, mentioning: out)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), bytes, "refused render changed the file")
        r = try ToolRunner.run(["render", input.path, "-o", out, "--force"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: out)), bytes)
    }

    /// Each bad input fails with one line naming it, a non-zero exit and no file left behind.
    func testBadInputsFailCleanly() throws {
        let corrupt = path("corrupt.sf2")
        try Data(Array("RIFF".utf8) + [0x40, 0, 0, 0] + Array("sfbk".utf8) + [UInt8](repeating: 1, count: 20)).write(to: URL(fileURLWithPath: corrupt))
        let unreadable = path("locked.mid")
        try Data(contentsOf: input).write(to: URL(fileURLWithPath: unreadable))
        let cases: [([String], String)] = [
            (["render", path("none.mid"), "-o", path("a.wav")], path("none.mid")),
            (["render", input.path, "-o", path("a.wav"), "--soundfont", path("none.sf2")], path("none.sf2")),
            (["render", input.path, "-o", path("a.wav"), "--soundfont", corrupt], corrupt),
            (["render", input.path, "-o", path("a.mp3")], ".mp3"),
            (["render", input.path, "-o", path("no/such/folder/a.wav")], path("no/such/folder/a.wav")),
            (["render", input.path, "-o", path("a.flac"), "--bits", "32f"], "bits"),
            (["render", input.path, "-o", path("a.wav"), "--option", "loudness=11"], "loudness"),
        ]
        for (args, mention) in cases {
            let r = try ToolRunner.run(args)
            ToolRunner.assertCleanFailure(r, mentioning: mention)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: work.path).sorted()
        XCTAssertEqual(left, ["corrupt.sf2", "in.mid", "locked.mid"], "files left behind")
    }

    /// Several inputs render into a folder in parallel (--jobs) with the same bytes as one at a time.
    func testSeveralInputsInParallel() throws {
        let folder = work.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var inputs: [String] = []
        for k in 0..<3 {
            let u = work.appendingPathComponent("song\(k).mid")
            try Data(contentsOf: input).write(to: u)
            inputs.append(u.path)
        }
        let r = try ToolRunner.run(["render"] + inputs + ["-o", folder.path, "--renderer", "flac", "--jobs", "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // One at a time, under the same name (the title tag is the file's name, the comment names the source).
        let one = work.appendingPathComponent("one")
        try FileManager.default.createDirectory(at: one, withIntermediateDirectories: true)
        let single = try ToolRunner.run(["render", inputs[0], "-o", one.appendingPathComponent("song0.flac").path])
        XCTAssertEqual(single.status, 0, single.stderr)
        let reference = try Data(contentsOf: one.appendingPathComponent("song0.flac"))
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("song0.flac")), reference)
        // The others differ only in their tags (a few bytes at the start): the same audio frames.
        for k in 1..<3 {
            let other = try Data(contentsOf: folder.appendingPathComponent("song\(k).flac"))
            XCTAssertEqual(other.count, reference.count)
            XCTAssertEqual(other.suffix(reference.count - 2048), reference.suffix(reference.count - 2048))
        }
    }

    /// `soundfonts` lists the bundled font as the default plus system fonts; `soundfonts build` rebuilds it byte-identically.
    func testSoundfontsListAndRebuild() throws {
        var r = try ToolRunner.run(["soundfonts"], in: URL(fileURLWithPath: "/"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("TunesmithGM.sf2") && r.output.contains("default"), r.output)
        if FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/TimGM6mb.sf2") {
            XCTAssertTrue(r.output.contains("TimGM6mb.sf2"), r.output)
        }
        let out = path("rebuilt.sf2")
        r = try ToolRunner.run(["soundfonts", "build", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("FluidSynth warnings: 0"), r.output)
        let committed = TestPaths.packageRoot.appendingPathComponent("Soundfonts/TunesmithGM.sf2")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), try Data(contentsOf: committed))
    }

    /// `--loudness`, `--true-peak` and `--title` on `render`; the summary reports the loudness read back; `--soundfont gm`
    /// uses FluidR3_GM where Debian's fluid-soundfont-gm is installed, and says how to get it otherwise.
    func testLoudnessTitleAndTheGMFont() throws {
        let out = path("loud.flac")
        var r = try ToolRunner.run(["render", input.path, "-o", out, "--loudness", "-18", "--true-peak", "-2", "--title", "Loud One"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let reported = try XCTUnwrap(r.output.range(of: #"(-?\d+\.\d) LUFS"#, options: .regularExpression).map { r.output[$0] })
        XCTAssertEqual(try XCTUnwrap(Double(reported.split(separator: " ")[0])), -18, accuracy: 0.5, r.output)
        let head = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)).prefix(4096), as: UTF8.self)
        XCTAssertTrue(head.contains("TITLE=Loud One"), head)
        r = try ToolRunner.run(["render", input.path, "-o", path("bad.wav"), "--loudness", "loud"])
        ToolRunner.assertCleanFailure(r, mentioning: "loudness")
        let gm = FileManager.default.fileExists(atPath: "/usr/share/sounds/sf2/FluidR3_GM.sf2")
        r = try ToolRunner.run(["render", input.path, "-o", path("gm.wav"), "--soundfont", "gm"])
        if gm {
            XCTAssertEqual(r.status, 0, r.stderr)
            let list = try ToolRunner.run(["soundfonts"])
            XCTAssertTrue(list.output.contains("--soundfont gm") && list.output.contains("128 of 128 GM programs"), list.output)
        } else {
            ToolRunner.assertCleanFailure(r, mentioning: "fluid-soundfont-gm")
        }
    }

    /// --list-renderers shows every renderer with its options.
    func testListRenderers() throws {
        let r = try ToolRunner.run(["render", "--list-renderers"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for word in ["mid", "wav", "flac", "ogg", "sample-rate", "compression", "tail-max", "polyphony"] {
            XCTAssertTrue(r.output.contains(word), word)
        }
    }
}
