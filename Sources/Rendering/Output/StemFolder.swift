import Foundation
import MIDI
import Support

/// The folder of stems beside an output: `OUT.stems/` for `OUT.ext`, one file per part (`Melody.ext`, `Drums.ext`, ...).
///
/// Several outputs of one piece (`OUT.mid`, `OUT.flac`) share the folder, each writing its own extension. The stems of
/// one output are written into a hidden temporary folder beside it and moved into the folder only when every one of
/// them is done, each file by a rename (replacing an existing file only when overwriting is allowed): a failure or
/// Ctrl-C leaves no stem of that output and no partial file.
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

    /// Fails early (before any work) when the stems folder is a file, or already holds stems of this output's type
    /// (files ending in its extension) and overwriting is not allowed.
    public static func check(output: URL, overwrite: Bool) throws {
        let folder = url(for: output)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) else { return }
        if !isDir.boolValue { throw notAFolder(folder) }
        let ext = output.pathExtension.lowercased()
        if !overwrite, let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.sorted()
            .first(where: { URL(fileURLWithPath: $0).pathExtension.lowercased() == ext && !$0.hasPrefix(".") }) {
            throw FileError.alreadyExists(path: folder.appendingPathComponent(existing).path)
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
            let fm = FileManager.default
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: final.path, isDirectory: &isDir), !isDir.boolValue { throw Self.notAFolder(final) }
            let names = try fm.contentsOfDirectory(atPath: temp.path).sorted()
            for name in names where !overwrite && fm.fileExists(atPath: final.appendingPathComponent(name).path) {
                throw FileError.alreadyExists(path: final.appendingPathComponent(name).path)
            }
            if !fm.fileExists(atPath: final.path) { try fm.createDirectory(at: final, withIntermediateDirectories: false) }
            for name in names {
                // rename(2) replaces an existing file atomically.
                if rename(temp.appendingPathComponent(name).path, final.appendingPathComponent(name).path) != 0 {
                    throw FileError.system(path: final.appendingPathComponent(name).path, operation: "rename", reason: String(cString: strerror(errno)))
                }
            }
            try fm.removeItem(at: temp)
            return result
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// The error for a stems folder path taken by a file.
    static func notAFolder(_ url: URL) -> FileError {
        .system(path: url.path, operation: "write stems", reason: "a file of that name exists where the stems folder goes")
    }
}
