import Foundation

/// The K-weighting of ITU-R BS.1770-4 for a stereo stream, and the energy of every 100 ms block it produces.
///
/// K-weighting is a high-shelf (+4 dB above about 1.7 kHz, the head's effect) followed by a high-pass (the RLB curve,
/// -3 dB near 38 Hz), both biquads derived for any sample rate from their analogue prototypes, applied as one 4th-order
/// filter in double precision (direct form II, fused multiply-adds), both channels at once in a `SIMD2<Double>`. A block's energy is the
/// mean square of the filtered left channel plus that of the right (BS.1770's channel weights are 1 for both).
/// This is the measurement libebur128 makes; doing it here takes one pass over planar blocks with no copy to
/// interleave them.
struct KWeightingFilter {
    /// Feed-forward coefficients b0 ... b4.
    private let b: (Double, Double, Double, Double, Double)
    /// Feedback coefficients a1 ... a4 (a0 = 1).
    private let a: (Double, Double, Double, Double)
    /// The filter's state (the last four intermediate values), left and right in lanes 0 and 1.
    private var v1 = SIMD2<Double>(), v2 = SIMD2<Double>(), v3 = SIMD2<Double>(), v4 = SIMD2<Double>()
    /// Frames per 100 ms block.
    let blockFrames: Int
    /// Frames of the current block so far, and the sum of squares of its filtered samples per channel.
    private var inBlock = 0
    private var sum = SIMD2<Double>()

    /// A filter for audio at `sampleRate` Hz (frames per block: the sample rate / 10, rounded).
    init(sampleRate: Int) {
        let rate = Double(sampleRate)
        // The shelf: gain 3.99984 dB above 1681.97 Hz, Q 0.70718.
        var k = tan(Double.pi * 1681.974450955533 / rate)
        let q = 0.7071752369554196
        let vh = pow(10, 3.999843853973347 / 20)
        let vb = pow(vh, 0.4996667741545416)
        let a0 = 1 + k / q + k * k
        let shelfB = [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
        let shelfA = [1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
        // The high-pass: 38.1355 Hz, Q 0.50033 (numerator 1, -2, 1 as the standard gives it).
        k = tan(Double.pi * 38.13547087602444 / rate)
        let hq = 0.5003270373238773
        let h0 = 1 + k / hq + k * k
        let passB: [Double] = [1, -2, 1]
        let passA = [1, 2 * (k * k - 1) / h0, (1 - k / hq + k * k) / h0]
        // The cascade as one filter: the polynomial products.
        func product(_ x: [Double], _ y: [Double]) -> [Double] {
            var z = [Double](repeating: 0, count: x.count + y.count - 1)
            for i in x.indices { for j in y.indices { z[i + j] += x[i] * y[j] } }
            return z
        }
        let bb = product(shelfB, passB), aa = product(shelfA, passA)
        b = (bb[0], bb[1], bb[2], bb[3], bb[4])
        a = (aa[1], aa[2], aa[3], aa[4])
        blockFrames = max(1, (sampleRate + 5) / 10)
    }

    /// Filters `n` planar frames; `block` hears the energy of each 100 ms block completed (left plus right mean square).
    mutating func add(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, _ n: Int, block: (Double) -> Void) {
        let (b0, b1, b2, b3, b4) = (SIMD2(repeating: b.0), SIMD2(repeating: b.1), SIMD2(repeating: b.2), SIMD2(repeating: b.3),
                                    SIMD2(repeating: b.4))
        // Negated, so each feedback term is one fused multiply-add.
        let (a1, a2, a3, a4) = (SIMD2(repeating: -a.0), SIMD2(repeating: -a.1), SIMD2(repeating: -a.2), SIMD2(repeating: -a.3))
        var v1 = v1, v2 = v2, v3 = v3, v4 = v4, sum = sum, inBlock = inBlock
        var k = 0
        while k < n {
            let take = min(n - k, blockFrames - inBlock)
            for i in k..<(k + take) {
                let x = SIMD2<Double>(Double(left[i]), Double(right[i]))
                // The terms of the older values first: only the last fused multiply-add waits for the previous frame.
                let older = x.addingProduct(a4, v4).addingProduct(a3, v3).addingProduct(a2, v2)
                let v0 = older.addingProduct(a1, v1)
                let y = (b4 * v4).addingProduct(b3, v3).addingProduct(b2, v2).addingProduct(b1, v1).addingProduct(b0, v0)
                sum.addProduct(y, y)
                v4 = v3; v3 = v2; v2 = v1; v1 = v0
            }
            k += take
            inBlock += take
            if inBlock == blockFrames {
                block((sum[0] + sum[1]) / Double(blockFrames))
                sum = .zero
                inBlock = 0
            }
        }
        // Values too small to matter would turn denormal in a long silence and slow every operation down.
        let tiny = SIMD2<Double>(repeating: 1e-30)
        func flushed(_ s: SIMD2<Double>) -> SIMD2<Double> { s.replacing(with: SIMD2<Double>(repeating: 0), where: (s .< tiny) .& (s .> -tiny)) }
        self.v1 = flushed(v1); self.v2 = flushed(v2); self.v3 = flushed(v3); self.v4 = flushed(v4)
        self.sum = sum
        self.inBlock = inBlock
    }
}
