import Foundation
@testable import MIDI
import TestSupport
import XCTest

/// Writing a MIDI file goes through the atomic writer: the result reads back equal, and an existing file is kept
/// unless overwriting is asked for.
final class MIDIFileWriteTests: XCTestCase {
    func testMIDIFileWriteIsAtomicAndReadable() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "midi-tests")
        let out = dir.appendingPathComponent("a.mid")
        let file = try MIDIFile(bytes: MalformedInputTests.valid)
        try file.write(to: out)
        XCTAssertEqual(try MIDIFile(contentsOf: out), file)
        XCTAssertThrowsError(try file.write(to: out))
        try file.write(to: out, overwrite: true)
    }
}
