import Foundation

/// A file-system problem reading or writing a file, naming the path, with a one-line description.
public enum FileError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The path is a folder where a file was expected.
    case isDirectory(path: String)
    /// The path exists but is not a regular file (device, socket, ...).
    case notRegularFile(path: String)
    /// The operating system refused access.
    case permissionDenied(path: String)
    /// The output exists and overwriting was not allowed.
    case alreadyExists(path: String)
    /// The folder that should hold an output does not exist.
    case folderMissing(path: String)
    /// The folder that should hold an output cannot be written to.
    case folderNotWritable(path: String)
    /// The device is full (ENOSPC) or over quota.
    case noSpace(path: String)
    /// The file is larger than the reader accepts, in bytes.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// Any other system error, with the operation and the C `errno` text.
    case system(path: String, operation: String, reason: String)

    /// The path the error is about.
    public var path: String {
        switch self {
        case .notFound(let p), .isDirectory(let p), .notRegularFile(let p), .permissionDenied(let p),
             .alreadyExists(let p), .folderMissing(let p), .folderNotWritable(let p), .noSpace(let p):
            return p
        case .tooLarge(let p, _, _), .system(let p, _, _):
            return p
        }
    }

    /// One line naming the path and the problem.
    public var description: String {
        switch self {
        case .notFound(let p): return "\(p): no such file or directory"
        case .isDirectory(let p): return "\(p): is a directory, expected a file"
        case .notRegularFile(let p): return "\(p): not a regular file"
        case .permissionDenied(let p): return "\(p): permission denied"
        case .alreadyExists(let p): return "\(p): already exists (use --force to overwrite it)"
        case .folderMissing(let p): return "\(p): the folder for this output does not exist"
        case .folderNotWritable(let p): return "\(p): the folder for this output is not writable"
        case .noSpace(let p): return "\(p): no space left on device"
        case .tooLarge(let p, let bytes, let limit): return "\(p): file is too large (\(bytes) bytes, limit \(limit))"
        case .system(let p, let op, let reason): return "\(p): \(op) failed: \(reason)"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }

    /// Maps a C `errno` from an operation on `path` to a file error.
    public static func from(errno code: Int32, path: String, operation: String) -> FileError {
        switch code {
        case ENOENT: return .notFound(path: path)
        case EISDIR: return .isDirectory(path: path)
        case EACCES, EPERM, EROFS: return .permissionDenied(path: path)
        case EEXIST: return .alreadyExists(path: path)
        case ENOSPC, EDQUOT: return .noSpace(path: path)
        default: return .system(path: path, operation: operation, reason: String(cString: strerror(code)))
        }
    }
}
