import Foundation

/// Estimates the true (inter-sample) peak around each frame of a stereo stream by 4x oversampling.
///
/// For frame n it reports the largest of |x[n]| and the three interpolated points between frames n and n+1
/// (positions n + 1/4, 1/2, 3/4, from a 12-tap Hann-windowed sinc per phase), over both channels. It needs six
/// frames after n, so it reports frame n when frame n + ``latency`` is pushed.
struct TruePeakDetector {
    /// Frames between the frame pushed and the frame whose peak is reported.
    static let latency = 6
    private static let taps = 12
    /// Per tap k (weighting x[n + k - 5]): the coefficients of phases 1, 2, 3 in lanes 0...2 (lane 3 is 0), so the
    /// three interpolated points come out of one multiply-add per tap.
    private static let columns: [SIMD4<Float>] = (0..<taps).map { k in
        var c = SIMD4<Float>(repeating: 0)
        for phase in 1...3 {
            let u = Double(phase) / 4 - Double(k - 5)  // distance from sample n + k - 5 to the point n + phase/4
            let sinc = u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
            let w = 0.5 + 0.5 * cos(Double.pi * u / 6)  // Hann window reaching 0 at |u| = 6
            c[phase - 1] = Float(sinc * w)
        }
        return c
    }
    private let c0 = columns[0], c1 = columns[1], c2 = columns[2], c3 = columns[3], c4 = columns[4], c5 = columns[5]
    private let c6 = columns[6], c7 = columns[7], c8 = columns[8], c9 = columns[9], c10 = columns[10], c11 = columns[11]
    /// The last 12 frames of each channel (oldest first) in lanes 0...11.
    private var historyL = SIMD16<Float>(repeating: 0)
    private var historyR = SIMD16<Float>(repeating: 0)
    /// The largest factor by which an interpolated point can exceed the largest of the 12 samples it is made of.
    static let overshoot: Float = (0..<3).map { p in columns.reduce(Float(0)) { $0 + abs($1[p]) } }.max()!
    /// Samples at or below this cannot make an interpolated point exceed `relevant` (see ``init(relevantAbove:)``).
    private let quiet: Float
    /// Frames until every sample in the history is quiet again (0: all quiet, the interpolation can be skipped).
    private var loudFrames = 0

    /// A detector whose estimates matter only above `relevant` (linear): where every sample the interpolation uses is
    /// below `relevant / overshoot`, no point between them can reach `relevant`, and the sample peak is reported
    /// without interpolating.
    init(relevantAbove relevant: Float = 0) {
        quiet = relevant / Self.overshoot
    }

    /// Whether no sample above the quiet level is among the last 12 pushed (the estimates are the sample peaks).
    var isQuiet: Bool { loudFrames == 0 }

    /// The level at or below which a sample is quiet (cannot make an interpolated point reach the relevant level).
    var quietLevel: Float { quiet }

    /// The state after pushing a run of quiet frames whose last 12 (or fewer, for a shorter run) are `l` and `r`,
    /// oldest first: the history holds them, and a quiet history stays quiet.
    mutating func pushQuietRun(lastLeft l: UnsafePointer<Float>, lastRight r: UnsafePointer<Float>, count: Int) {
        for k in 0..<min(count, Self.taps) {
            historyL = Self.shifted(historyL, adding: l[k])
            historyR = Self.shifted(historyR, adding: r[k])
        }
    }

    /// Pushes one frame and returns the true-peak estimate (linear) of the frame ``latency`` frames earlier.
    @inline(__always)
    mutating func push(_ l: Float, _ r: Float) -> Float {
        historyL = Self.shifted(historyL, adding: l)
        historyR = Self.shifted(historyR, adding: r)
        if abs(l) > quiet || abs(r) > quiet { loudFrames = Self.taps } else if loudFrames > 0 { loudFrames -= 1 }
        if loudFrames == 0 { return max(abs(historyL[5]), abs(historyR[5])) }
        let yl = interpolate(historyL), yr = interpolate(historyR)
        // Frame n (reported) is lane 5; lane 3 of the interpolations is 0.
        let p0 = max(abs(yl[0]), abs(yr[0])), p1 = max(abs(yl[1]), abs(yr[1])), p2 = max(abs(yl[2]), abs(yr[2]))
        return max(max(abs(historyL[5]), abs(historyR[5])), max(max(p0, p1), p2))
    }

    /// The three points between lanes 5 and 6 of `h`.
    @inline(__always)
    private func interpolate(_ h: SIMD16<Float>) -> SIMD4<Float> {
        var y = c0 * h[0]
        y += c1 * h[1]; y += c2 * h[2]; y += c3 * h[3]; y += c4 * h[4]; y += c5 * h[5]
        y += c6 * h[6]; y += c7 * h[7]; y += c8 * h[8]; y += c9 * h[9]; y += c10 * h[10]; y += c11 * h[11]
        return y
    }

    /// Lanes moved down by one, `x` entering at lane 11 (lanes 12...15 stay 0).
    @inline(__always)
    private static func shifted(_ v: SIMD16<Float>, adding x: Float) -> SIMD16<Float> {
        SIMD16(v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], x, 0, 0, 0, 0)
    }
}

/// The minimum of the last `width` values pushed (a monotonic queue: O(1) amortised per value, no allocation after init).
struct SlidingMinimum {
    private let width: Int
    private var values: [Float]
    private var indices: [Int]
    private var head = 0, count = 0, pushed = 0

    /// A minimum over windows of `width` values.
    init(width: Int) {
        self.width = width
        values = [Float](repeating: 0, count: width + 1)
        indices = [Int](repeating: 0, count: width + 1)
    }

    /// Whether every value in the window is 1 (the largest a gain can be).
    var isAllOnes: Bool { count > 0 && values[head] == 1 }

    /// The state after pushing `n` ones while ``isAllOnes``: one entry, the newest.
    mutating func pushOnes(_ n: Int) {
        guard n > 0 else { return }
        pushed += n
        head = 0
        count = 1
        values[0] = 1
        indices[0] = pushed - 1
    }

    /// Pushes a value and returns the minimum of the last `width` values (fewer at the start).
    @inline(__always)
    mutating func push(_ v: Float) -> Float {
        // Ring indices wrap by one subtraction (no division per value).
        let capacity = values.count
        @inline(__always) func wrap(_ i: Int) -> Int { i >= capacity ? i - capacity : i }
        while count > 0 {
            let back = wrap(head + count - 1)
            if values[back] >= v { count -= 1 } else { break }
        }
        let slot = wrap(head + count)
        values[slot] = v
        indices[slot] = pushed
        count += 1
        while indices[head] <= pushed - width {
            head = wrap(head + 1)
            count -= 1
        }
        pushed += 1
        return values[head]
    }
}
