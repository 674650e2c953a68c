import Foundation
import Synchronization

/// A fixed team of threads that run one job split into parts, with a hand-off cheap enough for
/// sub-millisecond training steps: the caller runs part 0 itself, helpers spin briefly waiting for the
/// next job before sleeping, and the caller spin-waits for the helpers (yielding the core after a while).
///
/// `run` must be called from one thread at a time; parts run concurrently and must touch disjoint memory.
@available(macOS 15.0, *)
final class WorkerTeam: @unchecked Sendable {
    /// Number of parts a job is split into (the caller plus the helpers).
    let size: Int
    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let condition = NSCondition()
    /// The current job; written by the caller before `generation` is published, read by helpers after.
    nonisolated(unsafe) private var job: ((Int) -> Void)?
    /// Spins before a helper sleeps or the caller starts yielding its core (some microseconds: enough for
    /// the gaps within a training step on an idle machine, short enough not to burn a core others need).
    private let spinLimit = 5_000

    /// Creates a team of `size` parts (`size - 1` helper threads).
    init(size: Int) {
        self.size = max(1, size)
        for index in 1..<self.size {
            let thread = Thread { [self] in self.helperLoop(index) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(part)` for every part in 0 ..< size and returns when all are done.
    func run(_ body: @escaping (Int) -> Void) {
        if size == 1 { body(0); return }
        job = body
        finished.store(0, ordering: .relaxed)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock(); condition.broadcast(); condition.unlock()
        }
        body(0)
        var spins = 0
        while finished.load(ordering: .acquiring) < size - 1 {
            spins += 1
            if spins > spinLimit { sched_yield() }
        }
        job = nil
    }

    /// Stops the helper threads (they exit after their current wait).
    func shutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        condition.lock(); condition.broadcast(); condition.unlock()
    }

    private func helperLoop(_ index: Int) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > spinLimit {
                    condition.lock()
                    sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
                    sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                    condition.unlock()
                }
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            job?(index)
            finished.wrappingAdd(1, ordering: .releasing)
        }
    }
}
