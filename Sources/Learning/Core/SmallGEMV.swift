/// The batch-1 product of the LSTM step and the dense head (one row times a weight matrix).
extension SmallGEMM {
    /// Whether ``rowTimesMatrix(n:k:alpha:x:xStride:b:ldb:beta:c:)`` computes this product: one row of A (m = 1),
    /// B not transposed, weights up to 16 MB.
    @inline(__always)
    static func handlesRow(transposeB: Bool, m: Int, n: Int, k: Int) -> Bool {
        m == 1 && !transposeB && k * n <= 1 << 22
    }

    /// c (1 x n) = alpha * x B + beta * c for a row x of `k` values `xStride` apart and B (k x n, row-major, `ldb`):
    /// columns in blocks of 64 held in eight eight-lane accumulators across all of k (enough independent chains to
    /// keep both FMA units busy), then blocks of 8, then one at a time. Each element is summed over k in order; beta 0 ignores c.
    /// Rows of B whose x value is 0 are skipped (adding their zero products would not change a finite sum): the one-hot
    /// blocks of an encoded note (pitch class, beat phase, bar position, style) then cost one row each.
    static func rowTimesMatrix(n: Int, k: Int, alpha: Float, x: UnsafePointer<Float>, xStride: Int, b: UnsafePointer<Float>, ldb: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 64 <= n {
            var a0 = V.zero, a1 = V.zero, a2 = V.zero, a3 = V.zero, a4 = V.zero, a5 = V.zero, a6 = V.zero, a7 = V.zero
            var px = x, pb = b + j
            for _ in 0..<k {
                if px[0] != 0 {  // a zero input adds nothing: one-hot blocks cost one row, not all of theirs
                    let xk = V(repeating: px[0])
                    a0 = a0.addingProduct(xk, load(pb)); a1 = a1.addingProduct(xk, load(pb + 8))
                    a2 = a2.addingProduct(xk, load(pb + 16)); a3 = a3.addingProduct(xk, load(pb + 24))
                    a4 = a4.addingProduct(xk, load(pb + 32)); a5 = a5.addingProduct(xk, load(pb + 40))
                    a6 = a6.addingProduct(xk, load(pb + 48)); a7 = a7.addingProduct(xk, load(pb + 56))
                }
                px += xStride; pb += ldb
            }
            let q = c + j
            store(a0, q, alpha: alpha, beta: beta); store(a1, q + 8, alpha: alpha, beta: beta)
            store(a2, q + 16, alpha: alpha, beta: beta); store(a3, q + 24, alpha: alpha, beta: beta)
            store(a4, q + 32, alpha: alpha, beta: beta); store(a5, q + 40, alpha: alpha, beta: beta)
            store(a6, q + 48, alpha: alpha, beta: beta); store(a7, q + 56, alpha: alpha, beta: beta)
            j += 64
        }
        while j + 8 <= n {
            var a0 = V.zero
            var px = x, pb = b + j
            for _ in 0..<k {
                if px[0] != 0 { a0 = a0.addingProduct(V(repeating: px[0]), load(pb)) }
                px += xStride; pb += ldb
            }
            store(a0, c + j, alpha: alpha, beta: beta)
            j += 8
        }
        while j < n {
            var s: Float = 0
            var px = x, pb = b + j
            for _ in 0..<k {
                s = s.addingProduct(px[0], pb[0])
                px += xStride; pb += ldb
            }
            store(s, c + j, alpha: alpha, beta: beta)
            j += 1
        }
    }
}
