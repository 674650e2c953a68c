import Foundation

/// The first pass's mix kept on disk so the second pass can read it back after the whole render has been measured:
/// interleaved 32-bit floats, written and read in blocks. The file lives in the output's folder (so a full disk stops
/// the render at once, naming the output) and is unlinked as soon as it is open, so nothing is left behind even if the
/// process is killed.
final class AudioSpool {
    private let file: UnsafeMutablePointer<FILE>
    private let shown: String
    private var scratch: [Float] = []
    /// Frames written.
    private(set) var frames = 0

    /// Opens an anonymous file in `folder`; errors name `shown` (the output path).
    init(folder: URL, reportingAs shown: String) throws(RenderError) {
        self.shown = shown
        var template = Array((folder.path + "/.tunesmith-mix-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .writeFailed(path: shown, reason: String(cString: strerror(errno))) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        guard let f = fdopen(fd, "w+") else {
            close(fd)
            throw .writeFailed(path: shown, reason: String(cString: strerror(errno)))
        }
        file = f
    }

    deinit { fclose(file) }

    /// Appends `n` planar frames.
    func append(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) throws(RenderError) {
        if scratch.count < 2 * n { scratch = [Float](repeating: 0, count: 2 * n) }
        let written = scratch.withUnsafeMutableBufferPointer { b -> Int in
            for k in 0..<n { b[2 * k] = l[k]; b[2 * k + 1] = r[k] }
            return fwrite(b.baseAddress, MemoryLayout<Float>.size * 2, n, file)
        }
        guard written == n else {
            let e = errno
            throw .writeFailed(path: shown, reason: e == ENOSPC ? "no space left on device" : String(cString: strerror(e)))
        }
        frames += n
    }

    /// Reads everything from the start in blocks of up to `block` frames, handing planar blocks to `body`.
    func replay(block: Int = 16_384, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws {
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
