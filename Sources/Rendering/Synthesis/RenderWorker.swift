import Foundation
import Synchronization

/// A persistent thread that renders one ``InstanceGroup`` per segment on request.
///
/// The engine calls ``begin()`` after planning a segment, renders its own group, then ``finish()`` waits
/// until this thread is done: two semaphore hand-overs per segment, no task or thread per segment. The
/// semaphores also publish the plan to the thread and its results back (happens-before both ways).
final class RenderWorker: Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)

    /// Starts the thread for `group`.
    init(group: InstanceGroup) {
        let thread = Thread { [start, done, self] in
            while true {
                start.wait()
                if self.stopping.load(ordering: .acquiring) { break }
                group.renderSegment()
                done.signal()
            }
            done.signal()
        }
        thread.name = "tunesmith.render"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Lets the thread render the planned segment.
    func begin() { start.signal() }

    /// Waits until the thread has rendered the segment.
    func finish() { done.wait() }

    /// Ends the thread and waits for it (call once, when no segment is in flight).
    func stop() {
        stopping.store(true, ordering: .releasing)
        start.signal()
        done.wait()
    }
}
