import Foundation
import MIDI
@testable import Rendering
import Support
import TestSupport
import XCTest

/// Our K-weighting and gating (``KWeightingFilter``, ``LoudnessMeter``) against libebur128 on the same audio: the
/// integrated loudness and the energy of every 100 ms block, at several sample rates, for a real render, noise and a
/// piece with a quiet passage the relative gate drops.
final class KWeightingFilterTests: XCTestCase {
    typealias S = RenderTestSupport

    /// libebur128's reading of planar audio: integrated loudness (LUFS) and each complete 100 ms block's energy.
    private func libebur128(_ left: [Float], _ right: [Float], sampleRate: Int) throws -> (integrated: Double, blocks: [Double]) {
        let reference = try LibEBUR128Reference(sampleRate: sampleRate)
        let block = (sampleRate + 5) / 10
        var blocks: [Double] = []
        var start = 0
        while start + block <= left.count {
            reference.add(left, right, from: start, count: block)
            blocks.append(reference.lastBlockEnergy)
            start += block
        }
        let integrated = reference.integrated
        return (integrated, blocks)
    }

    /// Ours, fed in uneven pieces (block boundaries fall inside them).
    private func ours(_ left: [Float], _ right: [Float], sampleRate: Int) throws -> LoudnessMeter {
        let meter = try LoudnessMeter(sampleRate: sampleRate, truePeak: false)
        RenderTestSupport.withPlanar(left, right) { lp, rp in
            var k = 0, piece = 1_000
            while k < left.count {
                let n = min(piece, left.count - k)
                meter.add(lp + k, rp + k, n)
                k += n
                piece = piece * 7 % 9_973 + 1
            }
        }
        return meter
    }

    private func assertAgrees(_ left: [Float], _ right: [Float], sampleRate: Int, _ label: String) throws {
        let reference = try libebur128(left, right, sampleRate: sampleRate)
        let meter = try ours(left, right, sampleRate: sampleRate)
        XCTAssertTrue(reference.integrated.isFinite, label)
        XCTAssertEqual(meter.measurement().integrated, reference.integrated, accuracy: 0.001, "\(label): integrated loudness")
        XCTAssertEqual(meter.blockEnergyList.count, reference.blocks.count, "\(label): one energy per complete 100 ms block")
        for (j, (a, b)) in zip(meter.blockEnergyList, reference.blocks).enumerated() where b > 1e-9 {
            XCTAssertEqual(a / b, 1, accuracy: 1e-4, "\(label): block \(j)")
        }
    }

    /// White noise with a 50 Hz hum and a 5 kHz tone (both ends of the K-weighting curve), then 4 s at -40 dB that
    /// the relative gate drops, at 44.1, 48 and 22.05 kHz.
    func testNoiseToneAndQuietPassageMatchLibebur128AtSeveralRates() throws {
        for rate in [44_100, 48_000, 22_050] {
            var rng = SplitMix64(seed: UInt64(rate))
            let loud = 6 * rate, quiet = 4 * rate
            var left = [Float](repeating: 0, count: loud + quiet), right = left
            for k in 0..<(loud + quiet) {
                let t = Double(k) / Double(rate)
                let level: Float = k < loud ? 1 : 0.01
                let noise = Float(Double(rng.next() >> 11) / Double(1 << 53) - 0.5)
                left[k] = level * (0.2 * noise + 0.3 * Float(sin(2 * Double.pi * 50 * t)))
                right[k] = level * (0.1 * noise + 0.2 * Float(sin(2 * Double.pi * 5_000 * t)))
            }
            try assertAgrees(left, right, sampleRate: rate, "\(rate) Hz")
            let whole = try ours(left, right, sampleRate: rate).measurement().integrated
            let loudOnly = try ours(Array(left[..<loud]), Array(right[..<loud]), sampleRate: rate).measurement().integrated
            // Gated out but for the few 400 ms blocks across the change; ungated, the 10 s would read 2.2 dB lower.
            XCTAssertEqual(whole, loudOnly, accuracy: 0.2, "\(rate) Hz: the quiet passage is gated out")
        }
    }

    /// A real FluidSynth render of a busy piece (piano, bass, strings, drums), as written to a 32-bit float WAV.
    func testRenderedPieceMatchesLibebur128() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "kweighting")
        let (_, audio) = try S.render(MasteringTests.piece, dir, "piece.wav", ["bits": .choice("32f"), "loudness": .choice("off")])
        try assertAgrees(audio.left, audio.right, sampleRate: audio.sampleRate, "render")
    }

    /// BS.1770's calibration: a 0 dBFS 997 Hz sine reads -3.01 LUFS in one channel, so 0 LUFS in both (the K-weighting's
    /// gain at 997 Hz is what the -0.691 dB offset takes back).
    func testFullScaleSineCalibration() throws {
        let rate = 48_000, n = 5 * rate
        let sine = (0..<n).map { Float(sin(2 * Double.pi * 997 * Double($0) / Double(rate))) }
        let measured = try ours(sine, sine, sampleRate: rate).measurement().integrated
        XCTAssertEqual(measured, 0, accuracy: 0.05)
    }
}
