import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS threading control. Tunesmith parallelises over the batch itself, so each matrix product
/// runs single-threaded inside its worker (OpenBLAS's own thread pool would oversubscribe the cores).
public enum BLASThreads {
    /// Makes OpenBLAS run every call on the calling thread.
    public static func useSingleThread() { openblas_set_num_threads(1) }

    /// Ends OpenBLAS's worker threads. The library starts them as it loads, in every process that links it, and each
    /// spins on `sched_yield` for about 2^28 cycles (some 0.1 CPU-s) before it sleeps: a core taken from the start of
    /// every command, most of which never multiply a large matrix. OpenBLAS starts them again on the first product that
    /// wants them. Nothing happens where the library has no such entry point (builds on OpenMP, other BLAS libraries).
    public static func stopIdleWorkers() {
        // `blas_thread_shutdown_` is OpenBLAS's own (its fork handler calls it); looked up, not linked, as it is not in cblas.h.
        guard let symbol = dlsym(nil, "blas_thread_shutdown_") else { return }
        let shutdown = unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)
        _ = shutdown()
    }
}
