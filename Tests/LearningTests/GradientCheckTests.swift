import XCTest
@testable import Learning

/// Back-propagation against central finite differences, in double precision, for every layer and loss.
final class GradientCheckTests: XCTestCase {
    /// Checks d loss / d parameter and d loss / d input for a network and loss.
    func checkGradients(_ arch: Architecture, loss: FeatureLoss, batch: Int = 4, seed: UInt64 = 7, dropout: DropoutMask? = nil, file: StaticString = #filePath, line: UInt = #line) {
        var g = SeededGenerator(seed: seed)
        var net = Network<Double>(architecture: arch, generator: &g)
        // Perturb biases away from zero so every path is exercised.
        for i in net.parameters.indices { net.parameters[i] += 0.1 * (g.nextUnit() - 0.5) }
        let worker = NetworkWorker<Double>(architecture: arch, maxBatch: batch)
        let n = arch.lookBack * batch * arch.inputWidth
        let input = (0..<n).map { _ in g.nextNormal() }
        let target = (0..<(batch * arch.outputWidth)).map { _ in g.nextNormal() }

        func lossValue(_ params: [Double]) -> Double {
            for i in 0..<n { worker.input[i] = input[i] }
            return params.withUnsafeBufferPointer { p in
                worker.forward(parameters: p.baseAddress!, batch: batch, dropout: dropout)
                return target.withUnsafeBufferPointer {
                    loss.evaluate(output: worker.output, target: $0.baseAddress!, batch: batch, normalizer: Double(batch), gradient: nil).total
                }
            }
        }
        for i in 0..<n { worker.input[i] = input[i] }
        net.parameters.withUnsafeBufferPointer { p in
            worker.forward(parameters: p.baseAddress!, batch: batch, dropout: dropout)
            _ = target.withUnsafeBufferPointer {
                loss.evaluate(output: worker.output, target: $0.baseAddress!, batch: batch, normalizer: Double(batch), gradient: worker.outputGradient)
            }
            worker.zeroGradients()
            worker.backward(parameters: p.baseAddress!, batch: batch)
        }
        let analytic = (0..<net.parameterCount).map { worker.gradients[$0] }
        var worst = 0.0, worstName = ""
        let h = 1e-6
        for t in net.layout.tensors {
            // Every entry of small tensors; a strided sample (still covering every gate block) of large ones.
            let stride = t.count > 600 ? 5 : 1
            for k in Swift.stride(from: 0, to: t.count, by: stride) {
                let i = t.offset + k
                var plus = net.parameters, minus = net.parameters
                plus[i] += h; minus[i] -= h
                let numeric = (lossValue(plus) - lossValue(minus)) / (2 * h)
                let err = abs(numeric - analytic[i]) / max(1e-3, abs(numeric) + abs(analytic[i]))
                if err > worst { worst = err; worstName = "\(t.name)[\(k)] numeric \(numeric) analytic \(analytic[i])" }
            }
        }
        XCTAssertLessThan(worst, 1e-5, "worst gradient mismatch: \(worstName)", file: file, line: line)
    }

    func testPaperNetworkWithMSE() {
        checkGradients(.paper, loss: FeatureLoss(mode: .mse, noteScale: 1))
    }

    func testPaperNetworkWithMusicalNoteLoss() {
        checkGradients(.paper, loss: FeatureLoss(mode: .musical, noteScale: 5))
    }

    func testPaperNetworkWithPolynomialNoteLoss() {
        checkGradients(.paper, loss: FeatureLoss(mode: .polynomial, noteScale: 3))
    }

    /// Stacked LSTMs returning sequences, tanh and relu dense layers, longer look-back: the deeper models' shapes.
    func testStackedLSTMAndDenseActivations() {
        let arch = Architecture(name: "deep", lookBack: 5, inputWidth: 3, layers: [
            .lstm(units: 6, returnSequences: true), .lstm(units: 5, returnSequences: false),
            .dense(units: 4, activation: .tanh), .dense(units: 4, activation: .relu), .dense(units: 3, activation: .linear),
        ])
        checkGradients(arch, loss: FeatureLoss(mode: .mse, noteScale: 1), batch: 3)
    }

    /// Dropout after the LSTM layers with a fixed mask (the same key on every pass) keeps the gradients exact.
    func testPaperNetworkWithDropout() {
        checkGradients(.paper, loss: FeatureLoss(mode: .musical, noteScale: 5), dropout: DropoutMask(rate: 0.4, key: 77))
    }

    /// Dropout between stacked LSTMs (on every step of a sequence) and before the dense head.
    func testStackedLSTMWithDropout() {
        let arch = Architecture(name: "deep", lookBack: 4, inputWidth: 3, layers: [
            .lstm(units: 6, returnSequences: true), .lstm(units: 5, returnSequences: false), .dense(units: 3, activation: .linear),
        ])
        checkGradients(arch, loss: FeatureLoss(mode: .mse, noteScale: 1), batch: 3, dropout: DropoutMask(rate: 0.3, key: 5, firstSample: 2))
    }

    /// The note-loss curves' analytic derivatives against finite differences.
    func testNoteLossCurveDerivatives() {
        for curve in [NoteLossCurve.fittedFourier(), .fittedPolynomial()] {
            for d in stride(from: -30.0, through: 30.0, by: 0.37) where abs(abs(d) - 24) > 0.01 {
                let h = 1e-6
                let numeric = (curve.value(d + h) - curve.value(d - h)) / (2 * h)
                // The degree-20 polynomial's large alternating coefficients limit finite-difference accuracy.
                let tolerance = curve.kind == .fourier ? 1e-6 : 1e-3
                XCTAssertEqual(curve.derivative(d), numeric, accuracy: tolerance * max(1, abs(numeric)), "\(curve.kind) at \(d)")
            }
        }
    }
}
