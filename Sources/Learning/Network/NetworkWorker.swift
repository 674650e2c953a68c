/// One thread's workspace for a network: its layer kernels with their caches, activation buffers,
/// the batch input and output-gradient buffers, and a parameter-gradient accumulator.
///
/// Allocated once for a maximum batch size and reused for every batch (no allocation per step).
/// A worker is used by one thread at a time; several workers share the read-only parameters.
public final class NetworkWorker<T: NeuralScalar>: @unchecked Sendable {
    /// The architecture this worker computes.
    public let architecture: Architecture
    /// Largest batch the buffers hold.
    public let maxBatch: Int
    let kernels: [any LayerKernel<T>]
    /// activations[0] is the input; activations[i + 1] is layer i's output.
    let activations: [ScalarBuffer<T>]
    /// Gradients with respect to activations[i] (index 0 unused).
    let activationGradients: [ScalarBuffer<T>]
    /// Gradient accumulator with the parameter layout.
    let gradientBuffer: ScalarBuffer<T>
    /// Targets of the current batch, laid out like the output.
    let targetBuffer: ScalarBuffer<T>
    let steps: [Int]
    /// Whether layer i's output takes dropout in training (LSTM layers followed by another layer).
    let dropoutLayers: [Bool]
    /// Dropout multipliers of the last training forward pass per layer (allocated on first use).
    private var dropoutMasks: [ScalarBuffer<T>?]
    /// The dropout of the last forward pass (nil: none), which backward must repeat.
    private var lastDropout: DropoutMask?

    /// Creates a worker for batches of up to `maxBatch` sequences of `architecture.lookBack` steps.
    public init(architecture: Architecture, maxBatch: Int) {
        self.architecture = architecture
        self.maxBatch = maxBatch
        let layout = ParameterLayout(architecture: architecture)
        var kernels: [any LayerKernel<T>] = []
        var acts = [ScalarBuffer<T>(count: maxBatch * architecture.lookBack * architecture.inputWidth)]
        var grads = [ScalarBuffer<T>(count: 0)]
        var stepCounts = [architecture.lookBack]
        var s = architecture.lookBack
        for (index, (spec, inWidth)) in zip(architecture.layers, architecture.layerInputWidths).enumerated() {
            let k: any LayerKernel<T>
            switch spec {
            case .lstm(let u, let seq):
                k = LSTMKernel<T>(cell: LSTMCell(layer: index, inputWidth: inWidth, units: u, layout: layout), returnSequences: seq,
                                  maxBatch: maxBatch, maxSteps: s)
            case .dense(let u, let a):
                k = DenseKernel<T>(layer: index, inputWidth: inWidth, units: u, activation: a, layout: layout)
            }
            s = k.outputSteps(s)
            kernels.append(k)
            acts.append(ScalarBuffer(count: maxBatch * s * k.outputWidth))
            grads.append(ScalarBuffer(count: maxBatch * s * k.outputWidth))
            stepCounts.append(s)
        }
        self.kernels = kernels
        self.activations = acts
        self.activationGradients = grads
        self.steps = stepCounts
        self.dropoutLayers = architecture.layers.indices.map { i in
            if case .lstm = architecture.layers[i] { return i < architecture.layers.count - 1 }
            return false
        }
        self.dropoutMasks = Array(repeating: nil, count: kernels.count)
        self.gradientBuffer = ScalarBuffer(count: layout.count)
        // Targets are whole input rows (their first values are the predicted features), so hold the wider of the two.
        // Stateful chunks take a target row per step.
        self.targetBuffer = ScalarBuffer(count: max(acts.last!.count, maxBatch * architecture.inputWidth * (architecture.isStateful ? architecture.lookBack : 1)))
    }

    /// Where to write a batch's input: time-major, `lookBack` blocks of `batch` rows of `inputWidth`.
    public var input: UnsafeMutablePointer<T> { activations[0].pointer }
    /// The last forward pass's output: `batch` rows of `outputWidth` (time-major if the last layer emits sequences).
    public var output: UnsafeMutablePointer<T> { activations[kernels.count].pointer }
    /// Where to write the batch's targets (same layout as ``output``).
    public var target: UnsafeMutablePointer<T> { targetBuffer.pointer }
    /// Where the loss writes d loss / d output before ``backward(parameters:batch:)``.
    public var outputGradient: UnsafeMutablePointer<T> { activationGradients[kernels.count].pointer }
    /// The accumulated parameter gradients (flat, parameter layout).
    public var gradients: UnsafeMutablePointer<T> { gradientBuffer.pointer }
    /// Number of parameter gradients.
    public var gradientCount: Int { gradientBuffer.count }

    /// Runs the network on the `batch` sequences in ``input``; the result is in ``output``.
    public func forward(parameters: UnsafePointer<T>, batch: Int) {
        forward(parameters: parameters, batch: batch, dropout: nil)
    }

    /// A training forward pass: as ``forward(parameters:batch:)``, with `dropout` (when its rate is above 0)
    /// applied to the outputs of LSTM layers; ``backward(parameters:batch:)`` then uses the same mask.
    func forward(parameters: UnsafePointer<T>, batch: Int, dropout: DropoutMask?) {
        precondition(batch <= maxBatch, "batch \(batch) exceeds worker capacity \(maxBatch)")
        let dropout = dropout.flatMap { $0.rate > 0 ? $0 : nil }
        lastDropout = dropout
        for (i, k) in kernels.enumerated() {
            (k as? LSTMKernel<T>)?.carriesState = false
            k.forward(parameters: parameters, input: activations[i].pointer, steps: steps[i], batch: batch,
                      output: activations[i + 1].pointer)
            if let dropout, dropoutLayers[i] {
                let mask = dropoutMask(i)
                dropout.apply(layer: i, steps: steps[i + 1], batch: batch, width: k.outputWidth,
                              values: activations[i + 1].pointer, mask: mask.pointer)
            }
        }
    }

    private func dropoutMask(_ layer: Int) -> ScalarBuffer<T> {
        if let m = dropoutMasks[layer] { return m }
        let m = ScalarBuffer<T>(count: activations[layer + 1].count)
        dropoutMasks[layer] = m
        return m
    }

    /// Back-propagates ``outputGradient`` through the last forward pass, adding to ``gradients``.
    public func backward(parameters: UnsafePointer<T>, batch: Int) {
        for i in stride(from: kernels.count - 1, through: 0, by: -1) {
            if lastDropout != nil, dropoutLayers[i], let mask = dropoutMasks[i] {
                let n = steps[i + 1] * batch * kernels[i].outputWidth
                let dy = activationGradients[i + 1].pointer, m = mask.pointer
                for j in 0..<n { dy[j] *= m[j] }
            }
            kernels[i].backward(parameters: parameters, input: activations[i].pointer, output: activations[i + 1].pointer,
                                steps: steps[i], batch: batch, outputGradient: activationGradients[i + 1].pointer,
                                inputGradient: i > 0 ? activationGradients[i].pointer : nil, gradients: gradientBuffer.pointer)
        }
    }

    /// Sets the gradient accumulator to zero.
    public func zeroGradients() { gradientBuffer.zero() }

    // MARK: Stateful chunks (truncated back-propagation through time)

    /// The steps and rows of the last chunk's forward pass (what ``carryState(keeping:)`` moves on from).
    private var lastChunk = (steps: 0, batch: 0)

    /// The LSTM kernels, input first.
    private var lstmKernels: [LSTMKernel<T>] { kernels.compactMap { $0 as? LSTMKernel<T> } }

    /// Zeroes every LSTM layer's state for the first `batch` rows: each row starts a song.
    func resetState(batch: Int) {
        for k in lstmKernels { k.resetState(batch: batch) }
        lastChunk = (0, 0)
    }

    /// Carries every LSTM layer's state from the end of the last chunk to the start of the next, keeping the first
    /// `keeping` rows (the songs that go on; rows of songs that ended are the last ones).
    func carryState(keeping: Int) {
        for k in lstmKernels { k.carryState(steps: lastChunk.steps, batch: lastChunk.batch, keeping: keeping) }
    }

    /// The LSTM layers' carried state (h then c, first `batch` rows, layer after layer), for tests.
    func carriedState(batch: Int) -> [T] {
        lstmKernels.flatMap { k -> [T] in let s = k.initialState(batch: batch); return s.hidden + s.cell }
    }

    /// A stateful forward pass over one chunk: ``input`` holds `steps` (at most ``Architecture/lookBack``) time-major
    /// blocks of `batch` rows; every LSTM starts from its carried state (see ``resetState(batch:)`` and
    /// ``carryState(keeping:)``). ``output`` then holds `steps` blocks of `batch` output rows. Precondition: every
    /// LSTM returns sequences (``Architecture/isStateful``).
    func forwardChunk(parameters: UnsafePointer<T>, batch: Int, steps: Int, dropout: DropoutMask?) {
        precondition(batch <= maxBatch && steps <= architecture.lookBack, "chunk exceeds worker capacity")
        let dropout = dropout.flatMap { $0.rate > 0 ? $0 : nil }
        lastDropout = dropout
        for (i, k) in kernels.enumerated() {
            (k as? LSTMKernel<T>)?.carriesState = true
            k.forward(parameters: parameters, input: activations[i].pointer, steps: steps, batch: batch, output: activations[i + 1].pointer)
            if let dropout, dropoutLayers[i] {
                dropout.apply(layer: i, steps: steps, batch: batch, width: k.outputWidth, values: activations[i + 1].pointer,
                              mask: dropoutMask(i).pointer)
            }
        }
        lastChunk = (steps, batch)
    }

    /// Back-propagates ``outputGradient`` (`steps` blocks of `batch` rows) through the last chunk, adding to ``gradients``;
    /// the gradient stops at the carried state (truncation).
    func backwardChunk(parameters: UnsafePointer<T>, batch: Int, steps: Int) {
        for i in stride(from: kernels.count - 1, through: 0, by: -1) {
            if lastDropout != nil, dropoutLayers[i], let mask = dropoutMasks[i] {
                let n = steps * batch * kernels[i].outputWidth
                let dy = activationGradients[i + 1].pointer, m = mask.pointer
                for j in 0..<n { dy[j] *= m[j] }
            }
            kernels[i].backward(parameters: parameters, input: activations[i].pointer, output: activations[i + 1].pointer,
                                steps: steps, batch: batch, outputGradient: activationGradients[i + 1].pointer,
                                inputGradient: i > 0 ? activationGradients[i].pointer : nil, gradients: gradientBuffer.pointer)
        }
    }
}
