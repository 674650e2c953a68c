import Foundation

/// The first pass's mix kept on disk (an anonymous temporary file, gone when closed) so the second pass can read it back
/// after the whole render has been measured: interleaved 32-bit floats, written and read in blocks.
final class AudioSpool {
    private let file: UnsafeMutablePointer<FILE>
    private var scratch: [Float] = []
    /// Frames written.
    private(set) var frames = 0

    /// Opens an anonymous temporary file.
    init() throws(RenderError) {
        guard let f = tmpfile() else {
            throw .synthesisFailed(reason: "cannot create a temporary file for the two-pass master: \(String(cString: strerror(errno)))")
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
            throw .synthesisFailed(reason: "cannot write the temporary mix: \(String(cString: strerror(errno)))")
        }
        frames += n
    }

    /// Reads everything from the start in blocks of up to `block` frames, handing planar blocks to `body`.
    func replay(block: Int = 16_384, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws {
        fflush(file)
        rewind(file)
        var interleaved = [Float](repeating: 0, count: 2 * block)
        var left = [Float](repeating: 0, count: block)
        var right = [Float](repeating: 0, count: block)
        var remaining = frames
        while remaining > 0 {
            let want = min(block, remaining)
            let got = interleaved.withUnsafeMutableBufferPointer { fread($0.baseAddress, MemoryLayout<Float>.size * 2, want, file) }
            guard got == want else { throw RenderError.synthesisFailed(reason: "cannot read back the temporary mix") }
            for k in 0..<got { left[k] = interleaved[2 * k]; right[k] = interleaved[2 * k + 1] }
            try left.withUnsafeBufferPointer { l in
                try right.withUnsafeBufferPointer { r in try body(l.baseAddress!, r.baseAddress!, got) }
            }
            remaining -= got
        }
    }
}
