import CMPI
import Learning

/// The collectives of data-parallel training over MPI (`MPI_Allreduce` on `MPI_COMM_WORLD`): integer sums
/// and maxima are exact, so every rank gets the same bits whatever the rank count and Open MPI's algorithm.
public struct MPIReducer: GradientReducer {
    /// This process's rank in `MPI_COMM_WORLD`.
    public let rank: Int
    /// The size of `MPI_COMM_WORLD`.
    public let processCount: Int

    /// Reads rank and size; the session must be started (``MPISession/start()``).
    public init(session: MPISession) {
        rank = session.rank
        processCount = session.size
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, ..., MPI_INT64_T, MPI_SUM)`.
    public func sum(_ values: UnsafeMutableBufferPointer<Int64>) throws {
        try allreduce(UnsafeMutableRawPointer(values.baseAddress!), count: values.count, type: tunesmith_mpi_int64(), op: tunesmith_mpi_sum())
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, ..., MPI_DOUBLE, MPI_MAX)`.
    public func maximum(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(UnsafeMutableRawPointer(values.baseAddress!), count: values.count, type: tunesmith_mpi_double(), op: tunesmith_mpi_max())
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, ..., MPI_DOUBLE, MPI_SUM)` of values only one rank holds per element.
    public func gather(_ values: UnsafeMutableBufferPointer<Double>) throws {
        try allreduce(UnsafeMutableRawPointer(values.baseAddress!), count: values.count, type: tunesmith_mpi_double(), op: tunesmith_mpi_sum())
    }

    private func allreduce(_ buffer: UnsafeMutableRawPointer, count: Int, type: MPI_Datatype, op: MPI_Op) throws {
        guard count > 0 else { return }
        guard count <= Int(Int32.max) else { throw DataParallelError.communication("a buffer of \(count) elements is too large for one MPI call") }
        let rc = MPI_Allreduce(tunesmith_mpi_in_place(), buffer, Int32(count), type, op, tunesmith_mpi_comm_world())
        guard rc == tunesmith_mpi_success() else { throw DataParallelError.communication(MPISession.errorString(rc)) }
    }
}
