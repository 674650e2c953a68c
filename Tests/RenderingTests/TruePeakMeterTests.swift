import Foundation
import Rendering
import XCTest

/// The true-peak measurement (4x polyphase interpolation, ITU-R BS.1770-4 Annex 2) on signals whose inter-sample peaks
/// are known, fed whole and in odd-sized blocks.
final class TruePeakMeterTests: XCTestCase {
    private func sine(frequency: Double, phase: Double, amplitude: Double, rate: Int = 48_000, seconds: Double = 1) -> [Float] {
        (0..<Int(Double(rate) * seconds)).map { Float(amplitude * sin(2 * .pi * frequency * Double($0) / Double(rate) + phase)) }
    }

    private func measure(_ l: [Float], _ r: [Float], rate: Int = 48_000, block: Int? = nil) throws -> LoudnessMeasurement {
        let meter = try LoudnessMeter(sampleRate: rate)
        let size = block ?? l.count
        var start = 0
        while start < l.count {
            let n = min(size, l.count - start)
            l.withUnsafeBufferPointer { lb in r.withUnsafeBufferPointer { rb in meter.add(lb.baseAddress! + start, rb.baseAddress! + start, n) } }
            start += n
        }
        return meter.measurement()
    }

    /// A sine at a quarter of the sample rate, 45 degrees off the samples: every sample is at 0.707 (-3.01 dBFS) while
    /// the waveform reaches 1.0 between them (0 dBTP).
    func testInterSamplePeakOfAQuarterRateSine() throws {
        let x = sine(frequency: 12_000, phase: .pi / 4, amplitude: 1)
        let m = try measure(x, x.map { $0 * 0.5 })
        XCTAssertEqual(m.samplePeak, -3.01, accuracy: 0.01)
        XCTAssertEqual(m.truePeak, 0, accuracy: 0.1)
    }

    /// A 997 Hz sine at half scale: true peak -6.02 dBTP; the same in blocks of 1, 77 and 4096 frames.
    func testMidFrequencySineAndBlockSizes() throws {
        let x = sine(frequency: 997, phase: 0.3, amplitude: 0.5)
        let silent = [Float](repeating: 0, count: x.count)
        let whole = try measure(silent, x)
        XCTAssertEqual(whole.truePeak, -6.02, accuracy: 0.02)
        for block in [1, 77, 4096] {
            XCTAssertEqual(try measure(silent, x, block: block).truePeak, whole.truePeak, accuracy: 1e-6, "blocks of \(block)")
        }
    }

    /// A lone full-scale sample at the very end: its own value counts (and its ringing after it, as if silence followed).
    func testImpulseAtTheEnd() throws {
        var x = [Float](repeating: 0, count: 1000)
        x[999] = -0.9
        let m = try measure(x, x)
        XCTAssertGreaterThanOrEqual(m.truePeak, 20 * log10(0.9) - 1e-6)
        XCTAssertLessThan(m.truePeak, 20 * log10(0.9) + 0.5)
    }

    /// A quiet passage after a loud one: the loud one's peak is kept (the shortcut skips what cannot exceed it).
    func testLoudThenQuiet() throws {
        let loud = sine(frequency: 11_025, phase: .pi / 4, amplitude: 0.8, rate: 44_100, seconds: 0.2)
        let quiet = sine(frequency: 440, phase: 0, amplitude: 0.1, rate: 44_100, seconds: 2)
        let m = try measure(loud + quiet, quiet + loud, rate: 44_100, block: 1000)
        XCTAssertEqual(m.truePeak, 20 * log10(0.8), accuracy: 0.1)
    }
}
