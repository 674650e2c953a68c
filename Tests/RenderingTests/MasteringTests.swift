import CSndFile
import Foundation
import MIDI
import Rendering
import Support
import TestSupport
import XCTest

/// The master stage on real renders: loudness targets read back by our meter and by ffmpeg's ebur128 filter, the
/// true-peak ceiling, the gain envelope shared by stems, TPDF dither's noise floor, every format, and tags read back
/// through libsndfile.
final class MasteringTests: XCTestCase {
    typealias S = RenderTestSupport

    /// A busy piece: piano chords, a bass line, strings and drums, 8 s.
    static var piece: Performance {
        var notes: [Note] = []
        for bar in 0..<8 {
            for (i, pitch) in [60, 64, 67, 72].enumerated() {
                notes.append(Note(pitch: UInt8(pitch + bar % 3), velocity: UInt8(70 + 10 * i), startTick: bar * 480, durationTicks: 460, program: 0))
            }
            notes.append(Note(pitch: UInt8(36 + bar % 5), velocity: 100, startTick: bar * 480, durationTicks: 400, channel: 1, program: 33))
            notes.append(Note(pitch: UInt8(76 + bar % 4), velocity: 90, startTick: bar * 480 + 240, durationTicks: 700, channel: 2, program: 48))
            for beat in 0..<2 {
                notes.append(Note(pitch: beat == 0 ? 36 : 38, velocity: 120, startTick: bar * 480 + beat * 240, durationTicks: 100, channel: 9))
                notes.append(Note(pitch: 42, velocity: 90, startTick: bar * 480 + beat * 240 + 120, durationTicks: 60, channel: 9))
            }
        }
        return S.performance(notes)
    }

    /// ffmpeg's ebur128 reading of a file (integrated LUFS, true peak dBTP), nil when ffmpeg is not installed.
    static func ffmpegLoudness(_ url: URL) throws -> (Double, Double)? {
        guard let text = try FFmpegTool.output(of: "ffmpeg", ["-hide_banner", "-nostats", "-i", url.path, "-af", "ebur128=peak=true", "-f", "null", "-"]) else {
            return nil
        }
        // The summary at the end: "I:  -14.0 LUFS" ... "Peak:  -1.2 dBFS".
        guard let summary = text.range(of: "Summary:") else { return nil }
        let tail = text[summary.lowerBound...]
        func value(after label: String) -> Double? {
            guard let r = tail.range(of: label) else { return nil }
            return Double(tail[r.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        guard let i = value(after: "I:"), let p = value(after: "Peak:") else { return nil }
        return (i, p)
    }

    /// Loudness targets are met as our meter and ffmpeg read the written files back (within 0.5 LU, true peak <= -1 dBTP).
    func testLoudnessTargetsAreMetAsMeasuredByUsAndFFmpeg() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "mastering")
        for (name, target, options) in [("a.wav", -14.0, ["bits": RenderOptionValue.choice("16")]), ("b.flac", -23.0, ["bits": .choice("24")]),
                                        ("c.wav", -9.0, ["bits": .choice("32f"), "sample-rate": .integer(48_000)])] {
            var all = options
            all["loudness"] = .number(target)
            let (summary, audio) = try S.render(Self.piece, dir, name, all)
            let ours = try LoudnessMeter.measure(left: audio.left, right: audio.right, sampleRate: audio.sampleRate)
            XCTAssertEqual(ours.integrated, target, accuracy: 0.5, name)
            XCTAssertLessThanOrEqual(ours.truePeak, -1.0, name)
            let report = try XCTUnwrap(summary.master)
            XCTAssertEqual(report.output.integrated, target, accuracy: 0.5)
            XCTAssertLessThan(report.input.integrated, -15, "the synthesizer's own level is quieter than the targets")
            if let (integrated, peak) = try Self.ffmpegLoudness(dir.appendingPathComponent(name)) {
                XCTAssertEqual(integrated, target, accuracy: 0.5, "ffmpeg: \(name)")
                XCTAssertLessThanOrEqual(peak, -1.0, "ffmpeg true peak: \(name)")
            } else {
                print("ffmpeg not installed: skipping its reading of \(name)")
            }
        }
    }

    /// One gain envelope, computed on the mix, applied to each stem: the stems sum to the mastered mix within -90 dBFS,
    /// and the master stays under its true-peak ceiling.
    func testGainEnvelopeAppliesIdenticallyToStems() throws {
        let rate = 44_100, n = rate * 3
        var rng = SplitMix64(seed: 3)
        var stemA = [Float](repeating: 0, count: n), stemB = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(rate)
            stemA[i] = Float(0.6 * sin(2 * .pi * 110 * t) * (i % 22_050 < 2_000 ? 1.5 : 0.3))
            stemB[i] = Float(0.3 * sin(2 * .pi * 1_234.5 * t) + 0.05 * (Double(rng.next() % 1000) / 500 - 1))
        }
        let mixL = zip(stemA, stemB).map { $0 + $1 }, mixR = zip(stemA, stemB).map { $0 * 0.8 + $1 }
        let chain = MasterChain(settings: MasterSettings(loudness: -10, truePeak: -1), sampleRate: rate)
        let gain = chain.settings.gainDecibels(for: try LoudnessMeter.measure(left: mixL, right: mixR, sampleRate: rate))
        let envelope = chain.envelope(left: mixL, right: mixR, gainDecibels: gain)
        XCTAssertEqual(envelope.count, n)
        var masterL = mixL, masterR = mixR
        MasterChain.apply(envelope, left: &masterL, right: &masterR)
        var aL = stemA, aR = stemA.map { $0 * 0.8 }, bL = stemB, bR = stemB
        MasterChain.apply(envelope, left: &aL, right: &aR)
        MasterChain.apply(envelope, left: &bL, right: &bR)
        var worst: Float = 0
        for i in 0..<n {
            let errorL: Float = abs(aL[i] + bL[i] - masterL[i])
            let errorR: Float = abs(aR[i] + bR[i] - masterR[i])
            worst = max(worst, errorL, errorR)
        }
        XCTAssertLessThan(20 * log10(Double(worst) + 1e-30), -90)
        let master = try LoudnessMeter.measure(left: masterL, right: masterR, sampleRate: rate)
        XCTAssertLessThanOrEqual(master.truePeak, -1.0)
        XCTAssertLessThan(envelope.min() ?? 1, Float(pow(10, gain / 20)) * 0.9, "the limiter should act on this mix")
    }

    /// TPDF dither at 16 bits: a signal below one LSB survives as signal in a noise floor of about -96 dBFS
    /// (1/2 LSB RMS: dither 1/6 + rounding 1/12 LSB²); without dither it rounds away to silence.
    func testDitherNoiseFloorAndSubLSBDetail() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "mastering")
        let p = S.performance([Note(pitch: 69, velocity: 100, startTick: 0, durationTicks: 1920, program: 73)])
        let quiet: [String: RenderOptionValue] = ["loudness": .choice("off"), "gain": .number(0.000_02)]
        let (_, reference) = try S.render(p, dir, "ref.wav", quiet.merging(["bits": .choice("32f")]) { $1 })
        let x = reference.floats
        let peakLSB = (x.map(abs).max() ?? 0) * 32767
        XCTAssertLessThan(peakLSB, 0.5, "the test signal must be below half an LSB")
        XCTAssertGreaterThan(peakLSB, 0.1)
        let (_, plain) = try S.render(p, dir, "plain.wav", quiet.merging(["bits": .choice("16"), "dither": .flag(false)]) { $1 })
        XCTAssertEqual(plain.shorts.map { abs(Int($0)) }.max(), 0, "without dither the signal rounds away")
        let (_, dithered) = try S.render(p, dir, "dithered.wav", quiet.merging(["bits": .choice("16")]) { $1 })
        let d = dithered.shorts.map(Double.init)
        let rms = (d.reduce(0) { $0 + $1 * $1 } / Double(d.count)).squareRoot()
        XCTAssertEqual(rms, 0.5, accuracy: 0.08, "noise floor \(20 * log10(rms / 32767)) dBFS")
        XCTAssertLessThanOrEqual(d.map(abs).max() ?? 0, 2, "TPDF dither spans +-1 LSB before rounding")
        let n = min(d.count, x.count)
        var dot = 0.0, dd = 0.0, xx = 0.0
        for i in 0..<n {
            let xi = Double(x[i])
            dot += d[i] * xi
            dd += d[i] * d[i]
            xx += xi * xi
        }
        let norm = (dd * xx).squareRoot()
        XCTAssertGreaterThan(dot / norm, 0.05, "the sub-LSB signal should survive in the dithered file")
    }

    /// The vectorised 16-bit encode against the float file of the same render: without dither every sample is the float
    /// value x 32767 rounded to nearest (ties to even) and clipped; with TPDF dither the error is at most 1.5 LSB,
    /// unbiased, with variance 1/6 + 1/12 LSB² (dither plus rounding), and the same render gives the same samples.
    func testSixteenBitsAreTheFloatSamplesRoundedAndDithered() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "mastering")
        let p = S.performance([Note(pitch: 57, velocity: 110, startTick: 0, durationTicks: 960, program: 0),
                               Note(pitch: 64, velocity: 90, startTick: 240, durationTicks: 720, program: 48)])
        // Loud: the true-peak limiter holds the mix under -1 dBTP, so the 16-bit range is nearly used.
        let raw: [String: RenderOptionValue] = ["loudness": .choice("off"), "gain": .number(10)]
        let (_, float) = try S.render(p, dir, "f.wav", raw.merging(["bits": .choice("32f")]) { $1 })
        let (_, plain) = try S.render(p, dir, "p.wav", raw.merging(["bits": .choice("16"), "dither": .flag(false)]) { $1 })
        let (_, dithered) = try S.render(p, dir, "d.wav", raw.merging(["bits": .choice("16")]) { $1 })
        let (_, again) = try S.render(p, dir, "d2.wav", raw.merging(["bits": .choice("16")]) { $1 })
        let x = float.floats
        XCTAssertEqual(plain.shorts.count, x.count)
        XCTAssertGreaterThan(x.map(abs).max() ?? 0, 0.8, "the test wants samples near full scale")
        var mismatches = 0
        for i in x.indices {
            let expected = Int16(max(-32768, min(32767, (x[i] * 32767).rounded(.toNearestOrEven))))  // in Float, as encoded
            if plain.shorts[i] != expected { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(dithered.shorts, again.shorts, "dither is deterministic")
        var sum = 0.0, squares = 0.0, worst = 0.0, count = 0.0
        for i in x.indices where abs(x[i]) < 0.99 {
            let e = Double(dithered.shorts[i]) - Double(x[i]) * 32767
            sum += e; squares += e * e; worst = max(worst, abs(e)); count += 1
        }
        XCTAssertLessThanOrEqual(worst, 1.5)
        XCTAssertEqual(sum / count, 0, accuracy: 0.01)
        XCTAssertEqual(squares / count, 0.25, accuracy: 0.01)
    }

    /// 44.1, 48 and 96 kHz at 16, 24 and 32f bits (FLAC: 16 and 24), each at its target loudness.
    func testEverySampleRateAndBitDepth() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "mastering")
        let p = S.performance([Note(pitch: 64, velocity: 100, startTick: 0, durationTicks: 960, program: 0)])
        for rate in [44_100, 48_000, 96_000] {
            for (ext, bits, subtype) in [("wav", "16", SF_FORMAT_PCM_16), ("wav", "24", SF_FORMAT_PCM_24), ("wav", "32f", SF_FORMAT_FLOAT),
                                         ("flac", "16", SF_FORMAT_PCM_16), ("flac", "24", SF_FORMAT_PCM_24)] {
                let name = "\(rate)-\(bits).\(ext)"
                let (_, audio) = try S.render(p, dir, name, ["sample-rate": .integer(rate), "bits": .choice(bits)])
                XCTAssertEqual(audio.sampleRate, rate, name)
                XCTAssertEqual(audio.format & Int32(SF_FORMAT_SUBMASK), Int32(subtype), name)
                let m = try LoudnessMeter.measure(left: audio.left, right: audio.right, sampleRate: rate)
                XCTAssertEqual(m.integrated, -14, accuracy: 0.5, name)
                XCTAssertLessThanOrEqual(m.truePeak, -1.0, name)
            }
        }
    }

    /// Tags read back through libsndfile from FLAC, Ogg Vorbis and WAV; FLAC also carries TRACKTOTAL and REPLAYGAIN_*.
    func testTagsAreReadBackThroughLibsndfile() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "mastering")
        let p = S.performance([Note(pitch: 64, velocity: 100, startTick: 0, durationTicks: 480, program: 0)])
        let tags = AudioTags(title: "Morning", album: "Tests", artist: "Tunesmith", trackNumber: 3, trackTotal: 8, comment: "seed 7")
        var names = ["t.flac", "t.wav"]
        if AudioFileFormat(.ogg, .vorbis).isSupported() { names.append("t.ogg") }
        for name in names {
            let url = dir.appendingPathComponent(name)
            _ = try RendererRegistry.standard.render(p, to: url, context: RenderContext(overwrite: true, tags: tags))
            var info = SF_INFO()
            let f = try XCTUnwrap(sf_open(url.path, Int32(SFM_READ), &info))
            defer { sf_close(f) }
            func string(_ kind: Int32) -> String? { sf_get_string(f, kind).map { String(cString: $0) } }
            XCTAssertEqual(string(Int32(SF_STR_TITLE)), "Morning", name)
            XCTAssertEqual(string(Int32(SF_STR_ARTIST)), "Tunesmith", name)
            XCTAssertEqual(string(Int32(SF_STR_ALBUM)), "Tests", name)
            XCTAssertEqual(string(Int32(SF_STR_TRACKNUMBER)), "3", name)
            // WAV's comment string goes on with the REPLAYGAIN_* lines (see BroadcastWAVTests).
            XCTAssertEqual(string(Int32(SF_STR_COMMENT))?.split(separator: "\n").first.map(String.init), "seed 7", name)
        }
        let flac = String(decoding: try Data(contentsOf: dir.appendingPathComponent("t.flac")).prefix(4096), as: UTF8.self)
        XCTAssertTrue(flac.contains("TRACKTOTAL=8"))
        let gainText = try XCTUnwrap(flac.range(of: "REPLAYGAIN_TRACK_GAIN=").map { flac[$0.upperBound...].prefix(6) })
        let trackGain = try XCTUnwrap(Double(gainText.trimmingCharacters(in: .whitespaces)))
        XCTAssertEqual(trackGain, -4, accuracy: 0.5, "a -14 LUFS track is 4 dB above ReplayGain's -18 LUFS reference")
        XCTAssertTrue(flac.contains("REPLAYGAIN_TRACK_PEAK=0."))
    }
}
