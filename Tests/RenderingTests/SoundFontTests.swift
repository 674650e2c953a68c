import Foundation
import MIDI
@testable import Rendering
import TestSupport
import XCTest

/// The bundled SoundFont: built by our SF2 writer, loads in FluidSynth without warnings, every GM program sounds.
final class SoundFontTests: XCTestCase {
    typealias S = RenderTestSupport

    func testBundledFontIsFoundAndLoadsWithoutWarnings() throws {
        let path = try XCTUnwrap(SoundFontLocator.bundledPath, "bundled SoundFont not found")
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertLessThanOrEqual(size, 8_000_000)
        let check = try SoundFontCheck.load(path)
        XCTAssertEqual(check.presets, 128 + 10)
        XCTAssertEqual(check.messages.filter(\.isProblem).map(\.description), [], "FluidSynth warned while loading")
    }

    /// The committed file is exactly what the builder produces (so `tunesmith soundfonts build` rebuilds it byte-identically).
    func testCommittedFontMatchesTheBuilder() throws {
        let committed = TestPaths.package("Soundfonts/TunesmithGM.sf2")
        let bytes = try Data(contentsOf: committed)
        XCTAssertEqual([UInt8](bytes), TunesmithGM.bank().encoded())
        XCTAssertEqual(TunesmithGM.bank().encoded(), TunesmithGM.bank().encoded())
    }

    /// Each of the 128 GM programs sounds (one note each, in turn), and no program change or note makes FluidSynth complain.
    func testEveryProgramSounds() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let notes = (0..<128).map { Note(pitch: 60, velocity: 100, startTick: $0 * 240, durationTicks: 200, channel: 0, program: UInt8($0)) }
        let (_, audio) = try S.render(S.performance(notes), dir, "programs.wav", ["bits": .choice("32f")])
        let left = audio.left
        var silent: [Int] = []
        for k in 0..<128 {
            let start = k * 11_025 + 2000  // 240 ticks = 0.25 s; skip slow attacks
            if (left[start..<(start + 4000)].map(abs).max() ?? 0) < 0.005 { silent.append(k) }
        }
        XCTAssertEqual(silent, [], "programs without sound")
    }

    /// A corrupt or truncated SoundFont is refused with a one-line reason, before FluidSynth sees it.
    func testCorruptFontsAreRefused() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let good = TunesmithGM.bank().encoded()
        let cases: [(String, [UInt8])] = [
            ("empty.sf2", []), ("text.sf2", Array("hello world, not a font".utf8)),
            ("truncated.sf2", Array(good.prefix(good.count / 2))), ("header-only.sf2", Array(good.prefix(12))),
            ("badsize.sf2", Array(good.prefix(4)) + [0xFF, 0xFF, 0xFF, 0x7F] + Array(good.dropFirst(8))),
        ]
        for (name, bytes) in cases {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            XCTAssertThrowsError(try SoundFontCheck.load(url.path), name) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(url.path), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
    }
}
