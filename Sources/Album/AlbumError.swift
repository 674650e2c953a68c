import Foundation
import Support

/// A problem with an album spec, found before any work: names the spec file, the line and the key.
public struct AlbumSpecError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// The spec file.
    public let path: String
    /// 1-based line of the offending key or value (0 when the file could not be read at all).
    public let line: Int
    /// Dotted key path, e.g. `tracks[2].tempo` (empty for whole-file problems).
    public let key: String
    /// What is wrong, and what is expected.
    public let message: String

    /// Creates an error.
    public init(path: String, line: Int, key: String, message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    /// One line: `PATH:LINE: KEY: MESSAGE`.
    public var description: String {
        let location = line > 0 ? "\(path):\(line)" : path
        return key.isEmpty ? "\(location): \(message)" : "\(location): \(key): \(message)"
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

/// Why an album export or merge failed; one line naming the path.
public enum AlbumError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible, InterruptionReporting {
    /// A file could not be read.
    case unreadable(path: String)
    /// A file in the output folder is not one this album wrote (needs --force to replace).
    case foreignFile(path: String)
    /// The output folder cannot be created or is not a folder.
    case badOutputFolder(path: String, reason: String)
    /// The `--shard` value is not `i/n` with 1 <= i <= n.
    case badShard(String)
    /// A manifest is missing, unreadable or inconsistent.
    case badManifest(path: String, reason: String)
    /// The shards given to merge do not make up a whole album.
    case incompleteMerge(reason: String)
    /// A file listed in a manifest is missing or its SHA-256 does not match.
    case hashMismatch(path: String)
    /// The run was interrupted (Ctrl-C); completed tracks are kept and recorded.
    case interrupted(completed: Int, total: Int)
    /// Some tracks failed; the first failure is given.
    case trackFailed(track: Int, reason: String)

    /// The one-line message.
    public var description: String {
        switch self {
        case .unreadable(let p): return "\(p): cannot read the file"
        case .foreignFile(let p): return "\(p): already exists and is not recorded in the album manifest (use --force to replace it)"
        case .badOutputFolder(let p, let r): return "\(p): cannot use as the output folder: \(r)"
        case .badShard(let s): return "bad shard \"\(s)\"; expected i/n with 1 <= i <= n (e.g. 2/4)"
        case .badManifest(let p, let r): return "\(p): bad album manifest: \(r)"
        case .incompleteMerge(let r): return "cannot merge: \(r)"
        case .hashMismatch(let p): return "\(p): missing or its SHA-256 does not match the manifest"
        case .interrupted(let c, let t): return "interrupted: \(c) of \(t) tracks complete (re-run to finish)"
        case .trackFailed(let t, let r): return "track \(t): \(r)"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

extension AlbumError {
    /// Whether this is the user's interruption (Ctrl-C, SIGTERM).
    public var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }
}
