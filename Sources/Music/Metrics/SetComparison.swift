import Foundation

/// How far apart two sets of values of one metric are, compared as smoothed distributions
/// (after Yang & Lerch, 2018: Gaussian kernel density estimates on a shared grid).
public struct DistributionComparison: Sendable, Hashable, Codable {
    /// Overlapping area of the two densities, 0 (disjoint) ... 1 (identical).
    public var overlappingArea: Double
    /// Kullback-Leibler divergence KL(first || second) in nats (0 when identical; >= 0).
    public var klDivergence: Double

    /// Creates a comparison result.
    public init(overlappingArea: Double, klDivergence: Double) {
        self.overlappingArea = overlappingArea
        self.klDivergence = klDivergence
    }

    /// How the two sets' kernels are sized.
    public enum Smoothing: Sendable, Hashable {
        /// Each set its own Silverman bandwidth, as Yang & Lerch's tool sizes each set's kernel (sets of different
        /// sizes and spreads: generated pieces against a corpus).
        case perSet
        /// One bandwidth for both: the root mean square of the two sets' own Silverman bandwidths (as a pooled standard
        /// deviation is: the spread within the sets, not the distance between them). For two equal samples of one thing
        /// (a piece's first and last third), so a set with no spread of its own (8 runs all at velocity 95) is not a
        /// spike that a set differing in one run (7 at 95, one at 96) barely touches: those overlap by about 7/8, not 0.1.
        case shared
    }

    /// Compares two non-empty sets of values: each is smoothed with a Gaussian kernel (Silverman's
    /// bandwidth, per set or shared, at least 1 % of the pooled range or 1e-3) and evaluated on
    /// `gridPoints` points spanning both sets plus 3 bandwidths; nil when either set is empty.
    public static func compare(_ a: [Double], _ b: [Double], gridPoints: Int = 512, smoothing: Smoothing = .perSet) -> DistributionComparison? {
        guard !a.isEmpty, !b.isEmpty, gridPoints >= 2 else { return nil }
        let pooled = a + b
        let lo0 = pooled.min()!, hi0 = pooled.max()!
        let floor = max(1e-3, (hi0 - lo0) * 0.01)
        var ha = bandwidth(a), hb = bandwidth(b)
        if smoothing == .shared { ha = ((ha * ha + hb * hb) / 2).squareRoot(); hb = ha }
        ha = max(floor, ha); hb = max(floor, hb)
        let lo = lo0 - 3 * max(ha, hb), hi = hi0 + 3 * max(ha, hb)
        let dx = (hi - lo) / Double(gridPoints - 1)
        var pa = [Double](repeating: 0, count: gridPoints), pb = pa
        for i in 0..<gridPoints {
            let x = lo + Double(i) * dx
            pa[i] = density(a, at: x, bandwidth: ha)
            pb[i] = density(b, at: x, bandwidth: hb)
        }
        // Normalise each to unit area on the grid.
        let sa = pa.reduce(0, +) * dx, sb = pb.reduce(0, +) * dx
        var overlap = 0.0, kl = 0.0
        let eps = 1e-12
        for i in 0..<gridPoints {
            let p = pa[i] / sa, q = pb[i] / sb
            overlap += min(p, q) * dx
            if p > eps { kl += p * log(p / max(q, eps)) * dx }
        }
        return DistributionComparison(overlappingArea: min(1, max(0, overlap)), klDivergence: max(0, kl))
    }

    /// Silverman's rule-of-thumb bandwidth: 0.9 min(sd, IQR / 1.34) n^(-1/5) (0 for constant data).
    public static func bandwidth(_ x: [Double]) -> Double {
        let sorted = x.sorted()
        let sd = MetricMath.standardDeviation(x)
        let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25)
        let spread = iqr > 0 ? min(sd, iqr / 1.34) : sd
        return 0.9 * spread * pow(Double(x.count), -0.2)
    }

    private static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let pos = q * Double(sorted.count - 1)
        let i = Int(pos), f = pos - Double(i)
        return i + 1 < sorted.count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i]
    }

    private static func density(_ x: [Double], at point: Double, bandwidth h: Double) -> Double {
        var s = 0.0
        for v in x {
            let z = (point - v) / h
            s += exp(-0.5 * z * z)
        }
        return s / (Double(x.count) * h * (2 * Double.pi).squareRoot())
    }
}
