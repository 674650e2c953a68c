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

