/// Keras-compatible LSTM over windows: z = x W + b for every step at once, then per step the shared cell
/// arithmetic of ``LSTMCell`` (gates i, f, c~, o; c' = f c + i c~, h' = o tanh(c')); zero initial state.
/// Forward pass plus back-propagation through time, with the caches between them.
final class LSTMKernel<Scalar: NeuralScalar>: LayerKernel {
    /// The layer's shape and weight offsets, and the step arithmetic.
    let cell: LSTMCell
    let returnSequences: Bool
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

    /// Stateful mode (truncated BPTT): the forward pass starts from the state in hidden/cell block 0 (set by
    /// ``resetState(batch:)`` or ``carryState(steps:batch:keeping:)``) instead of zero, and the backward pass adds the
    /// recurrent-weight gradient of the first step; no gradient flows into the carried state (truncation).
    var carriesState = false

    var inputWidth: Int { cell.inputWidth }
    var units: Int { cell.units }
    var outputWidth: Int { cell.units }

    init(cell: LSTMCell, returnSequences: Bool, maxBatch: Int, maxSteps: Int) {
        self.cell = cell
        self.returnSequences = returnSequences
        let units = cell.units
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
        cell.project(parameters: parameters, input: input, rows: rows, gates: z)  // every step at once
        if !carriesState {
            hs.update(repeating: 0, count: batch * h)
            cs.update(repeating: 0, count: batch * h)
        }
        for t in 0..<steps {
            let block = t * batch * h
            cell.step(parameters: parameters, gates: z + t * batch * g4, previousHidden: t > 0 || carriesState ? UnsafePointer(hs + block) : nil,
                      previousCell: cs + block, cell: cs + block + batch * h, cellTanh: tc + block,
                      hidden: hs + block + batch * h, batch: batch)
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
        let u = parameters + cell.recurrentOffset
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
                    a: input, lda: inputWidth, b: dz, ldb: g4, beta: 1, c: gradients + cell.kernelOffset, ldc: g4)
        if carriesState {  // h_{t-1} for every t: hidden blocks 0 ... T-1 (block 0 is the carried state)
            Scalar.gemm(transposeA: true, transposeB: false, m: h, n: g4, k: steps * batch, alpha: 1,
                        a: hidden.pointer, lda: h, b: dz, ldb: g4, beta: 1,
                        c: gradients + cell.recurrentOffset, ldc: g4)
        } else if steps > 1 {  // h_{t-1} for t >= 1 are hidden blocks 1 ... T-1 (block 0 is zero)
            Scalar.gemm(transposeA: true, transposeB: false, m: h, n: g4, k: (steps - 1) * batch, alpha: 1,
                        a: hidden.pointer + batch * h, lda: h, b: dz + batch * g4, ldb: g4, beta: 1,
                        c: gradients + cell.recurrentOffset, ldc: g4)
        }
        let db = gradients + cell.biasOffset
        for r in 0..<rows {
            let row = dz + r * g4
            for j in 0..<g4 { db[j] += row[j] }
        }
        if let dx = inputGradient {
            Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: inputWidth, k: g4, alpha: 1,
                        a: dz, lda: g4, b: parameters + cell.kernelOffset, ldb: g4, beta: 0, c: dx, ldc: inputWidth)
        }
    }

    /// Sets the initial state (block 0) of the first `batch` rows to zero: the start of a song.
    func resetState(batch: Int) {
        hidden.pointer.update(repeating: 0, count: batch * units)
        cells.pointer.update(repeating: 0, count: batch * units)
    }

    /// Moves the final state of the last forward pass (`steps` steps of `batch` rows) into block 0, keeping the first
    /// `keeping` rows (rows are songs; songs that ended are the last rows, so the state of those continuing is a prefix).
    func carryState(steps: Int, batch: Int, keeping: Int) {
        let n = min(keeping, batch) * units
        guard steps > 0, n > 0 else { return }
        hidden.pointer.update(from: hidden.pointer + steps * batch * units, count: n)
        cells.pointer.update(from: cells.pointer + steps * batch * units, count: n)
    }

    /// The state block 0 holds (h then c of the first `batch` rows), for tests and state inspection.
    func initialState(batch: Int) -> (hidden: [Scalar], cell: [Scalar]) {
        (Array(UnsafeBufferPointer(start: hidden.pointer, count: batch * units)), Array(UnsafeBufferPointer(start: cells.pointer, count: batch * units)))
    }
}
