#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes bytes to a file descriptor (standard output, standard error), retrying short writes.
public enum StandardStream {
    /// File descriptor 1.
    public static let output: Int32 = 1
    /// File descriptor 2.
    public static let error: Int32 = 2

    /// Writes all of `bytes` to `fd`; returns false if the descriptor refused them (closed pipe, full disk).
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Bool {
        guard var p = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(fd, p, left)
            if n > 0 { p += n; left -= n; continue }
            if n < 0 && errno == EINTR { continue }
            return false
        }
        return true
    }

    /// Writes all of `bytes` to `fd`, throwing a ``FileError`` naming `name` (e.g. "standard output")
    /// when the descriptor refuses them, so a full disk or a closed pipe is a clean failure.
    public static func writeOrThrow(_ bytes: [UInt8], to fd: Int32, name: String) throws(FileError) {
        let ok = bytes.withUnsafeBytes { write($0, to: fd) }
        if !ok { throw FileError.from(errno: errno, path: name, operation: "write") }
    }

    /// Writes a byte array to `fd`.
    @discardableResult
    public static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { write($0, to: fd) }
    }

    /// Writes a string's UTF-8 bytes to `fd`.
    @discardableResult
    public static func write(_ text: String, to fd: Int32) -> Bool {
        var t = text
        return t.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd) }
    }
}
