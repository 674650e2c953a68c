import Foundation

/// The first pass's mix, kept so the second pass can read it back after the whole render has been measured.
///
/// Up to ``memoryLimitFrames`` frames (6 minutes at 44.1 kHz, 128 MB) stay in memory as planar blocks that the replay
/// hands out without copying; a longer mix spills to a file of interleaved 32-bit floats. The file lives in the
/// output's folder (so a full disk stops the render at once, naming the output) and is unlinked as soon as it is open,
/// so nothing is left behind even if the process is killed.
final class AudioSpool {
    /// Frames per in-memory block (planar, per channel).
    static let blockFrames = 65_536
    /// The most frames kept in memory before the mix spills to a file: 16 M frames, 128 MB of stereo floats.
    static let defaultMemoryLimitFrames = 16 * 1_048_576

    private let folder: URL
    private let shown: String
    private let memoryLimitFrames: Int
    /// In memory: full blocks and the block being filled (left and right planar).
    private var blocksL: [[Float]] = []
    private var blocksR: [[Float]] = []
    /// On disk, once spilled.
    private var file: UnsafeMutablePointer<FILE>?
    private var scratch: [Float] = []
    /// Frames written.
    private(set) var frames = 0

    /// A spool for a render whose output is in `folder`; errors name `shown` (the output path). `memoryLimitFrames` is
    /// how many frames stay in memory before the mix spills to a file.
    init(folder: URL, reportingAs shown: String, memoryLimitFrames: Int = AudioSpool.defaultMemoryLimitFrames) {
        self.folder = folder
        self.shown = shown
        self.memoryLimitFrames = memoryLimitFrames
    }

    deinit { if let file { fclose(file) } }

    /// Whether the mix has spilled to a file.
    var isOnDisk: Bool { file != nil }

    /// Appends `n` planar frames.
    func append(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) throws(RenderError) {
        if file == nil, frames + n > memoryLimitFrames { try spill() }
        if let file {
            try write(l, r, n, to: file)
        } else {
            var done = 0
            while done < n {
                if blocksL.last.map({ $0.count == Self.blockFrames }) ?? true {
                    blocksL.append([]); blocksL[blocksL.count - 1].reserveCapacity(Self.blockFrames)
                    blocksR.append([]); blocksR[blocksR.count - 1].reserveCapacity(Self.blockFrames)
                }
                let last = blocksL.count - 1
                let take = min(n - done, Self.blockFrames - blocksL[last].count)
                blocksL[last].append(contentsOf: UnsafeBufferPointer(start: l + done, count: take))
                blocksR[last].append(contentsOf: UnsafeBufferPointer(start: r + done, count: take))
                done += take
            }
        }
        frames += n
    }

    /// Moves the in-memory blocks to an anonymous file in `folder` and continues there.
    private func spill() throws(RenderError) {
        var template = Array((folder.path + "/.tunesmith-mix-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .writeFailed(path: shown, reason: String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        guard let f = fdopen(fd, "w+") else {
            close(fd)
            throw .writeFailed(path: shown, reason: String(cString: strerror(errno)))
        }
        file = f
        for (bl, br) in zip(blocksL, blocksR) {
            try bl.withUnsafeBufferPointer { (l) throws(RenderError) in
                try br.withUnsafeBufferPointer { (r) throws(RenderError) in try write(l.baseAddress!, r.baseAddress!, l.count, to: f) }
            }
        }
        blocksL = []
        blocksR = []
    }

    /// Writes `n` planar frames interleaved to `file`.
    private func write(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int, to file: UnsafeMutablePointer<FILE>) throws(RenderError) {
        if scratch.count < 2 * n { scratch = [Float](repeating: 0, count: 2 * n) }
        let written = scratch.withUnsafeMutableBufferPointer { b -> Int in
            for k in 0..<n { b[2 * k] = l[k]; b[2 * k + 1] = r[k] }
            return fwrite(b.baseAddress, MemoryLayout<Float>.size * 2, n, file)
        }
        guard written == n else {
            let e = errno
            throw .writeFailed(path: shown, reason: e == ENOSPC ? "no space left on device" : String(cString: strerror(e)))
        }
    }

    /// Reads everything from the start in blocks of up to `block` frames, handing planar blocks to `body`.
    func replay(block: Int = 16_384, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws {
        guard let file else {
            for (bl, br) in zip(blocksL, blocksR) {
                try bl.withUnsafeBufferPointer { l in
                    try br.withUnsafeBufferPointer { r in
                        var start = 0
                        while start < l.count {
                            let n = min(block, l.count - start)
                            try body(l.baseAddress! + start, r.baseAddress! + start, n)
                            start += n
                        }
                    }
                }
            }
            return
        }
        if fflush(file) != 0 {
            let e = errno
            throw RenderError.writeFailed(path: shown, reason: e == ENOSPC ? "no space left on device" : String(cString: strerror(e)))
        }
        rewind(file)
        var interleaved = [Float](repeating: 0, count: 2 * block)
        var left = [Float](repeating: 0, count: block)
        var right = [Float](repeating: 0, count: block)
        var remaining = frames
        while remaining > 0 {
            let want = min(block, remaining)
            let got = interleaved.withUnsafeMutableBufferPointer { fread($0.baseAddress, MemoryLayout<Float>.size * 2, want, file) }
            guard got == want else { throw RenderError.writeFailed(path: shown, reason: "cannot read back the temporary mix") }
            for k in 0..<got { left[k] = interleaved[2 * k]; right[k] = interleaved[2 * k + 1] }
            try left.withUnsafeBufferPointer { l in
                try right.withUnsafeBufferPointer { r in try body(l.baseAddress!, r.baseAddress!, got) }
            }
            remaining -= got
        }
    }
}
