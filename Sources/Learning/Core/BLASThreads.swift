import CBLAS

/// OpenBLAS threading control. Tunesmith parallelises over the batch itself, so each matrix product
/// runs single-threaded inside its worker (OpenBLAS's own thread pool would oversubscribe the cores).
public enum BLASThreads {
    /// Makes OpenBLAS run every call on the calling thread.
    public static func useSingleThread() { openblas_set_num_threads(1) }
}
