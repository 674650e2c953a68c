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
    /// How long a helper spins before sleeping (enough for the gaps and imbalance within a training step on an
    /// idle machine, short enough not to burn a core for long), in nanoseconds.
    private let helperSpin: UInt64 = 100_000
    /// How long the caller spins for the helpers before yielding its core between checks, in nanoseconds.
    private let callerSpin: UInt64 = 20_000

    /// Spins while `waiting()` holds, for at most `limit` ns; returns whether it still holds.
    @inline(__always)
    private func spin(for limit: UInt64, while waiting: () -> Bool) -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        var i = 0
        while waiting() {
            i &+= 1
            if i & 63 == 0, DispatchTime.now().uptimeNanoseconds &- start > limit { return true }
        }
        return false
    }

    /// Creates a team of `size` parts (`size - 1` helper threads).
    init(size: Int) {
        self.size = max(1, size)
        for index in 1..<self.size {
            let thread = Thread { [self] in self.helperLoop(index) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs so far, late runs in the current window, and the run until which jobs go through GCD (caller-only state).
    private var runs = 0, lateRuns = 0, blockingUntil = 0
    /// A run is late when the caller waited this long for a helper (it was preempted: the cores are shared), in ns.
    private let lateWait: UInt64 = 100_000

    /// Whether the next run hands off by spinning (false while the team falls back to GCD on a busy machine).
    var isSpinning: Bool { runs + 1 >= blockingUntil }

    /// Runs `body(part)` for every part in 0 ..< size and returns when all are done.
    ///
    /// On a busy machine spinning costs more than it saves: when more than 1 run in 16 of a window of 128 finds a
    /// helper late, the next 8,192 runs use GCD's blocking hand-off instead, then spinning is tried again.
    func run(_ body: @escaping (Int) -> Void) {
        if size == 1 { body(0); return }
        runs += 1
        if runs < blockingUntil {
            let box = UncheckedPart(body: body)
            DispatchQueue.concurrentPerform(iterations: size) { box.body($0) }
            return
        }
        if runs % 128 == 0 {
            if lateRuns > 8 { blockingUntil = runs + 8_192 }
            lateRuns = 0
        }
        job = body
        finished.store(0, ordering: .relaxed)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock(); condition.broadcast(); condition.unlock()
        }
        body(0)
        let helpers = size - 1
        if spin(for: callerSpin, while: { finished.load(ordering: .acquiring) < helpers }) {
            let start = DispatchTime.now().uptimeNanoseconds
            while finished.load(ordering: .acquiring) < helpers { sched_yield() }
            if DispatchTime.now().uptimeNanoseconds &- start > lateWait { lateRuns += 1 }
        }
        job = nil
    }

    /// Stops the helper threads (they exit after their current wait).
    func shutdown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        condition.lock(); condition.broadcast(); condition.unlock()
    }

    /// A part closure handed to GCD (the caller guarantees parts touch disjoint memory).
    private struct UncheckedPart: @unchecked Sendable { let body: (Int) -> Void }

    private func helperLoop(_ index: Int) {
        var seen = 0
        while true {
            if spin(for: helperSpin, while: { generation.load(ordering: .acquiring) == seen }) {
                condition.lock()
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
                sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                condition.unlock()
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            job?(index)
            finished.wrappingAdd(1, ordering: .releasing)
        }
    }
}
