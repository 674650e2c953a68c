/// The collective operations data-parallel training needs between the processes of one run (MPI ranks, or
/// this process alone). Each call is made by every process in the same order with buffers of the same length,
/// and returns the same values in every process.
///
/// The trainer only ever asks for exact operations, so the result cannot depend on the number of processes
/// or on the order in which an implementation combines them: sums of integers, maxima, and sums of doubles
/// where at most one process holds a non-zero in each element (a gather).
public protocol GradientReducer: Sendable {
    /// This process's index, 0 ..< ``processCount``.
    var rank: Int { get }
    /// Number of processes training together.
    var processCount: Int { get }
    /// Replaces each element by its sum over all processes (exact: integers).
    func sum(_ values: UnsafeMutableBufferPointer<Int64>) throws
    /// Replaces each element by its maximum over all processes.
    func maximum(_ values: UnsafeMutableBufferPointer<Double>) throws
    /// Replaces each element by its sum over all processes; callers guarantee that at most one process holds
    /// a non-zero value in each element, which makes the sum exact in any order.
    func gather(_ values: UnsafeMutableBufferPointer<Double>) throws
}

/// The reducer of a run in one process: every collective is the identity.
public struct SingleProcessReducer: GradientReducer {
    /// Creates it.
    public init() {}
    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var processCount: Int { 1 }
    /// Leaves the values.
    public func sum(_ values: UnsafeMutableBufferPointer<Int64>) {}
    /// Leaves the values.
    public func maximum(_ values: UnsafeMutableBufferPointer<Double>) {}
    /// Leaves the values.
    public func gather(_ values: UnsafeMutableBufferPointer<Double>) {}
}

/// How a data-parallel run splits work: each global batch is cut into `parts` fixed parts of consecutive
/// rows (the last ones may be shorter); part `p`'s gradient is computed alone, turned into fixed point and
/// summed exactly, so the model depends on `parts` but not on how many processes or threads share them.
public struct DataParallelism: Sendable {
    /// The collectives between processes.
    public var reducer: any GradientReducer
    /// Fixed parts per global batch (at least the process count).
    public var parts: Int

    /// Creates a split; fails when there are more processes than parts.
    public init(reducer: any GradientReducer, parts: Int) throws(DataParallelError) {
        guard parts >= 1 else { throw .badPartCount(parts) }
        guard reducer.processCount <= parts else { throw .tooManyProcesses(processes: reducer.processCount, parts: parts) }
        self.reducer = reducer
        self.parts = parts
    }

    /// The parts process `rank` computes: a contiguous, balanced range.
    public var localParts: Range<Int> {
        let n = reducer.processCount, r = reducer.rank
        return (parts * r / n)..<(parts * (r + 1) / n)
    }
}

/// Why a data-parallel run cannot start or go on.
public enum DataParallelError: Error, Equatable, CustomStringConvertible {
    /// Fewer than one part.
    case badPartCount(Int)
    /// More processes than parts of a batch.
    case tooManyProcesses(processes: Int, parts: Int)
    /// A collective operation failed (the MPI error text).
    case communication(String)

    /// One-line description.
    public var description: String {
        switch self {
        case .badPartCount(let p): return "--batch-parts must be 1 or more (got \(p))"
        case .tooManyProcesses(let n, let p): return "\(n) processes but the batch has only \(p) parts: raise --batch-parts to at least \(n)"
        case .communication(let m): return "MPI communication failed: \(m)"
        }
    }
}
