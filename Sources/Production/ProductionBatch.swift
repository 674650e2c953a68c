import Foundation
import Rendering
import Support
import Synchronization

extension Producer {
    /// Prepares and runs many requests, `jobs` at a time on separate threads (each render with its own synthesizers and
    /// its share of the cores). Results are in request order; a failed request does not stop the others.
    /// `renderProgress` hears each output's progress (0 ... 1) from the worker threads.
    public func run(_ requests: [ProductionRequest], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                    cancellation: Cancellation = Cancellation(),
                    renderProgress: (@Sendable (URL, Double) -> Void)? = nil) -> [Result<ProductionResult, any Error>] {
        let results = Mutex([Result<ProductionResult, any Error>?](repeating: nil, count: requests.count))
        let next = Atomic<Int>(0)
        let workers = max(1, min(jobs, requests.count))
        let threads = SynthesisSettings.defaultThreads(concurrentRenders: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= requests.count { return }
                let r = Result { try self.prepare(requests[i]).run(cancellation: cancellation, synthesisThreads: threads,
                                                                   renderProgress: renderProgress) }
                results.withLock { $0[i] = r }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
