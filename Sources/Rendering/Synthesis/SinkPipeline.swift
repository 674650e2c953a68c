import Foundation
import Synchronization

/// Runs a render's output stage (limiter, encoder, file writes) on its own thread, one segment behind
/// synthesis, through two alternating buffers.
///
/// The engine takes a buffer with ``next()``, writes a segment into it, and hands it over with
/// ``emit(_:)``; the thread passes it to the sink and frees it. ``finish()`` waits for the last one
/// and rethrows the sink's first error (the engine also stops early once the sink has failed).
///
/// The engine may render a segment into memory of its own choosing instead (``next(into:)``: the render's spool, so
/// the mix is written once, where it is kept); the sink then gets those pointers.
///
/// Thread safety (why `@unchecked Sendable` is sound): slot `j` (its buffers, or the memory the engine chose for it) is
/// written by the engine only between acquiring it (`free.wait`) and handing it over (`ready.signal`), and read by the
/// thread only between `ready.wait` and `free.signal`; the semaphores order these accesses. The sink closure, and the
/// state it captures, is only called on the thread; the caller may read that state again after ``finish()``, which
/// waits for the thread to end (`exited`). `counts`, `targets` and `error` follow the same hand-overs.
final class SinkPipeline: @unchecked Sendable {
    typealias Sink = (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void
    private var sink: Sink?
    private let left: [UnsafeMutablePointer<Float>]
    private let right: [UnsafeMutablePointer<Float>]
    private var counts = [0, 0]
    /// Per slot: where its segment was rendered (the slot's own buffers unless ``next(into:)`` chose other memory).
    private var targets: [(UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)]
    private var nextSlot = 0
    private let free = DispatchSemaphore(value: 2)
    private let ready = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let failed = Atomic<Bool>(false)
    private var error: (any Error)?
    private var running = true

    /// Starts the thread; buffers hold `capacity` frames.
    init(capacity: Int, sink: @escaping Sink) {
        self.sink = sink
        left = (0..<2).map { _ in .allocate(capacity: capacity) }
        right = (0..<2).map { _ in .allocate(capacity: capacity) }
        targets = [(left[0], right[0]), (left[1], right[1])]
        let thread = Thread { [self] in self.loop() }
        thread.name = "tunesmith.sink"
        thread.start()
    }

    deinit {
        for p in left + right { p.deallocate() }
    }

    private func loop() {
        var slot = 0
        while true {
            ready.wait()
            let n = counts[slot]
            if n < 0 {
                // Give the stop marker's slot back too: a semaphore must end at its initial value.
                free.signal()
                break
            }
            if !failed.load(ordering: .acquiring) {
                do { if n > 0 { try sink?(targets[slot].0, targets[slot].1, n) } } catch {
                    self.error = error
                    failed.store(true, ordering: .releasing)
                }
            }
            slot ^= 1
            free.signal()
        }
        exited.signal()
    }

    /// The buffers for the next segment (waits while both are in use); throws the sink's error once it has failed.
    /// With `memory`, the segment is rendered there instead (it must hold the segment and stay valid until the sink has
    /// had it) and the sink gets those pointers.
    func next(into memory: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? = nil) throws
        -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    {
        free.wait()
        if failed.load(ordering: .acquiring) {
            free.signal()
            try finish()
        }
        targets[nextSlot] = memory ?? (left[nextSlot], right[nextSlot])
        return targets[nextSlot]
    }

    /// Hands `n` frames of the buffers from ``next()`` to the sink.
    func emit(_ n: Int) {
        counts[nextSlot] = n
        nextSlot ^= 1
        ready.signal()
    }

    /// Waits until everything handed over is written and the thread has ended; rethrows the sink's error.
    func finish() throws {
        if running {
            running = false
            free.wait()
            counts[nextSlot] = -1
            ready.signal()
            exited.wait()
            sink = nil
        }
        if let error { throw error }
    }
}
