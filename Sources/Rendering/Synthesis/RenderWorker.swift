import Foundation
import Synchronization

/// A persistent thread that renders one ``InstanceGroup`` per segment on request, unless the calling
/// thread has already taken the segment's work back because this thread was late.
///
/// Each segment the engine opens the group (``InstanceGroup/open(segment:)``), calls ``begin()``, renders
/// its own group, then claims every group whose worker has not started yet and renders it itself (on a busy
/// machine a worker waiting for a core would otherwise stall the segment). Whoever claims a group renders it
/// (``InstanceGroup/claim(segment:)``: exactly one claim succeeds), so the output does not depend on which
/// thread ran. The engine calls ``finish()`` only for a group it did not claim: it waits until this thread
/// has rendered it. The semaphores and the group's acquire/release claim publish the plan to the thread and
/// its results back (happens-before both ways); a wake-up for a segment already taken back finds nothing to do.
final class RenderWorker: Sendable {
    /// The group this thread renders.
    let group: InstanceGroup
    private let start = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)

    /// Starts the thread for `group`.
    init(group: InstanceGroup) {
        self.group = group
        let thread = Thread { [start, done, self] in
            while true {
                start.wait()
                if self.stopping.load(ordering: .acquiring) { break }
                if group.claim(segment: group.openSegment) {
                    group.renderSegment()
                    done.signal()
                }
            }
            done.signal()
        }
        thread.name = "tunesmith.render"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Lets the thread render the opened segment.
    func begin() { start.signal() }

    /// Waits until the thread has rendered the segment (call only when the thread claimed it).
    func finish() { done.wait() }

    /// Ends the thread and waits for it (call once, when no segment is in flight).
    func stop() {
        stopping.store(true, ordering: .releasing)
        start.signal()
        done.wait()
    }
}
