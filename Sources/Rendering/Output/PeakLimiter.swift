/// A look-ahead peak limiter: output never exceeds ``ceiling``; transparent (gain exactly 1)
/// wherever the input stays below it.
///
/// The gain falls linearly over the look-ahead window to meet a peak exactly, then recovers
/// exponentially. Output is delayed by the look-ahead internally; ``finish(_:)`` flushes it.
struct PeakLimiter {
    /// Largest absolute output sample.
    let ceiling: Float
    /// Look-ahead in frames.
    let lookahead: Int
    private let releaseCoefficient: Float
    private var gain: Float = 1
    // Pending input (planar), not yet output; `need` = required gain per frame (1 when below the ceiling).
    private var pendingL: [Float] = []
    private var pendingR: [Float] = []
    private var need: [Float] = []
    private var outL: [Float] = []
    private var outR: [Float] = []
    /// The gain applied to each output frame so far (1 where transparent), kept when made with `recordingGain`, so the
    /// same gain can be applied to the stems of the mix (see ``MasterGain``).
    private(set) var recordedGain: [Float]?

    /// Creates a limiter for a sample rate (look-ahead 2 ms, release 80 ms).
    init(sampleRate: Int, ceiling: Float = 0.98, recordingGain: Bool = false) {
        self.ceiling = ceiling
        self.recordedGain = recordingGain ? [] : nil
        self.lookahead = max(1, sampleRate / 500)
        self.releaseCoefficient = 1 - Float(exp(-1 / (0.08 * Double(sampleRate))))
    }

    /// Feeds frames; calls `emit` with the frames that are ready (planar, count).
    mutating func process(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int,
                          emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) rethrows {
        pendingL.append(contentsOf: UnsafeBufferPointer(start: l, count: n))
        pendingR.append(contentsOf: UnsafeBufferPointer(start: r, count: n))
        for k in 0..<n {
            let p = max(abs(l[k]), abs(r[k]))
            need.append(p > ceiling ? ceiling / p : 1)
        }
        let ready = pendingL.count - lookahead
        if ready > 0 { try drain(ready, emit: emit) }
    }

    /// Outputs everything still pending.
    mutating func finish(emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) rethrows {
        if !pendingL.isEmpty { try drain(pendingL.count, emit: emit) }
    }

    private mutating func drain(_ count: Int, emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) rethrows {
        outL.removeAll(keepingCapacity: true)
        outR.removeAll(keepingCapacity: true)
        outL.reserveCapacity(count)
        outR.reserveCapacity(count)
        let total = need.count
        // Index of the next frame (from n) that needs gain reduction.
        var nextOver = need.firstIndex(where: { $0 < 1 }) ?? Int.max
        for n in 0..<count {
            if nextOver < n { nextOver = need[n...].firstIndex(where: { $0 < 1 }) ?? Int.max }
            var target: Float = 1
            if nextOver <= n + lookahead {
                let end = min(total - 1, n + lookahead)
                if nextOver <= end {
                    for k in nextOver...end where need[k] < 1 {
                        let ramp = need[k] + (1 - need[k]) * Float(k - n) / Float(lookahead + 1)
                        target = min(target, ramp)
                    }
                }
            }
            if gain < 1 {
                gain += (1 - gain) * releaseCoefficient
                if gain > 0.99999 { gain = 1 }
            }
            if target < gain { gain = target }
            recordedGain?.append(min(gain, 1))
            if gain >= 1 {
                outL.append(pendingL[n])
                outR.append(pendingR[n])
            } else {
                outL.append(max(-ceiling, min(ceiling, pendingL[n] * gain)))
                outR.append(max(-ceiling, min(ceiling, pendingR[n] * gain)))
            }
        }
        pendingL.removeFirst(count)
        pendingR.removeFirst(count)
        need.removeFirst(count)
        try outL.withUnsafeBufferPointer { lb in
            try outR.withUnsafeBufferPointer { rb in
                try emit(lb.baseAddress!, rb.baseAddress!, count)
            }
        }
    }
}

import Foundation
