import Foundation
import Learning

/// Draws a class from a categorical head's logits with temperature, top-k and top-p (nucleus) filtering.
///
/// Temperature 0 picks the arg-max (lowest index on ties). Otherwise logits are divided by the
/// temperature, the k largest kept (if `topK` > 0), the softmax taken, the smallest set of most
/// likely classes reaching `topP` kept, and one class drawn in proportion (classes in order of likelihood,
/// ties by index, so the draw is reproducible). Only as many classes as the filters keep are ranked: a binary
/// heap is built over the classes in O(n) and the most likely ones are taken from it one at a time, so a peaked
/// distribution costs O(n), not a full sort. Reuses its buffers: no allocation per draw once sized for the class count.
public struct CategoricalSampler: Sendable {
    /// Class indices: the ranking heap's storage, then the classes taken from it (most likely first).
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
        if weights.count != n {
            order = [Int32](repeating: 0, count: 2 * n)
            weights = [Double](repeating: 0, count: n)
        }
        let top = Double(logits[best]), t = options.temperature
        return order.withUnsafeMutableBufferPointer { o in
            weights.withUnsafeMutableBufferPointer { w in
                var all = 0.0
                for i in 0..<n {
                    let l = logits[i]
                    w[i] = l.isFinite ? exp((Double(l) - top) / t) : 0
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
                var heap = RankingHeap(heap: o.baseAddress!, ranked: o.baseAddress! + n, count: n, logits: logits.baseAddress!)
                let ranked = o.baseAddress! + n
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
                    let limit = kept > 0 ? kept : n
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

/// Ranks classes by logit (non-finite ones last, ties by lower index) without sorting them all: a binary max-heap
/// in `heap[0..<size]`, from which ``takeNext()`` appends the most likely remaining class to `ranked`.
private struct RankingHeap {
    let heap: UnsafeMutablePointer<Int32>
    let ranked: UnsafeMutablePointer<Int32>
    let logits: UnsafePointer<Float>
    private var size: Int
    /// Classes taken so far, at `ranked[0..<taken]`, most likely first.
    private(set) var taken = 0

    /// Builds the heap over `count` classes.
    init(heap: UnsafeMutablePointer<Int32>, ranked: UnsafeMutablePointer<Int32>, count: Int, logits: UnsafePointer<Float>) {
        self.heap = heap
        self.ranked = ranked
        self.logits = logits
        size = count
        for i in 0..<count { heap[i] = Int32(i) }
        var i = count / 2 - 1
        while i >= 0 { siftDown(i); i -= 1 }
    }

    /// Whether class `a` ranks before class `b`.
    @inline(__always) private func before(_ a: Int32, _ b: Int32) -> Bool {
        let la = logits[Int(a)].isFinite ? logits[Int(a)] : -.infinity
        let lb = logits[Int(b)].isFinite ? logits[Int(b)] : -.infinity
        return la != lb ? la > lb : a < b
    }

    private func siftDown(_ start: Int) {
        var k = start
        let item = heap[k]
        while true {
            var child = 2 * k + 1
            if child >= size { break }
            if child + 1 < size, before(heap[child + 1], heap[child]) { child += 1 }
            if !before(heap[child], item) { break }
            heap[k] = heap[child]
            k = child
        }
        heap[k] = item
    }

    /// Moves the most likely remaining class to `ranked[taken]` (nothing when every class is taken).
    mutating func takeNext() {
        guard size > 0 else { return }
        ranked[taken] = heap[0]
        taken += 1
        size -= 1
        if size > 0 {
            heap[0] = heap[size]
            siftDown(0)
        }
    }
}
