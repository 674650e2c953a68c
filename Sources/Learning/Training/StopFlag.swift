import Foundation

/// A thread-safe "please stop" flag, set from a signal handler queue and polled between batches.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    /// Creates an unset flag.
    public init() {}

    /// Requests a stop.
    public func set() { lock.lock(); value = true; lock.unlock() }

    /// Whether a stop was requested.
    public var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
