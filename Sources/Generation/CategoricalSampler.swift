import Foundation
import Learning

/// Draws a class from a categorical head's logits with temperature, top-k and top-p (nucleus) filtering.
///
/// Temperature 0 picks the arg-max (lowest index on ties). Otherwise logits are divided by the
/// temperature, the k largest kept (if `topK` > 0), the softmax taken, the smallest set of most
/// likely classes reaching `topP` kept, and one class drawn in proportion (classes in order of likelihood,
/// ties by index, so the draw is reproducible; the ranking compares weights rounded to Float, so classes within
/// a Float's precision of each other count as tied). Only as many classes as the filters keep are ranked: a binary
/// heap is built over the classes in O(n) and the most likely ones are taken from it one at a time, so a peaked
/// distribution costs O(n), not a full sort. Reuses its buffers: no allocation per draw once sized for the class count.
public struct CategoricalSampler: Sendable {
    /// The ranking heap's packed keys.
    private var keys: [UInt64] = []
    /// The classes taken from the heap, most likely first.
    private var order: [Int32] = []
    /// Unnormalised probability of each class (by class index).
    private var weights: [Double] = []

    /// Creates a sampler.
    public init() {}

    /// The index of the drawn class; `logits` must not be empty (non-finite logits never win).
    public mutating func sample(logits: UnsafeBufferPointer<Float>, options: SamplingOptions,
                                generator: inout SeededGenerator) -> Int {
        let n = logits.count
        precondition(n > 0, "sampling needs at least one class")
        var best = -1
        for i in 0..<n where logits[i].isFinite && (best < 0 || logits[i] > logits[best]) { best = i }
        if best < 0 { return 0 }
        if options.temperature == 0 { return best }
        if weights.count < n {  // grown to the largest head drawn so far, never shrunk: heads of other sizes reuse it
            order = [Int32](repeating: 0, count: n)
            keys = [UInt64](repeating: 0, count: n)
            weights = [Double](repeating: 0, count: n)
        }
        let top = logits[best], inverseT = Float(1 / options.temperature)
        return order.withUnsafeMutableBufferPointer { o in
            keys.withUnsafeMutableBufferPointer { h in
            weights.withUnsafeMutableBufferPointer { w in
                var all = 0.0
                for i in 0..<n {
                    let l = logits[i]
                    // Single-precision exp (at most 1 ulp of Float off; the draw sums in Double).
                    w[i] = l.isFinite ? Double(expf((l - top) * inverseT)) : 0
                    all += w[i]
                }
                if options.topK == 0 && options.topP >= 1 {
                    // No filter: draw over the classes in index order.
                    var u = generator.nextUnit() * all
                    var last = best
                    for i in 0..<n where w[i] > 0 {
                        u -= w[i]
                        last = i
                        if u < 0 { return i }
                    }
                    return last
                }
                // Nucleus alone: a class lighter than (1 - topP) x all / n can never be in it (all such classes together
                // weigh less than (1 - topP) x all, so the heavier ones reach topP first), so only the others are ranked.
                let floor = options.topK == 0 ? (1 - options.topP) * all / Double(n) : 0
                var heap = RankingHeap(heap: h.baseAddress!, ranked: o.baseAddress!, count: n, weights: UnsafePointer(w.baseAddress!),
                                       atLeast: floor)
                let ranked = o.baseAddress!
                var kept = 0, total = 0.0
                if options.topK > 0 {
                    kept = min(options.topK, n)
                    for _ in 0..<kept { heap.takeNext() }
                    for r in 0..<kept { total += w[Int(ranked[r])] }
                } else {
                    total = all
                }
                if options.topP < 1 {
                    var cumulative = 0.0, r = 0
                    let limit = kept > 0 ? kept : heap.candidates
                    while r < limit {
                        if r == heap.taken { heap.takeNext() }
                        cumulative += w[Int(ranked[r])] / total
                        r += 1
                        if cumulative >= options.topP { break }
                    }
                    kept = r
                    total = 0
                    for r in 0..<kept { total += w[Int(ranked[r])] }
                }
                var u = generator.nextUnit() * total
                for r in 0..<kept {
                    u -= w[Int(ranked[r])]
                    if u < 0 { return Int(ranked[r]) }
                }
                // Rounding left a sliver: the last kept class with weight.
                var r = kept - 1
                while r > 0 && w[Int(ranked[r])] == 0 { r -= 1 }
                return Int(ranked[r])
            }
            }
        }
    }
}

/// Ranks classes by weight (ties by lower index) without sorting them all: a binary max-heap of packed keys in
/// `heap[0..<size]` (the weight as a Float's bits above the complemented class index, so one integer comparison
/// orders both), from which ``takeNext()`` appends the most likely remaining class to `ranked`.
private struct RankingHeap {
    let heap: UnsafeMutablePointer<UInt64>
    let ranked: UnsafeMutablePointer<Int32>
    private var size: Int
    /// Classes taken so far, at `ranked[0..<taken]`, most likely first.
    private(set) var taken = 0

    /// Classes in the heap when built (those of weight `atLeast` or more).
    let candidates: Int

    /// Builds the heap over the classes among `count` of non-negative `weights` that weigh `atLeast` or more (all for 0).
    init(heap: UnsafeMutablePointer<UInt64>, ranked: UnsafeMutablePointer<Int32>, count: Int, weights: UnsafePointer<Double>,
         atLeast floor: Double = 0) {
        self.heap = heap
        self.ranked = ranked
        var size = 0
        for i in 0..<count where floor == 0 || weights[i] >= floor {
            // Non-negative floats order as their bit patterns.
            heap[size] = UInt64(Float(weights[i]).bitPattern) << 32 | UInt64(UInt32.max - UInt32(i))
            size += 1
        }
        self.size = size
        candidates = size
        var i = size / 2 - 1
        while i >= 0 { siftDown(i); i -= 1 }
    }

    private func siftDown(_ start: Int) {
        var k = start
        let item = heap[k]
        while true {
            var child = 2 * k + 1
            if child >= size { break }
            if child + 1 < size, heap[child + 1] > heap[child] { child += 1 }
            if heap[child] <= item { break }
            heap[k] = heap[child]
            k = child
        }
        heap[k] = item
    }

    /// Moves the most likely remaining class to `ranked[taken]` (nothing when every class is taken).
    mutating func takeNext() {
        guard size > 0 else { return }
        ranked[taken] = Int32(bitPattern: UInt32.max - UInt32(truncatingIfNeeded: heap[0]))
        taken += 1
        size -= 1
        if size > 0 {
            heap[0] = heap[size]
            siftDown(0)
        }
    }
}
