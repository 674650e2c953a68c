import Foundation

/// The musical note loss: a smooth curve of d = predicted note - true note (semitones), fitted by least
/// squares to the paper's target points.
///
/// Targets (integer d in -24 ... 24): 0 where d = 0 (mod 12), 0.2 where d = 4 or 7 (mod 12) (major third,
/// fifth; -5 and -8 are their octave mirrors), 1 elsewhere, plus 0.1 per whole octave of |d|.
/// - ``fourier``: Tunesmith's default. a0 + sum over k = 1...6 of (a_k cos(2 pi k d / 12) + b_k sin(2 pi k d / 12))
///   + q d^2. A 12-semitone Fourier series can pass through any pattern that repeats every octave, and the
///   quadratic term carries the octave penalty and keeps growing beyond +-24.
/// - ``polynomial``: the paper's literal version: a polynomial in d/24 of the given degree, with d clamped to +-24.
public struct NoteLossCurve: Codable, Sendable, Hashable {
    /// Which family of curve.
    public enum Kind: String, Codable, Sendable {
        /// Fourier series with a 12-semitone period plus a quadratic term (default).
        case fourier
        /// The paper's high-order polynomial on d clamped to +-24.
        case polynomial
    }

    /// Curve family.
    public var kind: Kind
    /// Fitted coefficients: Fourier a0, a1, b1, ..., a6 (no b6), q; polynomial c0 ... cN in powers of d/24.
    public var coefficients: [Double]

    /// Harmonics of the Fourier curve.
    static let harmonics = 6
    /// Range of the target points and clamp of the polynomial (semitones).
    public static let range = 24

    /// The target loss at integer distance `d` (semitones).
    public static func target(_ d: Int) -> Double {
        let m = ((d % 12) + 12) % 12
        let base: Double = m == 0 ? 0 : (m == 4 || m == 7 ? 0.2 : 1)
        return base + 0.1 * Double(abs(d) / 12)
    }

    /// The default curve: Fourier series + quadratic fitted to ``target(_:)``.
    public static func fittedFourier() -> NoteLossCurve {
        let ds = Array(-range...range)
        let cols = 2 * harmonics + 1
        var a: [Double] = []
        for d in ds { a += fourierBasis(Double(d)) }
        let c = LeastSquares.solve(a, rows: ds.count, columns: cols, ds.map(target))
        return NoteLossCurve(kind: .fourier, coefficients: c)
    }

    /// The paper's literal curve: least-squares polynomial of `degree` in d/24 fitted to ``target(_:)``.
    public static func fittedPolynomial(degree: Int = 20) -> NoteLossCurve {
        let ds = Array(-range...range)
        var a: [Double] = []
        for d in ds {
            let x = Double(d) / Double(range)
            var p = 1.0
            for _ in 0...degree { a.append(p); p *= x }
        }
        let c = LeastSquares.solve(a, rows: ds.count, columns: degree + 1, ds.map(target))
        return NoteLossCurve(kind: .polynomial, coefficients: c)
    }

    static func fourierBasis(_ d: Double) -> [Double] {
        var row = [1.0]
        for k in 1...harmonics {
            let w = 2 * Double.pi * Double(k) * d / 12
            row.append(cos(w))
            if k < harmonics { row.append(sin(w)) }
        }
        row.append(d * d)
        return row
    }

    /// cos and sin of 2 pi d / 12 without libm calls: the nearest whole semitone n from a table of twelfths of a
    /// turn, the remainder r (|r| <= 1/2 semitone, |angle| <= pi / 12) by its Taylor series to the 11th power
    /// (error below 1e-16), combined by angle addition.
    @inline(__always)
    static func cosSinTwelfth(_ d: Double) -> (cos: Double, sin: Double) {
        guard d.isFinite, abs(d) < 1e15 else { return (cos(2 * Double.pi * d / 12), sin(2 * Double.pi * d / 12)) }
        let n = d.rounded()
        let x = (d - n) * (2 * Double.pi / 12)
        let x2 = x * x
        let c = 1 - x2 / 2 * (1 - x2 / 12 * (1 - x2 / 30 * (1 - x2 / 56 * (1 - x2 / 90))))
        let s = x * (1 - x2 / 6 * (1 - x2 / 20 * (1 - x2 / 42 * (1 - x2 / 72 * (1 - x2 / 110)))))
        let k = Int(n.truncatingRemainder(dividingBy: 12)) + (n < 0 ? 12 : 0)
        let (cn, sn) = twelfths[k % 12]
        return (cn * c - sn * s, sn * c + cn * s)
    }

    /// (cos, sin) of k turns / 12 for k = 0 ... 11, exact where the values are rational.
    static let twelfths: [(Double, Double)] = {
        let h = 3.0.squareRoot() / 2
        return [(1, 0), (h, 0.5), (0.5, h), (0, 1), (-0.5, h), (-h, 0.5), (-1, 0), (-h, -0.5), (-0.5, -h), (0, -1), (0.5, -h), (h, -0.5)]
    }()

    /// The loss at distance `d` (semitones).
    public func value(_ d: Double) -> Double { valueAndDerivative(d).value }

    /// The derivative d loss / d d.
    public func derivative(_ d: Double) -> Double { valueAndDerivative(d).derivative }

    /// Value and derivative at `d` (semitones).
    @inline(__always)
    public func valueAndDerivative(_ d: Double) -> (value: Double, derivative: Double) {
        switch kind {
        case .fourier:
            let c = coefficients
            let (c1, s1) = Self.cosSinTwelfth(d)
            var ck = 1.0, sk = 0.0
            var v = c[0], dv = 0.0
            var idx = 1
            for k in 1...Self.harmonics {
                (ck, sk) = (ck * c1 - sk * s1, sk * c1 + ck * s1)
                let wk = 2 * Double.pi * Double(k) / 12
                v += c[idx] * ck
                dv -= c[idx] * wk * sk
                idx += 1
                if k < Self.harmonics {
                    v += c[idx] * sk
                    dv += c[idx] * wk * ck
                    idx += 1
                }
            }
            let q = c[idx]
            return (v + q * d * d, dv + 2 * q * d)
        case .polynomial:
            let r = Double(Self.range)
            let clamped = Swift.min(Swift.max(d, -r), r)
            let x = clamped / r
            var v = 0.0, dv = 0.0
            for c in coefficients.reversed() {
                dv = dv * x + v
                v = v * x + c
            }
            let inside = abs(d) < r
            return (v, inside ? dv / r : 0)
        }
    }
}
