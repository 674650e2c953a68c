import Foundation
import Rendering
import XCTest

/// The master stream's fast path (runs of quiet frames while the limiter is idle skip its per-frame work) is exact: the
/// streamed gain envelope equals the frame-by-frame one, sample for sample, through bursts the limiter acts on, its
/// release back to idle, and quiet stretches between.
final class LimiterFastPathTests: XCTestCase {
    func testStreamedEnvelopeEqualsTheFrameByFrameEnvelope() {
        let rate = 44_100, n = rate * 4
        var left = [Float](repeating: 0, count: n), right = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(rate)
            // Quiet tone with two loud bursts (at 0.5 s and 2.5 s, 0.2 s long) that exceed the ceiling after gain.
            let burst = (t > 0.5 && t < 0.7) || (t > 2.5 && t < 2.7) ? 0.9 : 0.05
            left[i] = Float(burst * sin(2 * .pi * 220 * t))
            right[i] = Float(burst * sin(2 * .pi * 331 * t + 1))
        }
        let chain = MasterChain(settings: MasterSettings(loudness: nil, fixedGain: 3, truePeak: -1), sampleRate: rate)
        let reference = chain.envelope(left: left, right: right, gainDecibels: 3)
        XCTAssertLessThan(reference.min() ?? 1, Float(pow(10, 3.0 / 20)) * 0.9, "the limiter acts on the bursts")

        for block in [1, 999, 16_384] {
            var stream = MasterStream(chain: chain, gainDecibels: 3, recordingEnvelope: true)
            var outL: [Float] = [], outR: [Float] = []
            var start = 0
            while start < n {
                let count = min(block, n - start)
                left.withUnsafeBufferPointer { l in
                    right.withUnsafeBufferPointer { r in
                        stream.process(l.baseAddress! + start, r.baseAddress! + start, count) { a, b, m in
                            outL += UnsafeBufferPointer(start: a, count: m)
                            outR += UnsafeBufferPointer(start: b, count: m)
                        }
                    }
                }
                start += count
            }
            stream.finish { a, b, m in
                outL += UnsafeBufferPointer(start: a, count: m)
                outR += UnsafeBufferPointer(start: b, count: m)
            }
            XCTAssertEqual(stream.envelope.count, n, "blocks of \(block)")
            XCTAssertTrue(stream.envelope.elementsEqual(reference.prefix(stream.envelope.count)), "blocks of \(block): envelopes differ")
            XCTAssertEqual(outL.count, n)
            var worst: Float = 0
            for i in 0..<n { worst = max(worst, abs(outL[i] - left[i] * reference[i]), abs(outR[i] - right[i] * reference[i])) }
            XCTAssertEqual(worst, 0, "blocks of \(block): output is the input times the envelope")
        }
    }
}
