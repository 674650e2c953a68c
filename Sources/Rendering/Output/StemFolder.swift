import Foundation
import MIDI
import Support

/// The folder of stems beside an output: `OUT.stems/` for `OUT.ext`, one file per part (`Melody.ext`, `Drums.ext`, ...).
///
/// The folder appears complete or not at all: the stems are written into a hidden temporary folder beside it, which is
/// renamed when every stem is done (replacing an existing folder only when overwriting is allowed).
public enum StemFolder {
    /// `OUT.stems` for an output `OUT.ext`.
    public static func url(for output: URL) -> URL {
        output.deletingPathExtension().appendingPathExtension("stems")
    }

    /// The file of one part inside the stems folder: the part's name made safe as a file name, with `ext`.
    public static func fileName(part: String, ext: String) -> String {
        var name = String(part.map { c -> Character in
            c == "/" || c == "\\" || c == ":" || c.asciiValue.map { $0 < 32 } == true ? "_" : c
        })
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        if name.isEmpty { name = "part" }
        return ext.isEmpty ? name : name + "." + ext
    }

    /// Fails early when the stems folder exists without overwrite or is a file.
    public static func check(output: URL, overwrite: Bool) throws {
        let folder = url(for: output)
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) {
            if !isDir.boolValue { throw FileError.alreadyExists(path: folder.path) }
            if !overwrite { throw FileError.alreadyExists(path: folder.path) }
        }
    }

    /// Writes the stems of `output` through `body` (given the temporary folder to write into), then moves the folder
    /// into place; on any error the temporary folder is removed and nothing changes.
    public static func write<T>(output: URL, overwrite: Bool, _ body: (URL) throws -> T) throws -> T {
        let final = url(for: output)
        let parent = final.deletingLastPathComponent()
        let temp = parent.appendingPathComponent(".\(final.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: false)
        } catch {
            throw FileError.folderNotWritable(path: final.path)
        }
        do {
            let result = try body(temp)
            if FileManager.default.fileExists(atPath: final.path) {
                guard overwrite else { throw FileError.alreadyExists(path: final.path) }
                try FileManager.default.removeItem(at: final)
            }
            try FileManager.default.moveItem(at: temp, to: final)
            return result
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }
}
