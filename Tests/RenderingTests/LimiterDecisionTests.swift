import Foundation
@testable import Rendering
import Support
import TestSupport
import XCTest

/// Whether a render needs the limiter's evaluation pass is decided from the mix's peaks: the sample peak alone when it
/// settles the question, else the true peak measured over the spool. A quarter-rate sine whose samples miss its
/// crests by 3 dB is the case the sample peak cannot settle.
final class LimiterDecisionTests: XCTestCase {
    private let rate = 44_100

    /// A spool of 3 s of a stereo sine of amplitude `amplitude` at `frequency` Hz, phase `phase`, and its measurement.
    private func spool(amplitude: Float, frequency: Double, phase: Double) throws -> (AudioSpool, LoudnessMeasurement) {
        let n = 3 * rate
        var x = [Float](repeating: 0, count: n)
        for k in 0..<n { x[k] = amplitude * Float(sin(2 * .pi * frequency * Double(k) / Double(rate) + phase)) }
        let spool = AudioSpool(folder: try TestPaths.temporaryFolder(self, prefix: "limiter-decision"), reportingAs: "mix")
        try spool.append(x, x, n)
        let meter = try LoudnessMeter(sampleRate: rate, truePeak: false)
        meter.add(x, x, n)
        return (spool, meter.measurement())
    }

    /// The gain chosen for `spool` with a target `gain` dB above its loudness and a ceiling of -2 dBTP.
    private func chosenGain(_ spool: AudioSpool, _ input: LoudnessMeasurement, plusDecibels gain: Double) throws -> Double {
        let settings = MasterSettings(loudness: input.integrated + gain, truePeak: -2)
        return try AudioRenderJob.gain(for: spool, input: input, chain: MasterChain(settings: settings, sampleRate: rate),
                                       cancellation: Cancellation(), path: "mix").decibels
    }

    func testInterSamplePeaksTheSamplesMissStillBringTheEvaluation() throws {
        // Samples at +-0.0707 (-23 dBFS), crests at 0.1 (-20 dBTP).
        let (s, input) = try spool(amplitude: 0.1, frequency: Double(rate) / 4, phase: .pi / 4)
        XCTAssertEqual(input.samplePeak, -23.01, accuracy: 0.05)
        XCTAssertEqual(try AudioRenderJob.truePeak(of: s), -20, accuracy: 0.1)
        let threshold = -2 - TruePeakLimiter.marginDecibels - 0.5
        // +20 dB: samples at -3 dBFS stay under the threshold, the crests (0 dBTP) do not: the limiter acts, and the
        // gain is raised by what it takes.
        XCTAssertLessThan(input.samplePeak + 20, threshold)
        XCTAssertGreaterThan(try chosenGain(s, input, plusDecibels: 20), 20.5)
        // +15 dB: crests at -5 dBTP, the limiter idle: the plain gain.
        XCTAssertEqual(try chosenGain(s, input, plusDecibels: 15), 15, accuracy: 1e-9)
    }

    func testPlainGainWhereTheLimiterCannotAct() throws {
        // A 1 kHz sine's samples come within a hair of its crests: 1 dB under the threshold is decided by the true
        // peak pass (the sample peak alone leaves it open), 10 dB under without it; both keep the plain gain.
        let (s, input) = try spool(amplitude: 0.1, frequency: 1_000, phase: 0.3)
        let threshold = -2 - TruePeakLimiter.marginDecibels - 0.5
        let overshoot = 20 * log10(Double(TruePeakMeter.overshoot))
        XCTAssertGreaterThan(overshoot, 1, "the meter's bound leaves the 1 dB case open")
        for under in [1.0, 10.0] {
            let gain = threshold - under - input.samplePeak
            XCTAssertEqual(try chosenGain(s, input, plusDecibels: gain), gain, accuracy: 1e-9, "\(under) dB under")
        }
        // Over the threshold by its samples alone: evaluated, and the limiter's loss made up.
        XCTAssertGreaterThan(try chosenGain(s, input, plusDecibels: threshold + 3 - input.samplePeak), threshold + 3 - input.samplePeak + 0.5)
    }
}
