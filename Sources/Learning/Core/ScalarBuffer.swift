/// A fixed-size, contiguous, zero-initialised buffer of scalars owned by one worker.
///
/// Reference type so hot loops can hand out raw pointers without copy-on-write checks;
/// a buffer is only ever touched by the thread that owns its worker.
final class ScalarBuffer<T: NeuralScalar> {
    /// Number of scalars.
    let count: Int
    /// Start of the storage (valid for the buffer's lifetime).
    let pointer: UnsafeMutablePointer<T>

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Sets every element to zero.
    func zero() { pointer.update(repeating: 0, count: count) }

    deinit { pointer.deallocate() }
}

/// A pointer that may cross into `concurrentPerform` workers that each touch a disjoint part
/// or only read it (the caller guarantees this).
struct SharedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
}
