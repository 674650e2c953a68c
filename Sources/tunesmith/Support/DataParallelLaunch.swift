import Foundation
import Learning
#if TUNESMITH_MPI
import MPITraining
#endif

/// How `tunesmith train` runs: alone (today's trainer), alone with a fixed batch split (`--batch-parts`), or as
/// one rank of an MPI job (`mpirun -np N tunesmith train ...` or `srun`, in a build with TUNESMITH_MPI=1).
struct DataParallelLaunch {
    /// The split handed to the trainer (nil: today's trainer).
    let split: DataParallelism?
    /// Whether this process prints progress and writes the model and checkpoint (rank 0).
    let isLeader: Bool
    #if TUNESMITH_MPI
    /// The MPI job this process belongs to, if any.
    let session: MPISession?
    #endif

    /// Default parts of a batch under MPI: runs of 1, 2 and 4 ranks give the same model.
    static let defaultParts = 4

    /// Whether an MPI launcher started this process (Open MPI's mpirun, or srun with PMIx/PMI2).
    static var launchedByMPI: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
    }

    /// Joins the MPI job when launched by one (MPI build), else runs alone; `batchParts` fixes the split.
    static func start(batchParts: Int?) throws -> DataParallelLaunch {
        #if TUNESMITH_MPI
        if launchedByMPI {
            let session = try MPISession.start()
            do {
                let split = try DataParallelism(reducer: MPIReducer(session: session), parts: batchParts ?? defaultParts)
                return DataParallelLaunch(split: split, isLeader: session.rank == 0, session: session)
            } catch {
                session.finish()  // every rank reaches this alike (same arguments, same size)
                throw CommandFailure(oneLine(error))
            }
        }
        #else
        if launchedByMPI {
            throw CommandFailure("this tunesmith was built without MPI: rebuild with TUNESMITH_MPI=1 swift build -c release (needs libopenmpi-dev) to train over MPI ranks")
        }
        #endif
        let split: DataParallelism?
        do {
            split = try batchParts.map { try DataParallelism(reducer: SingleProcessReducer(), parts: $0) }
        } catch {
            throw CommandFailure(oneLine(error))
        }
        #if TUNESMITH_MPI
        return DataParallelLaunch(split: split, isLeader: true, session: nil)
        #else
        return DataParallelLaunch(split: split, isLeader: true)
        #endif
    }

    /// Ends the MPI job's part of this process after `body`: finalises when every rank got through (or all
    /// stopped together: an interruption or an error every rank saw alike before training), and aborts the
    /// whole job when only this rank failed, so that no rank waits forever for it.
    func run<T>(_ body: () throws -> T) throws -> T {
        #if TUNESMITH_MPI
        guard let session else { return try body() }
        do {
            let value = try body()
            session.finish()
            return value
        } catch let e as TrainingSessionError where e.isInterruption {
            session.finish()
            throw e
        } catch {
            if session.size == 1 { session.finish(); throw error }
            FileHandle.standardError.write(Data("tunesmith: rank \(session.rank): \(oneLine(error))\n".utf8))
            session.abort(code: 1)
        }
        #else
        return try body()
        #endif
    }
}
