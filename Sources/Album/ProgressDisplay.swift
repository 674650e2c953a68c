import Foundation
import Synchronization

/// Shows an export's progress: on a terminal a live block (overall bar plus one line per running
/// track, redrawn in place); otherwise plain lines, one per finished, skipped or failed track.
public final class ProgressDisplay: Sendable {
    private struct State {
        var total = 0
        var done = 0
        var skipped = 0
        var failed = 0
        var running: [Int: (title: String, stage: String, since: ContinuousClock.Instant)] = [:]
        var drawnLines = 0
    }
    private let state = Mutex(State())
    private let live: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let stopped = Atomic<Bool>(false)

    /// Creates a display writing to standard output; live when it is a terminal (and `TERM` is not "dumb").
    public init(live: Bool = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb") {
        self.live = live
        start = ContinuousClock().now
        if live {
            Thread.detachNewThread { [self] in
                while !stopped.load(ordering: .relaxed) {
                    redraw()
                    usleep(250_000)
                }
            }
        }
    }

    /// Feeds one event (thread-safe).
    public func handle(_ event: AlbumEvent) {
        var line: String?
        state.withLock { s in
            switch event {
            case .planned(let total, let toRender, let skipped):
                s.total = total
                s.skipped = skipped.count
                line = "album: \(total) tracks, \(toRender) to render, \(skipped.count) up to date"
            case .stage(let n, let title, let stage):
                let since = s.running[n]?.since ?? clock.now
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
        if let line {
            if live { print(line: line) } else { write(line + "\n") }
        }
    }

    /// Stops the live display, leaving the last state on screen.
    public func finish() {
        if stopped.exchange(true, ordering: .relaxed) { return }
        if live { redraw() }
    }

    private func print(line: String) {
        state.withLock { s in
            var out = clear(&s)
            out += line + "\n"
            write(out)
        }
        redraw()
    }

    private func clear(_ s: inout State) -> String {
        let out = String(repeating: "\u{1B}[1A\u{1B}[2K", count: s.drawnLines)
        s.drawnLines = 0
        return out
    }

    private func redraw() {
        state.withLock { s in
            var out = clear(&s)
            let finished = s.done + s.skipped
            let width = 30
            let filled = s.total > 0 ? width * finished / s.total : 0
            let elapsed = clock.now - start
            out += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            out += " \(finished)/\(s.total) tracks, \(s.running.count) running, \(elapsed.components.seconds) s\n"
            for (n, r) in s.running.sorted(by: { $0.key < $1.key }) {
                out += "  track \(n) \"\(r.title)\": \(r.stage) (\((clock.now - r.since).components.seconds) s)\n"
            }
            s.drawnLines = 1 + s.running.count
            write(out)
        }
    }

    private func write(_ s: String) {
        var s = s
        s.withUTF8 { p in _ = Foundation.write(STDOUT_FILENO, p.baseAddress, p.count) }
    }
}

