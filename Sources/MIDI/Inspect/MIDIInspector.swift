#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Reads many MIDI files in parallel for `tunesmith inspect`: folders are searched recursively for
/// `.mid`/`.midi` files, named files are read whatever their extension.
public enum MIDIInspector {
    /// The outcome for one file: its summary, or the one-line reason it could not be read.
    public struct Entry: Sendable {
        /// The path as found (named, or under a named folder).
        public var path: String
        /// The summary, or the error message.
        public var result: Result<MIDIFileSummary, InspectFailure>
    }

    /// Why a file could not be inspected (one line, naming the path).
    public struct InspectFailure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The message, e.g. `x.mid: not a Standard MIDI File ... (at byte 0)`.
        public var description: String
    }

    /// The files to inspect under `paths`, sorted per argument; missing paths become failures.
    public static func collect(_ paths: [String]) -> [(path: String, failure: InspectFailure?)] {
        var out: [(String, InspectFailure?)] = []
        for path in paths {
            var st = stat()
            if stat(path, &st) != 0 {
                out.append((path, InspectFailure(description: FileError.from(errno: errno, path: path, operation: "stat").description)))
            } else if (st.st_mode & S_IFMT) == S_IFDIR {
                var found: [String] = []
                walk(path, into: &found, depth: 0)
                found.sort()
                out += found.map { ($0, nil) }
            } else {
                out.append((path, nil))
            }
        }
        return out
    }

    /// Reads and summarises every file under `paths` using `workers` parallel tasks; results are in
    /// the order of ``collect(_:)``. `strict` refuses damaged files; else they are summarised with warnings.
    public static func inspect(_ paths: [String], workers: Int = 2, strict: Bool = true) async -> [Entry] {
        let files = collect(paths)
        let n = max(1, min(workers, files.count))
        let parts = await withTaskGroup(of: [(Int, Entry)].self) { group in
            for w in 0 ..< n {
                group.addTask {
                    var part: [(Int, Entry)] = []
                    part.reserveCapacity(files.count / n + 1)
                    var i = w
                    while i < files.count {
                        let (path, failure) = files[i]
                        part.append((i, failure.map { Entry(path: path, result: .failure($0)) } ?? summarise(path, strict: strict)))
                        i += n
                    }
                    return part
                }
            }
            var all: [[(Int, Entry)]] = []
            for await part in group { all.append(part) }
            return all
        }
        var entries = [Entry?](repeating: nil, count: files.count)
        for part in parts { for (i, e) in part { entries[i] = e } }
        return entries.map { $0! }
    }

    /// Reads one file and summarises it (`strict`: refusing any damage).
    public static func summarise(_ path: String, strict: Bool = true) -> Entry {
        do {
            let bytes = try FileBytes.read(path: path)
            var result: Result<MIDIFileSummary, MIDIError>!
            bytes.withUnsafeBytes { raw in
                do throws(MIDIError) { result = .success(try MIDIFileSummary(bytes: raw, strict: strict)) } catch { result = .failure(error) }
            }
            return Entry(path: path, result: .success(try result.get()))
        } catch let error as MIDIError {
            return Entry(path: path, result: .failure(InspectFailure(description: error.with(path: path).description)))
        } catch {
            return Entry(path: path, result: .failure(InspectFailure(description: "\(error)")))
        }
    }

    /// Appends MIDI files below `folder` (not following symbolic links to folders).
    private static func walk(_ folder: String, into found: inout [String], depth: Int) {
        guard depth < 64, let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let path = prefix + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let type = st.st_mode & S_IFMT
            if type == S_IFDIR {
                walk(path, into: &found, depth: depth + 1)
            } else if isMIDIName(name) {
                found.append(path)
            }
        }
    }

    /// Whether a file name ends in .mid or .midi (any case).
    public static func isMIDIName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".mid") || lower.hasSuffix(".midi")
    }
}
