import CFluidSynth
import Foundation
import Synchronization

/// Process-wide set-up of libfluidsynth, done once, and capture of its log messages.
///
/// FluidSynth's log hook and its one-time table initialisation (run by the first
/// `new_fluid_synth`) are global to the C library and not safe to race, so they happen under
/// one lock. Log messages are routed to the calling thread's collector (``collectingMessages(_:)``)
/// instead of being printed on stderr.
enum FluidLibrary {
    /// Serialises creation of settings and synthesizers (FluidSynth's lazy global init is racy).
    static let creationLock = Mutex(())

    /// Installs the log hook on first use.
    static let logReady: Bool = {
        installLogHandler()
        return true
    }()

    private static let threadKey = "tunesmith.fluidsynth.log"

    /// Runs `body` and returns its result with every FluidSynth message logged on this thread meanwhile.
    static func collectingMessages<T>(_ body: () throws -> T) rethrows -> (T, [FluidMessage]) {
        _ = logReady
        let box = MessageBox()
        let dict = Thread.current.threadDictionary
        let previous = dict[threadKey]
        dict[threadKey] = box
        defer { dict[threadKey] = previous }
        let value = try body()
        return (value, box.messages)
    }

    private static func installLogHandler() {
        let handler: fluid_log_function_t = { level, message, _ in
            guard let message else { return }
            let text = String(cString: message)
            if let box = Thread.current.threadDictionary[FluidLibrary.threadKey] as? MessageBox {
                box.messages.append(FluidMessage(level: Int(level), text: text))
            }
        }
        for level in [FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG] {
            _ = fluid_set_log_function(Int32(level.rawValue), handler, nil)
        }
    }

    /// Runs `body` (which creates FluidSynth objects) under the creation lock.
    static func creating<T>(_ body: () throws -> T) rethrows -> T {
        _ = logReady
        return try creationLock.withLock { _ in try body() }
    }
}

/// One message FluidSynth logged.
public struct FluidMessage: Sendable, Hashable, CustomStringConvertible {
    /// FluidSynth's level: 0 panic, 1 error, 2 warning, 3 info, 4 debug.
    public var level: Int
    /// The message text.
    public var text: String

    /// Whether this is a warning, an error or a panic.
    public var isProblem: Bool { level <= 2 }

    /// "warning: text" etc.
    public var description: String {
        let name = ["panic", "error", "warning", "info", "debug"][min(max(level, 0), 4)]
        return "\(name): \(text)"
    }
}

/// A per-thread collector of FluidSynth messages.
private final class MessageBox: NSObject {
    var messages: [FluidMessage] = []
}
