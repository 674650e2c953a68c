import Foundation
import MIDI
import Rendering
import TestSupport
import XCTest

private typealias S = RenderTestSupport

/// Rendering one piece on several threads gives exactly the samples of a single-threaded render.
final class ThreadedRenderTests: XCTestCase {
    /// A dense piece: onsets on many different 64-frame phases (so many instances), drums, controls, bends.
    private func densePiece() -> Performance {
        let notes = (0..<160).map { i in
            Note(pitch: UInt8(36 + (i * 11) % 48), velocity: UInt8(60 + i % 60), startTick: i * 37 + (i % 5) * 3,
                 durationTicks: 150 + (i % 7) * 90, channel: UInt8(i % 6 == 0 ? 9 : i % 5), program: UInt8((i * 13) % 128))
        }
        return S.performance(notes, controls: [MIDIEvent(tick: 700, .controlChange(channel: 1, control: 7, value: 60)),
                                               MIDIEvent(tick: 1300, .controlChange(channel: 2, control: 64, value: 127)),
                                               MIDIEvent(tick: 2500, .controlChange(channel: 2, control: 64, value: 0)),
                                               MIDIEvent(tick: 1800, .pitchWheel(channel: 3, pitch: 2500))],
                              tempo: [TempoMap.Change(tick: 0, microsecondsPerBeat: 500_000),
                                      TempoMap.Change(tick: 3000, microsecondsPerBeat: 310_000)])
    }

    func testOneTwoAndThreeThreadsGiveIdenticalSamples() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let p = densePiece()
        for wet in [false, true] {
            var reference: [Float]?
            for threads in [1, 2, 3] {
                var options: [String: RenderOptionValue] = ["bits": .choice("32f"), "threads": .integer(threads)]
                if wet { options["reverb"] = .flag(true); options["chorus"] = .flag(true) }
                let (summary, audio) = try S.render(p, dir, "t\(threads)-\(wet).wav", options)
                XCTAssertGreaterThan(summary.synthInstances, 4, "the piece should need several instances (one group per thread)")
                XCTAssertGreaterThan(audio.floats.map(abs).max() ?? 0, 0.01)
                if let reference {
                    XCTAssertEqual(audio.floats.count, reference.count, "length differs with \(threads) threads (wet: \(wet))")
                    let differing = zip(audio.floats, reference).filter { $0 != $1 }.count
                    XCTAssertEqual(differing, 0, "\(differing) samples differ with \(threads) threads (wet: \(wet))")
                } else {
                    reference = audio.floats
                }
            }
        }
    }

    /// A real corpus file (a game tune from ../shared/corpus, else a sample chorale): 1 and 2 threads write
    /// byte-identical WAV files.
    func testCorpusFileIsByteIdenticalOnOneAndTwoThreads() throws {
        let input = TestPaths.sharedCorpus.map { $0.appendingPathComponent("games/openmsx-train_filled_with_cash.mid") }
            ?? TestPaths.sampleCorpus.appendingPathComponent("chorales/bwv1.6.mid")
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        var data: [Data] = []
        for threads in [1, 2] {
            let options = RenderOptions(["threads": .integer(threads)])
            let out = dir.appendingPathComponent("c\(threads).wav")
            _ = try RendererRegistry.standard.render(try Performance(contentsOf: input), to: out, options: options)
            data.append(try Data(contentsOf: out))
        }
        XCTAssertEqual(data[0], data[1], "1 and 2 threads wrote different files")
    }
}
