import Foundation
import XCTest

/// Where the tests find the package, the shared material beside it and scratch space.
///
/// One place for every test target: the package root is found from this file's own path, so tests run
/// the same from `swift test`, an IDE or a clean clone.
public enum TestPaths {
    /// The package root (Tests/TestSupport/TestPaths.swift -> ../..).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package root (present in the team's checkout, absent in a user's clone).
    public static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// A path inside the package, e.g. `TestPaths.package("Samples/Models/paper.tsmodel")`.
    public static func package(_ relative: String) -> URL { packageRoot.appendingPathComponent(relative) }

    /// The committed sample corpus, `Samples/Corpus` (300 licence-clean songs).
    public static var sampleCorpus: URL { package("Samples/Corpus") }

    /// `../shared/corpus` when it is present, else `nil`.
    public static var sharedCorpus: URL? {
        let url = shared.appendingPathComponent("corpus")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The corpus to test on: the shared corpus when present, else the committed sample corpus, so corpus tests
    /// still run (on fewer files) in a user's clone.
    public static var corpus: URL { sharedCorpus ?? sampleCorpus }

    /// A fresh temporary folder, removed by `test`'s teardown when one is given.
    public static func temporaryFolder(_ test: XCTestCase? = nil, prefix: String = "tunesmith-tests") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test?.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
