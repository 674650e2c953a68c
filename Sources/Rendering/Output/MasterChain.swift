/// The master processing of a mix whose stems are written too: the overload guard of the `peak` option (the
/// look-ahead limiter, or normalisation to -1 dBFS), run on the mix, returning the gain it applied frame by frame
/// (``MasterGain``) so the very same gain goes on every stem.
///
/// This is the one call site of the master chain for stems: a new master stage (a loudness gain, a different
/// limiter) belongs here, expressed as a gain computed on the mix.
struct MasterChain {
    /// Whether to normalise to -1 dBFS (`peak=normalize`) instead of limiting.
    var normalize: Bool
    /// Sample rate in Hz (the limiter's look-ahead and release are in time).
    var sampleRate: Int

    /// Processes the mix. `replay` feeds the whole mix, in order, to the closure it is given (planar left/right,
    /// frame count); it may be called more than once (normalisation measures first). `emit` receives the processed
    /// mix. Returns the gain applied to each frame.
    func process(replay: ((UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws -> Void,
                 emit: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws -> MasterGain {
        try withoutActuallyEscaping(emit) { emit in try run(replay: replay, emit: emit) }
    }

    private func run(replay: ((UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws -> Void,
                     emit: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws -> MasterGain {
        if normalize {
            var peak: Float = 0
            try replay { l, r, n in for k in 0..<n { peak = max(peak, abs(l[k]), abs(r[k])) } }
            let scale: Float = peak > 0 ? 0.891_250_9 / peak : 1  // -1 dBFS, as a plain render normalises
            var l2: [Float] = [], r2: [Float] = []
            try replay { l, r, n in
                l2.removeAll(keepingCapacity: true)
                r2.removeAll(keepingCapacity: true)
                for k in 0..<n { l2.append(l[k] * scale); r2.append(r[k] * scale) }
                try l2.withUnsafeBufferPointer { lb in try r2.withUnsafeBufferPointer { rb in try emit(lb.baseAddress!, rb.baseAddress!, n) } }
            }
            return .constant(scale)
        }
        var limiter = PeakLimiter(sampleRate: sampleRate, recordingGain: true)
        try replay { l, r, n in try limiter.process(l, r, n, emit: emit) }
        try limiter.finish(emit: emit)
        return .perFrame(limiter.recordedGain ?? [])
    }
}
