import XCTest
@testable import Learning

/// The small single-precision matrix kernels against a double-precision reference, on every operand
/// layout the network uses, edge sizes included.
final class SmallGEMMTests: XCTestCase {
    func reference(_ ta: Bool, _ tb: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], lda: Int, b: [Float], ldb: Int,
                   beta: Float, c: [Float], ldc: Int) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = ta ? a[p * lda + i] : a[i * lda + p]
                    let y = tb ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(x) * Double(y)
                }
                out[i * ldc + j] = Float(Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])))
            }
        }
        return out
    }

    func testKernelsMatchTheReference() {
        var g = SeededGenerator(seed: 12)
        let shapes = [(16, 192, 48), (48, 192, 150), (7, 20, 130), (48, 192, 3), (16, 48, 192), (48, 192, 32), (3, 192, 48), (16, 24, 48), (16, 3, 24), (16, 24, 3),
                      (24, 3, 16), (5, 17, 9), (1, 1, 1), (7, 33, 0), (2, 8, 8), (9, 16, 13),
                      (1, 192, 48), (1, 192, 3), (1, 545, 128), (1, 3, 24), (1, 41, 0), (1, 512, 51)]
        for (m, n, k) in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true)] {
                for (alpha, beta) in [(Float(1), Float(0)), (1, 1), (0.5, 2)] {
                    let lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3
                    let a = (0..<(max(1, ta ? k : m) * lda)).map { _ in Float(g.nextNormal()) }
                    let b = (0..<(max(1, tb ? n : k) * ldb)).map { _ in Float(g.nextNormal()) }
                    var c = (0..<(m * ldc)).map { _ in Float(g.nextNormal()) }
                    if beta == 0 { for i in c.indices where i % 5 == 0 { c[i] = .nan } }  // beta 0 must ignore C
                    let expected = reference(ta, tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
                    SmallGEMM.gemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                                   beta: beta, c: &c, ldc: ldc)
                    var worst: Float = 0
                    for i in 0..<m {
                        for j in 0..<n { worst = max(worst, abs(c[i * ldc + j] - expected[i * ldc + j]) / (1 + abs(expected[i * ldc + j]))) }
                        for j in n..<ldc { XCTAssertEqual(c[i * ldc + j].bitPattern, expected[i * ldc + j].bitPattern, "padding untouched") }
                    }
                    XCTAssertLessThan(worst, 1e-5, "m \(m) n \(n) k \(k) ta \(ta) tb \(tb) alpha \(alpha) beta \(beta)")
                }
            }
        }
    }
}
