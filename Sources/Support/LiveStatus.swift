import Foundation
import Synchronization

/// A block of status lines kept at the bottom of a terminal and redrawn in place four times a second, with
/// finished-work lines printed above it; on a pipe or a file (or `TERM=dumb`) only those lines are written.
///
/// The caller supplies the block's text (`lines`), read under no lock of ours: it must be thread-safe.
public final class LiveStatus: Sendable {
    private let drawn = Mutex(0)
    private let stopped = Atomic<Bool>(false)
    private let lines: @Sendable () -> [String]
    /// Whether the block is drawn (standard output is a terminal).
    public let isLive: Bool

    /// Starts redrawing `lines()` when `live`; by default live when standard output is a terminal and `TERM` is not "dumb".
    public init(live: Bool = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb",
                lines: @escaping @Sendable () -> [String]) {
        isLive = live
        self.lines = lines
        guard live else { return }
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .relaxed) {
                redraw()
                usleep(250_000)
            }
        }
    }

    /// Prints one finished-work line (above the block when live).
    public func print(_ line: String) {
        guard isLive else { return write(line + "\n") }
        drawn.withLock { n in
            write(Self.clear(&n) + line + "\n")
        }
        redraw()
    }

    /// Stops redrawing, leaving the last block on screen; later calls do nothing.
    public func finish() {
        if stopped.exchange(true, ordering: .relaxed) { return }
        if isLive { redraw() }
    }

    private func redraw() {
        let block = lines()
        drawn.withLock { n in
            var out = Self.clear(&n)
            for l in block { out += l + "\n" }
            n = block.count
            write(out)
        }
    }

    /// Cursor-up-and-erase for each drawn line.
    private static func clear(_ n: inout Int) -> String {
        let out = String(repeating: "\u{1B}[1A\u{1B}[2K", count: n)
        n = 0
        return out
    }

    private func write(_ s: String) {
        var s = s
        s.withUTF8 { p in _ = Foundation.write(STDOUT_FILENO, p.baseAddress, p.count) }
    }
}
