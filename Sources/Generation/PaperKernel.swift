import Learning

/// A single-sequence forward pass of an LSTM -> Dense... network (the paper's shape), written for
/// generation: batch 1, no BLAS calls, contiguous weights copied once, every loop over contiguous
/// Float32 rows so the compiler vectorises it, and no allocation per step.
///
/// Computes what ``Predictor`` computes (Keras LSTM gates i, f, c, o; sigmoid / tanh), on standardised values.
final class PaperKernel {
    let lookBack: Int
    let inputWidth: Int
    let units: Int
    private let lstmKernel: UnsafeMutablePointer<Float>      // inputWidth x 4u
    private let lstmRecurrent: UnsafeMutablePointer<Float>   // u x 4u
    private let lstmBias: UnsafeMutablePointer<Float>        // 4u
    private let dense: [(kernel: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>, input: Int, output: Int, activation: Activation)]
    private let z: UnsafeMutablePointer<Float>
    private let h: UnsafeMutablePointer<Float>
    private let c: UnsafeMutablePointer<Float>
    private let tc: UnsafeMutablePointer<Float>
    private let a: UnsafeMutablePointer<Float>
    private let b: UnsafeMutablePointer<Float>
    /// Standardised input: lookBack rows of inputWidth.
    let input: UnsafeMutablePointer<Float>
    /// Output of the last layer after ``forward()``.
    private(set) var output: UnsafeMutablePointer<Float>
    let outputWidth: Int

    /// The kernel for a network of one LSTM (last step only) followed by dense layers, or nil for any other shape.
    init?(network: Network<Float>) {
        let arch = network.architecture
        guard case .lstm(let u, false)? = arch.layers.first, arch.layers.count >= 2 else { return nil }
        let layout = network.layout
        func tensor(_ name: String) -> UnsafeMutablePointer<Float>? {
            guard let t = layout.tensors.first(where: { $0.name == name }) else { return nil }
            let p = UnsafeMutablePointer<Float>.allocate(capacity: t.count)
            network.parameters.withUnsafeBufferPointer { p.initialize(from: $0.baseAddress! + t.offset, count: t.count) }
            return p
        }
        var denseLayers: [(UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int, Int, Activation)] = []
        var width = u
        for (index, spec) in arch.layers.enumerated().dropFirst() {
            guard case .dense(let units, let activation) = spec,
                  let k = tensor("layer\(index).dense.kernel"), let bias = tensor("layer\(index).dense.bias") else { return nil }
            denseLayers.append((k, bias, width, units, activation))
            width = units
        }
        guard let k = tensor("layer0.lstm.kernel"), let r = tensor("layer0.lstm.recurrent_kernel"), let bias = tensor("layer0.lstm.bias") else {
            return nil
        }
        lookBack = arch.lookBack
        inputWidth = arch.inputWidth
        units = u
        lstmKernel = k
        lstmRecurrent = r
        lstmBias = bias
        dense = denseLayers.map { (kernel: $0.0, bias: $0.1, input: $0.2, output: $0.3, activation: $0.4) }
        let widest = max(u, denseLayers.map(\.3).max() ?? 0)
        z = .allocate(capacity: 4 * u)
        h = .allocate(capacity: u)
        c = .allocate(capacity: u)
        tc = .allocate(capacity: u)
        a = .allocate(capacity: widest)
        b = .allocate(capacity: widest)
        input = .allocate(capacity: arch.lookBack * arch.inputWidth)
        input.initialize(repeating: 0, count: arch.lookBack * arch.inputWidth)
        output = a
        outputWidth = width
    }

    deinit {
        for p in [lstmKernel, lstmRecurrent, lstmBias, z, h, c, tc, a, b, input] { p.deallocate() }
        for d in dense { d.kernel.deallocate(); d.bias.deallocate() }
    }

    /// Runs the network on ``input``; the result is at ``output`` (``outputWidth`` values).
    func forward() {
        let u = units, g = 4 * u
        h.update(repeating: 0, count: u)
        c.update(repeating: 0, count: u)
        for t in 0..<lookBack {
            z.update(from: lstmBias, count: g)
            Self.addProduct(z, input + t * inputWidth, lstmKernel, rows: inputWidth, columns: g)
            if t > 0 { Self.addProduct(z, h, lstmRecurrent, rows: u, columns: g) }
            // Gates i, f, o through the sigmoid, the candidate through tanh: separate flat loops vectorise.
            for j in 0..<(2 * u) { z[j] = Self.sigmoid(z[j]) }
            for j in (3 * u)..<g { z[j] = Self.sigmoid(z[j]) }
            for j in (2 * u)..<(3 * u) { z[j] = Self.tanh(z[j]) }
            for j in 0..<u { c[j] = z[u + j] * c[j] + z[j] * z[2 * u + j] }
            for j in 0..<u { tc[j] = Self.tanh(c[j]) }
            for j in 0..<u { h[j] = z[3 * u + j] * tc[j] }
        }
        var src = h, dst = a
        for d in dense {
            dst.update(from: d.bias, count: d.output)
            Self.addProduct(dst, src, d.kernel, rows: d.input, columns: d.output)
            switch d.activation {
            case .linear: break
            case .relu: for j in 0..<d.output { dst[j] = max(0, dst[j]) }
            case .tanh: for j in 0..<d.output { dst[j] = Self.tanh(dst[j]) }
            }
            src = dst
            dst = dst == a ? b : a
        }
        output = src
    }

    /// y += x M for a row vector x (`rows` values) and a row-major matrix M (`rows` x `columns`): the
    /// columns in blocks of 32 held in registers across all rows, then blocks of 8, then one at a time.
    @inline(__always)
    static func addProduct(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                           rows: Int, columns: Int) {
        typealias V = SIMD8<Float>
        var col = 0
        while col + 32 <= columns {
            let out = UnsafeMutableRawPointer(y + col)
            var a0 = out.loadUnaligned(fromByteOffset: 0, as: V.self), a1 = out.loadUnaligned(fromByteOffset: 32, as: V.self)
            var a2 = out.loadUnaligned(fromByteOffset: 64, as: V.self), a3 = out.loadUnaligned(fromByteOffset: 96, as: V.self)
            for k in 0..<rows {
                let xk = x[k]
                let row = UnsafeRawPointer(m + k * columns + col)
                a0 = a0.addingProduct(xk, row.loadUnaligned(fromByteOffset: 0, as: V.self))
                a1 = a1.addingProduct(xk, row.loadUnaligned(fromByteOffset: 32, as: V.self))
                a2 = a2.addingProduct(xk, row.loadUnaligned(fromByteOffset: 64, as: V.self))
                a3 = a3.addingProduct(xk, row.loadUnaligned(fromByteOffset: 96, as: V.self))
            }
            out.storeBytes(of: a0, toByteOffset: 0, as: V.self)
            out.storeBytes(of: a1, toByteOffset: 32, as: V.self)
            out.storeBytes(of: a2, toByteOffset: 64, as: V.self)
            out.storeBytes(of: a3, toByteOffset: 96, as: V.self)
            col += 32
        }
        while col + 8 <= columns {
            let out = UnsafeMutableRawPointer(y + col)
            var a = out.loadUnaligned(as: V.self)
            for k in 0..<rows { a = a.addingProduct(x[k], UnsafeRawPointer(m + k * columns + col).loadUnaligned(as: V.self)) }
            out.storeBytes(of: a, as: V.self)
            col += 8
        }
        while col < columns {
            var a = y[col]
            for k in 0..<rows { a += x[k] * m[k * columns + col] }
            y[col] = a
            col += 1
        }
    }

    /// e^x for Float: Cephes-style range reduction x = n ln 2 + r and a degree-6 polynomial (relative error ~2e-7).
    @inline(__always)
    static func exp(_ xIn: Float) -> Float {
        let x = min(max(xIn, -87), 88)
        let shift: Float = 12_582_912  // 1.5 * 2^23: adding it rounds to an integer
        let k = x * 1.442_695_04 + shift
        let n = k - shift
        let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * r * r + r + 1
        return p * Float(bitPattern: (k.bitPattern &- shift.bitPattern &+ 127) &<< 23)
    }

    /// The logistic function.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    /// tanh through exp, with an odd series near 0 (where 1 - e^-2|x| would cancel).
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let ax = abs(x)
        let e = exp(-2 * ax)
        let t = (1 - e) / (1 + e)
        let x2 = x * x
        let small = x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 + x2 * (-17.0 / 315))))
        return ax < 0.0625 ? small : (x < 0 ? -t : t)
    }
}
