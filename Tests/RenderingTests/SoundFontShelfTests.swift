import Foundation
@testable import Rendering
import Support
import TestSupport
import XCTest

/// Renders that share a shelf load the SoundFont once and sound exactly as renders that load their own.
final class SoundFontShelfTests: XCTestCase {
    /// Renders ``MasteringTests/piece`` to a 16-bit WAV without dither (`threads` synthesis threads) and returns its bytes.
    private func render(_ name: String, in folder: URL, threads: Int, shelf: SoundFontShelf?) throws -> Data {
        let url = folder.appendingPathComponent(name)
        let options = RenderOptions(["threads": .integer(threads), "dither": .flag(false)])
        _ = try RendererRegistry.standard.render(MasteringTests.piece, to: url, options: options,
                                                 context: RenderContext(overwrite: true, soundFonts: shelf))
        return try Data(contentsOf: url)
    }

    func testRendersSharingAShelfLoadOnceAndSoundTheSame() throws {
        let folder = try TestPaths.temporaryFolder(self, prefix: "soundfont-shelf")
        let alone = try render("alone.wav", in: folder, threads: 2, shelf: nil)
        let shelf = SoundFontShelf(concurrentRenders: 1)
        XCTAssertEqual(shelf.keptCopies, 0)
        let first = try render("first.wav", in: folder, threads: 2, shelf: shelf)
        XCTAssertEqual(shelf.keptCopies, 2, "both threads' copies are put back")
        let second = try render("second.wav", in: folder, threads: 2, shelf: shelf)
        XCTAssertEqual(shelf.keptCopies, 2, "the second render took both and gave them back")
        let third = try render("third.wav", in: folder, threads: 1, shelf: shelf)
        XCTAssertEqual(shelf.keptCopies, 2)
        XCTAssertEqual(first, alone)
        XCTAssertEqual(second, alone, "a copy another render used sounds the same")
        XCTAssertEqual(try render("alone1.wav", in: folder, threads: 1, shelf: nil), third)
    }

    func testTheShelfKeepsAtMostItsCapacity() throws {
        let font = try SoundFontLocator.resolve(nil)
        let shelf = SoundFontShelf(concurrentRenders: 1)
        XCTAssertEqual(shelf.capacity, 2)
        for _ in 0..<3 { shelf.give(try InstanceGroup.load(path: font).get()) }
        XCTAssertEqual(shelf.keptCopies, 2, "the third copy is deleted, not kept")
        XCTAssertNotNil(shelf.take(path: font))
        XCTAssertNil(shelf.take(path: font + ".other"), "copies are kept by file")
        XCTAssertEqual(shelf.keptCopies, 1)
    }
}
