import Foundation
import XCTest
@testable import Learning

/// Accuracy of the vectorisable single-precision functions used in training.
final class FastMathTests: XCTestCase {
    func testExpSigmoidTanhMatchLibm() {
        var worstExp = 0.0, worstSig = 0.0, worstTanh = 0.0
        for x in stride(from: -20.0, through: 20.0, by: 0.0137) {
            let f = Float(x)
            worstExp = max(worstExp, abs(Double(FastMath.exp(f)) - Foundation.exp(Double(f))) / Foundation.exp(Double(f)))
            worstSig = max(worstSig, abs(Double(FastMath.sigmoid(f)) - 1 / (1 + Foundation.exp(-Double(f)))))
            worstTanh = max(worstTanh, abs(Double(FastMath.tanh(f)) - Foundation.tanh(Double(f))))
        }
        XCTAssertLessThan(worstExp, 5e-7)
        XCTAssertLessThan(worstSig, 2e-7)
        XCTAssertLessThan(worstTanh, 3e-7)
        XCTAssertEqual(FastMath.exp(-200), 0, accuracy: 1e-37)
        XCTAssertTrue(FastMath.exp(200).isFinite)
    }

    func testSquareRootMatchesLibm() {
        XCTAssertEqual(FastMath.squareRoot(0), 0)
        var worst = 0.0
        var x: Float = 1e-20
        while x < 1e20 {
            worst = max(worst, abs(Double(FastMath.squareRoot(x)) - Double(x).squareRoot()) / Double(x).squareRoot())
            x *= 1.37
        }
        XCTAssertLessThan(worst, 3e-7)
    }
}

/// The eight-lane functions and the array passes give exactly the scalar functions' results.
final class FastMathVectorTests: XCTestCase {
    func testVectorPassesEqualTheScalarFunctions() {
        var g = SeededGenerator(seed: 8)
        // Special values first, so they go through the vector loop; the last 21 through the scalar remainder.
        var xs: [Float] = [0, -0, 0.0625, -0.0625, 0.06, -87.5, 88.5, 200, -200, .nan, 1e-30, -1e-30]
        xs += (0..<1_001).map { _ in Float(g.nextNormal() * 6) }
        var sig = xs, th = [Float](repeating: 0, count: xs.count)
        FastMath.sigmoid(&sig, count: xs.count)
        xs.withUnsafeBufferPointer { FastMath.tanh($0.baseAddress!, into: &th, count: xs.count) }
        for (i, x) in xs.enumerated() {
            if x.isNaN { XCTAssertTrue(sig[i].isNaN && th[i].isNaN, "NaN stays NaN"); continue }
            XCTAssertEqual(sig[i].bitPattern, FastMath.sigmoid(x).bitPattern, "sigmoid(\(x))")
            XCTAssertEqual(th[i].bitPattern, FastMath.tanh(x).bitPattern, "tanh(\(x))")
        }
        // tanh in place (as the LSTM cell uses it), and counts at the edges of the 32-value vector step.
        for count in [0, 1, 31, 32, 33, 64, 95, xs.count] {
            var inPlace = Array(xs[0..<count])
            inPlace.withUnsafeMutableBufferPointer { FastMath.tanh($0.baseAddress!, into: $0.baseAddress!, count: count) }
            var sigmoids = Array(xs[0..<count])
            sigmoids.withUnsafeMutableBufferPointer { FastMath.sigmoid($0.baseAddress!, count: count) }
            for i in 0..<count where !xs[i].isNaN {
                XCTAssertEqual(inPlace[i].bitPattern, FastMath.tanh(xs[i]).bitPattern, "in-place tanh(\(xs[i])), count \(count)")
                XCTAssertEqual(sigmoids[i].bitPattern, FastMath.sigmoid(xs[i]).bitPattern, "sigmoid(\(xs[i])), count \(count)")
            }
        }
    }
}
