import Foundation
import XCTest

/// Paths shared by the Learning tests, located relative to this file.
enum TestPaths {
    /// The package root (…/main).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// ../shared relative to the package root.
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    /// The Keras parity file.
    static let parity = shared.appendingPathComponent("parity/keras-paper-lstm.json")
    /// The MIDI corpus.
    static let corpus = shared.appendingPathComponent("corpus")

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("learning-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
