import Foundation

/// Accuracies of the paper's baseline and two trivial predictors on held-out songs.
public struct BaselineResult: Sendable {
    /// Songs used for training / testing.
    public var trainingSongs: Int
    /// Held-out songs.
    public var testSongs: Int
    /// Training examples.
    public var trainingSamples: Int
    /// Test examples.
    public var testSamples: Int
    /// Top-1 accuracy of the softmax regression on test songs (0 ... 1).
    public var logisticAccuracy: Double
    /// Accuracy of always predicting the most frequent training pitch.
    public var majorityAccuracy: Double
    /// The most frequent training pitch.
    public var majorityNote: Int
    /// Accuracy of predicting the previous note again.
    public var repeatLastAccuracy: Double
    /// The paper's reported logistic-regression accuracy (6.21 %).
    public static let paperAccuracy = 0.0621
}

/// The paper's baseline: multinomial logistic (softmax) regression predicting the next pitch (128 classes)
/// from the previous `context` pitches as standardised numbers, trained by mini-batch Adam on a song-level split.
public struct NoteBaseline {
    /// Previous notes used as inputs (10 in the paper).
    public var context: Int
    /// Training epochs.
    public var epochs: Int
    /// Seed of the split and shuffling.
    public var seed: UInt64

    /// Creates a baseline.
    public init(context: Int = 10, epochs: Int = 10, seed: UInt64 = 1) {
        self.context = context
        self.epochs = epochs
        self.seed = seed
    }

    /// (inputs, labels) of all windows of the songs' pitch sequences.
    func samples(_ songs: [CorpusSong]) -> (x: [Float], y: [Int32]) {
        var x: [Float] = [], y: [Int32] = []
        for s in songs {
            let notes = s.frames.map { Float($0.note) }
            guard notes.count > context else { continue }
            for i in context..<notes.count {
                x += notes[(i - context)..<i]
                y.append(Int32(notes[i]))
            }
        }
        return (x, y)
    }

    /// Splits `corpus` by song (`testFraction` held out), trains and scores.
    public func run(corpus: Corpus, testFraction: Double) -> BaselineResult {
        let (trainSongs, testSongs) = corpus.split(validationFraction: testFraction, seed: seed)
        let model = fit(trainSongs)
        let params = model.parameters, mean = Double(model.mean), scale = model.scale
        var (xTest, yTest) = samples(testSongs)
        let c = context, classes = 128
        for i in xTest.indices { xTest[i] = (xTest[i] - Float(mean)) / scale }
        let batch = 256
        var logits = [Float](repeating: 0, count: batch * classes)
        var xb = [Float](repeating: 0, count: batch * c)
        // Score on test songs.
        var correct = 0
        var start = 0
        let nt = yTest.count
        while start < nt {
            let m = min(batch, nt - start)
            for r in 0..<m { for k in 0..<c { xb[r * c + k] = xTest[(start + r) * c + k] } }
            forward(params, xb, m, &logits)
            for r in 0..<m {
                var best = 0
                for j in 1..<classes where logits[r * classes + j] > logits[r * classes + best] { best = j }
                if best == Int(yTest[start + r]) { correct += 1 }
            }
            start += m
        }
        let majority = model.majorityNote
        let majorityHits = yTest.filter { Int($0) == majority }.count
        var repeatHits = 0
        for (i, y) in yTest.enumerated() {
            let last = xTest[i * c + c - 1] * scale + Float(mean)
            if Int32(last.rounded()) == y { repeatHits += 1 }
        }
        let d = Double(max(nt, 1))
        return BaselineResult(trainingSongs: trainSongs.count, testSongs: testSongs.count, trainingSamples: model.trainingSamples, testSamples: nt,
                              logisticAccuracy: Double(correct) / d, majorityAccuracy: Double(majorityHits) / d, majorityNote: majority,
                              repeatLastAccuracy: Double(repeatHits) / d)
    }

    /// Trains the regression on all windows of `songs` (standardised with their statistics) by mini-batch Adam.
    public func fit(_ songs: [CorpusSong]) -> NoteBaselineModel {
        var (xTrain, yTrain) = samples(songs)
        let c = context, classes = 128
        // Standardise with training statistics (all inputs are pitches: one mean and scale).
        let mean = xTrain.isEmpty ? 0 : Double(xTrain.reduce(0, +)) / Double(xTrain.count)
        let variance = xTrain.isEmpty ? 1 : xTrain.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(xTrain.count)
        let scale = Float(max(variance.squareRoot(), 1e-6))
        for i in xTrain.indices { xTrain[i] = (xTrain[i] - Float(mean)) / scale }

        // Parameters: W (c x 128) then b (128).
        let nParams = c * classes + classes
        var params = [Float](repeating: 0, count: nParams)
        var optimizer = Optimizer(kind: .adam, learningRate: 0.01, parameterCount: nParams)
        var g = SeededGenerator(seed: seed)
        let n = yTrain.count, batch = 256
        var grads = [Float](repeating: 0, count: nParams)
        var logits = [Float](repeating: 0, count: batch * classes)
        var xb = [Float](repeating: 0, count: batch * c)
        var order = Array(0..<n)
        if n > 0 {
            for _ in 0..<epochs {
                for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(g.next() % UInt64(i + 1))) }
                var start = 0
                while start < n {
                    let m = min(batch, n - start)
                    for r in 0..<m {
                        let s = order[start + r]
                        for k in 0..<c { xb[r * c + k] = xTrain[s * c + k] }
                    }
                    forward(params, xb, m, &logits)
                    // Softmax minus one-hot, divided by the batch size.
                    for r in 0..<m {
                        softmaxRow(&logits, r * classes)
                        logits[r * classes + Int(yTrain[order[start + r]])] -= 1
                    }
                    let inv = 1 / Float(m)
                    grads.withUnsafeMutableBufferPointer { gp in
                        xb.withUnsafeBufferPointer { xp in
                            logits.withUnsafeBufferPointer { lp in
                                Float.gemm(transposeA: true, transposeB: false, m: c, n: classes, k: m, alpha: inv, a: xp.baseAddress!, lda: c,
                                           b: lp.baseAddress!, ldb: classes, beta: 0, c: gp.baseAddress!, ldc: classes)
                                for j in 0..<classes {
                                    var s: Float = 0
                                    for r in 0..<m { s += lp[r * classes + j] }
                                    gp[c * classes + j] = s * inv
                                }
                            }
                        }
                    }
                    params.withUnsafeMutableBufferPointer { p in
                        grads.withUnsafeBufferPointer { optimizer.update(p.baseAddress!, gradients: $0.baseAddress!, count: nParams) }
                    }
                    start += m
                }
            }
        }
        var counts = [Int](repeating: 0, count: classes)
        for y in yTrain { counts[Int(y)] += 1 }
        let majority = counts.indices.max { counts[$0] < counts[$1] } ?? 60
        return NoteBaselineModel(context: c, mean: Float(mean), scale: scale, parameters: params, majorityNote: majority, trainingSamples: n)
    }

    private func forward(_ params: [Float], _ x: [Float], _ m: Int, _ logits: inout [Float]) {
        let c = context, classes = 128
        params.withUnsafeBufferPointer { p in
            x.withUnsafeBufferPointer { xp in
                logits.withUnsafeMutableBufferPointer { lp in
                    for r in 0..<m { for j in 0..<classes { lp[r * classes + j] = p[c * classes + j] } }
                    Float.gemm(transposeA: false, transposeB: false, m: m, n: classes, k: c, alpha: 1, a: xp.baseAddress!, lda: c,
                               b: p.baseAddress!, ldb: classes, beta: 1, c: lp.baseAddress!, ldc: classes)
                }
            }
        }
    }

    private func softmaxRow(_ l: inout [Float], _ o: Int) {
        var mx = l[o]
        for j in 1..<128 { mx = max(mx, l[o + j]) }
        var s: Float = 0
        for j in 0..<128 { let e = Foundation.exp(l[o + j] - mx); l[o + j] = e; s += e }
        for j in 0..<128 { l[o + j] /= s }
    }
}
