import Foundation
import MIDI
import Rendering
import TestSupport
import XCTest

/// Stems: one file per part beside the mix, summing to the mix (the mix's master gain applied to each), and a
/// panned arrangement's mix is stereo.
final class StemTests: XCTestCase {
    /// -90 dBFS as a linear amplitude.
    private let nullLevel: Float = 3.162_277_7e-5

    /// A four-part band in code: melody (right), chords (left), bass (centre), drums (channel 10), each with CC7,
    /// CC10 and CC91, 8 bars at 120 BPM.
    private func band() -> Performance {
        var melody: [Note] = [], chords: [Note] = [], bass: [Note] = [], drums: [Note] = []
        let line = [72, 74, 76, 79, 77, 76, 74, 72]
        for bar in 0..<8 {
            let t = bar * 1920
            for k in 0..<8 { melody.append(Note(pitch: UInt8(line[(k + bar) % 8]), velocity: UInt8(70 + 5 * (k % 4)), startTick: t + k * 240, durationTicks: 220, channel: 0, program: 27)) }
            for p in [60, 64, 67] { chords.append(Note(pitch: UInt8(p + (bar % 2) * 5), velocity: 60, startTick: t, durationTicks: 1900, channel: 1, program: 4)) }
            for k in 0..<4 { bass.append(Note(pitch: UInt8(36 + (k % 2) * 7), velocity: 90, startTick: t + k * 480, durationTicks: 430, channel: 2, program: 33)) }
            for k in 0..<8 {
                drums.append(Note(pitch: 42, velocity: 70, startTick: t + k * 240, durationTicks: 60, channel: 9))
                if k % 4 == 0 { drums.append(Note(pitch: 36, velocity: 100, startTick: t + k * 240, durationTicks: 60, channel: 9)) }
                if k % 4 == 2 { drums.append(Note(pitch: 38, velocity: 96, startTick: t + k * 240, durationTicks: 60, channel: 9)) }
            }
        }
        func mix(_ ch: UInt8, program: UInt8, pan: UInt8) -> [MIDIEvent] {
            [MIDIEvent(tick: 0, .programChange(channel: ch, program: program)), MIDIEvent(tick: 0, .controlChange(channel: ch, control: 7, value: 100)),
             MIDIEvent(tick: 0, .controlChange(channel: ch, control: 10, value: pan)), MIDIEvent(tick: 0, .controlChange(channel: ch, control: 91, value: 40))]
        }
        return Performance(ticksPerBeat: 480, tempoMap: TempoMap(ticksPerBeat: 480),
                           timeSignatures: [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)],
                           tracks: [NoteTrack(name: PartName.melody, notes: melody, controls: mix(0, program: 27, pan: 96)),
                                    NoteTrack(name: PartName.chords, notes: chords, controls: mix(1, program: 4, pan: 30)),
                                    NoteTrack(name: PartName.bass, notes: bass, controls: mix(2, program: 33, pan: 64)),
                                    NoteTrack(name: PartName.drums, notes: drums, controls: mix(9, program: 0, pan: 70))])
    }

    /// Renders with stems and returns the mix summary.
    private func renderStems(_ p: Performance, to url: URL, _ options: [String: RenderOptionValue], overwrite: Bool = true) throws -> RenderSummary {
        let renderer = try RendererRegistry.standard.renderer(forOutput: url)
        let resolved = try RenderOptions(options).validated(against: renderer.options, renderer: renderer.name)
        return try renderer.renderStems(p, to: url, options: resolved, context: RenderContext(overwrite: overwrite))
    }

    /// Peak of |mix - sum of stems| over every sample, and the mix's peak.
    private func residual(_ summary: RenderSummary) throws -> (residual: Float, mixPeak: Float) {
        let mix = try RenderTestSupport.read(URL(fileURLWithPath: summary.path))
        var sum = [Float](repeating: 0, count: mix.floats.count)
        for stem in summary.stems {
            let audio = try RenderTestSupport.read(URL(fileURLWithPath: stem.path))
            XCTAssertEqual(audio.frames, mix.frames, "\(stem.part ?? ""): stems are as long as the mix")
            for i in 0..<min(sum.count, audio.floats.count) { sum[i] += audio.floats[i] }
        }
        var worst: Float = 0, peak: Float = 0
        for i in sum.indices { worst = max(worst, abs(mix.floats[i] - sum[i])); peak = max(peak, abs(mix.floats[i])) }
        return (worst, peak)
    }

    func testStemsOfABandSumToTheMixOnFloatWAV() throws {
        let folder = try TestPaths.temporaryFolder(self)
        for (name, options) in [("dry", ["loudness": RenderOptionValue.choice("off")]),
                                ("wet", ["reverb": .flag(true), "chorus": .flag(true)]),
                                ("limited", ["loudness": .number(-5), "gain": .number(1.5)]),
                                ("mastered", [:])] {
            var all = options
            all["bits"] = .choice("32f")
            let summary = try renderStems(band(), to: folder.appendingPathComponent("\(name).wav"), all)
            XCTAssertEqual(summary.stems.map { $0.part }, ["Melody", "Chords", "Bass", "Drums"])
            XCTAssertEqual(summary.stems.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["Melody.wav", "Chords.wav", "Bass.wav", "Drums.wav"])
            XCTAssertTrue(summary.stems.allSatisfy { $0.path.hasPrefix(folder.appendingPathComponent("\(name).stems").path) })
            let (worst, peak) = try residual(summary)
            XCTAssertGreaterThan(peak, 0.05, name)
            XCTAssertLessThanOrEqual(worst, nullLevel, "\(name): residual \(20 * log10(max(worst, 1e-12))) dBFS")
            print("stems null test \(name): mix peak \(String(format: "%.3f", peak)), residual \(String(format: "%.1f", 20 * log10(max(worst, 1e-12)))) dBFS")
            if name == "limited" { XCTAssertGreaterThan(summary.master?.limiterReduction ?? 0, 0.5, "the limiter was at work") }
            if name == "mastered" { XCTAssertEqual(summary.master?.output.integrated ?? 0, -14, accuracy: 0.5, "the mix is mastered to -14 LUFS") }
            if name == "dry" {
                // The stems' mix (one engine per part) against a one-engine render of the same piece: the same music,
                // differing only where a note-off fell on another 64-frame block.
                let plain = try RendererRegistry.standard.render(band(), to: folder.appendingPathComponent("plain.wav"),
                                                                 options: RenderOptions(["bits": .choice("32f"), "loudness": .choice("off")]), overwrite: true)
                let a = try RenderTestSupport.read(URL(fileURLWithPath: summary.path)), b = try RenderTestSupport.read(URL(fileURLWithPath: plain.path))
                var diff = 0.0, energy = 0.0
                for i in 0..<min(a.floats.count, b.floats.count) {
                    let d = Double(a.floats[i] - b.floats[i])
                    diff += d * d
                    energy += Double(b.floats[i]) * Double(b.floats[i])
                }
                let ratio = 10 * log10(max(diff, 1e-30) / energy)
                print(String(format: "stems mix vs one-engine mix: difference %.1f dB below the signal", -ratio))
                XCTAssertLessThan(ratio, -20, "the stems' mix is the same music as a plain render")
                XCTAssertLessThan(abs(a.frames - b.frames), 44_100 / 5)
            }
        }
    }

    func testAPannedMixIsStereo() throws {
        let folder = try TestPaths.temporaryFolder(self)
        let (_, audio) = try RenderTestSupport.render(band(), folder, "band.wav", ["bits": .choice("32f")])
        var side = 0.0, mid = 0.0, differing = 0
        for i in stride(from: 0, to: audio.floats.count - 1, by: 2) {
            let l = Double(audio.floats[i]), r = Double(audio.floats[i + 1])
            side += (l - r) * (l - r); mid += (l + r) * (l + r)
            if abs(l - r) > 1e-4 { differing += 1 }
        }
        let ratio = (side / max(mid, 1e-30)).squareRoot()
        print(String(format: "band mix: side/mid RMS ratio %.3f, %.1f %% of frames with left != right", ratio, 100 * Double(differing) / Double(audio.frames)))
        XCTAssertGreaterThan(ratio, 0.1, "left and right differ")
        XCTAssertGreaterThan(differing, audio.frames / 2)
    }

    func testStemsOfACorpusGameFileSumToItsMix() throws {
        let games = TestPaths.midiFiles(in: TestPaths.corpus.appendingPathComponent("games"))
        try XCTSkipIf(games.isEmpty, "the corpus has no game files")
        let folder = try TestPaths.temporaryFolder(self)
        // The first game file with drums and at least three parts, cut to its first 20 seconds.
        for url in games {
            guard var p = try? Performance(contentsOf: url), p.parts.count >= 3,
                  p.tracks.contains(where: { $0.notes.contains(where: \.isDrum) }) else { continue }
            let end = p.tempoMap.tick(atSeconds: 20)
            for t in p.tracks.indices {
                p.tracks[t].notes = p.tracks[t].notes.filter { $0.startTick < end }.map { var n = $0; n.durationTicks = min(n.durationTicks, end - n.startTick); return n }
                p.tracks[t].controls.removeAll { $0.tick >= end }
                p.tracks[t].otherEvents.removeAll { $0.tick >= end }
                p.tracks[t].endOfTrackTick = end  // the render lasts to the end of track: cut it too
            }
            let summary = try renderStems(p, to: folder.appendingPathComponent("game.wav"), ["bits": .choice("32f")])
            XCTAssertEqual(summary.stems.count, p.parts.count)
            let (worst, _) = try residual(summary)
            print("stems null test \(url.lastPathComponent) (\(summary.stems.count) parts): residual \(String(format: "%.1f", 20 * log10(max(worst, 1e-12)))) dBFS")
            XCTAssertLessThanOrEqual(worst, nullLevel, url.lastPathComponent)
            return
        }
        throw XCTSkip("no game file with drums and three parts")
    }

    func testMIDIStemsAndExistingStemsNeedOverwrite() throws {
        let folder = try TestPaths.temporaryFolder(self)
        let url = folder.appendingPathComponent("song.mid")
        let summary = try renderStems(band(), to: url, [:], overwrite: false)
        for stem in summary.stems {
            let p = try Performance(contentsOf: URL(fileURLWithPath: stem.path))
            XCTAssertEqual(p.parts.map(\.name), [stem.part!], "one part per stem file")
        }
        XCTAssertThrowsError(try renderStems(band(), to: folder.appendingPathComponent("song.mid"), [:], overwrite: false))
        XCTAssertNoThrow(try renderStems(band(), to: folder.appendingPathComponent("song.mid"), [:], overwrite: true))
        // Another format shares the folder.
        let flac = try renderStems(band(), to: folder.appendingPathComponent("song.flac"), [:], overwrite: false)
        XCTAssertEqual(flac.stems.count, 4)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("song.stems").path).sorted()
        XCTAssertEqual(names, ["Bass.flac", "Bass.mid", "Chords.flac", "Chords.mid", "Drums.flac", "Drums.mid", "Melody.flac", "Melody.mid"])
    }
}
