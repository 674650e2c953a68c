/// Single-precision row-major matrix products for small shapes (the paper model's 48-unit LSTM: at most a
/// few hundred thousand multiply-adds), written with eight-lane FMA vectors. For these sizes BLAS spends
/// more time packing operands than multiplying; larger products still go to BLAS.
///
/// C = alpha * op(A) * op(B) + beta * C; beta = 0 ignores C's previous contents (as BLAS). Each element is
/// summed over k in order, so results are deterministic.
enum SmallGEMM {
    typealias V = SIMD8<Float>

    /// Whether these kernels beat BLAS on this product (measured on AVX2/FMA for the paper model's shapes):
    /// a single row of A (batch-1 steps, ``rowTimesMatrix(n:k:alpha:x:xStride:b:ldb:beta:c:)``), row-broadcast products with k >= 8, transposed-A products with k <= 64 (per-worker batches), dot products
    /// (transposed B) with k >= 32 and at most 32 rows; never both operands transposed.
    @inline(__always)
    static func handles(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> Bool {
        if handlesRow(transposeB: transposeB, m: m, n: n, k: k) { return true }
        guard m * n * k <= 1 << 21, k * n <= 1 << 16, m * k <= 1 << 16 else { return false }
        switch (transposeA, transposeB) {
        case (false, false): return k >= 8
        case (true, false): return k <= 64
        case (false, true): return k >= 32 && m <= 32
        case (true, true): return false
        }
    }

    /// The product; see the type's description. Requires ``handles(transposeA:transposeB:m:n:k:)``.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if handlesRow(transposeB: transposeB, m: m, n: n, k: k) {
            rowTimesMatrix(n: n, k: k, alpha: alpha, x: a, xStride: transposeA ? lda : 1, b: b, ldb: ldb, beta: beta, c: c)
        } else if transposeB {
            dotProducts(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        } else {
            // A(i, p) = a[i * rowStride + p * columnStride].
            broadcastProducts(m: m, n: n, k: k, alpha: alpha, a: a, rowStride: transposeA ? 1 : lda, columnStride: transposeA ? lda : 1,
                              b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ acc: V, _ p: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
        var r = alpha == 1 ? acc : acc * alpha
        if beta != 0 {
            let old = load(p)
            r = beta == 1 ? old + r : old * beta + r
        }
        UnsafeMutableRawPointer(p).storeBytes(of: r, as: V.self)
    }

    @inline(__always)
    static func store(_ acc: Float, _ p: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
        var r = alpha == 1 ? acc : acc * alpha
        if beta != 0 { r = beta == 1 ? p.pointee + r : p.pointee * beta + r }
        p.pointee = r
    }

    /// op(B) = B (k x n): each A element is broadcast against a row of B; 4 x 16 register blocks, k in blocks of 64
    /// so the operand panels stay in the L1 cache.
    static func broadcastProducts(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                                  b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let kc = 64
        if k > kc {
            var p = 0
            while p < k {
                let kb = min(kc, k - p)
                broadcastBlock(m: m, n: n, k: kb, alpha: alpha, a: a + p * cs, rowStride: rs, columnStride: cs,
                               b: b + p * ldb, ldb: ldb, beta: p == 0 ? beta : 1, c: c, ldc: ldc)
                p += kb
            }
        } else {
            broadcastBlock(m: m, n: n, k: k, alpha: alpha, a: a, rowStride: rs, columnStride: cs, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// ``broadcastProducts(m:n:k:alpha:a:rowStride:columnStride:b:ldb:beta:c:ldc:)`` for one block of k.
    static func broadcastBlock(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, rowStride rs: Int, columnStride cs: Int,
                               b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let m4 = m / 4 * 4
        var j = 0
        while j + 16 <= n {
            var i = 0
            while i < m4 {
                var c00 = V.zero, c01 = V.zero, c10 = V.zero, c11 = V.zero, c20 = V.zero, c21 = V.zero, c30 = V.zero, c31 = V.zero
                var pa = a + i * rs, pb = b + j
                for _ in 0..<k {
                    let b0 = load(pb), b1 = load(pb + 8)
                    let x0 = V(repeating: pa[0]), x1 = V(repeating: pa[rs]), x2 = V(repeating: pa[2 * rs]), x3 = V(repeating: pa[3 * rs])
                    c00 = c00.addingProduct(x0, b0); c01 = c01.addingProduct(x0, b1)
                    c10 = c10.addingProduct(x1, b0); c11 = c11.addingProduct(x1, b1)
                    c20 = c20.addingProduct(x2, b0); c21 = c21.addingProduct(x2, b1)
                    c30 = c30.addingProduct(x3, b0); c31 = c31.addingProduct(x3, b1)
                    pa += cs; pb += ldb
                }
                let p = c + i * ldc + j
                store(c00, p, alpha: alpha, beta: beta); store(c01, p + 8, alpha: alpha, beta: beta)
                store(c10, p + ldc, alpha: alpha, beta: beta); store(c11, p + ldc + 8, alpha: alpha, beta: beta)
                store(c20, p + 2 * ldc, alpha: alpha, beta: beta); store(c21, p + 2 * ldc + 8, alpha: alpha, beta: beta)
                store(c30, p + 3 * ldc, alpha: alpha, beta: beta); store(c31, p + 3 * ldc + 8, alpha: alpha, beta: beta)
                i += 4
            }
            j += 16
        }
        while j + 8 <= n {
            var i = 0
            while i < m4 {
                var c0 = V.zero, c1 = V.zero, c2 = V.zero, c3 = V.zero
                var pa = a + i * rs, pb = b + j
                for _ in 0..<k {
                    let b0 = load(pb)
                    c0 = c0.addingProduct(V(repeating: pa[0]), b0); c1 = c1.addingProduct(V(repeating: pa[rs]), b0)
                    c2 = c2.addingProduct(V(repeating: pa[2 * rs]), b0); c3 = c3.addingProduct(V(repeating: pa[3 * rs]), b0)
                    pa += cs; pb += ldb
                }
                let p = c + i * ldc + j
                store(c0, p, alpha: alpha, beta: beta); store(c1, p + ldc, alpha: alpha, beta: beta)
                store(c2, p + 2 * ldc, alpha: alpha, beta: beta); store(c3, p + 3 * ldc, alpha: alpha, beta: beta)
                i += 4
            }
            j += 8
        }
        // Remaining columns of the 4-row blocks, then the remaining rows.
        for col in j..<n { for row in 0..<m4 { scalarElement(row, col) } }
        // A remaining row is a row times B: the batch-1 kernel, which sums each element over k in the same order.
        for i in m4..<m {
            rowTimesMatrix(n: n, k: k, alpha: alpha, x: a + i * rs, xStride: cs, b: b, ldb: ldb, beta: beta, c: c + i * ldc)
        }

        @inline(__always)
        func scalarElement(_ row: Int, _ col: Int) {
            var s: Float = 0
            var pa = a + row * rs, pb = b + col
            for _ in 0..<k {
                s = s.addingProduct(pa[0], pb[0])
                pa += cs; pb += ldb
            }
            store(s, c + row * ldc + col, alpha: alpha, beta: beta)
        }
    }

    /// op(B) = B^T with B (n x k): each element is a dot product of two contiguous rows; 2 x 4 register blocks over k.
    static func dotProducts(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let kv = k / 8 * 8
        var i = 0
        while i + 2 <= m {
            let a0 = a + i * lda, a1 = a0 + lda
            var j = 0
            while j + 4 <= n {
                let b0 = b + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb
                var s00 = V.zero, s01 = V.zero, s02 = V.zero, s03 = V.zero, s10 = V.zero, s11 = V.zero, s12 = V.zero, s13 = V.zero
                var p = 0
                while p < kv {
                    let x0 = load(a0 + p), x1 = load(a1 + p)
                    let y0 = load(b0 + p), y1 = load(b1 + p), y2 = load(b2 + p), y3 = load(b3 + p)
                    s00 = s00.addingProduct(x0, y0); s01 = s01.addingProduct(x0, y1); s02 = s02.addingProduct(x0, y2); s03 = s03.addingProduct(x0, y3)
                    s10 = s10.addingProduct(x1, y0); s11 = s11.addingProduct(x1, y1); s12 = s12.addingProduct(x1, y2); s13 = s13.addingProduct(x1, y3)
                    p += 8
                }
                var t00 = s00.sum(), t01 = s01.sum(), t02 = s02.sum(), t03 = s03.sum()
                var t10 = s10.sum(), t11 = s11.sum(), t12 = s12.sum(), t13 = s13.sum()
                while p < k {
                    let x0 = a0[p], x1 = a1[p]
                    t00 = t00.addingProduct(x0, b0[p]); t01 = t01.addingProduct(x0, b1[p]); t02 = t02.addingProduct(x0, b2[p]); t03 = t03.addingProduct(x0, b3[p])
                    t10 = t10.addingProduct(x1, b0[p]); t11 = t11.addingProduct(x1, b1[p]); t12 = t12.addingProduct(x1, b2[p]); t13 = t13.addingProduct(x1, b3[p])
                    p += 1
                }
                let q = c + i * ldc + j
                store(t00, q, alpha: alpha, beta: beta); store(t01, q + 1, alpha: alpha, beta: beta)
                store(t02, q + 2, alpha: alpha, beta: beta); store(t03, q + 3, alpha: alpha, beta: beta)
                store(t10, q + ldc, alpha: alpha, beta: beta); store(t11, q + ldc + 1, alpha: alpha, beta: beta)
                store(t12, q + ldc + 2, alpha: alpha, beta: beta); store(t13, q + ldc + 3, alpha: alpha, beta: beta)
                j += 4
            }
            while j < n {
                dotElement(i, j); dotElement(i + 1, j)
                j += 1
            }
            i += 2
        }
        if i < m {
            for j in 0..<n { dotElement(i, j) }
        }

        @inline(__always)
        func dotElement(_ row: Int, _ col: Int) {
            let x = a + row * lda, y = b + col * ldb
            var s = V.zero
            var p = 0
            while p < kv { s = s.addingProduct(load(x + p), load(y + p)); p += 8 }
            var t = s.sum()
            while p < k { t = t.addingProduct(x[p], y[p]); p += 1 }
            store(t, c + row * ldc + col, alpha: alpha, beta: beta)
        }
    }
}
