import XCTest
@testable import Learning

/// Properties of the fitted musical note-loss curves.
final class NoteLossCurveTests: XCTestCase {
    /// Local minima of `f` on a fine grid over [lo, hi]: (position, value).
    func localMinima(_ f: (Double) -> Double, _ lo: Double, _ hi: Double, step: Double = 0.01) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        var x = lo + step
        var prev = f(lo), cur = f(x)
        while x < hi {
            let next = f(x + step)
            if cur < prev && cur <= next { out.append((x, cur)) }
            prev = cur; cur = next; x += step
        }
        return out
    }

    func testFourierCurvePassesNearTheTargets() {
        let c = NoteLossCurve.fittedFourier()
        for d in -24...24 {
            XCTAssertEqual(c.value(Double(d)), NoteLossCurve.target(d), accuracy: 0.08, "d = \(d)")
        }
    }

    func testFourierMinimaAreAtUnisonThirdAndFifthModuloOctave() {
        let c = NoteLossCurve.fittedFourier()
        let minima = localMinima(c.value, -36, 36)
        // Every low minimum sits at d = 0, 4 or 7 (mod 12) ...
        for (x, v) in minima where v < 0.5 {
            let nearest = x.rounded()
            let m = ((Int(nearest) % 12) + 12) % 12
            XCTAssertLessThan(abs(x - nearest), 0.2, "minimum at \(x) is not at a whole semitone")
            XCTAssertTrue([0, 4, 7].contains(m), "low minimum at \(x) (d mod 12 = \(m))")
        }
        // ... and every such d in [-24, 24] has one, with zero derivative nearby.
        for d in -24...24 where [0, 4, 7].contains(((d % 12) + 12) % 12) {
            XCTAssertTrue(minima.contains { abs($0.0 - Double(d)) < 0.2 && $0.1 < 0.5 }, "no minimum near d = \(d)")
            XCTAssertLessThan(c.derivative(Double(d) - 0.5), 0, "curve should fall into d = \(d)")
            XCTAssertGreaterThan(c.derivative(Double(d) + 0.5), 0, "curve should rise out of d = \(d)")
        }
        // The global minimum over [-36, 36] is the unison.
        let best = minima.min { $0.1 < $1.1 }!
        XCTAssertEqual(best.0, 0, accuracy: 0.2)
    }

    func testFourierCurveGrowsWithDistance() {
        let c = NoteLossCurve.fittedFourier()
        // Octave-equivalent points cost more the further they are, also beyond the fitted +-24.
        let octaves = [0, 12, 24, 36, 48, 96].map { c.value(Double($0)) }
        for (a, b) in zip(octaves, octaves.dropFirst()) { XCTAssertLessThan(a, b) }
        let below = [0, -12, -24, -36, -48, -96].map { c.value(Double($0)) }
        for (a, b) in zip(below, below.dropFirst()) { XCTAssertLessThan(a, b) }
        // Unison beats the third and fifth, which beat every other interval.
        XCTAssertLessThan(c.value(0), c.value(4))
        XCTAssertLessThan(c.value(4), c.value(1))
        XCTAssertLessThan(c.value(7), c.value(6))
    }

    /// The paper's literal polynomial cannot follow the targets: high at d = 0 and lowest at the clamp.
    func testLiteralPolynomialFailsAsDocumented() {
        let p = NoteLossCurve.fittedPolynomial(degree: 20)
        XCTAssertGreaterThan(p.value(0), 0.6, "a degree-20 polynomial cannot dip at d = 0")
        let interior = stride(from: -23.5, through: 23.5, by: 0.01).map { p.value($0) }.min()!
        XCTAssertLessThan(p.value(24), interior, "the clamped zone |d| >= 24 is the lowest loss")
        XCTAssertEqual(p.value(100), p.value(24), accuracy: 1e-12)
        XCTAssertEqual(p.derivative(100), 0)
    }
}

/// The table-and-series cosine and sine of the Fourier curve against libm.
final class NoteLossCurveTrigTests: XCTestCase {
    func testCosSinTwelfthMatchesLibm() {
        var worst = 0.0
        for d in stride(from: -200.0, through: 200.0, by: 0.0137) + [-0.5, 0.5, 5.5, -6.5, 11.999, -12.0] {
            let (c, s) = NoteLossCurve.cosSinTwelfth(d)
            let w = 2 * Double.pi * d / 12
            worst = max(worst, abs(c - cos(w)), abs(s - sin(w)))
        }
        XCTAssertLessThan(worst, 1e-12)
        let nan = NoteLossCurve.cosSinTwelfth(.nan)
        XCTAssertTrue(nan.cos.isNaN && nan.sin.isNaN)
    }
}
