import Foundation

/// The space left for an unprivileged writer on the file system of a folder.
public enum FreeSpace {
    /// Bytes available to this process in the file system holding `folder` (`statvfs`'s available blocks times the
    /// fragment size), or nil when it cannot be told (the folder is missing, or the call fails).
    public static func bytes(inFolder folder: URL) -> Int? {
        var info = statvfs()
        guard statvfs(folder.path, &info) == 0 else { return nil }
        let total = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return total.overflow ? Int.max : Int(clamping: total.partialValue)
    }
}
