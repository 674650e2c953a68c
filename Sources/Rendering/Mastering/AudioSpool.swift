import Foundation

/// The first pass's mix, kept so the second pass can read it back after the whole render has been measured.
///
/// Up to ``memoryLimitFrames`` frames (6 minutes at 44.1 kHz, 128 MB) stay in memory, in two planar regions
/// (``PlanarRegion``, lent by a ``MixMemory`` when the caller has one) that the replay hands out without copying.
/// A longer mix spills to a file of interleaved 32-bit floats. The file lives in the output's folder (so a full disk
/// stops the render at once, naming the output) and is unlinked as soon as it is open, so nothing is left behind even
/// if the process is killed.
final class AudioSpool {
    /// The most frames kept in memory before the mix spills to a file: 16 M frames, 128 MB of stereo floats.
    static let defaultMemoryLimitFrames = 16 * 1_048_576

    private let folder: URL
    private let shown: String
    private let memoryLimitFrames: Int
    /// In memory: the left and right planar regions, each `memoryLimitFrames` floats of reserved address space.
    private var left: PlanarRegion?
    private var right: PlanarRegion?
    /// On disk, once spilled.
    private var file: UnsafeMutablePointer<FILE>?
    private var scratch: [Float] = []
    /// Frames written.
    private(set) var frames = 0

    /// The memory the in-memory regions come from and go back to (nil: mapped for this spool alone).
    private let memory: MixMemory?

    /// A spool for a render whose output is in `folder`; errors name `shown` (the output path). `memoryLimitFrames` is
    /// how many frames stay in memory before the mix spills to a file; `memory` lends regions an earlier render used.
    init(folder: URL, reportingAs shown: String, memoryLimitFrames: Int = AudioSpool.defaultMemoryLimitFrames,
         memory: MixMemory? = nil) {
        self.folder = folder
        self.shown = shown
        self.memoryLimitFrames = memoryLimitFrames
        self.memory = memory
    }

    deinit {
        if let file { fclose(file) }
        release()
    }

    /// Hands the in-memory regions back to ``memory`` (or unmaps them).
    private func release() {
        if let memory {
            if let left { memory.give(left) }
            if let right { memory.give(right) }
        }
        left = nil
        right = nil
    }

    /// Whether the mix has spilled to a file.
    var isOnDisk: Bool { file != nil }

    /// Appends `n` planar frames. Frames already in place (written where ``memory(at:count:)`` said, at the end of
    /// the mix) are only counted, not copied.
    func append(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) throws(RenderError) {
        if file == nil, frames + n > memoryLimitFrames { try spill() }
        if let file {
            try write(l, r, n, to: file)
        } else {
            try acquireRegions()
            let toL = left!.base + frames, toR = right!.base + frames
            if UnsafePointer(toL) != l || UnsafePointer(toR) != r {
                toL.update(from: l, count: n)
                toR.update(from: r, count: n)
            }
        }
        frames += n
    }

    /// Where frames `frame ..< frame + n` of the mix go in memory (planar left/right), so a producer can write them in
    /// place and then ``append(_:_:_:)`` them; nil when they would not stay in memory (then they are copied, or spill).
    /// Call it only for the frames that follow the last ones appended or placed, in order: the first call takes the
    /// regions, which the appends then only read; a later call may run while the previous frames are being appended.
    func memory(at frame: Int, count n: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        // Frames that fit in memory cannot be behind a spill (the appends before them fit too), so `file` is read here
        // only while no append can be setting it.
        guard frame + n <= memoryLimitFrames, file == nil, (try? acquireRegions()) != nil else { return nil }
        return (left!.base + frame, right!.base + frame)
    }

    /// Takes the in-memory regions if the spool has none yet.
    private func acquireRegions() throws(RenderError) {
        guard left == nil else { return }
        left = memory?.take(floats: memoryLimitFrames) ?? PlanarRegion(floats: memoryLimitFrames)
        right = memory?.take(floats: memoryLimitFrames) ?? PlanarRegion(floats: memoryLimitFrames)
        guard left != nil, right != nil else {
            let reason = String(cString: strerror(errno))
            release()  // a region that was had goes back to the memory
            throw .writeFailed(path: shown, reason: "cannot reserve memory for the mix: \(reason)")
        }
    }

    /// Moves the in-memory frames to an anonymous file in `folder` and continues there.
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
        if let left, let right {
            var start = 0
            while start < frames {
                let n = min(65_536, frames - start)
                try write(left.base + start, right.base + start, n, to: f)
                start += n
            }
        }
        release()
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
            guard let left, let right else { return }
            var start = 0
            while start < frames {
                let n = min(block, frames - start)
                try body(left.base + start, right.base + start, n)
                start += n
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

