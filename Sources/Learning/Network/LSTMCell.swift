/// The arithmetic of one Keras LSTM layer, shared by the windowed training kernel (``LSTMKernel``) and the
/// batch-1 ``NetworkStepper``: the gate pre-activations z = x W + b, then per step z += h U, gates i, f, c~, o
/// (sigmoid, sigmoid, tanh, sigmoid), c' = f c + i c~, h' = o tanh(c').
///
/// Holds only the layer's shape and where its weights live in the flat parameter vector; every buffer is the caller's.
struct LSTMCell: Sendable, Hashable {
    /// Features per input row.
    let inputWidth: Int
    /// Hidden units (the width of h and c; the gates are 4 x units wide).
    let units: Int
    /// Offset of W (inputWidth x 4 units) in the parameters.
    let kernelOffset: Int
    /// Offset of U (units x 4 units).
    let recurrentOffset: Int
    /// Offset of b (4 units).
    let biasOffset: Int

    /// The cell of layer `index` of `layout`, reading `inputWidth` features.
    init(layer index: Int, inputWidth: Int, units: Int, layout: ParameterLayout) {
        let t = layout.tensors(ofLayer: index)
        precondition(t.count == 3 && t[0].columns == 4 * units, "layer \(index) is not an LSTM of \(units) units")
        self.inputWidth = inputWidth
        self.units = units
        (kernelOffset, recurrentOffset, biasOffset) = (t[0].offset, t[1].offset, t[2].offset)
    }

    /// Writes the input part of the gate pre-activations, z = x W + b, for `rows` input rows (`rows` x 4 units).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func project<Scalar: NeuralScalar>(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, rows: Int,
                                       gates z: UnsafeMutablePointer<Scalar>) {
        let g4 = 4 * units
        for r in 0..<rows { (z + r * g4).update(from: parameters + biasOffset, count: g4) }
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: g4, k: inputWidth, alpha: 1,
                    a: input, lda: inputWidth, b: parameters + kernelOffset, ldb: g4, beta: 1, c: z, ldc: g4)
    }

    /// As ``project(parameters:input:rows:gates:)`` for one row, adding only the rows of W whose input is not zero:
    /// a stepped frame is mostly one-hot blocks (pitch class, metre, style, key), so this reads a fraction of W.
    /// Same sum as the dense product up to float rounding (terms are added in input order).
    func projectSparse(parameters: UnsafePointer<Float>, input: UnsafePointer<Float>, gates z: UnsafeMutablePointer<Float>) {
        let g4 = 4 * units
        z.update(from: parameters + biasOffset, count: g4)
        let w = parameters + kernelOffset
        for i in 0..<inputWidth {
            let v = input[i]
            if v == 0 { continue }
            LSTMCellVectors.addScaled(w + i * g4, by: v, into: z, count: g4)
        }
    }

    /// One time step for `batch` rows: adds h U to the projected gates `z` (nothing for a nil `previousHidden`, the
    /// zero state), activates them (in place: `z` then holds i, f, c~, o), and writes the new cell, its tanh and the
    /// new hidden state. `cell` may be `previousCell` and `hidden` may be `previousHidden` (updated in place).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step<Scalar: NeuralScalar>(parameters: UnsafePointer<Scalar>, gates z: UnsafeMutablePointer<Scalar>,
                                    previousHidden: UnsafePointer<Scalar>?, previousCell: UnsafePointer<Scalar>,
                                    cell: UnsafeMutablePointer<Scalar>, cellTanh: UnsafeMutablePointer<Scalar>,
                                    hidden: UnsafeMutablePointer<Scalar>, batch: Int) {
        let h = units, g4 = 4 * units
        if let previousHidden {
            Scalar.gemm(transposeA: false, transposeB: false, m: batch, n: g4, k: h, alpha: 1,
                        a: previousHidden, lda: h, b: parameters + recurrentOffset, ldb: g4, beta: 1, c: z, ldc: g4)
        }
        // All four gates through one long sigmoid pass: tanh(x) = 2 sigmoid(2x) - 1 for the candidate.
        for b in 0..<batch {
            let cand = z + b * g4 + 2 * h
            for j in 0..<h { cand[j] *= 2 }
        }
        Scalar.sigmoidInPlace(z, count: batch * g4)
        if Scalar.self == Float.self {  // eight lanes at a time (the compiler cannot prove these rows don't alias)
            let f = UnsafeMutableRawPointer(z).assumingMemoryBound(to: Float.self)
            let cp = UnsafeRawPointer(previousCell).assumingMemoryBound(to: Float.self)
            let cn = UnsafeMutableRawPointer(cell).assumingMemoryBound(to: Float.self)
            for b in 0..<batch { LSTMCellVectors.combine(gates: f + b * g4, previousCell: cp + b * h, cell: cn + b * h, units: h) }
            Scalar.tanh(cell, into: cellTanh, count: batch * h)
            let tc = UnsafeRawPointer(cellTanh).assumingMemoryBound(to: Float.self)
            let hn = UnsafeMutableRawPointer(hidden).assumingMemoryBound(to: Float.self)
            for b in 0..<batch { LSTMCellVectors.hidden(gates: f + b * g4, cellTanh: tc + b * h, hidden: hn + b * h, units: h) }
            return
        }
        for b in 0..<batch {
            let row = z + b * g4, cp = previousCell + b * h, cn = cell + b * h
            for j in 0..<h {
                let g = 2 * row[2 * h + j] - 1
                row[2 * h + j] = g
                cn[j] = row[h + j] * cp[j] + row[j] * g
            }
        }
        Scalar.tanh(cell, into: cellTanh, count: batch * h)
        for b in 0..<batch {
            let row = z + b * g4, hn = hidden + b * h, tcr = cellTanh + b * h
            for j in 0..<h { hn[j] = row[3 * h + j] * tcr[j] }
        }
    }
}

/// The element-wise steps of the LSTM cell after the gate sigmoids, eight units at a time (same operations
/// as the scalar loops, so the same results). Each unit is read before it is written, so in place is allowed.
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

    /// z += v * row over `count` values.
    static func addScaled(_ row: UnsafePointer<Float>, by v: Float, into z: UnsafeMutablePointer<Float>, count: Int) {
        let s = V(repeating: v)
        var j = 0
        while j + 8 <= count {
            store(load(z + j) + s * load(row + j), z + j)
            j += 8
        }
        while j < count {
            z[j] += v * row[j]
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
