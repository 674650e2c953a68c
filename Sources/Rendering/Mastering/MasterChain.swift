import Foundation

/// The master stage of a render: a gain, then the look-ahead true-peak limiter, as one per-frame gain envelope.
///
/// Two passes: measure the mix (``LoudnessMeter``), choose the gain (``MasterSettings/gainDecibels(for:)``), then
/// compute the envelope on the gained mix and multiply. Because the envelope is computed on the mix only and applied
/// by multiplication, the same envelope applied to any part of the mix (a stem) gives parts that sum to the master:
///
/// ```swift
/// let chain = MasterChain(settings: settings, sampleRate: 44_100)
/// let gain = chain.settings.gainDecibels(for: try LoudnessMeter.measure(left: mixL, right: mixR, sampleRate: 44_100))
/// let envelope = chain.envelope(left: mixL, right: mixR, gainDecibels: gain)   // one gain per frame
/// MasterChain.apply(envelope, left: &stemL, right: &stemR)                       // mix, or each stem
/// ```
///
/// Long renders stream through ``MasterStream`` instead, which computes the same envelope block by block.
public struct MasterChain: Sendable {
    /// Loudness target or fixed gain, and the true-peak ceiling.
    public let settings: MasterSettings
    /// Sample rate in Hz.
    public let sampleRate: Int

    /// Creates a chain.
    public init(settings: MasterSettings, sampleRate: Int) {
        self.settings = settings
        self.sampleRate = sampleRate
    }

    /// The per-frame gain (linear; gain times limiter) for a whole mix held in memory, at `gainDecibels`.
    public func envelope(left: [Float], right: [Float], gainDecibels: Double) -> [Float] {
        var stream = MasterStream(chain: self, gainDecibels: gainDecibels)
        let n = min(left.count, right.count)
        var envelope = [Float](repeating: 1, count: n)
        var produced = 0
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                envelope.withUnsafeMutableBufferPointer { e in
                    for k in 0..<n {
                        if let g = stream.pushEnvelope(l[k], r[k]) { e[produced] = g; produced += 1 }
                    }
                    while produced < n { e[produced] = stream.flushEnvelope(); produced += 1 }
                }
            }
        }
        return envelope
    }

    /// Multiplies planar buffers by an envelope frame by frame (the mix, or any stem of it).
    public static func apply(_ envelope: [Float], left: inout [Float], right: inout [Float]) {
        let n = min(envelope.count, left.count, right.count)
        for k in 0..<n {
            left[k] *= envelope[k]
            right[k] *= envelope[k]
        }
    }
}

/// The master chain applied to a stream of planar blocks: gain, then the true-peak limiter; output is the input
/// delayed internally by the limiter's look-ahead, and ``finish(emit:)`` flushes it. Fixed-size buffers, no
/// allocation per block.
public struct MasterStream {
    private let gain: Float
    private var limiter: TruePeakLimiter
    private var delayL: [Float]
    private var delayR: [Float]
    private var delayPosition = 0
    private var pushed = 0
    private var emitted = 0
    private var flushed = 0
    private var outL: [Float] = []
    private var outR: [Float] = []
    /// The limiter's gain for each frame of the block being processed.
    private var gains: [Float] = []
    /// The smallest limiter gain so far (1 when the limiter never acted).
    public private(set) var lowestLimiterGain: Float = 1
    /// Whether the total gain of each emitted frame is kept in ``envelope`` (for stems).
    private let recording: Bool
    /// The total gain (linear) of each frame emitted so far, when recording: what the stems of this mix are multiplied by.
    public private(set) var envelope: [Float] = []

    /// A stream at `gainDecibels` through `chain`'s limiter; with `recordingEnvelope`, the gain of every emitted frame
    /// is kept in ``envelope`` (4 bytes per frame) so the same gain can go on each stem.
    public init(chain: MasterChain, gainDecibels: Double, recordingEnvelope: Bool = false) {
        recording = recordingEnvelope
        gain = Float(pow(10, gainDecibels / 20))
        limiter = TruePeakLimiter(sampleRate: chain.sampleRate, ceilingDBTP: chain.settings.truePeak)
        delayL = [Float](repeating: 0, count: limiter.latency + 1)
        delayR = [Float](repeating: 0, count: limiter.latency + 1)
    }

    /// Pushes one frame (before gain); returns the total gain of the frame ``TruePeakLimiter/latency`` frames earlier,
    /// or nil while the look-ahead fills.
    @inline(__always)
    mutating func pushEnvelope(_ l: Float, _ r: Float) -> Float? {
        let g = limiter.push(l * gain, r * gain)
        pushed += 1
        if pushed <= limiter.latency { return nil }
        lowestLimiterGain = min(lowestLimiterGain, g)
        return g * gain
    }

    /// The total gain of the next pending frame once the input has ended.
    mutating func flushEnvelope() -> Float {
        var g = limiter.flushGain()
        flushed += 1
        // A stream shorter than the look-ahead: skip the gains of the frames before its start.
        while pushed + flushed <= limiter.latency {
            g = limiter.flushGain()
            flushed += 1
        }
        lowestLimiterGain = min(lowestLimiterGain, g)
        return g * gain
    }

    /// Feeds `n` frames; hands the processed frames that are ready to `emit` (planar, count).
    public mutating func process(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int,
                                 emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) rethrows {
        if outL.count < n { outL = [Float](repeating: 0, count: n); outR = [Float](repeating: 0, count: n) }
        var out = (outL, outR)
        outL = []; outR = []  // lent to the block below (no copy), taken back after it
        let ready = out.0.withUnsafeMutableBufferPointer { lb in
            out.1.withUnsafeMutableBufferPointer { rb in process(l, r, n, into: lb.baseAddress!, rb.baseAddress!) }
        }
        (outL, outR) = out
        if ready > 0 {
            try outL.withUnsafeBufferPointer { lb in
                try outR.withUnsafeBufferPointer { rb in try emit(lb.baseAddress!, rb.baseAddress!, ready) }
            }
        }
    }

    /// Feeds `n` frames and writes the processed frames that are ready to `lo` and `ro` (room for `n` frames each: the
    /// caller's own buffers, such as the encoder's, so the output is written once); returns how many were written.
    public mutating func process(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int,
                                 into lo: UnsafeMutablePointer<Float>, _ ro: UnsafeMutablePointer<Float>) -> Int {
        if gains.count < n { gains = [Float](repeating: 1, count: n) }
        // The limiter runs over the whole block first (no checks per frame; runs of quiet frames while it is idle skip
        // its per-frame work, exactly: they have gain 1 and leave it idle), then the delayed frames get their gains.
        gains.withUnsafeMutableBufferPointer { g in
            limiter.push(left: l, right: r, count: n, scale: gain, gains: g.baseAddress!)
        }
        // Frames of this block still filling the look-ahead have no output; the rest come out `first` frames on.
        let first = min(n, max(0, limiter.latency - pushed))
        let ready = n - first
        pushed += n
        let size = delayL.count, latency = size - 1, masterGain = gain, start = delayPosition
        var lowest = lowestLimiterGain
        // Frame k comes out `latency` frames late: from the ring while k < latency (frames of earlier blocks), then from
        // this block's own input. The ring is brought up to date afterwards: the last `size` frames in their slots.
        delayL.withUnsafeMutableBufferPointer { dl in
            delayR.withUnsafeMutableBufferPointer { dr in
                gains.withUnsafeMutableBufferPointer { g in
                    let gp = g.baseAddress!
                    var k = first
                    while k < min(n, latency) {
                        let slot = (start + k + 1) % size
                        lowest = min(lowest, gp[k])
                        let total = gp[k] * masterGain
                        gp[k] = total
                        lo[k - first] = dl[slot] * total
                        ro[k - first] = dr[slot] * total
                        k += 1
                    }
                    // The rest in one contiguous, vectorisable loop.
                    let from = k
                    if from < n { lowest = min(lowest, SamplePeak.smallest(gp + from, count: n - from)) }
                    for k in from..<n {
                        let total = gp[k] * masterGain
                        gp[k] = total
                        lo[k - first] = l[k - latency] * total
                        ro[k - first] = r[k - latency] * total
                    }
                    for j in max(0, n - size)..<n {
                        dl[(start + j) % size] = l[j]
                        dr[(start + j) % size] = r[j]
                    }
                }
            }
        }
        let position = (start + n) % size
        delayPosition = position
        lowestLimiterGain = lowest
        if recording { envelope.append(contentsOf: gains[first..<n]) }
        emitted += ready
        return ready
    }

    /// Outputs the frames still inside the look-ahead.
    public mutating func finish(emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) rethrows {
        let remaining = pushed - emitted
        guard remaining > 0 else { return }
        if outL.count < remaining { outL = [Float](repeating: 0, count: remaining); outR = [Float](repeating: 0, count: remaining) }
        let size = delayL.count
        for k in 0..<remaining {
            let g = flushEnvelope()
            if recording { envelope.append(g) }
            // Oldest pending frame: `remaining - k` frames before the next write position.
            let index = ((delayPosition - (remaining - k)) % size + size) % size
            outL[k] = delayL[index] * g
            outR[k] = delayR[index] * g
        }
        emitted += remaining
        try outL.withUnsafeBufferPointer { lb in
            try outR.withUnsafeBufferPointer { rb in try emit(lb.baseAddress!, rb.baseAddress!, remaining) }
        }
    }
}
