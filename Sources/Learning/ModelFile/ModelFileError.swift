import Foundation

/// Why a model file could not be read.
public enum ModelFileError: Error, LocalizedError, Equatable {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// Not a Tunesmith model (wrong magic bytes).
    case notAModel(path: String)
    /// Written by a newer format version.
    case unsupportedVersion(path: String, version: UInt32)
    /// Shorter than its header says.
    case truncated(path: String)
    /// The checksum does not match the contents.
    case checksumMismatch(path: String)
    /// The header is not valid or inconsistent with the weights.
    case invalidHeader(path: String, reason: String)

    /// One-line description.
    public var errorDescription: String? {
        switch self {
        case .unreadable(let p, let r): return r.hasPrefix(p) ? r : "\(p): \(r)"
        case .notAModel(let p): return "\(p): not a Tunesmith model file (bad magic bytes)"
        case .unsupportedVersion(let p, let v): return "\(p): model format version \(v) is newer than this tunesmith supports (\(ModelFile.version))"
        case .truncated(let p): return "\(p): model file is truncated"
        case .checksumMismatch(let p): return "\(p): model file is corrupt (checksum mismatch)"
        case .invalidHeader(let p, let r): return "\(p): invalid model header: \(r)"
        }
    }
}
