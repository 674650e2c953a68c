import Foundation
import MIDI
@testable import Rendering
import TestSupport
import XCTest

/// Renders for real through libfluidsynth and libsndfile and checks what comes out.
final class AudioRenderTests: XCTestCase {
    typealias S = RenderTestSupport

    /// A4 (pitch 69) renders with a 440 Hz fundamental within 1 %, with the bundled font and TimGM6mb.
    func testA4RendersAt440Hz() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        var fonts: [RenderOptionValue?] = [nil]
        if let tim = S.timGM { fonts.append(.path(tim)) }
        for (i, font) in fonts.enumerated() {
            // Piano, violin, flute (organ presets of some fonts add a 16' sub-octave, so they are left out).
            for program: UInt8 in [0, 40, 73] {
                let p = S.performance([Note(pitch: 69, velocity: 100, startTick: 0, durationTicks: 960, program: program)])
                var options: [String: RenderOptionValue] = ["bits": .choice("32f")]
                if let font { options["soundfont"] = font }
                let (_, audio) = try S.render(p, dir, "a4-\(i)-\(program).wav", options)
                let left = audio.left
                let f = S.fundamental(left[4410..<(4410 + 8192)], sampleRate: audio.sampleRate)
                XCTAssertEqual(f, 440, accuracy: 4.4, "font \(font?.description ?? "bundled") program \(program): \(f) Hz")
            }
        }
    }

    /// A pitch bend of +8191 (2 semitones by default) raises A4 to B4 (493.9 Hz) within 1 %.
    func testPitchBendIsHonoured() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let p = S.performance([Note(pitch: 69, velocity: 100, startTick: 0, durationTicks: 960, program: 19)],
                              controls: [MIDIEvent(tick: 0, .pitchWheel(channel: 0, pitch: 8191))])
        let (_, audio) = try S.render(p, dir, "bend.wav", ["bits": .choice("32f")])
        let f = S.fundamental(audio.left[4410..<(4410 + 8192)], sampleRate: audio.sampleRate)
        XCTAssertEqual(f, 440 * pow(2, 2.0 / 12), accuracy: 4.9, "\(f) Hz")
    }

    /// Length = music (up to the last note-off) + a release tail within the cap, and the tail ends at silence.
    func testLengthIsMusicPlusCappedTail() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        // 2 beats at 120 BPM = 1.0 s of music.
        let p = S.performance([Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 960, program: 0)])
        for tailMax in [0.25, 5.0] {
            let (s, audio) = try S.render(p, dir, "len-\(tailMax).wav", ["tail-max": .number(tailMax)])
            XCTAssertEqual(s.musicFrames, 44_100)
            XCTAssertEqual(audio.frames, s.frames)
            XCTAssertGreaterThanOrEqual(audio.frames, 44_100)
            XCTAssertLessThanOrEqual(audio.frames, 44_100 + Int(tailMax * 44_100), "tail cap \(tailMax) s")
        }
        // The 5 s cap is not used up: the tail stops once the release has died away.
        let (s, _) = try S.render(p, dir, "len-free.wav", ["tail-max": .number(5)])
        XCTAssertLessThan(s.tailSeconds, 2.0)
    }

    /// A FLAC render decodes (through libsndfile) to exactly the samples of the 16-bit WAV render.
    func testFLACDecodesToTheWAVSamples() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let notes = (0..<16).map { Note(pitch: UInt8(48 + $0 * 2), velocity: UInt8(60 + $0 * 4), startTick: $0 * 120, durationTicks: 300, program: UInt8($0 * 8)) }
        let p = S.performance(notes)
        let (_, wav) = try S.render(p, dir, "x.wav", ["bits": .choice("16")])
        for level in [0.0, 1.0] {
            let (_, flac) = try S.render(p, dir, "x-\(level).flac", ["bits": .choice("16"), "compression": .number(level)])
            XCTAssertEqual(flac.frames, wav.frames)
            XCTAssertEqual(flac.shorts, wav.shorts, "FLAC (compression \(level)) differs from the 16-bit WAV")
        }
        XCTAssertGreaterThan(wav.shorts.map { abs(Int($0)) }.max() ?? 0, 1000, "render is silent")
    }

    /// A tempo change moves a later note's onset to the predicted sample (within 2 samples), and
    /// onsets at many sub-block positions land exactly, which a single FluidSynth instance cannot do.
    func testOnsetsAreSampleAccurateAcrossTempoChanges() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        // 120 BPM for one beat (0.5 s), then 50 BPM (1.2 s per beat); a note at tick 720 (half a beat later).
        let tempo = [TempoMap.Change(tick: 480, microsecondsPerBeat: 1_200_000)]
        let p = S.performance([Note(pitch: 60, velocity: 110, startTick: 720, durationTicks: 240, program: 0)], tempo: tempo)
        let predicted = Int(((0.5 + 0.6) * 44_100).rounded())
        let (_, audio) = try S.render(p, dir, "tempo.wav", ["bits": .choice("32f")])
        let on = try XCTUnwrap(S.onset(audio.left, threshold: 1e-6))
        XCTAssertLessThanOrEqual(abs(on - predicted), 2, "onset at \(on), predicted \(predicted)")

        // Notes at 12 positions spread over the phases of FluidSynth's 64-frame block, over a drone that
        // keeps a synthesizer busy throughout. Voices are independent, so (drone + notes) - (drone alone)
        // is the notes alone; their onsets are measured in that difference.
        let positions = (0..<12).map { 44_100 * (1 + $0) + $0 * 5 + 1 }  // frames, one second apart
        let tpf = 480.0 / 22_050.0  // ticks per frame at 120 BPM, 480 tpb
        let notes = positions.map { Note(pitch: 72, velocity: 110, startTick: Int((Double($0) * tpf).rounded()), durationTicks: 50, channel: 1, program: 0) }
        let expected = notes.map { Int((Double($0.startTick) / tpf).rounded()) }
        let drone = Note(pitch: 36, velocity: 60, startTick: 0, durationTicks: 30 * 480, channel: 0, program: 19)
        for (instances, exact) in [(16, true), (1, false)] {
            // Loudness off: the difference of two renders is the notes alone only if both keep the synthesizer's level.
            let options: [String: RenderOptionValue] = ["bits": .choice("32f"), "instances": .integer(instances), "loudness": .choice("off")]
            let (_, both) = try S.render(S.performance([drone] + notes), dir, "grid-\(instances).wav", options)
            let (_, alone) = try S.render(S.performance([drone]), dir, "drone-\(instances).wav", options)
            let l1 = both.left, l2 = alone.left
            let diff = (0..<min(l1.count, l2.count)).map { l1[$0] - l2[$0] }
            var errors: [Int] = []
            for (k, e) in expected.enumerated() {
                let from = k == 0 ? 0 : expected[k - 1] + 30_000
                let found = try XCTUnwrap(S.onset(diff, from: from, threshold: 1e-9))  // before a note both renders are identical
                errors.append(found - e)
            }
            if exact {
                XCTAssertTrue(errors.allSatisfy { abs($0) <= 2 }, "onset errors (frames): \(errors)")
            } else {
                XCTAssertGreaterThan(errors.map(abs).max() ?? 0, 8, "one busy instance snaps onsets to its block grid: \(errors)")
            }
        }
    }

    /// The same input and options give byte-identical WAV and FLAC files.
    func testRendersAreByteIdentical() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let notes = (0..<40).map { Note(pitch: UInt8(40 + ($0 * 7) % 40), velocity: 90, startTick: $0 * 97, durationTicks: 400,
                                        channel: UInt8($0 % 3 == 0 ? 9 : $0 % 4), program: UInt8($0 * 3 % 128)) }
        let p = S.performance(notes, controls: [MIDIEvent(tick: 500, .controlChange(channel: 1, control: 7, value: 70)),
                                                MIDIEvent(tick: 900, .pitchWheel(channel: 2, pitch: -3000))])
        for (name, options) in [("a.wav", ["bits": RenderOptionValue.choice("24")]), ("a.flac", [:]),
                                ("r.wav", ["reverb": .flag(true), "chorus": .flag(true), "bits": .choice("32f")])] {
            let first = dir.appendingPathComponent("1-" + name), second = dir.appendingPathComponent("2-" + name)
            _ = try RendererRegistry.standard.render(p, to: first, options: RenderOptions(options))
            _ = try RendererRegistry.standard.render(p, to: second, options: RenderOptions(options))
            XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second), "\(name) differs between runs")
        }
    }

    /// Loud input is limited: with the loudness left alone, no sample (nor true peak) goes beyond the -1 dBTP ceiling and
    /// the limiter lets the signal reach it; a loudness target is met with the same ceiling.
    func testNoSampleBeyondFullScale() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let chord = (0..<24).map { Note(pitch: UInt8(36 + $0 * 2), velocity: 127, startTick: 0, durationTicks: 960, program: 61) }
        let p = S.performance(chord)
        let (s, audio) = try S.render(p, dir, "loud.wav", ["bits": .choice("32f"), "gain": .number(5), "loudness": .choice("off")])
        let peak = audio.floats.map(abs).max() ?? 0
        XCTAssertLessThanOrEqual(peak, 0.8913)
        XCTAssertGreaterThan(peak, 0.8, "the limiter should let the signal reach its ceiling")
        XCTAssertLessThanOrEqual(s.peak, 1)
        let measured = try LoudnessMeter.measure(left: audio.left, right: audio.right, sampleRate: 44_100)
        XCTAssertLessThanOrEqual(measured.truePeak, -1.0)
        let (_, target) = try S.render(p, dir, "target.wav", ["bits": .choice("32f"), "gain": .number(5), "loudness": .number(-9)])
        let loud = try LoudnessMeter.measure(left: target.left, right: target.right, sampleRate: 44_100)
        XCTAssertEqual(loud.integrated, -9, accuracy: 0.5)
        XCTAssertLessThanOrEqual(loud.truePeak, -1.0)
    }

    /// The drum channel (10) sounds with the bundled kit, and program changes select different timbres.
    func testDrumChannelAndProgramChanges() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let drums = S.performance([36, 38, 42, 49].enumerated().map { Note(pitch: UInt8($0.element), velocity: 110, startTick: $0.offset * 480, durationTicks: 120, channel: 9) })
        let (_, a) = try S.render(drums, dir, "drums.wav", ["bits": .choice("32f")])
        for k in 0..<4 {
            let window = a.left[(k * 22_050)..<(k * 22_050 + 4000)]
            XCTAssertGreaterThan(window.map(abs).max() ?? 0, 0.01, "drum hit \(k) is silent")
        }
        // Same note, program 0 (piano) vs 73 (flute): different waveforms.
        let (_, piano) = try S.render(S.performance([Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 480, program: 0)]), dir, "p.wav", ["bits": .choice("32f")])
        let (_, flute) = try S.render(S.performance([Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 480, program: 73)]), dir, "f.wav", ["bits": .choice("32f")])
        XCTAssertNotEqual(Array(piano.left[2000..<3000]), Array(flute.left[2000..<3000]))
    }

    /// Ogg Vorbis is offered when libsndfile can write it, and then decodes to audio of the right length.
    func testOggWhenAvailable() throws {
        let ogg = try RendererRegistry.standard.renderer(forOutput: URL(fileURLWithPath: "x.ogg"))
        guard ogg.unavailableReason == nil else { throw XCTSkip("libsndfile without Vorbis: \(ogg.unavailableReason!)") }
        let dir = try TestPaths.temporaryFolder(self, prefix: "rendering")
        let (s, audio) = try S.render(S.performance([Note(pitch: 64, velocity: 100, startTick: 0, durationTicks: 480)]), dir, "x.ogg")
        XCTAssertEqual(audio.frames, s.frames)
        XCTAssertGreaterThan(audio.floats.map(abs).max() ?? 0, 0.01)
        // Reproducible too: the random Ogg serial number is replaced (and page checksums recomputed).
        let (_, again) = try S.render(S.performance([Note(pitch: 64, velocity: 100, startTick: 0, durationTicks: 480)]), dir, "y.ogg")
        XCTAssertEqual(again.floats, audio.floats)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("x.ogg")), try Data(contentsOf: dir.appendingPathComponent("y.ogg")))
    }
}
