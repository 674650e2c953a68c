import Foundation
import Rendering
import XCTest

/// The true-peak limiter over unsafe storage gives, bit for bit, the gains of its earlier array-based arithmetic
/// (``ReferenceLimiter`` below, written plainly): frame by frame, block by block (with a scale, the master gain),
/// through ``TruePeakLimiter/pushQuietRun(_:_:_:)`` while ``TruePeakLimiter/isIdle``, through ``TruePeakLimiter/flushGain()``,
/// for copies of a limiter, and through ``MasterStream``.
final class LimiterEquivalenceTests: XCTestCase {
    /// A signal, planar, at `rate` Hz.
    struct Signal {
        let name: String
        let rate: Int
        let left: [Float]
        let right: [Float]
    }

    /// Deterministic noise in -1 ... 1.
    struct Noise {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Double(state >> 11) / Double(1 << 53)) * 2 - 1
        }
    }

    /// Loud throughout: tones near fs/4 and fs/6 (large inter-sample peaks) with noise, above the ceiling.
    static func loud(rate: Int, seconds: Double) -> Signal {
        let n = Int(Double(rate) * seconds)
        var noise = Noise(state: 1)
        var l = [Float](repeating: 0, count: n), r = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(rate)
            let swell = 0.7 + 0.5 * sin(2 * .pi * 0.7 * t)
            l[i] = Float(swell * (0.6 * sin(2 * .pi * Double(rate) / 4 * t + .pi / 4) + 0.3 * sin(2 * .pi * 97 * t))) + 0.1 * noise.next()
            r[i] = Float(swell * (0.5 * sin(2 * .pi * Double(rate) / 6 * t + 1) + 0.4 * sin(2 * .pi * 61 * t))) + 0.1 * noise.next()
        }
        return Signal(name: "loud at \(rate) Hz", rate: rate, left: l, right: r)
    }

    /// Quiet tone, exact silence and bumps above the quiet level but under the ceiling (the limiter stays idle between
    /// them: quiet runs), then loud bursts of several lengths: the limiter acts, releases and idles again.
    static func quietAndLoud(rate: Int, seconds: Double) -> Signal {
        let n = Int(Double(rate) * seconds)
        var noise = Noise(state: 7)
        var l = [Float](repeating: 0, count: n), r = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(rate)
            let level: Double
            if t < seconds / 2 {
                switch t.truncatingRemainder(dividingBy: 0.25) {
                case ..<0.1: level = 0.04                         // quiet
                case ..<0.12: level = 0.78                        // loud for the detector, under the ceiling
                case ..<0.2: level = 0                            // silence
                default: level = 0.02
                }
            } else {
                switch (t - seconds / 2).truncatingRemainder(dividingBy: 1) {
                case ..<0.05: level = 1.3                         // long burst
                case ..<0.2: level = 0                            // silence
                case ..<0.2005: level = 1.1                       // a click of a few frames
                case ..<0.6: level = 0.02
                case ..<0.62: level = 0.97                        // just around the ceiling
                default: level = 0.5
                }
            }
            l[i] = Float(level * sin(2 * .pi * 220 * t)) + (level > 0 ? Float(level) * 0.05 * noise.next() : 0)
            r[i] = Float(level * sin(2 * .pi * 331 * t + 1))
        }
        return Signal(name: "quiet and loud at \(rate) Hz", rate: rate, left: l, right: r)
    }

    /// Driven into clipping: flat tops at +-1, alternating full-scale samples (Nyquist), a lone full-scale sample.
    static func clipped(rate: Int, seconds: Double) -> Signal {
        let n = Int(Double(rate) * seconds)
        var l = [Float](repeating: 0, count: n), r = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / Double(rate)
            l[i] = Float(max(-1, min(1, 4 * sin(2 * .pi * 110 * t))))
            r[i] = Float(max(-1, min(1, 2.5 * sin(2 * .pi * 173 * t + 0.5))))
            if i % 9_000 < 40 { l[i] = i % 2 == 0 ? 1 : -1 }
            if i % 13_000 == 100 { r[i] = -1 }
            if i % 20_000 > 15_000 { l[i] *= 0.01; r[i] *= 0.01 }
        }
        return Signal(name: "clipped at \(rate) Hz", rate: rate, left: l, right: r)
    }

    static let signals: [Signal] = [
        loud(rate: 44_100, seconds: 1.5), quietAndLoud(rate: 44_100, seconds: 3), clipped(rate: 44_100, seconds: 1.5),
        quietAndLoud(rate: 8_000, seconds: 4), loud(rate: 96_000, seconds: 0.5),
    ]
    /// The master gain the block and stream tests push the signals at (the limiter sees each sample times it).
    static let scale = Float(pow(10, 2.5 / 20))
    /// The reference's gains for each signal at -1 dBTP, as it is and times ``scale`` (computed once).
    static let expected: [[Float]] = signals.map { referenceGains($0, scale: 1, ceiling: -1) }
    static let expectedScaled: [[Float]] = signals.map { referenceGains($0, scale: scale, ceiling: -1) }

    /// The reference's gains for `signal` times `scale`, one per frame (the last `latency` from flushGain).
    static func referenceGains(_ signal: Signal, scale: Float, ceiling: Double) -> [Float] {
        var reference = ReferenceLimiter(sampleRate: signal.rate, ceilingDBTP: ceiling)
        var gains: [Float] = []
        for i in 0..<signal.left.count { gains.append(reference.push(signal.left[i] * scale, signal.right[i] * scale)) }
        for _ in 0..<reference.latency { gains.append(reference.flushGain()) }
        return gains
    }

    /// The first frame where `a` and `b` differ in bits (nil when they are the same).
    static func firstDifference(_ a: [Float], _ b: [Float]) -> Int? {
        if a.count != b.count { return min(a.count, b.count) }
        return zip(a, b).enumerated().first { $0.element.0.bitPattern != $0.element.1.bitPattern }?.offset
    }

    func testFrameByFrameGainsAreBitIdentical() {
        for (index, signal) in Self.signals.enumerated() {
            for ceiling in index % 2 == 0 ? [-1.0, -3.0] : [-1.0] {
                let expected = ceiling == -1 ? Self.expected[index] : Self.referenceGains(signal, scale: 1, ceiling: ceiling)
                XCTAssertLessThan(expected.min()!, 0.9, "\(signal.name): the limiter acts")
                XCTAssertTrue(expected.contains(1), "\(signal.name): the limiter lets some frames through")
                var limiter = TruePeakLimiter(sampleRate: signal.rate, ceilingDBTP: ceiling)
                XCTAssertEqual(limiter.latency, ReferenceLimiter(sampleRate: signal.rate, ceilingDBTP: ceiling).latency)
                var gains: [Float] = []
                for i in 0..<signal.left.count { gains.append(limiter.push(signal.left[i], signal.right[i])) }
                for _ in 0..<limiter.latency { gains.append(limiter.flushGain()) }
                XCTAssertNil(Self.firstDifference(gains, expected), "\(signal.name), \(ceiling) dBTP: gains differ")
            }
        }
    }

    func testBlockGainsAreBitIdentical() {
        let scale = Self.scale
        for (index, signal) in Self.signals.enumerated() {
            let expected = Self.expectedScaled[index]
            let n = signal.left.count
            for block in [1, 7, 1_000, 16_384] {
                var limiter = TruePeakLimiter(sampleRate: signal.rate, ceilingDBTP: -1)
                var gains = [Float](repeating: .nan, count: n)
                signal.left.withUnsafeBufferPointer { l in
                    signal.right.withUnsafeBufferPointer { r in
                        gains.withUnsafeMutableBufferPointer { g in
                            var start = 0
                            while start < n {
                                let count = min(block, n - start)
                                limiter.push(left: l.baseAddress! + start, right: r.baseAddress! + start, count: count,
                                             scale: scale, gains: g.baseAddress! + start)
                                start += count
                            }
                        }
                    }
                }
                for _ in 0..<limiter.latency { gains.append(limiter.flushGain()) }
                XCTAssertNil(Self.firstDifference(gains, expected), "\(signal.name), blocks of \(block): gains differ")
            }
        }
    }

    /// The quiet-run step the master stream used to take frame by frame: idle and quiet frames go in runs through
    /// pushQuietRun, each returning 1; idleness agrees with the reference after every frame.
    func testQuietRunsAndIdlenessMatchTheReference() {
        for signal in Self.signals {
            var reference = ReferenceLimiter(sampleRate: signal.rate, ceilingDBTP: -1)
            var limiter = TruePeakLimiter(sampleRate: signal.rate, ceilingDBTP: -1)
            XCTAssertEqual(limiter.quietLevel.bitPattern, reference.quiet.bitPattern)
            let n = signal.left.count
            var runs = 0, idleFrames = 0
            var k = 0
            while k < n {
                XCTAssertEqual(limiter.isIdle, reference.isIdle, "\(signal.name): idleness at frame \(k)")
                if limiter.isIdle {
                    idleFrames += 1
                    let quiet = limiter.quietLevel
                    var end = k
                    while end < n, abs(signal.left[end]) <= quiet, abs(signal.right[end]) <= quiet { end += 1 }
                    if end > k {
                        let tail = min(end - k, 12)
                        signal.left.withUnsafeBufferPointer { l in
                            signal.right.withUnsafeBufferPointer { r in
                                limiter.pushQuietRun(l.baseAddress! + end - tail, r.baseAddress! + end - tail, end - k)
                            }
                        }
                        for j in k..<end {
                            let g = reference.push(signal.left[j], signal.right[j])
                            XCTAssertEqual(g, 1, "\(signal.name): a quiet frame while idle has gain 1 (frame \(j))")
                        }
                        runs += 1
                        k = end
                        continue
                    }
                }
                let g = limiter.push(signal.left[k], signal.right[k])
                let e = reference.push(signal.left[k], signal.right[k])
                XCTAssertEqual(g.bitPattern, e.bitPattern, "\(signal.name): gain of frame \(k)")
                if g.bitPattern != e.bitPattern { return }
                k += 1
            }
            XCTAssertEqual(limiter.isIdle, reference.isIdle, "\(signal.name): idleness at the end")
            for i in 0..<limiter.latency {
                XCTAssertEqual(limiter.flushGain().bitPattern, reference.flushGain().bitPattern, "\(signal.name): flush \(i)")
            }
            XCTAssertEqual(limiter.isIdle, reference.isIdle, "\(signal.name): idleness after the flush")
            if signal.name.hasPrefix("quiet") {
                XCTAssertGreaterThan(runs, 5, "\(signal.name): quiet runs taken")
                XCTAssertGreaterThan(idleFrames, 5, "\(signal.name): idle frames")
            }
        }
    }

    /// A copy of a limiter is a value: pushing the copy leaves the original as it was, and both go on alike.
    /// After a loud burst the release reaches exactly 1 (it does not stall just below it in Float arithmetic): a second
    /// of quiet after its 1.1 s release and the limiter is idle, every gain exactly 1, at 8, 44.1 and 96 kHz.
    func testReleaseEndsAtExactlyOneAndTheLimiterIdlesAgain() {
        for rate in [8_000, 44_100, 96_000] {
            var limiter = TruePeakLimiter(sampleRate: rate, ceilingDBTP: -1)
            var lowest: Float = 1
            for i in 0..<(rate / 10) {  // 100 ms at 1.5 x full scale
                let x = Float(1.5 * sin(2 * Double.pi * 330 * Double(i) / Double(rate)))
                lowest = min(lowest, limiter.push(x, x))
            }
            XCTAssertLessThan(lowest, 0.6, "\(rate) Hz: the burst is limited")
            XCTAssertFalse(limiter.isIdle)
            var gains: [Float] = []
            for i in 0..<(3 * rate) {  // 3 s of a quiet tone (the release takes about 1.1 s to close a 0.45 shortfall)
                let x = Float(0.01 * sin(2 * Double.pi * 330 * Double(i) / Double(rate)))
                gains.append(limiter.push(x, x))
            }
            XCTAssertTrue(limiter.isIdle, "\(rate) Hz: idle again after the release")
            XCTAssertEqual(Set(gains.suffix(rate)), [1], "\(rate) Hz: the last second's gains are exactly 1")
        }
    }

    func testCopiesAreIndependentValues() {
        let signal = Self.signals[1]
        let expected = Self.expected[1]
        let n = signal.left.count, split = n / 3
        var original = TruePeakLimiter(sampleRate: signal.rate, ceilingDBTP: -1)
        for i in 0..<split { _ = original.push(signal.left[i], signal.right[i]) }
        var copy = original
        // The copy runs ahead with other audio; the original must not see it.
        for i in 0..<5_000 { _ = copy.push(signal.right[i], 1.5) }
        var fresh = original
        var a: [Float] = [], b: [Float] = []
        for i in split..<n {
            a.append(original.push(signal.left[i], signal.right[i]))
            b.append(fresh.push(signal.left[i], signal.right[i]))
        }
        XCTAssertNil(Self.firstDifference(a, Array(expected[split..<n])), "the original after its copy was pushed")
        XCTAssertNil(Self.firstDifference(b, Array(expected[split..<n])), "a copy taken before")
    }

    /// The master stream (block push, its own delay) gives each frame the reference's gain times the master gain.
    func testMasterStreamEnvelopeMatchesTheReference() {
        let gainDecibels = 2.5
        let scale = Self.scale
        XCTAssertEqual(scale, Float(pow(10, gainDecibels / 20)))
        for (index, signal) in Self.signals.enumerated() {
            let expected = Self.expectedScaled[index]
            let n = signal.left.count
            let chain = MasterChain(settings: MasterSettings(loudness: nil, fixedGain: gainDecibels, truePeak: -1),
                                    sampleRate: signal.rate)
            var stream = MasterStream(chain: chain, gainDecibels: gainDecibels, recordingEnvelope: true)
            var outL: [Float] = []
            signal.left.withUnsafeBufferPointer { l in
                signal.right.withUnsafeBufferPointer { r in
                    var start = 0
                    while start < n {
                        let count = min(4_096, n - start)
                        stream.process(l.baseAddress! + start, r.baseAddress! + start, count) { a, _, m in
                            outL += UnsafeBufferPointer(start: a, count: m)
                        }
                        start += count
                    }
                }
            }
            stream.finish { a, _, m in outL += UnsafeBufferPointer(start: a, count: m) }
            // The first `latency` reference gains belong to the frames before the start.
            let latency = expected.count - n
            let totals = expected[latency...].map { $0 * scale }
            XCTAssertNil(Self.firstDifference(stream.envelope, totals), "\(signal.name): master stream envelope")
            XCTAssertEqual(outL.count, n)
            XCTAssertTrue((0..<n).allSatisfy { outL[$0].bitPattern == (signal.left[$0] * totals[$0]).bitPattern },
                          "\(signal.name): output is the input times the envelope")
            XCTAssertEqual(stream.lowestLimiterGain, expected[latency...].min()!)
        }
    }
}

/// The limiter's per-frame arithmetic as it stood before its rings moved to unsafe storage, written plainly: the
/// detector's 12-frame histories as arrays and its interpolation per phase, the sliding minima as the minimum of the
/// last values pushed, the moving average's ring and sum exactly as they were updated.
struct ReferenceLimiter {
    let ceiling: Float
    let latency: Int
    let attack: Int
    let keep: Float
    let quiet: Float
    /// columns[k][p]: the weight of x[n + k - 5] in the point n + (p + 1) / 4.
    let columns: [[Float]]
    var historyL = [Float](repeating: 0, count: 12)
    var historyR = [Float](repeating: 0, count: 12)
    var loudFrames = 0
    var requiredSoFar: [Float] = []
    var releasedSoFar: [Float] = []
    var shortfall: Float = 0
    var window: [Float]
    var windowPosition = 0
    var windowSum: Double
    var onesInARow: Int

    init(sampleRate: Int, ceilingDBTP: Double) {
        ceiling = Float(pow(10, (ceilingDBTP - 0.2) / 20))
        var columns: [[Float]] = []
        for k in 0..<12 {
            var column: [Float] = []
            for phase in 1...3 {
                let u = Double(phase) / 4 - Double(k - 5)
                let sinc = u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
                let w = 0.5 + 0.5 * cos(Double.pi * u / 6)
                column.append(Float(sinc * w))
            }
            columns.append(column)
        }
        self.columns = columns
        var overshoot: Float = 0
        for p in 0..<3 {
            var sum: Float = 0
            for k in 0..<12 { sum = sum + abs(columns[k][p]) }
            overshoot = max(overshoot, sum)
        }
        quiet = ceiling / overshoot
        attack = max(8, sampleRate / 500)
        keep = Float(exp(-1 / (0.08 * Double(sampleRate))))
        window = [Float](repeating: 1, count: attack)
        windowSum = Double(attack)
        onesInARow = attack
        latency = 6 + 5 + attack - 1
    }

    /// The true-peak estimate of the frame six before the one pushed.
    mutating func detect(_ l: Float, _ r: Float) -> Float {
        historyL.removeFirst(); historyL.append(l)
        historyR.removeFirst(); historyR.append(r)
        if abs(l) > quiet || abs(r) > quiet { loudFrames = 12 } else if loudFrames > 0 { loudFrames -= 1 }
        let sample = max(abs(historyL[5]), abs(historyR[5]))
        if loudFrames == 0 { return sample }
        var points: [Float] = []
        for p in 0..<3 {
            var yl = columns[0][p] * historyL[0], yr = columns[0][p] * historyR[0]
            for k in 1..<12 {
                yl += columns[k][p] * historyL[k]
                yr += columns[k][p] * historyR[k]
            }
            points.append(max(abs(yl), abs(yr)))
        }
        return max(sample, max(max(points[0], points[1]), points[2]))
    }

    mutating func push(_ l: Float, _ r: Float) -> Float {
        let peak = detect(l, r)
        requiredSoFar.append(peak > ceiling ? ceiling / peak : 1)
        let held = requiredSoFar.suffix(12).min()!
        shortfall = max(1 - held, shortfall * keep)
        if shortfall < 1e-6 { shortfall = 0 }
        let released = 1 - shortfall
        releasedSoFar.append(released)
        let minimum = releasedSoFar.suffix(attack).min()!
        windowSum += Double(minimum) - Double(window[windowPosition])
        window[windowPosition] = minimum
        windowPosition = windowPosition + 1 == attack ? 0 : windowPosition + 1
        onesInARow = minimum == 1 ? onesInARow + 1 : 0
        if onesInARow >= attack {
            windowSum = Double(attack)
            return 1
        }
        return Float(min(1, windowSum * (1 / Double(attack))))
    }

    var isIdle: Bool {
        shortfall == 0 && onesInARow >= attack && loudFrames == 0 && requiredSoFar.suffix(12).min() == 1
            && releasedSoFar.suffix(attack).min() == 1
    }

    mutating func flushGain() -> Float { push(0, 0) }
}
