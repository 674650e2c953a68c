import Foundation
import XCTest
@testable import Support
import TestSupport

final class AtomicFileWriterTests: XCTestCase {
    private func contents(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    func testWritesBytesAndLeavesNoTemporaryFile() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let out = dir.appendingPathComponent("song.mid")
        try AtomicFileWriter(destination: out).write([1, 2, 3])
        XCTAssertEqual([UInt8](try Data(contentsOf: out)), [1, 2, 3])
        XCTAssertEqual(try contents(dir), ["song.mid"])
    }

    func testRefusesExistingFileUnlessOverwriting() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let out = dir.appendingPathComponent("song.mid")
        try AtomicFileWriter(destination: out).write([1])
        XCTAssertThrowsError(try AtomicFileWriter(destination: out).write([2])) { error in
            XCTAssertEqual(error as? FileError, .alreadyExists(path: out.path))
            XCTAssertEqual("\(error)", "\(out.path): already exists (use --force to overwrite it)")
        }
        XCTAssertEqual([UInt8](try Data(contentsOf: out)), [1])
        try AtomicFileWriter(destination: out, overwrite: true).write([3])
        XCTAssertEqual([UInt8](try Data(contentsOf: out)), [3])
        XCTAssertEqual(try contents(dir), ["song.mid"])
    }

    func testClearErrorsForBadDestinations() throws {
        let dir = try TestPaths.temporaryFolder(self)
        XCTAssertThrowsError(try AtomicFileWriter(destination: dir, overwrite: true).write([1])) { error in
            XCTAssertEqual(error as? FileError, .isDirectory(path: dir.path))
        }
        let missing = dir.appendingPathComponent("no/such/folder/out.mid")
        XCTAssertThrowsError(try AtomicFileWriter(destination: missing).write([1])) { error in
            XCTAssertEqual(error as? FileError, .folderMissing(path: missing.path))
            XCTAssertTrue("\(error)".contains("does not exist"))
        }
        let fileAsFolder = dir.appendingPathComponent("plain")
        try AtomicFileWriter(destination: fileAsFolder).write([0])
        XCTAssertThrowsError(try AtomicFileWriter(destination: fileAsFolder.appendingPathComponent("x.mid")).write([1])) { error in
            XCTAssertEqual(error as? FileError, .folderMissing(path: fileAsFolder.appendingPathComponent("x.mid").path))
        }
    }

    func testUnwritableFolder() throws {
        guard geteuid() != 0 else { throw XCTSkip("running as root: folder permissions do not apply") }
        let dir = try TestPaths.temporaryFolder(self)
        chmod(dir.path, 0o555)
        defer { chmod(dir.path, 0o755) }
        let out = dir.appendingPathComponent("x.mid")
        XCTAssertThrowsError(try AtomicFileWriter(destination: out).write([1])) { error in
            XCTAssertEqual(error as? FileError, .folderNotWritable(path: out.path))
        }
    }

    func testDiskFullIsReportedAsNoSpace() throws {
        let fd = open("/dev/full", O_WRONLY)
        guard fd >= 0 else { throw XCTSkip("/dev/full is not available") }
        defer { close(fd) }
        XCTAssertEqual(AtomicFileWriter.writeAll([1, 2, 3], to: fd), ENOSPC)
        let error = FileError.from(errno: ENOSPC, path: "/x/out.wav", operation: "write")
        XCTAssertEqual(error, .noSpace(path: "/x/out.wav"))
        XCTAssertEqual("\(error)", "/x/out.wav: no space left on device")
    }

    func testClosureVariantRenamesOnSuccessAndCleansUpOnFailure() throws {
        struct Boom: Error {}
        let dir = try TestPaths.temporaryFolder(self)
        let out = dir.appendingPathComponent("take.wav")
        XCTAssertThrowsError(try AtomicFileWriter(destination: out).write { temp in
            try Data([9, 9]).write(to: temp)
            throw Boom()
        }) { error in XCTAssertTrue(error is Boom) }
        XCTAssertEqual(try contents(dir), [], "the temporary file is removed and no output appears")
        try AtomicFileWriter(destination: out).write { temp in
            XCTAssertEqual(temp.deletingLastPathComponent().path, dir.path, "temporary file is in the destination folder")
            try Data([7]).write(to: temp)
        }
        XCTAssertEqual([UInt8](try Data(contentsOf: out)), [7])
        XCTAssertEqual(try contents(dir), ["take.wav"])
        XCTAssertThrowsError(try AtomicFileWriter(destination: dir.appendingPathComponent("none.wav")).write { _ in })
        XCTAssertEqual(try contents(dir), ["take.wav"])
    }
}
