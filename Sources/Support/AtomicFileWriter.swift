import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an output file atomically: into a temporary file in the destination's folder, renamed
/// over the destination only when complete; the temporary file is removed on any failure.
///
/// Every Tunesmith output (MIDI, audio, models, manifests) goes through this type, so a failed
/// run never leaves a partial file behind, and an existing file is never replaced unless allowed.
public struct AtomicFileWriter: Sendable {
    /// The final path of the output.
    public let destination: String
    /// Whether an existing file at ``destination`` may be replaced.
    public let overwrite: Bool

    /// Creates a writer for `destination`.
    public init(destination: URL, overwrite: Bool = false) {
        self.init(path: destination.path, overwrite: overwrite)
    }

    /// Creates a writer for a destination path.
    public init(path: String, overwrite: Bool = false) {
        self.destination = path
        self.overwrite = overwrite
    }

    /// Writes `bytes` as the whole content of the destination.
    public func write(_ bytes: [UInt8]) throws(FileError) {
        let temp = try prepare()
        do {
            try Self.writeFile(bytes, to: temp, reportingAs: destination)
            try commit(temp)
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Runs `body` with the URL of a temporary path in the destination's folder; `body` must create
    /// the file there. On success the file is renamed to the destination; if `body` throws, the
    /// temporary file is removed and the error is rethrown unchanged.
    public func write(using body: (URL) throws -> Void) throws {
        let temp = try prepare()
        do {
            try body(URL(fileURLWithPath: temp))
            var st = stat()
            if lstat(temp, &st) != 0 {
                throw FileError.system(path: destination, operation: "write", reason: "the writer produced no file")
            }
            try commit(temp)
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Checks the destination and its folder, and returns a fresh temporary path beside it.
    private func prepare() throws(FileError) -> String {
        var st = stat()
        if lstat(destination, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw FileError.isDirectory(path: destination) }
            if !overwrite { throw FileError.alreadyExists(path: destination) }
        }
        let folder = Self.folder(of: destination)
        var fst = stat()
        if stat(folder, &fst) != 0 || (fst.st_mode & S_IFMT) != S_IFDIR {
            throw FileError.folderMissing(path: destination)
        }
        if access(folder, W_OK | X_OK) != 0 { throw FileError.folderNotWritable(path: destination) }
        let name = destination.split(separator: "/").last.map(String.init) ?? "output"
        let unique = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return (folder == "/" ? "" : folder) + "/.\(name).\(unique).tmp"
    }

    /// Moves the finished temporary file onto the destination.
    private func commit(_ temp: String) throws(FileError) {
        if overwrite {
            if rename(temp, destination) != 0 {
                throw FileError.from(errno: errno, path: destination, operation: "rename")
            }
            return
        }
        // Without overwrite, link() fails with EEXIST if the destination appeared meanwhile.
        if link(temp, destination) == 0 {
            unlink(temp)
            return
        }
        let code = errno
        if code == EEXIST { throw FileError.alreadyExists(path: destination) }
        // File systems without hard links: check once more, then rename.
        var st = stat()
        if lstat(destination, &st) == 0 { throw FileError.alreadyExists(path: destination) }
        if rename(temp, destination) != 0 {
            throw FileError.from(errno: errno, path: destination, operation: "rename")
        }
    }

    /// The folder part of a path ("." for a bare file name).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let f = String(path[..<slash])
        return f.isEmpty ? "/" : f
    }

    /// Creates `path` exclusively and writes `bytes` to it; errors name `shown`.
    static func writeFile(_ bytes: [UInt8], to path: String, reportingAs shown: String) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileError.from(errno: errno, path: shown, operation: "create") }
        var failure = writeAll(bytes, to: fd)
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw FileError.from(errno: failure, path: shown, operation: "write") }
    }

    /// Writes all of `bytes` to an open descriptor; returns 0 or the `errno` of the failure.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32 {
        bytes.withUnsafeBytes { raw -> Int32 in
            guard var p = raw.baseAddress else { return 0 }
            var left = raw.count
            while left > 0 {
                let n = systemWrite(fd, p, left)
                if n > 0 { p += n; left -= n; continue }
                if n < 0 && errno == EINTR { continue }
                return n < 0 ? errno : ENOSPC
            }
            return 0
        }
    }
}
