import Foundation
@testable import Rendering
import Support
import TestSupport
import XCTest

/// The limiter forecast only chooses how a render's gain is confirmed: a file written first at the plain gain stands
/// when the limiter took under 0.1 LU (the same bytes as the evaluated route gives), and is written again at the
/// corrected gain when it took more, so either route ends at the target.
final class LimiterForecastTests: XCTestCase {
    private let rate = 44_100

    /// `seconds` of a stereo 440 Hz sine at `amplitude`, with a burst at `burst` times that amplitude for 2 ms at the
    /// start of each second listed in `bursts` (a click: it reaches the limiter but carries almost no loudness).
    private func music(seconds: Int, amplitude: Float, burst: Float = 1, bursts: [Int] = []) -> [Float] {
        var x = [Float](repeating: 0, count: seconds * rate)
        for k in x.indices {
            let second = k / rate
            let loud = bursts.contains(second) && k % rate < rate / 500
            x[k] = (loud ? burst : 1) * amplitude * Float(sin(2 * .pi * 440 * Double(k) / Double(rate)))
        }
        return x
    }

    /// The meter of `x` fed in uneven pieces, with block peaks.
    private func meter(_ x: [Float]) throws -> LoudnessMeter {
        let meter = try LoudnessMeter(sampleRate: rate, truePeak: false, blockPeaks: true)
        var at = 0, piece = 1_000
        x.withUnsafeBufferPointer { b in
            while at < x.count {
                let n = min(piece, x.count - at)
                meter.add(b.baseAddress! + at, b.baseAddress! + at, n)
                at += n
                piece = piece * 7 % 9_973 + 1
            }
        }
        return meter
    }

    func testBlockPeaksAreEachBlocksLargestSampleHoweverTheAudioArrives() throws {
        var x = music(seconds: 3, amplitude: 0.1)
        x[12_345] = 0.9
        x[3 * rate - 1] = -0.7  // in the last block
        let m = try meter(x)
        let block = rate / 10
        XCTAssertEqual(m.blockPeakList.count, 30)
        for b in 0..<30 {
            let expected = x[(b * block)..<((b + 1) * block)].map(abs).max()!
            XCTAssertEqual(m.blockPeakList[b], expected, "block \(b)")
        }
        XCTAssertEqual(m.measurement().samplePeak, 20 * log10(0.9), accuracy: 1e-6)
    }

    func testForecastGrowsWithHowMuchOfTheMixIsOverTheCeiling() throws {
        let m = try meter(music(seconds: 20, amplitude: 0.1, burst: 8, bursts: [3, 11]))
        let forecast = try XCTUnwrap(LimiterForecast(meter: m))
        // Sine crests at -20 dBFS, clicks at -2 dBFS; ceiling -1 dBTP (threshold -1.7 dB).
        XCTAssertEqual(forecast.loudnessLoss(gainDecibels: 0, ceilingDBTP: -1), 0, "nothing reaches the threshold")
        let bursty = forecast.loudnessLoss(gainDecibels: 8, ceilingDBTP: -1)  // only the clicks go over
        XCTAssertGreaterThan(bursty, 0)
        XCTAssertLessThan(bursty, LimiterForecast.writeFirstBelow, "two 2 ms clicks in 20 s cost almost nothing")
        XCTAssertGreaterThan(forecast.loudnessLoss(gainDecibels: 21, ceilingDBTP: -1), 1, "every block over by 2.7 dB")
    }

    /// Writes `x` (as a spool) to a FLAC file at the chain's target with the gain and check route `gain(for:)` picks.
    private func write(_ x: [Float], target: Double, forecast: Bool, name: String) throws -> (AudioRenderJob.MasteredFile, URL, AudioRenderJob.GainChoice) {
        let folder = try TestPaths.temporaryFolder(self, prefix: "limiter-forecast")
        let spool = AudioSpool(folder: folder, reportingAs: name)
        try spool.append(x, x, x.count)
        let m = try meter(x)
        let chain = MasterChain(settings: MasterSettings(loudness: target, truePeak: -1), sampleRate: rate)
        let choice = try AudioRenderJob.gain(for: spool, input: m.measurement(), chain: chain, cancellation: Cancellation(), path: name,
                                             forecast: forecast ? LimiterForecast(meter: m) : nil)
        let url = folder.appendingPathComponent(name)
        let file = try AudioRenderJob.writeMastered(spool, input: m.measurement(), chain: chain, gain: choice.decibels, to: url,
                                                    format: AudioFileFormat(.flac, .pcm16), compression: nil, options: AudioOptions.defaults,
                                                    context: RenderContext(), checkingLoudness: choice.checkOutput)
        return (file, url, choice)
    }

    func testWrittenFirstWhereTheLimiterTakesLittleAndTheSameBytesAsTheEvaluatedRoute() throws {
        // Clicks 18 dB over the sine: at -14 LUFS the limiter catches them, the sine stays under it.
        let x = music(seconds: 20, amplitude: 0.1, burst: 8, bursts: [3, 11])
        let (first, firstURL, choice) = try write(x, target: -14, forecast: true, name: "first.flac")
        XCTAssertTrue(choice.checkOutput, "the forecast sends it to be written first")
        XCTAssertGreaterThan(first.report.limiterReduction, 1, "the limiter acted (dB of gain reduction)")
        let (evaluated, evaluatedURL, plain) = try write(x, target: -14, forecast: false, name: "evaluated.flac")
        XCTAssertFalse(plain.checkOutput)
        XCTAssertEqual(first.report.gainDecibels, evaluated.report.gainDecibels, "no correction either way")
        XCTAssertEqual(try Data(contentsOf: firstURL), try Data(contentsOf: evaluatedURL))
        XCTAssertEqual(first.report.output.integrated, -14, accuracy: 0.1)
    }

    func testWrittenAgainAtTheCorrectedGainWhereTheLimiterTakesMore() throws {
        // A sine whose every other half second is 12 dB louder: at -6 LUFS under a -3 dBTP ceiling the limiter takes
        // about half a dB from the loud halves, which carry most of the loudness.
        var x = music(seconds: 10, amplitude: 0.1)
        for k in x.indices where (k / (rate / 2)) % 2 == 1 { x[k] *= 4 }
        let m = try meter(x)
        let settings = MasterSettings(loudness: -6, truePeak: -3)
        let plain = settings.gainDecibels(for: m.measurement())
        XCTAssertGreaterThan(LimiterForecast(meter: m)!.loudnessLoss(gainDecibels: plain, ceilingDBTP: -3), LimiterForecast.writeFirstBelow)
        // Forced through the write-first route (as a wrong forecast would send it): the first take misses the target by
        // 0.1 LU or more, the file is written again at the corrected gain, the gain the evaluated route chooses.
        let folder = try TestPaths.temporaryFolder(self, prefix: "limiter-forecast")
        let spool = AudioSpool(folder: folder, reportingAs: "again")
        try spool.append(x, x, x.count)
        let chain = MasterChain(settings: settings, sampleRate: rate)
        let url = folder.appendingPathComponent("again.flac")
        let again = try AudioRenderJob.writeMastered(spool, input: m.measurement(), chain: chain, gain: plain, to: url,
                                                     format: AudioFileFormat(.flac, .pcm16), compression: nil,
                                                     options: AudioOptions.defaults, context: RenderContext(), checkingLoudness: true)
        XCTAssertGreaterThan(again.report.gainDecibels, plain + 0.3, "written again louder")
        XCTAssertGreaterThan(again.report.limiterReduction, 0.3)
        XCTAssertEqual(try LoudnessMeter.measure(fileAt: url.path).measurement().integrated, again.report.output.integrated, accuracy: 0.01)
        let evaluatedGain = try AudioRenderJob.gain(for: spool, input: m.measurement(), chain: chain, cancellation: Cancellation(),
                                                    path: "evaluated", forecast: LimiterForecast(meter: m))
        XCTAssertFalse(evaluatedGain.checkOutput, "the forecast sends it through the evaluation pass")
        XCTAssertEqual(evaluatedGain.decibels, again.report.gainDecibels, accuracy: 0.02)
        // Nothing of the dropped take is left beside the file.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["again.flac"])
    }
}
