import Foundation

/// Reads training windows of one shard file of a ``ShardedCorpus`` on demand (`pread` into a small buffer):
/// memory is the song table, not the shard. One stream serves one worker thread at a time.
final class ShardStream {
    /// Values per row.
    let width: Int
    /// Rows per input window.
    let lookBack: Int
    /// Windows in the shard.
    let windowCount: Int
    private let fd: Int32
    private let path: String
    /// First row of each song in the file, and first window index of each song (one extra entry: the totals).
    private let songRow: [Int64]
    private let songWindow: [Int64]
    private let scratch: UnsafeMutablePointer<Float>

    /// Opens part `part` of the cache in `folder`.
    init(folder: URL, index: ShardedCorpus, part: Int, lookBack: Int) throws {
        width = index.width
        self.lookBack = lookBack
        path = folder.appendingPathComponent(ShardedCorpus.partName(part)).path
        var rows: [Int64] = [0], windows: [Int64] = [0]
        rows.reserveCapacity(index.parts[part].count + 1)
        windows.reserveCapacity(index.parts[part].count + 1)
        for n in index.parts[part] {
            rows.append(rows.last! + Int64(n))
            windows.append(windows.last! + Int64(max(0, Int(n) - lookBack)))
        }
        songRow = rows
        songWindow = windows
        windowCount = Int(windows.last!)
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ShardedCorpusError.unreadable(path: path) }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) == index.byteCount(part: part) else {
            close(fd)
            throw ShardedCorpusError.invalid(path: path, reason: "\(st.st_size) bytes, the index says \(index.byteCount(part: part))")
        }
        scratch = .allocate(capacity: (lookBack + 1) * index.width)
    }

    deinit {
        close(fd)
        scratch.deallocate()
    }

    /// Copies window `w` into row `row` of a time-major input block of `batch` rows and into `target` (one row).
    func read(window w: Int, row: Int, batch: Int, input: UnsafeMutablePointer<Float>, target: UnsafeMutablePointer<Float>) throws {
        // The song holding window w: the last song whose first window is <= w.
        var lo = 0, hi = songWindow.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if songWindow[mid] <= Int64(w) { lo = mid } else { hi = mid }
        }
        let firstRow = songRow[lo] + (Int64(w) - songWindow[lo])
        let bytes = (lookBack + 1) * width * 4
        var done = 0
        while done < bytes {
            let n = pread(fd, UnsafeMutableRawPointer(scratch) + done, bytes - done, off_t(firstRow * Int64(width) * 4) + off_t(done))
            guard n > 0 else { throw ShardedCorpusError.invalid(path: path, reason: "short read at row \(firstRow)") }
            done += n
        }
        for t in 0..<lookBack {
            (input + (t * batch + row) * width).update(from: scratch + t * width, count: width)
        }
        (target).update(from: scratch + lookBack * width, count: width)
    }
}
