import Foundation
import Support
import Synchronization

/// Progress of the files `render` and `generate` are writing: on a terminal, a line per file in progress redrawn in
/// place (shown once a render has run for half a second); on a pipe or file nothing extra (the summary lines are the
/// plain output).
final class RenderProgress: Sendable {
    /// Files in the order they started, with their progress 0 ... 1.
    private final class Entries: Sendable {
        let list = Mutex<[(path: String, fraction: Double)]>([])
    }

    private let entries = Entries()
    private let status: LiveStatus

    /// Starts the display (live only when standard output is a terminal).
    init() {
        let entries = self.entries
        let start = ContinuousClock.now
        status = LiveStatus { () -> [String] in
            guard ContinuousClock.now - start > .milliseconds(500) else { return [] }
            return entries.list.withLock { $0 }.compactMap { entry in
                guard entry.fraction < 1 else { return nil }
                let width = 30
                let filled = Int((entry.fraction * Double(width)).rounded(.down))
                return String(format: "%@ [%@%@] %3.0f%%", entry.path, String(repeating: "#", count: filled),
                              String(repeating: "-", count: width - filled), entry.fraction * 100)
            }
        }
    }

    /// The callback to hand to the production path.
    var callback: @Sendable (URL, Double) -> Void {
        { [entries] url, fraction in
            let path = url.path
            entries.list.withLock { list in
                if let i = list.firstIndex(where: { $0.path == path }) { list[i].fraction = fraction } else { list.append((path, fraction)) }
            }
        }
    }

    /// Stops redrawing (files done drop out of the block).
    func finish() {
        entries.list.withLock { list in for i in list.indices { list[i].fraction = 1 } }
        status.finish()
    }
}
