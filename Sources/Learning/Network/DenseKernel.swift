/// Dense layer y = activation(x W + b) on every row; W is (inputs x units) as in Keras.
final class DenseKernel<Scalar: NeuralScalar>: LayerKernel {
    let inputWidth: Int
    let outputWidth: Int
    let activation: Activation
    let kernelOffset: Int
    let biasOffset: Int

    init(inputWidth: Int, units: Int, activation: Activation, kernelOffset: Int, biasOffset: Int) {
        self.inputWidth = inputWidth
        self.outputWidth = units
        self.activation = activation
        self.kernelOffset = kernelOffset
        self.biasOffset = biasOffset
    }

    /// The kernel of layer `index` of `layout`, reading `inputWidth` features.
    convenience init(layer index: Int, inputWidth: Int, units: Int, activation: Activation, layout: ParameterLayout) {
        let t = layout.tensors(ofLayer: index)
        precondition(t.count == 2 && t[0].columns == units, "layer \(index) is not a dense layer of \(units) units")
        self.init(inputWidth: inputWidth, units: units, activation: activation, kernelOffset: t[0].offset, biasOffset: t[1].offset)
    }

    func outputSteps(_ steps: Int) -> Int { steps }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, steps: Int, batch: Int,
                 output: UnsafeMutablePointer<Scalar>) {
        let rows = steps * batch, n = outputWidth
        let bias = parameters + biasOffset
        for r in 0..<rows { (output + r * n).update(from: bias, count: n) }
        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: n, k: inputWidth, alpha: 1,
                    a: input, lda: inputWidth, b: parameters + kernelOffset, ldb: n, beta: 1, c: output, ldc: n)
        switch activation {
        case .linear: break
        case .relu: for i in 0..<(rows * n) where output[i] < 0 { output[i] = 0 }
        case .tanh: Scalar.tanhInPlace(output, count: rows * n)
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backward(parameters: UnsafePointer<Scalar>, input: UnsafePointer<Scalar>, output: UnsafePointer<Scalar>,
                  steps: Int, batch: Int, outputGradient dy: UnsafeMutablePointer<Scalar>,
                  inputGradient: UnsafeMutablePointer<Scalar>?, gradients: UnsafeMutablePointer<Scalar>) {
        let rows = steps * batch, n = outputWidth
        switch activation {
        case .linear: break
        case .relu: for i in 0..<(rows * n) where output[i] <= 0 { dy[i] = 0 }
        case .tanh: for i in 0..<(rows * n) { dy[i] *= 1 - output[i] * output[i] }
        }
        Scalar.gemm(transposeA: true, transposeB: false, m: inputWidth, n: n, k: rows, alpha: 1,
                    a: input, lda: inputWidth, b: dy, ldb: n, beta: 1, c: gradients + kernelOffset, ldc: n)
        let db = gradients + biasOffset
        for r in 0..<rows {
            let row = dy + r * n
            for j in 0..<n { db[j] += row[j] }
        }
        if let dx = inputGradient {
            Scalar.gemm(transposeA: false, transposeB: true, m: rows, n: inputWidth, k: n, alpha: 1,
                        a: dy, lda: n, b: parameters + kernelOffset, ldb: n, beta: 0, c: dx, ldc: inputWidth)
        }
    }
}
