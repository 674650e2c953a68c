import Foundation
import TestSupport
import XCTest
@testable import MIDI

/// The corpus the MIDI tests read: ``TestPaths/corpus`` (../shared/corpus, or Samples/Corpus in a user's clone).
enum Fixtures {
    /// Every MIDI file of the corpus, sorted; checks the count of the corpus in use.
    static func corpusFiles() -> [String] {
        let files = MIDIInspector.collect([TestPaths.corpus.path]).map(\.path)
        if TestPaths.usesSharedCorpus {
            XCTAssertGreaterThan(files.count, 2000, "the shared corpus should hold 2,207 files")
        } else {
            XCTAssertEqual(files.count, 300, "the sample corpus holds 300 files")
        }
        return files
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
