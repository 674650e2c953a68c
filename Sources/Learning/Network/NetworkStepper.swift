/// Runs a network one input frame at a time with batch 1, keeping every LSTM layer's hidden state h and cell
/// state c between steps: the stateful counterpart of ``NetworkWorker``'s windowed forward pass, on the same
/// kernels (``LSTMCell``'s gate arithmetic, the fast sigmoid and tanh, the dense layers' ``DenseKernel``).
///
/// After ``reset()`` and one ``step(input:)`` per frame of a window, ``output`` is what the windowed network
/// computes for that window (within float rounding); without a reset, state carries on from the earlier steps.
/// Dense layers act on the current step's output, as they act on the windowed network's last step.
/// Buffers are contiguous and allocated once: no allocation per step. Not thread-safe; make one per thread.
public final class NetworkStepper<T: NeuralScalar> {
    /// The network's layers and widths.
    public let architecture: Architecture
    private let parameters: [T]
    private let layers: [Layer]
    /// Each LSTM layer's h then c (units values each), layer after layer.
    private let state: ScalarBuffer<T>
    /// Each LSTM layer's gates (4 x units) and tanh(c) (units), each dense layer's output row.
    private let workspace: ScalarBuffer<T>
    /// The last layer's row: its h for an LSTM, else the last dense output.
    private let outputRow: UnsafeMutablePointer<T>
    /// Index of the first layer after the last LSTM (the dense head).
    private let headStart: Int
    /// Frames stepped since the last reset.
    public private(set) var stepsSinceReset = 0
    /// Whether the first layer adds only the weight rows of the frame's set inputs (``LSTMCell/projectSparse``): Float
    /// networks reading a rich encoding (one-hot blocks); narrow inputs such as the paper's 3 values stay on the dense
    /// product, bit for bit the windowed forward pass.
    private let sparseInput: Bool
    /// Inputs from which a frame counts as rich (the paper reads 3, the rich encodings 50 and more).
    static var sparseInputWidth: Int { 32 }

    private enum Layer {
        /// An LSTM layer; `state` and `gates` are offsets into the state and workspace buffers.
        case lstm(LSTMCell, state: Int, gates: Int)
        /// A dense layer writing its row at `output` in the workspace.
        case dense(DenseKernel<T>, output: Int)
    }

    /// A stepper for `network` in its zero state. Precondition: ``Architecture/isSteppable``.
    public init(network: Network<T>) {
        let a = network.architecture
        precondition(a.isSteppable, "an LSTM returning only its last step is followed by another LSTM: the network cannot be stepped")
        architecture = a
        parameters = network.parameters
        var layers: [Layer] = [], stateCount = 0, workCount = 0, out = 0
        for (index, (spec, width)) in zip(a.layers, a.layerInputWidths).enumerated() {
            switch spec {
            case .lstm(let u, _):
                layers.append(.lstm(LSTMCell(layer: index, inputWidth: width, units: u, layout: network.layout), state: stateCount, gates: workCount))
                stateCount += 2 * u
                workCount += 5 * u
            case .dense(let u, let activation):
                layers.append(.dense(DenseKernel(layer: index, inputWidth: width, units: u, activation: activation, layout: network.layout),
                                     output: workCount))
                out = workCount
                workCount += u
            }
        }
        self.layers = layers
        sparseInput = T.self == Float.self && a.inputWidth >= Self.sparseInputWidth
        headStart = 1 + (layers.lastIndex { if case .lstm = $0 { true } else { false } } ?? -1)
        state = ScalarBuffer(count: stateCount)
        workspace = ScalarBuffer(count: workCount)
        if case .lstm(_, let s, _)? = layers.last {
            outputRow = state.pointer + s
        } else {
            outputRow = workspace.pointer + out
        }
    }

    /// Values per input frame.
    public var inputWidth: Int { architecture.inputWidth }
    /// Values per output row.
    public var outputWidth: Int { architecture.outputWidth }

    /// The output row of the last step (``outputWidth`` values; zeros before the first step, valid until the next step).
    public var output: UnsafePointer<T> { UnsafePointer(outputRow) }

    /// Sets every LSTM layer's h and c back to zero (the state a windowed forward pass starts from).
    public func reset() {
        state.zero()
        stepsSinceReset = 0
    }

    /// Feeds one encoded frame (``inputWidth`` values at `input`) through every LSTM layer, updating its state,
    /// then the dense layers; returns ``output``.
    @discardableResult
    public func step(input: UnsafePointer<T>) -> UnsafePointer<T> {
        run(input, through: layers.count)
        return output
    }

    /// As ``step(input:)`` without the layers after the last LSTM (the dense head): updates the state for a frame
    /// whose prediction is not needed, e.g. the earlier frames of a window. ``output`` is then stale.
    public func advance(input: UnsafePointer<T>) {
        run(input, through: headStart)
    }

    /// Runs layers 0 ..< `end` on one frame; LSTM layers update their state.
    private func run(_ input: UnsafePointer<T>, through end: Int) {
        let first = stepsSinceReset == 0
        parameters.withUnsafeBufferPointer { p in
            let w = p.baseAddress!
            var x = input
            for (index, layer) in layers[0..<end].enumerated() {
                switch layer {
                case .lstm(let cell, let s, let g):
                    let h = state.pointer + s, c = h + cell.units, z = workspace.pointer + g
                    if index == 0 && sparseInput {  // a rich encoded frame: mostly zeros, so only its set inputs' rows
                        cell.projectSparse(parameters: UnsafeRawPointer(w).assumingMemoryBound(to: Float.self),
                                           input: UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                                           gates: UnsafeMutableRawPointer(z).assumingMemoryBound(to: Float.self))
                    } else {
                        cell.project(parameters: w, input: x, rows: 1, gates: z)
                    }
                    cell.step(parameters: w, gates: z, previousHidden: first ? nil : UnsafePointer(h), previousCell: c, cell: c,
                              cellTanh: z + 4 * cell.units, hidden: h, batch: 1)
                    x = UnsafePointer(h)
                case .dense(let kernel, let o):
                    kernel.forward(parameters: w, input: x, steps: 1, batch: 1, output: workspace.pointer + o)
                    x = UnsafePointer(workspace.pointer + o)
                }
            }
        }
        stepsSinceReset += 1
    }

    /// Convenience over arrays (allocates the result): the output row after stepping `input` (``inputWidth`` values).
    public func step(_ input: [T]) -> [T] {
        precondition(input.count == inputWidth, "a frame has \(inputWidth) values, got \(input.count)")
        let o = input.withUnsafeBufferPointer { step(input: $0.baseAddress!) }
        return Array(UnsafeBufferPointer(start: o, count: outputWidth))
    }
}

extension Architecture {
    /// Whether a ``NetworkStepper`` computes this network: no LSTM that returns only its last step is followed by
    /// another LSTM (which would read a one-step sequence in the windowed network).
    public var isSteppable: Bool {
        var lastStepOnly = false
        for layer in layers {
            guard case .lstm(_, let sequences) = layer else { continue }
            if lastStepOnly { return false }
            lastStepOnly = !sequences
        }
        return true
    }
}
