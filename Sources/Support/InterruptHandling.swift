import Foundation

/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation request instead of killing the process.
public enum InterruptHandling {
    /// Installs handlers that call `action` (once per signal) on a background queue; returns the sources to keep alive.
    public static func install(_ action: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue(label: "tunesmith.signal"))
            source.setEventHandler(handler: action)
            source.resume()
            return source
        }
    }
}
