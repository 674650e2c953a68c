import Foundation
import Support

extension RendererRegistry {
    /// Fails early (before synthesis) when the output exists without overwrite or its folder is unusable.
    public static func checkOutput(_ url: URL, overwrite: Bool) throws {
        let path = url.path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw FileError.isDirectory(path: path) }
            if !overwrite { throw FileError.alreadyExists(path: path) }
        }
        let folder = url.deletingLastPathComponent().path
        var folderIsDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &folderIsDir) || !folderIsDir.boolValue {
            throw FileError.folderMissing(path: path)
        }
        if !FileManager.default.isWritableFile(atPath: folder) { throw FileError.folderNotWritable(path: path) }
    }
}
