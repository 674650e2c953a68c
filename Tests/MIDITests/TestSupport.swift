import Foundation
import XCTest
@testable import MIDI

/// Locations of the package and of the shared corpus beside it (`../shared`).
enum Fixtures {
    /// The package root (three levels above this file).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` relative to the package root.
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// `../shared/corpus`, or a skip when the folder is absent (a user's clone has none).
    static func corpus() throws -> URL {
        let url = shared.appendingPathComponent("corpus")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared/corpus not found beside the package (\(url.path)); corpus tests skipped")
        }
        return url
    }

    /// Every MIDI file of the corpus, sorted.
    static func corpusFiles() throws -> [String] {
        let root = try corpus()
        let files = MIDIInspector.collect([root.path]).map(\.path)
        XCTAssertGreaterThan(files.count, 2000, "the shared corpus should hold 2,207 files")
        return files
    }

    /// A fresh temporary folder, removed by the test case's teardown.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("midi-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// Builds Standard MIDI File bytes by hand, for exact control over every byte.
enum SMF {
    /// An MThd chunk.
    static func header(format: Int = 1, tracks: Int, division: UInt16 = 480, length: Int = 6) -> [UInt8] {
        var h: [UInt8] = Array("MThd".utf8) + be32(length)
        h += [UInt8(format >> 8), UInt8(format & 255), UInt8(tracks >> 8), UInt8(tracks & 255), UInt8(division >> 8), UInt8(division & 255)]
        if length > 6 { h += [UInt8](repeating: 0, count: length - 6) }
        return h
    }

    /// An MTrk chunk around `body` (length as given or the true one).
    static func track(_ body: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
        Array("MTrk".utf8) + be32(declaredLength ?? body.count) + body
    }

    /// A whole file with the given track bodies.
    static func file(format: Int = 1, division: UInt16 = 480, _ bodies: [UInt8]...) -> [UInt8] {
        header(format: format, tracks: bodies.count, division: division) + bodies.flatMap { track($0) }
    }

    static func be32(_ v: Int) -> [UInt8] {
        [UInt8((v >> 24) & 255), UInt8((v >> 16) & 255), UInt8((v >> 8) & 255), UInt8(v & 255)]
    }

    /// End of track at delta 0.
    static let eot: [UInt8] = [0x00, 0xFF, 0x2F, 0x00]
}
