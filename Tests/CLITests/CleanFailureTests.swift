import Foundation
import TestSupport
import XCTest

/// Clean failure (issue 8 §3): every command, given bad arguments, missing files, folders where files
/// are expected, unreadable paths, existing outputs, a full disk or Ctrl-C, prints one line naming the
/// problem, exits with a status in 1...127, prints no crash report and leaves no partial output.
final class CleanFailureTests: XCTestCase {
    /// What one run of the built `tunesmith` did.
    struct Run {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String
        var command: String
        var errorLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    private var work: URL!
    private var validMIDI: URL!
    private var textFile: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "clean-failure")
        validMIDI = work.appendingPathComponent("valid.mid")
        try Data(Self.smallMIDI(notes: 8)).write(to: validMIDI)
        textFile = work.appendingPathComponent("notes.txt")
        try Data("not a MIDI file\n".utf8).write(to: textFile)
    }


    /// A format-0 file of `notes` quarter notes (running status), built by hand.
    static func smallMIDI(notes: Int) -> [UInt8] {
        var body: [UInt8] = [0x00, 0x90, 60, 100, 0x83, 0x60, 60, 0]
        for i in 1..<notes { body += [0x00, UInt8(48 + i % 36), 100, 0x83, 0x60, UInt8(48 + i % 36), 0] }
        body += [0x00, 0xFF, 0x2F, 0x00]
        let n = body.count
        return Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0]
            + Array("MTrk".utf8) + [UInt8(n >> 24 & 255), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)] + body
    }

    /// Runs `tunesmith ARGS` with a time limit; stdout goes to `stdout` when given (e.g. /dev/full).
    func run(_ args: [String], stdout: FileHandle? = nil, timeout: TimeInterval = 60,
             interruptAfter: TimeInterval? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try ToolRunner.binary()
        process.arguments = args
        process.currentDirectoryURL = work
        let out = Pipe(), err = Pipe()
        process.standardOutput = stdout ?? out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes concurrently so a chatty command cannot block on a full pipe.
        let outData = LockedData(), errData = LockedData()
        let group = DispatchGroup()
        if stdout == nil { DispatchQueue.global().async(group: group) { outData.set(out.fileHandleForReading.readDataToEndOfFile()) } }
        DispatchQueue.global().async(group: group) { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        if let interruptAfter {
            Thread.sleep(forTimeInterval: interruptAfter)
            if process.isRunning { kill(process.processIdentifier, SIGINT) }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            XCTFail("tunesmith \(args.joined(separator: " ")) did not finish within \(timeout) s (a hang)")
        }
        process.waitUntilExit()
        group.wait()
        return Run(status: process.terminationStatus, reason: process.terminationReason,
                   stdout: String(decoding: outData.get(), as: UTF8.self), stderr: String(decoding: errData.get(), as: UTF8.self),
                   command: "tunesmith " + args.joined(separator: " "))
    }

    /// Asserts a clean failure: exit 1...127 (not a signal), stderr of exactly one line (for a usage
    /// error, the root command's `tunesmith: ...` line) mentioning every string of `mentions`, no crash
    /// report, and no new file in `work` other than `allowedNewFiles`.
    @discardableResult
    func expectCleanFailure(_ args: [String], mentions: [String], usage: Bool = false, stdout: FileHandle? = nil,
                            interruptAfter: TimeInterval? = nil, watch: [URL] = [],
                            file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let folders = [work!] + watch
        let before = folders.map { Self.listing($0) }
        let r = try run(args, stdout: stdout, interruptAfter: interruptAfter)
        let context = "\(r.command)\nexit \(r.status)\nstderr: \(r.stderr)"
        XCTAssertEqual(r.reason, .exit, "killed by a signal: \(context)", file: file, line: line)
        XCTAssertTrue((1...127).contains(r.status), "exit status should be 1...127: \(context)", file: file, line: line)
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "#0 ", "Illegal instruction", "Segmentation fault"] {
            XCTAssertFalse(r.stderr.contains(marker), "crash report in stderr: \(context)", file: file, line: line)
        }
        let lines = r.errorLines
        XCTAssertEqual(lines.count, 1, "stderr should be exactly one line: \(context)", file: file, line: line)
        if usage {
            XCTAssertTrue(lines.first?.hasPrefix("tunesmith: ") == true, "usage error should be one 'tunesmith: ...' line: \(context)", file: file, line: line)
        }
        let first = lines.first ?? ""
        for m in mentions {
            XCTAssertTrue(first.localizedCaseInsensitiveContains(m), "the error line should mention \"\(m)\": \(context)", file: file, line: line)
        }
        for (folder, old) in zip(folders, before) {
            XCTAssertEqual(Self.listing(folder), old, "files left behind in \(folder.path): \(context)", file: file, line: line)
        }
        return r
    }

    /// Names (recursively, relative) and sizes of the files in a folder.
    static func listing(_ folder: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var names: [String] = []
        while let name = e.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            names.append("\(name) \(attributes?[.size] as? Int ?? -1)")
        }
        return names.sorted()
    }

    /// Skips unless the built tool has a subcommand (the later issues add them).
    func requireCommand(_ words: String...) throws {
        let r = try run(words + ["--help"])
        if r.status != 0 { throw XCTSkip("tunesmith \(words.joined(separator: " ")) does not exist yet") }
    }

    private func path(_ name: String) -> String { work.appendingPathComponent(name).path }

    /// A folder named like a file.
    private func folder(_ name: String) throws -> String {
        let url = work.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Mounts a 64 KiB tmpfs (a full disk after a few writes), or skips when mounting is not allowed.
    private func tinyDisk() throws -> URL {
        let mountPoint = try TestPaths.temporaryFolder(prefix: "tiny-disk")  // removed after unmounting, below
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path]
        mount.standardError = FileHandle.nullDevice
        mount.standardOutput = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/bin/mount"), (try? mount.run()) != nil else {
            throw XCTSkip("cannot run mount; full-disk cases need root to mount a small tmpfs")
        }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: mountPoint)
            throw XCTSkip("mounting a small tmpfs is not permitted here (needs root); full-disk cases skipped")
        }
        addTeardownBlock {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mountPoint.path]
            try? umount.run()
            umount.waitUntilExit()
            try? FileManager.default.removeItem(at: mountPoint)
        }
        return mountPoint
    }

    /// A MIDI file big enough to fill the tiny disk (about 700 KB).
    private func bigMIDI() throws -> String {
        let url = work.appendingPathComponent("big.mid")
        try Data(Self.smallMIDI(notes: 100_000)).write(to: url)
        return url.path
    }

    // MARK: - the tool itself

    func testUnknownSubcommandAndOption() throws {
        try expectCleanFailure(["frobnicate"], mentions: ["frobnicate"], usage: true)
        try expectCleanFailure(["dump", "--no-such-option", validMIDI.path], mentions: ["--no-such-option"], usage: true)
    }

    // MARK: - dump

    func testDumpBadInputs() throws {
        try expectCleanFailure(["dump"], mentions: ["file"], usage: true)
        try expectCleanFailure(["dump", path("missing.mid")], mentions: [path("missing.mid")])
        try expectCleanFailure(["dump", try folder("folder.mid")], mentions: [path("folder.mid")])
        try expectCleanFailure(["dump", validMIDI.path + "/inside.mid"], mentions: [validMIDI.path + "/inside.mid"])
        try expectCleanFailure(["dump", textFile.path], mentions: [textFile.path])
        _ = FileManager.default.createFile(atPath: path("empty.mid"), contents: Data())
        try expectCleanFailure(["dump", path("empty.mid")], mentions: [path("empty.mid")])
        // Unreadable although it exists (root can read any mode bits, so use a file the kernel refuses to read).
        try expectCleanFailure(["dump", "/proc/self/mem"], mentions: ["/proc/self/mem"])
    }

    func testDumpToAFullDisk() throws {
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("/dev/full is not available") }
        try expectCleanFailure(["dump", validMIDI.path], mentions: ["space"], stdout: full)
    }

    // MARK: - inspect

    func testInspectBadInputs() throws {
        try expectCleanFailure(["inspect"], mentions: [], usage: true)
        try expectCleanFailure(["inspect", "--jobs", "0", validMIDI.path], mentions: ["jobs"], usage: true)
        let empty = try folder("empty")
        try expectCleanFailure(["inspect", empty], mentions: [empty])
    }

    func testInspectListsMissingAndUnreadableFilesAndFails() throws {
        let r = try run(["inspect", validMIDI.path, path("missing.mid"), textFile.path])
        XCTAssertEqual(r.reason, .exit)
        XCTAssertTrue((1...127).contains(r.status), "inspect with bad files must fail: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains(path("missing.mid")) || r.stderr.contains(path("missing.mid")), "the missing file is listed: \(r.stdout) \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("Fatal error"))
    }

    func testInspectToAFullDisk() throws {
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else { throw XCTSkip("/dev/full is not available") }
        try expectCleanFailure(["inspect", validMIDI.path], mentions: ["space"], stdout: full)
    }

    // MARK: - process

    func testProcessBadInputs() throws {
        try requireCommand("process")
        let out = path("out.mid")
        try expectCleanFailure(["process", path("missing.mid"), "-o", out, "--process", "quantize"], mentions: [path("missing.mid")])
        try expectCleanFailure(["process", try folder("in.mid"), "-o", out, "--process", "quantize"], mentions: [path("in.mid")])
        try expectCleanFailure(["process", textFile.path, "-o", out, "--process", "quantize"], mentions: [textFile.path])
        try expectCleanFailure(["process", validMIDI.path, "-o", out, "--process", "bogus"], mentions: ["bogus"])
        try expectCleanFailure(["process", validMIDI.path, "-o", out, "--process", "quantize:grid=7"], mentions: ["grid"])
        try expectCleanFailure(["process", validMIDI.path, "-o", out, "--process", "quantize:strength=nan"], mentions: ["strength"])
        try expectCleanFailure(["process", validMIDI.path, "-o", out, "--pipeline", path("missing.txt")], mentions: [path("missing.txt")])
        try expectCleanFailure(["process", validMIDI.path, "-o", out, "--pipeline", try folder("pipe")], mentions: [path("pipe")])
        try expectCleanFailure(["process", validMIDI.path, "-o", out], mentions: ["process"])
        try expectCleanFailure(["process", validMIDI.path, "--process", "quantize"], mentions: ["output"], usage: true)
    }

    func testProcessBadOutputs() throws {
        try requireCommand("process")
        try expectCleanFailure(["process", validMIDI.path, "-o", path("nofolder/out.mid"), "--process", "quantize"], mentions: [path("nofolder/out.mid")])
        try expectCleanFailure(["process", validMIDI.path, "-o", validMIDI.path + "/out.mid", "--process", "quantize"], mentions: [validMIDI.path + "/out.mid"])
        let dir = try folder("dir.mid")
        try expectCleanFailure(["process", validMIDI.path, "-o", dir, "--process", "quantize"], mentions: [dir])
        try expectCleanFailure(["process", validMIDI.path, "-o", dir, "--process", "quantize", "--force"], mentions: [dir])
    }

    func testProcessNeverOverwritesWithoutForce() throws {
        try requireCommand("process")
        let existing = work.appendingPathComponent("existing.mid")
        try Data("keep me".utf8).write(to: existing)
        try expectCleanFailure(["process", validMIDI.path, "-o", existing.path, "--process", "quantize"], mentions: [existing.path])
        XCTAssertEqual(try Data(contentsOf: existing), Data("keep me".utf8), "the existing output was modified")
        let r = try run(["process", validMIDI.path, "-o", existing.path, "--process", "quantize", "--force"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Data(contentsOf: existing).prefix(4), Data("MThd".utf8), "--force should replace the file with MIDI")
    }

    func testProcessOnAFullDisk() throws {
        try requireCommand("process")
        let input = try bigMIDI()
        let disk = try tinyDisk()
        let out = disk.appendingPathComponent("out.mid").path
        try expectCleanFailure(["process", input, "-o", out, "--process", "quantize"], mentions: [out, "space"], watch: [disk])
    }

    // MARK: - render

    func testRenderBadInputsAndOptions() throws {
        try requireCommand("render")
        let out = path("out.mid")
        try expectCleanFailure(["render", path("missing.mid"), "-o", out], mentions: [path("missing.mid")])
        try expectCleanFailure(["render", try folder("in.mid"), "-o", out], mentions: [path("in.mid")])
        try expectCleanFailure(["render", textFile.path, "-o", out], mentions: [textFile.path])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.xyz")], mentions: ["xyz"])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.wav"), "--soundfont", path("missing.sf2")], mentions: [path("missing.sf2")])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.wav"), "--soundfont", try folder("sf.sf2")], mentions: [path("sf.sf2")])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.wav"), "--soundfont", textFile.path], mentions: [textFile.path])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.wav"), "--sample-rate", "0"], mentions: ["rate"])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.wav"), "--gain=-1"], mentions: ["gain"])
        try expectCleanFailure(["render", validMIDI.path, "-o", path("out.wav"), "--option", "nonsense"], mentions: ["nonsense"])
    }

    func testRenderBadOutputs() throws {
        try requireCommand("render")
        try expectCleanFailure(["render", validMIDI.path, "-o", path("nofolder/out.wav")], mentions: [path("nofolder/out.wav")])
        try expectCleanFailure(["render", validMIDI.path, "-o", validMIDI.path + "/out.mid"], mentions: [validMIDI.path + "/out.mid"])
        let dir = try folder("dir.wav")
        try expectCleanFailure(["render", validMIDI.path, "-o", dir, "--force"], mentions: [dir])
        let existing = work.appendingPathComponent("existing.wav")
        try Data("keep me".utf8).write(to: existing)
        try expectCleanFailure(["render", validMIDI.path, "-o", existing.path], mentions: [existing.path])
        XCTAssertEqual(try Data(contentsOf: existing), Data("keep me".utf8), "the existing output was modified")
    }

    func testRenderOnAFullDisk() throws {
        try requireCommand("render")
        let input = try bigMIDI()
        let disk = try tinyDisk()
        for ext in ["mid", "wav"] {
            let out = disk.appendingPathComponent("out.\(ext)").path
            // The piece is longer than the default render cap; raise it so the disk, not the cap, stops the render.
            let cap = ext == "wav" ? ["--option", "max-length=100000"] : []
            try expectCleanFailure(["render", input, "-o", out] + cap, mentions: [out, "space"], watch: [disk])
        }
    }

    func testRenderInterruptedLeavesNoPartialFile() throws {
        try requireCommand("render")
        let input = try bigMIDI()   // 100,000 quarter notes: minutes of audio, still rendering after 1 s
        let out = path("long.wav")
        let r = try run(["render", input, "-o", out, "--option", "max-length=100000"], interruptAfter: 1.0)
        let context = "\(r.command) (SIGINT after 1 s)\nexit \(r.status) \(r.reason)\nstderr: \(r.stderr)"
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a partial output was left: \(context)")
        let leftovers = Self.listing(work).filter { !$0.hasPrefix("big.mid ") && !$0.hasPrefix("valid.mid ") && !$0.hasPrefix("notes.txt ") }
        XCTAssertEqual(leftovers, [], "temporary files left behind: \(context)")
        XCTAssertNotEqual(r.status, 0, context)
        XCTAssertFalse(r.stderr.contains("Fatal error"), context)
    }

    // MARK: - crash regressions

    /// Inputs that once crashed a reader (found by the fuzzers in Fuzz/ or by hand), kept in
    /// Fuzz/regressions/TARGET; each must now fail cleanly through the command that reads it.
    private func regressionInputs(_ target: String, _ ext: String) throws -> [URL] {
        let folder = TestPaths.package("Fuzz/regressions/\(target)")
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == ext }.sorted { $0.path < $1.path }
        guard !files.isEmpty else { throw XCTSkip("no regression inputs in \(folder.path)") }
        return files
    }

    /// Model headers that overflowed the parameter count or the blob range (a trap, signal 4), or
    /// declare a negative look-back or layer size: `model info` must refuse each in one line.
    func testRegressionHostileModelHeadersFailCleanly() throws {
        try requireCommand("model", "info")
        for file in try regressionInputs("model-file", "tsmodel") {
            try expectCleanFailure(["model", "info", file.path], mentions: [file.path])
        }
    }

    /// Album specs nested deeply enough to overflow the YAML parser's stack (found by the album-spec
    /// fuzzer; 100,000 levels segfaults `tunesmith album`): each must be refused in one line.
    func testRegressionDeeplyNestedAlbumSpecsFailCleanly() throws {
        try requireCommand("album")
        for file in try regressionInputs("album-spec", "yaml") {
            try expectCleanFailure(["album", file.path, "-o", path("album-out")], mentions: [file.path])
        }
    }

    // MARK: - train and model

    func testTrainBadInputs() throws {
        try requireCommand("train")
        let out = path("model.tsmodel")
        try expectCleanFailure(["train", "--corpus", path("missing"), "-o", out], mentions: [path("missing")])
        try expectCleanFailure(["train", "--corpus", try folder("empty"), "-o", out], mentions: [path("empty")])
        try expectCleanFailure(["train", "--corpus", textFile.path, "-o", out], mentions: [textFile.path])
        let corpus = try folder("corpus")
        try Data(Self.smallMIDI(notes: 64)).write(to: URL(fileURLWithPath: corpus + "/a.mid"))
        try expectCleanFailure(["train", "--corpus", corpus, "-o", out, "--epochs", "0"], mentions: ["epochs"])
        try expectCleanFailure(["train", "--corpus", corpus, "-o", out, "--batch-size", "0"], mentions: ["batch"])
        try expectCleanFailure(["train", "--corpus", corpus, "-o", out, "--validation", "2"], mentions: ["validation"])
        try expectCleanFailure(["train", "--corpus", corpus, "-o", out, "--optimizer", "magic"], mentions: ["magic"])
        try expectCleanFailure(["train", "--corpus", corpus, "-o", out, "--architecture", "huge"], mentions: ["huge"])
        try expectCleanFailure(["train", "--corpus", corpus, "-o", out, "--resume", path("missing.checkpoint")], mentions: [path("missing.checkpoint")])
        try expectCleanFailure(["train", "--corpus", corpus, "-o", path("nofolder/model.tsmodel")], mentions: [path("nofolder/model.tsmodel")])
        let existing = work.appendingPathComponent("existing.tsmodel")
        try Data("keep me".utf8).write(to: existing)
        try expectCleanFailure(["train", "--corpus", corpus, "-o", existing.path, "--epochs", "1"], mentions: [existing.path])
        XCTAssertEqual(try Data(contentsOf: existing), Data("keep me".utf8), "the existing model was modified")
    }

    func testModelInfoBadInputs() throws {
        try requireCommand("model", "info")
        try expectCleanFailure(["model", "info"], mentions: [], usage: true)
        try expectCleanFailure(["model", "info", path("missing.tsmodel")], mentions: [path("missing.tsmodel")])
        try expectCleanFailure(["model", "info", try folder("m.tsmodel")], mentions: [path("m.tsmodel")])
        try expectCleanFailure(["model", "info", validMIDI.path], mentions: [validMIDI.path])
        try expectCleanFailure(["model", "info", "/proc/self/mem"], mentions: ["/proc/self/mem"])
        var truncated = Array("TSMODEL\n".utf8) + [1, 0, 0, 0, 0xFF, 0xFF, 0, 0]
        truncated += Array("{\"architecture\"".utf8)
        _ = FileManager.default.createFile(atPath: path("truncated.tsmodel"), contents: Data(truncated))
        try expectCleanFailure(["model", "info", path("truncated.tsmodel")], mentions: [path("truncated.tsmodel")])
    }
}


/// Bytes filled in by another thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
