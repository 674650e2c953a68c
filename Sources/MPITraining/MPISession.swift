import CMPI

/// This process's membership of an MPI job (`mpirun -np N` or `srun`): started once, finished once.
/// Collective calls are made from the thread that started it (`MPI_THREAD_FUNNELED`).
public final class MPISession: Sendable {
    /// Rank in `MPI_COMM_WORLD` (0 ..< size).
    public let rank: Int
    /// Number of processes in `MPI_COMM_WORLD`.
    public let size: Int

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// `MPI_Init_thread` and the rank and size; throws when MPI cannot start.
    public static func start() throws -> MPISession {
        var provided: Int32 = 0
        let rc = MPI_Init_thread(nil, nil, tunesmith_mpi_thread_funneled(), &provided)
        guard rc == tunesmith_mpi_success() else { throw MPIStartError(message: errorString(rc)) }
        var rank: Int32 = 0, size: Int32 = 0
        MPI_Comm_rank(tunesmith_mpi_comm_world(), &rank)
        MPI_Comm_size(tunesmith_mpi_comm_world(), &size)
        return MPISession(rank: Int(rank), size: Int(size))
    }

    /// `MPI_Finalize`, after a run that every rank finished.
    public func finish() { MPI_Finalize() }

    /// `MPI_Abort`: ends every rank of the job with `code` (one rank failed where the others would wait).
    public func abort(code: Int32) -> Never {
        MPI_Abort(tunesmith_mpi_comm_world(), code)
        fatalError("MPI_Abort returned")
    }

    /// The text of an MPI error code.
    static func errorString(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(tunesmith_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &buffer, &length)
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// MPI could not start (the launcher's environment is broken or missing).
public struct MPIStartError: Error, CustomStringConvertible {
    /// Open MPI's message.
    public let message: String
    /// One-line description.
    public var description: String { "MPI could not start: \(message)" }
}
