import Foundation

/// Estimates the true (inter-sample) peak around each frame of a stereo stream by 4x oversampling.
///
/// For frame n it reports the largest of |x[n]| and the three interpolated points between frames n and n+1
/// (positions n + 1/4, 1/2, 3/4, from a 12-tap Hann-windowed sinc per phase), over both channels. It needs six
/// frames after n, so it reports frame n when frame n + ``latency`` is pushed.
///
/// The last 12 frames live in a ring the owner allocates (``ringCount`` entries, see ``TruePeakLimiter``): each frame
/// is one `SIMD8` (left in lanes 0...3, right in lanes 4...7), written twice (at `i` and `i + 12`) so the 12 frames
/// always lie contiguous, oldest first, and both channels' three interpolated points come out of one multiply-add per
/// tap.
struct TruePeakDetector {
    /// Frames between the frame pushed and the frame whose peak is reported.
    static let latency = 6
    /// Frames of history the interpolation uses.
    static let taps = 12
    /// Entries of the ring a detector works on (each frame written twice).
    static let ringCount = 2 * taps
    /// Per tap k (weighting x[n + k - 5]): the coefficients of phases 1, 2, 3 in lanes 0...2 (lane 3 is 0).
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
    /// The columns twice over (left lanes 0...3, right lanes 4...7).
    private static func pair(_ k: Int) -> SIMD8<Float> { SIMD8(lowHalf: columns[k], highHalf: columns[k]) }
    private let c0 = pair(0), c1 = pair(1), c2 = pair(2), c3 = pair(3), c4 = pair(4), c5 = pair(5)
    private let c6 = pair(6), c7 = pair(7), c8 = pair(8), c9 = pair(9), c10 = pair(10), c11 = pair(11)
    /// The ring index of the oldest of the last 12 frames (0..<12).
    private var oldest = 0
    /// The largest factor by which an interpolated point can exceed the largest of the 12 samples it is made of.
    static let overshoot: Float = (0..<3).map { p in columns.reduce(Float(0)) { $0 + abs($1[p]) } }.max()!
    /// Samples at or below this cannot make an interpolated point exceed `relevant` (see ``init(relevantAbove:)``).
    private let quiet: Float
    /// Frames until every sample in the history is quiet again (0: all quiet, the interpolation can be skipped).
    private var loudFrames = 0

    /// A detector whose estimates matter only above `relevant` (linear): where every sample the interpolation uses is
    /// below `relevant / overshoot`, no point between them can reach `relevant`, and the sample peak is reported
    /// without interpolating. Its ring must start as ``ringCount`` zero frames.
    init(relevantAbove relevant: Float = 0) {
        quiet = relevant / Self.overshoot
    }

    /// Whether no sample above the quiet level is among the last 12 pushed (the estimates are the sample peaks).
    var isQuiet: Bool { loudFrames == 0 }

    /// The level at or below which a sample is quiet (cannot make an interpolated point reach the relevant level).
    var quietLevel: Float { quiet }

    /// Puts a frame into the history (the oldest leaves).
    @inline(__always)
    private mutating func record(_ l: Float, _ r: Float, ring: UnsafeMutablePointer<SIMD8<Float>>) {
        let frame = SIMD8<Float>(lowHalf: SIMD4(repeating: l), highHalf: SIMD4(repeating: r))
        ring[oldest] = frame
        ring[oldest + Self.taps] = frame
        oldest = oldest + 1 == Self.taps ? 0 : oldest + 1
    }

    /// The state after pushing a run of quiet frames whose last 12 (or fewer, for a shorter run) are `l[k] * scale`
    /// and `r[k] * scale`, oldest first: the history holds them, and a quiet history stays quiet.
    @inline(__always)
    mutating func pushQuietRun(lastLeft l: UnsafePointer<Float>, lastRight r: UnsafePointer<Float>, count: Int,
                               scale: Float, ring: UnsafeMutablePointer<SIMD8<Float>>) {
        for k in 0..<min(count, Self.taps) { record(l[k] * scale, r[k] * scale, ring: ring) }
    }

    /// Pushes one frame and returns the true-peak estimate (linear) of the frame ``latency`` frames earlier.
    @inline(__always)
    mutating func push(_ l: Float, _ r: Float, ring: UnsafeMutablePointer<SIMD8<Float>>) -> Float {
        record(l, r, ring: ring)
        if abs(l) > quiet || abs(r) > quiet { loudFrames = Self.taps } else if loudFrames > 0 { loudFrames -= 1 }
        let h = UnsafePointer(ring + oldest)  // the last 12 frames, oldest first; frame n (reported) is h[5]
        let now = h[5]
        if loudFrames == 0 { return max(abs(now[0]), abs(now[4])) }
        var y = c0 * h[0]
        y += c1 * h[1]; y += c2 * h[2]; y += c3 * h[3]; y += c4 * h[4]; y += c5 * h[5]
        y += c6 * h[6]; y += c7 * h[7]; y += c8 * h[8]; y += c9 * h[9]; y += c10 * h[10]; y += c11 * h[11]
        // Lanes 0...2: the left channel's three points, lanes 4...6 the right's.
        let p0 = max(abs(y[0]), abs(y[4])), p1 = max(abs(y[1]), abs(y[5])), p2 = max(abs(y[2]), abs(y[6]))
        return max(max(abs(now[0]), abs(now[4])), max(max(p0, p1), p2))
    }
}

/// The minimum of the last `width` values pushed (fewer at the start), in O(1) amortised per value without a
/// data-dependent branch (van Herk / Gil-Werman): the stream is cut into blocks of `width`; the window ending at offset
/// j of a block is the current block's prefix up to j plus the previous block's suffix from j + 1, so a push is two
/// minimums and, once per block, the previous block's suffix minima are rebuilt (`width` minimums).
///
/// Its memory (``storageCount`` floats: the current block, then the previous block's suffix minima) is storage its
/// owner allocates, initialises with ``initialize(_:)`` and passes to each call (see ``TruePeakLimiter``), so a push
/// touches no array and checks no bounds.
struct SlidingMinimum {
    /// Values the minimum spans.
    let width: Int
    /// Floats of storage a minimum works on: `width` for the current block, `width + 1` for the suffix minima.
    var storageCount: Int { 2 * width + 1 }
    /// The offset of the next value in the current block (0..<width).
    private var offset = 0
    /// The minimum of the current block's values so far.
    private var prefix = Float.infinity
    /// The minimum the last push returned (0 before any: not all ones).
    private var minimum: Float = 0

    /// A minimum over windows of `width` values.
    init(width: Int) {
        self.width = width
    }

    /// Sets up fresh storage: no previous block (its suffix minima are +infinity, so the start sees fewer values).
    func initialize(_ storage: UnsafeMutablePointer<Float>) {
        storage.initialize(repeating: 0, count: width)
        (storage + width).initialize(repeating: .infinity, count: width + 1)
    }

    /// Whether every value in the window is 1 (the largest a gain can be).
    @inline(__always)
    var isAllOnes: Bool { minimum == 1 }

    /// The state after pushing `n` ones while ``isAllOnes`` (values being at most 1): every value the window can still
    /// reach is 1.
    mutating func pushOnes(_ n: Int, storage: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        offset = (offset + n) % width
        prefix = 1
        storage.update(repeating: 1, count: width)
        (storage + width).update(repeating: 1, count: width)
        minimum = 1
    }

    /// Pushes a value and returns the minimum of the last `width` values (fewer at the start).
    @inline(__always)
    mutating func push(_ v: Float, storage: UnsafeMutablePointer<Float>) -> Float {
        let suffix = storage + width
        storage[offset] = v
        prefix = offset == 0 ? v : min(prefix, v)
        minimum = min(suffix[offset + 1], prefix)
        offset += 1
        if offset == width {
            // The block is complete: its suffix minima serve the next block's windows.
            var running = Float.infinity
            var k = width - 1
            while k >= 0 {
                running = min(storage[k], running)
                suffix[k] = running
                k -= 1
            }
            offset = 0
        }
        return minimum
    }
}
