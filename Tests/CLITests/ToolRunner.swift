import Foundation
import TestSupport
import XCTest

/// Finds and runs the built `tunesmith` executable for end-to-end tests (shared by all CLI tests).
///
/// The binary is looked up in `$TUNESMITH_BINARY`, then beside the test bundle (the build products
/// folder of `swift build --build-tests`), then in `.build/debug` and `.build/release` of the package.
enum ToolRunner {
    /// The outcome of one run.
    struct Run {
        /// Exit status (a signal death is reported as 128 + signal).
        var status: Int32
        /// Everything written to standard output.
        var stdout: Data
        /// Everything written to standard error.
        var stderr: String
        /// Standard output as UTF-8 text.
        var output: String { String(decoding: stdout, as: UTF8.self) }
        /// Non-empty lines of standard error.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    /// The `tunesmith` executable to test.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["TUNESMITH_BINARY"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("tunesmith"))
        if let exe = Bundle.main.executableURL {
            candidates.append(exe.deletingLastPathComponent().appendingPathComponent("tunesmith"))
        }
        let testsBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        candidates.append(testsBinary.deletingLastPathComponent().appendingPathComponent("tunesmith"))
        candidates.append(TestPaths.package(".build/debug/tunesmith"))
        candidates.append(TestPaths.package(".build/release/tunesmith"))
        for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
            return url
        }
        throw ToolNotFound(searched: candidates.map(\.path))
    }

    /// Raised when no built `tunesmith` is found (build it first with `swift build`).
    struct ToolNotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "tunesmith binary not found (run `swift build` first); looked in: \(searched.joined(separator: ", "))" }
    }

    /// Runs `tunesmith ARGS...` in `directory` (default: the package root), killing it after `timeout` seconds.
    static func run(_ arguments: [String], in directory: URL? = nil, timeout: TimeInterval = 120) throws -> Run {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? TestPaths.packageRoot
        let scratch = try TestPaths.temporaryFolder(prefix: "tunesmith-run")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("tunesmith \(arguments.joined(separator: " ")) timed out after \(timeout) s")
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Run(status: status, stdout: try Data(contentsOf: outURL),
                   stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Copies the first `count` chorales of the corpus (../shared/corpus, else Samples/Corpus) into `work/corpus`
    /// and returns that folder.
    static func copyChorales(_ count: Int, into work: URL) throws -> URL {
        let src = TestPaths.corpus.appendingPathComponent("chorales")
        let dst = work.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: dst, withIntermediateDirectories: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: src.path).filter { $0.hasSuffix(".mid") }.sorted().prefix(count)
        for f in files { try FileManager.default.copyItem(at: src.appendingPathComponent(f), to: dst.appendingPathComponent(f)) }
        return dst
    }

    /// Asserts a clean rejection: non-zero exit below 128, exactly one line on stderr, no crash text.
    static func assertCleanFailure(_ run: Run, mentioning needle: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(run.status, 0, "expected failure; stderr: \(run.stderr)", file: file, line: line)
        XCTAssertLessThan(run.status, 128, "crashed: \(run.stderr)", file: file, line: line)
        XCTAssertEqual(run.errorLines.count, 1, "one-line error expected, got: \(run.stderr)", file: file, line: line)
        XCTAssertFalse(run.stderr.contains("Fatal error"), file: file, line: line)
        if let needle {
            XCTAssertTrue(run.stderr.contains(needle), "stderr should mention \(needle): \(run.stderr)", file: file, line: line)
        }
    }
}
