import Foundation
import XCTest

/// Where the tests find the package, the shared material beside it and scratch space.
///
/// One place for every test target: the package root is found from this file's own path, so tests run
/// the same from `swift test`, an IDE or a clean clone.
///
/// Set `TUNESMITH_NO_SHARED=1` in the environment to run the tests as a user's clone would, with
/// `../shared` treated as absent: corpus tests then run on `Samples/Corpus`, tests that need other shared
/// material (conformance dumps, parity files) skip.
public enum TestPaths {
    /// The package root (Tests/TestSupport/TestPaths.swift -> ../..).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The environment variable that hides `../shared` (any value but empty or `0`).
    public static let hideSharedVariable = "TUNESMITH_NO_SHARED"

    /// Whether `../shared` is hidden by ``hideSharedVariable``.
    public static var sharedHidden: Bool {
        let value = ProcessInfo.processInfo.environment[hideSharedVariable] ?? ""
        return !value.isEmpty && value != "0"
    }

    /// `../shared` beside the package root (present in the team's checkout, absent in a user's clone), or nil
    /// when it is absent or hidden.
    public static var shared: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return !sharedHidden && FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// `../shared/RELATIVE` when it exists (and the shared folder is not hidden), else nil,
    /// e.g. `TestPaths.sharedItem("parity/keras-paper-lstm.json")`.
    public static func sharedItem(_ relative: String) -> URL? {
        guard let url = shared?.appendingPathComponent(relative) else { return nil }
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A path inside the package, e.g. `TestPaths.package("Samples/Models/paper.tsmodel")`.
    public static func package(_ relative: String) -> URL { packageRoot.appendingPathComponent(relative) }

    /// The committed sample corpus, `Samples/Corpus` (300 licence-clean songs: 100 chorales, 200 folk tunes).
    public static var sampleCorpus: URL { package("Samples/Corpus") }

    /// `../shared/corpus` when it is present (and not hidden), else `nil`.
    public static var sharedCorpus: URL? { sharedItem("corpus") }

    /// The corpus to test on: the shared corpus when present, else the committed sample corpus, so corpus tests
    /// still run (on fewer files) in a user's clone. Both have `chorales/` and `folk/` and a `manifest.tsv`.
    public static var corpus: URL { sharedCorpus ?? sampleCorpus }

    /// Whether ``corpus`` is the shared corpus (2,207 files) rather than the sample corpus (300 files),
    /// for tests whose counts or thresholds depend on the corpus size.
    public static var usesSharedCorpus: Bool { sharedCorpus != nil }

    /// The committed paper model (Keras-parity architecture, regression head).
    public static var paperModel: URL { package("Samples/Models/paper.tsmodel") }

    /// The committed default model (categorical pitch head with a rhythm head).
    public static var defaultModel: URL { package("Samples/Models/default.tsmodel") }

    /// Every `.mid` / `.midi` file under `folder` (recursively), in sorted path order.
    public static func midiFiles(in folder: URL) -> [URL] {
        let all = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return all.filter { ["mid", "midi"].contains($0.pathExtension.lowercased()) }.sorted { $0.path < $1.path }
    }

    /// A fresh temporary folder, removed by `test`'s teardown when one is given.
    public static func temporaryFolder(_ test: XCTestCase? = nil, prefix: String = "tunesmith-tests") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test?.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
