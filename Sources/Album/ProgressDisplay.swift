import Foundation
import Support
import Synchronization

/// Shows an export's progress: on a terminal a live block (overall bar plus one line per running track, redrawn
/// in place by ``LiveStatus``); otherwise plain lines, one per finished, skipped or failed track.
public final class ProgressDisplay: Sendable {
    private struct State {
        var total = 0
        var done = 0
        var skipped = 0
        var failed = 0
        var running: [Int: (title: String, stage: String, since: ContinuousClock.Instant)] = [:]
    }
    /// The state, shared with the live block's drawing closure.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }
    private let shared = Shared()
    private let status: LiveStatus

    /// Creates a display writing to standard output; live when it is a terminal (and `TERM` is not "dumb").
    public init(live: Bool = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb") {
        let shared = self.shared
        let start = ContinuousClock().now
        status = LiveStatus(live: live) { shared.state.withLock { Self.block($0, start: start) } }
    }

    /// Feeds one event (thread-safe).
    public func handle(_ event: AlbumEvent) {
        var line: String?
        shared.state.withLock { s in
            switch event {
            case .planned(let total, let toRender, let skipped):
                s.total = total
                s.skipped = skipped.count
                line = "album: \(total) tracks, \(toRender) to render, \(skipped.count) up to date"
            case .stage(let n, let title, let stage):
                let since = s.running[n]?.since ?? ContinuousClock().now
                s.running[n] = (title, stage.description, since)
            case .finished(let n, let title, let seconds):
                s.running[n] = nil
                s.done += 1
                line = String(format: "[%d/%d] track %d \"%@\" done in %.1f s", s.done + s.skipped, s.total, n, title, seconds)
            case .failed(let n, let title, let reason):
                s.running[n] = nil
                s.failed += 1
                line = "track \(n) \"\(title)\" failed: \(reason)"
            }
        }
        if let line { status.print(line) }
    }

    /// Stops the live display, leaving the last state on screen.
    public func finish() { status.finish() }

    /// The live block: a bar of finished tracks, then one line per running track with its stage.
    private static func block(_ s: State, start: ContinuousClock.Instant) -> [String] {
        let now = ContinuousClock().now
        let finished = s.done + s.skipped
        let width = 30
        let filled = s.total > 0 ? width * finished / s.total : 0
        var lines = ["[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            + " \(finished)/\(s.total) tracks, \(s.running.count) running, \((now - start).components.seconds) s"]
        for (n, r) in s.running.sorted(by: { $0.key < $1.key }) {
            lines.append("  track \(n) \"\(r.title)\": \(r.stage) (\((now - r.since).components.seconds) s)")
        }
        return lines
    }
}
