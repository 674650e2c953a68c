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
    /// Coefficients [phase 1...3][tap], tap k weighting x[n + k - 5].
    private static let coefficients: [Float] = {
        var c: [Float] = []
        for phase in 1...3 {
            let t = Double(phase) / 4
            for k in 0..<taps {
                let u = t - Double(k - 5)  // distance from sample n + k - 5 to the point n + t
                let sinc = u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
                let w = 0.5 + 0.5 * cos(Double.pi * u / 6)  // Hann window reaching 0 at |u| = 6
                c.append(Float(sinc * w))
            }
        }
        return c
    }()

    private var historyL = [Float](repeating: 0, count: 2 * taps)
    private var historyR = [Float](repeating: 0, count: 2 * taps)
    private var position = 0

    /// Pushes one frame and returns the true-peak estimate (linear) of the frame ``latency`` frames earlier.
    @inline(__always)
    mutating func push(_ l: Float, _ r: Float) -> Float {
        // A doubled ring: the last `taps` frames are always contiguous at position ..< position + taps.
        historyL[position] = l; historyL[position + Self.taps] = l
        historyR[position] = r; historyR[position + Self.taps] = r
        position = (position + 1) % Self.taps
        // Frames oldest...newest at position ... position + 11; frame n (reported) is index 5 of that window.
        var peak = max(abs(historyL[position + 5]), abs(historyR[position + 5]))
        Self.coefficients.withUnsafeBufferPointer { c in
            historyL.withUnsafeBufferPointer { hl in
                historyR.withUnsafeBufferPointer { hr in
                    for phase in 0..<3 {
                        var yl: Float = 0, yr: Float = 0
                        let base = phase * Self.taps
                        for k in 0..<Self.taps {
                            yl += c[base + k] * hl[position + k]
                            yr += c[base + k] * hr[position + k]
                        }
                        peak = max(peak, abs(yl), abs(yr))
                    }
                }
            }
        }
        return peak
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

    /// Pushes a value and returns the minimum of the last `width` values (fewer at the start).
    @inline(__always)
    mutating func push(_ v: Float) -> Float {
        let capacity = values.count
        while count > 0 {
            let back = (head + count - 1) % capacity
            if values[back] >= v { count -= 1 } else { break }
        }
        let slot = (head + count) % capacity
        values[slot] = v
        indices[slot] = pushed
        count += 1
        while indices[head] <= pushed - width {
            head = (head + 1) % capacity
            count -= 1
        }
        pushed += 1
        return values[head]
    }
}
