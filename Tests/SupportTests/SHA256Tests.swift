import Foundation
import Support
import TestSupport
import XCTest

/// SHA-256 against the FIPS 180-4 / NIST example vectors.
final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: Array("The quick brown fox jumps over the lazy dog".utf8)),
                       "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    func testMillionAsInOddChunksAndFile() throws {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(SHA256.hex(of: million), expected)
        var s = SHA256()
        var i = 0
        var step = 1
        while i < million.count {
            let n = min(step, million.count - i)
            s.update(Array(million[i..<(i + n)]))
            i += n
            step = step * 7 % 131 + 1
        }
        XCTAssertEqual(s.finish().map { String(format: "%02x", $0) }.joined(), expected)
        let folder = try TestPaths.temporaryFolder(self)
        let url = folder.appendingPathComponent("a.bin")
        try Data(million).write(to: url)
        XCTAssertEqual(try SHA256.hex(ofFileAt: url.path), expected)
        XCTAssertThrowsError(try SHA256.hex(ofFileAt: folder.appendingPathComponent("missing").path))
    }

    /// A copy of a hash state goes on independently of the original (the libcrypto context is copied on write), and
    /// a finished state starts again as a fresh hash.
    func testCopiesAreIndependentAndFinishResets() {
        var a = SHA256()
        a.update(Array("abc".utf8))
        var b = a
        b.update(Array("def".utf8))
        let hex = { (d: [UInt8]) in d.map { String(format: "%02x", $0) }.joined() }
        XCTAssertEqual(hex(a.finish()), SHA256.hex(of: Array("abc".utf8)))
        XCTAssertEqual(hex(b.finish()), SHA256.hex(of: Array("abcdef".utf8)))
        XCTAssertEqual(hex(a.finish()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
