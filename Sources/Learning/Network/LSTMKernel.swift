/// Keras-compatible LSTM: z = x W + h U + b, gates i, f, c~, o (sigmoid, sigmoid, tanh, sigmoid),
/// c' = f c + i c~, h' = o tanh(c'); zero initial state. Forward pass plus back-propagation through time.
final class LSTMKernel<Scalar: NeuralScalar>: LayerKernel {
    let inputWidth: Int
    let units: Int
    let returnSequences: Bool
    let kernelOffset: Int
    let recurrentOffset: Int
    let biasOffset: Int
    let capacityRows: Int  // steps * batch the caches hold

    /// Gate activations per step (steps*batch x 4H).
    private let gates: ScalarBuffer<Scalar>
    /// Hidden states h_{-1} ... h_{T-1} ((steps+1)*batch x H); block 0 is the zero initial state.
    private let hidden: ScalarBuffer<Scalar>
    /// Cell states, same layout as `hidden`.
    private let cells: ScalarBuffer<Scalar>
    /// tanh of each cell state (steps*batch x H).
    private let cellTanh: ScalarBuffer<Scalar>
    /// Gate-input gradients (steps*batch x 4H).
    private let gateGradients: ScalarBuffer<Scalar>
    private let dh: ScalarBuffer<Scalar>
    private let dc: ScalarBuffer<Scalar>

    var outputWidth: Int { units }

    init(inputWidth: Int, units: Int, returnSequences: Bool, offsets: (Int, Int, Int), maxBatch: Int, maxSteps: Int) {
        self.inputWidth = inputWidth
        self.units = units
        self.returnSequences = returnSequences
        (kernelOffset, recurrentOffset, biasOffset) = offsets
        capacityRows = maxBatch * maxSteps
        gates = ScalarBuffer(count: capacityRows * 4 * units)
        hidden = ScalarBuffer(count: (capacityRows + maxBatch) * units)
        cells = ScalarBuffer(count: (capacityRows + maxBatch) * units)
        cellTanh = ScalarBuffer(count: capacityRows * units)
        gateGradients = ScalarBuffer(count: capacityRows * 4 * units)
        dh = ScalarBuffer(count: maxBatch * units)
        dc = ScalarBuffer(count: maxBatch * units)
    }

    func outputSteps(_ steps: Int) -> Int { returnSequences ? steps : 1 }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, steps: Int, batch: Int,
                 output: UnsafeMutablePointer<Scalar>) {
        precondition(steps * batch <= capacityRows, "LSTM batch exceeds workspace")
        let h = units, g4 = 4 * units, rows = steps * batch
        let z = gates.pointer, hs = hidden.pointer, cs = cells.pointer, tc = cellTanh.pointer
        let bias = parameters + biasOffset
        // Input contribution for all steps at once: z = x W + b.
        for r in 0..<rows { (z + r * g4).update(from: bias, count: g4) }
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: g4, k: inputWidth, alpha: 1,
                    a: input, lda: inputWidth, b: parameters + kernelOffset, ldb: g4, beta: 1, c: z, ldc: g4)
        hs.update(repeating: 0, count: batch * h)
        cs.update(repeating: 0, count: batch * h)
        let u = parameters + recurrentOffset
        for t in 0..<steps {
            let zt = z + t * batch * g4
            let hPrev = hs + t * batch * h, cPrev = cs + t * batch * h
            let hNow = hs + (t + 1) * batch * h, cNow = cs + (t + 1) * batch * h
            let tcNow = tc + t * batch * h
            if t > 0 {  // h_{-1} = 0 contributes nothing
                Scalar.gemm(transposeA: false, transposeB: false, m: batch, n: g4, k: h, alpha: 1,
                            a: hPrev, lda: h, b: u, ldb: g4, beta: 1, c: zt, ldc: g4)
            }
            // All four gates through one long sigmoid pass: tanh(x) = 2 sigmoid(2x) - 1 for the candidate.
            for b in 0..<batch {
                let cand = zt + b * g4 + 2 * h
                for j in 0..<h { cand[j] *= 2 }
            }
            Scalar.sigmoidInPlace(zt, count: batch * g4)
            if Scalar.self == Float.self {  // eight lanes at a time (the compiler cannot prove these rows don't alias)
                let f = UnsafeMutableRawPointer(zt).assumingMemoryBound(to: Float.self)
                let fc = UnsafeMutableRawPointer(cs).assumingMemoryBound(to: Float.self)
                let fh = UnsafeMutableRawPointer(hs).assumingMemoryBound(to: Float.self)
                let ft = UnsafeMutableRawPointer(tc).assumingMemoryBound(to: Float.self)
                for b in 0..<batch {
                    LSTMCellVectors.combine(gates: f + b * g4, previousCell: fc + t * batch * h + b * h, cell: fc + (t + 1) * batch * h + b * h, units: h)
                }
                Scalar.tanh(cNow, into: tcNow, count: batch * h)
                for b in 0..<batch {
                    LSTMCellVectors.hidden(gates: f + b * g4, cellTanh: ft + t * batch * h + b * h, hidden: fh + (t + 1) * batch * h + b * h, units: h)
                }
                continue
            }
            for b in 0..<batch {
                let row = zt + b * g4, cp = cPrev + b * h, cn = cNow + b * h
                for j in 0..<h {
                    let g = 2 * row[2 * h + j] - 1
                    row[2 * h + j] = g
                    cn[j] = row[h + j] * cp[j] + row[j] * g
                }
            }
            Scalar.tanh(cNow, into: tcNow, count: batch * h)
            for b in 0..<batch {
                let row = zt + b * g4, hn = hNow + b * h, tcr = tcNow + b * h
                for j in 0..<h { hn[j] = row[3 * h + j] * tcr[j] }
            }
        }
        if returnSequences {
            output.update(from: hs + batch * h, count: rows * h)
        } else {
            output.update(from: hs + steps * batch * h, count: batch * h)
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, output: UnsafePointer<Scalar>,
                  steps: Int, batch: Int, outputGradient: UnsafeMutablePointer<Scalar>,
                  inputGradient: UnsafeMutablePointer<Scalar>?, gradients: UnsafeMutablePointer<Scalar>) {
        let h = units, g4 = 4 * units, rows = steps * batch
        let z = gates.pointer, cs = cells.pointer, tc = cellTanh.pointer, dz = gateGradients.pointer
        let dhp = dh.pointer, dcp = dc.pointer
        let u = parameters + recurrentOffset
        dhp.update(repeating: 0, count: batch * h)
        dcp.update(repeating: 0, count: batch * h)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            if returnSequences {
                let dy = outputGradient + t * batch * h
                for i in 0..<(batch * h) { dhp[i] += dy[i] }
            } else if t == steps - 1 {
                for i in 0..<(batch * h) { dhp[i] += outputGradient[i] }
            }
            let zt = z + t * batch * g4, dzt = dz + t * batch * g4
            let cPrev = cs + t * batch * h, tct = tc + t * batch * h
            for b in 0..<batch {
                Scalar.lstmCellBackward(gates: zt + b * g4, previousCell: cPrev + b * h, cellTanh: tct + b * h,
                                        hiddenGradient: dhp + b * h, cellGradient: dcp + b * h, gateGradients: dzt + b * g4, units: h)
            }
            if t > 0 {
                Scalar.gemm(transposeA: false, transposeB: true, m: batch, n: h, k: g4, alpha: 1,
                            a: dzt, lda: g4, b: u, ldb: g4, beta: 0, c: dhp, ldc: h)
            }
        }
        // Parameter gradients over all steps at once.
        Scalar.gemm(transposeA: true, transposeB: false, m: inputWidth, n: g4, k: rows, alpha: 1,
                    a: input, lda: inputWidth, b: dz, ldb: g4, beta: 1, c: gradients + kernelOffset, ldc: g4)
        if steps > 1 {  // h_{t-1} for t >= 1 are hidden blocks 1 ... T-1 (block 0 is zero)
            Scalar.gemm(transposeA: true, transposeB: false, m: h, n: g4, k: (steps - 1) * batch, alpha: 1,
                        a: hidden.pointer + batch * h, lda: h, b: dz + batch * g4, ldb: g4, beta: 1,
                        c: gradients + recurrentOffset, ldc: g4)
        }
        let db = gradients + biasOffset
        for r in 0..<rows {
            let row = dz + r * g4
            for j in 0..<g4 { db[j] += row[j] }
        }
        if let dx = inputGradient {
            Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: inputWidth, k: g4, alpha: 1,
                        a: dz, lda: g4, b: parameters + kernelOffset, ldb: g4, beta: 0, c: dx, ldc: inputWidth)
        }
    }
}

/// The element-wise steps of the LSTM cell after the gate sigmoids, eight units at a time (same operations
/// as the scalar loops, so the same results).
enum LSTMCellVectors {
    typealias V = SIMD8<Float>
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// Candidate g = 2 s - 1 from its sigmoid s (written back), then cell = f * previousCell + i * g.
    static func combine(gates row: UnsafeMutablePointer<Float>, previousCell cp: UnsafePointer<Float>, cell cn: UnsafeMutablePointer<Float>, units h: Int) {
        var j = 0
        while j + 8 <= h {
            let g = 2 * load(row + 2 * h + j) - 1
            store(g, row + 2 * h + j)
            store(load(row + h + j) * load(cp + j) + load(row + j) * g, cn + j)
            j += 8
        }
        while j < h {
            let g = 2 * row[2 * h + j] - 1
            row[2 * h + j] = g
            cn[j] = row[h + j] * cp[j] + row[j] * g
            j += 1
        }
    }

    /// hidden = o * tanh(cell).
    static func hidden(gates row: UnsafePointer<Float>, cellTanh tc: UnsafePointer<Float>, hidden hn: UnsafeMutablePointer<Float>, units h: Int) {
        var j = 0
        while j + 8 <= h {
            store(load(row + 3 * h + j) * load(tc + j), hn + j)
            j += 8
        }
        while j < h {
            hn[j] = row[3 * h + j] * tc[j]
            j += 1
        }
    }
}
