import Synchronization

/// A flag shared between long work (generation, rendering, an album) and whoever may stop it (Ctrl-C, SIGTERM).
///
/// The work polls ``isCancelled`` at least every few milliseconds and then stops, leaving no partial output.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Creates an unset flag.
    public init() {}
    /// Asks every piece of work holding this flag to stop.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// An error that reports the user stopping the work (Ctrl-C or SIGTERM); the command line exits with status 130.
public protocol InterruptionReporting: Error {
    /// Whether this error is the user's interruption rather than a failure.
    var isInterruption: Bool { get }
}
