#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files into contiguous byte arrays with POSIX calls (no Foundation overhead).
public enum FileBytes {
    /// Largest file ``read(path:limit:)`` accepts by default, in bytes (1 GiB).
    public static let defaultLimit = 1 << 30

    /// Reads every byte of the regular file at `path`; the buffer is sized by the file's actual size.
    public static func read(path: String, limit: Int = defaultLimit) throws(FileError) -> [UInt8] {
        // Non-blocking so that opening a FIFO with no writer fails the type check below instead of hanging.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw FileError.from(errno: errno, path: path, operation: "open") }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw FileError.from(errno: errno, path: path, operation: "stat") }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { throw FileError.isDirectory(path: path) }
        if type != S_IFREG { throw FileError.notRegularFile(path: path) }
        let size = Int(st.st_size)
        if size > limit { throw FileError.tooLarge(path: path, bytes: size, limit: limit) }
        var failure: Int32 = 0
        // One extra byte of capacity detects a file that grew while being read.
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            var done = 0
            while done < size + 1 {
                let n = systemRead(fd, buffer.baseAddress! + done, size + 1 - done)
                if n > 0 { done += n; continue }
                if n == 0 { break }
                if errno == EINTR { continue }
                failure = errno
                break
            }
            count = min(done, size)
        }
        if failure != 0 { throw FileError.from(errno: failure, path: path, operation: "read") }
        return bytes
    }
}

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
