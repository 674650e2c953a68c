import Foundation
import Processing
import Production
import Rendering
import Yams

/// Reads an album spec (YAML, or JSON, which YAML includes) into an ``AlbumSpec``, checking every
/// key and value before any work; each error names the file, the line and the key.
///
/// ```yaml
/// album: Night Sketches
/// artist: Tunesmith
/// settings: {length: 30s, tempo: 96, formats: [mid, flac]}
/// tracks: {count: 4, seed: 100}        # or a list: [{title: Opening, seed: 7, tempo: 80}, ...]
/// ```
public struct AlbumSpecParser: Sendable {
    /// Processors the `processors` key may name.
    public var processors: ProcessorRegistry
    /// Renderers the `formats` key may name.
    public var renderers: RendererRegistry

    /// Most tracks one album may hold.
    public static let maxTracks = 999
    /// Keys of a settings mapping (album-wide or per track): every generation setting but the seed (a track's own
    /// key), every renderer option, under the command line's names, and `processors` and `formats`.
    public static var settingKeys: [String] {
        GenerationSettings.declarations.map(\.name).filter { $0 != "seed" } + RenderSettings.optionNames() + ["processors", "formats", "stems"]
    }

    /// Creates a parser with the standard registries.
    public init(processors: ProcessorRegistry = .standard, renderers: RendererRegistry = .standard) {
        self.processors = processors
        self.renderers = renderers
    }

    /// Reads and checks the spec file at `path`.
    public func parse(fileAt path: String) throws(AlbumSpecError) -> AlbumSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw AlbumSpecError(path: path, line: 0, key: "", message: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AlbumSpecError(path: path, line: 0, key: "", message: "not UTF-8 text")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(text, path: path, baseFolder: folder)
    }

    /// Parses spec text; `path` is used in messages, `baseFolder` resolves relative model and SoundFont paths.
    public func parse(_ text: String, path: String, baseFolder: URL) throws(AlbumSpecError) -> AlbumSpec {
        if let (line, message) = SpecNestingLimit.violation(in: text) {
            throw AlbumSpecError(path: path, line: line, key: "", message: message)
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw AlbumSpecError(path: path, line: 1, key: "", message: "the spec is empty; expected album, artist and tracks")
            }
            root = node
        } catch let error as AlbumSpecError {
            throw error
        } catch let error as YamlError {
            throw Self.syntaxError(error, path: path)
        } catch {
            throw AlbumSpecError(path: path, line: 0, key: "", message: "cannot parse: \(error)")
        }
        var reader = NodeReader(path: path, baseFolder: baseFolder, processors: processors, renderers: renderers)
        return try reader.album(root)
    }

    /// A YAML syntax error as one line with its position.
    static func syntaxError(_ error: YamlError, path: String) -> AlbumSpecError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return AlbumSpecError(path: path, line: mark.line, key: "", message: "YAML syntax error: \(problem)\(ctx)")
        case .reader(let problem, _, _, _):
            return AlbumSpecError(path: path, line: 0, key: "", message: "cannot read YAML: \(problem)")
        default:
            return AlbumSpecError(path: path, line: 0, key: "", message: "YAML error: \(error)")
        }
    }
}

/// Walks the composed YAML nodes, checking each key and value where it stands.
private struct NodeReader {
    let path: String
    let baseFolder: URL
    let processors: ProcessorRegistry
    let renderers: RendererRegistry

    func fail(_ node: Node?, _ key: String, _ message: String) -> AlbumSpecError {
        AlbumSpecError(path: path, line: node?.mark?.line ?? 0, key: key, message: message)
    }

    /// The pairs of a mapping, refusing non-mappings, unknown and repeated keys.
    func pairs(_ node: Node, _ key: String, allowed: [String], what: String) throws(AlbumSpecError) -> [(String, Node, Node)] {
        guard case .mapping(let mapping) = node else { throw fail(node, key, "expected a mapping of \(what)") }
        var seen = Set<String>()
        var out: [(String, Node, Node)] = []
        for (k, v) in mapping {
            guard let name = k.string else { throw fail(k, key, "keys must be text") }
            let full = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                throw fail(k, full, "unknown key; expected one of \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else { throw fail(k, full, "given twice") }
            out.append((name, k, v))
        }
        return out
    }

    func text(_ node: Node, _ key: String) throws(AlbumSpecError) -> String {
        guard case .scalar(let s) = node else { throw fail(node, key, "expected text") }
        let t = s.string.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { throw fail(node, key, "must not be empty") }
        guard !t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw fail(node, key, "must not contain control characters")
        }
        return t
    }

    func integer(_ node: Node, _ key: String, range: ClosedRange<Int>, unit: String) throws(AlbumSpecError) -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
            throw fail(node, key, "bad value \"\(node.string ?? "")\"; expected \(unit) from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    func seed(_ node: Node, _ key: String) throws(AlbumSpecError) -> UInt64 {
        guard case .scalar(let s) = node, let v = UInt64(s.string.trimmingCharacters(in: .whitespaces)) else {
            throw fail(node, key, "bad seed \"\(node.string ?? "")\"; expected a whole number from 0 to \(UInt64.max)")
        }
        return v
    }

    func list(_ node: Node, _ key: String) throws(AlbumSpecError) -> [(Node, String)] {
        switch node {
        case .sequence(let seq): return seq.enumerated().map { ($0.element, "\(key)[\($0.offset + 1)]") }
        case .scalar: return [(node, key)]
        default: throw fail(node, key, "expected a list")
        }
    }

    /// A path relative to the spec's folder, which must exist: a file, or with `folder` a folder.
    func existingPath(_ node: Node, _ key: String, folder: Bool) throws(AlbumSpecError) -> String {
        let given = try text(node, key)
        let url = given.hasPrefix("/") ? URL(fileURLWithPath: given) : baseFolder.appendingPathComponent(given)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue == folder else {
            throw fail(node, key, folder ? "no such folder \(url.path)" : "no such file \(url.path)")
        }
        return given
    }

    mutating func album(_ root: Node) throws(AlbumSpecError) -> AlbumSpec {
        let fields = try pairs(root, "", allowed: ["album", "artist", "genre", "comment", "seed", "loudness-mode", "settings", "tracks"],
                               what: "album, artist, settings and tracks")
        var album: String?, artist: String?, genre: String?, comment: String?
        var baseSeed: UInt64 = 1
        var loudnessMode = LoudnessMode.track
        var settings = TrackSettings()
        var tracksNode: (Node, Node)?
        for (name, k, v) in fields {
            switch name {
            case "album": album = try text(v, name)
            case "artist": artist = try text(v, name)
            case "genre": genre = try text(v, name)
            case "comment": comment = try text(v, name)
            case "seed": baseSeed = try seed(v, name)
            case "loudness-mode":
                guard let mode = LoudnessMode(rawValue: try text(v, name)) else {
                    throw fail(v, name, "bad value \"\(v.string ?? "")\"; expected track or album")
                }
                loudnessMode = mode
            case "settings": settings = try self.settings(v, "settings", allowed: AlbumSpecParser.settingKeys)
            default: tracksNode = (k, v)
            }
        }
        guard let album else { throw fail(root, "album", "missing; give the album's title") }
        guard let artist else { throw fail(root, "artist", "missing; give the artist's name") }
        guard let (_, tv) = tracksNode else {
            throw fail(root, "tracks", "missing; give a count with a base seed ({count: 4, seed: 1}) or a list of tracks")
        }
        let tracks = try self.tracks(tv, baseSeed: baseSeed)
        var spec = AlbumSpec(album: album, artist: artist, genre: genre, comment: comment, settings: settings, tracks: tracks,
                             baseFolder: baseFolder)
        spec.loudnessMode = loudnessMode
        return spec
    }

    func tracks(_ node: Node, baseSeed: UInt64) throws(AlbumSpecError) -> [TrackEntry] {
        switch node {
        case .mapping:
            let fields = try pairs(node, "tracks", allowed: ["count", "seed", "title"], what: "count, seed and title")
            var count: Int?
            var seed = baseSeed
            var title = "Track"
            for (name, _, v) in fields {
                switch name {
                case "count": count = try integer(v, "tracks.count", range: 1...AlbumSpecParser.maxTracks, unit: "a track count")
                case "seed": seed = try self.seed(v, "tracks.seed")
                default: title = try text(v, "tracks.title")
                }
            }
            guard let count else { throw fail(node, "tracks.count", "missing; give the number of tracks") }
            let line = node.mark?.line ?? 0
            return (0..<count).map { i in
                TrackEntry(title: "\(title) \(i + 1)", seed: seed &+ UInt64(i), line: line)
            }
        case .sequence(let seq):
            guard !seq.isEmpty else { throw fail(node, "tracks", "the list is empty") }
            guard seq.count <= AlbumSpecParser.maxTracks else {
                throw fail(node, "tracks", "\(seq.count) tracks; at most \(AlbumSpecParser.maxTracks)")
            }
            var out: [TrackEntry] = []
            for (i, item) in seq.enumerated() {
                let key = "tracks[\(i + 1)]"
                if case .scalar = item {
                    out.append(TrackEntry(title: try text(item, key), seed: baseSeed &+ UInt64(i), line: item.mark?.line ?? 0))
                    continue
                }
                let fields = try pairs(item, key, allowed: ["title", "seed"] + AlbumSpecParser.settingKeys, what: "title, seed and settings")
                var title: String?
                var seed = baseSeed &+ UInt64(i)
                for (name, _, v) in fields where name == "title" || name == "seed" {
                    if name == "title" { title = try text(v, "\(key).title") } else { seed = try self.seed(v, "\(key).seed") }
                }
                let overrides = try settings(item, key, allowed: ["title", "seed"] + AlbumSpecParser.settingKeys)
                out.append(TrackEntry(title: title ?? "Track \(i + 1)", seed: seed, settings: overrides, line: item.mark?.line ?? 0))
            }
            return out
        default:
            throw fail(node, "tracks", "expected a count with a base seed ({count: 4, seed: 1}) or a list of tracks")
        }
    }

    func settings(_ node: Node, _ key: String, allowed: [String]) throws(AlbumSpecError) -> TrackSettings {
        var s = TrackSettings()
        for (name, _, v) in try pairs(node, key, allowed: allowed, what: "settings") {
            let full = "\(key).\(name)"
            switch name {
            case "title", "seed": break  // of a list entry, read by the caller
            case "processors": s.processors = try processorSpecs(v, full)
            case "formats": s.formats = try formats(v, full)
            case "stems": s.stems = try boolean(v, full)
            default:
                if let d = GenerationSettings.declaration(named: name) {
                    s.generation[name] = try generationSetting(d, v, full)
                } else {
                    s.render[name] = try renderSetting(name, v, full)
                }
            }
        }
        return s
    }

    /// A generation setting's text, checked as `tunesmith generate` checks its flag; paths must exist.
    func generationSetting(_ d: SettingDeclaration, _ v: Node, _ key: String) throws(AlbumSpecError) -> String {
        let t = d.kind == .path ? try existingPath(v, key, folder: d.name == "corpus") : try text(v, key)
        var probe = GenerationSettings()
        do { try probe.set(d.name, to: t) } catch {
            // The key already names the setting: drop the flag's own "--name: " prefix.
            let prefix = "--\(d.name): "
            throw fail(v, key, error.description.hasPrefix(prefix) ? String(error.description.dropFirst(prefix.count)) : error.description)
        }
        if d.name == "length", (try? probe.parsedLength()) == .endless {
            throw fail(v, key, "an album track needs an end; use seconds (60s), notes (200n) or bars (16bars)")
        }
        return t
    }

    /// A renderer option's text, checked against the renderers that declare it; paths must exist.
    func renderSetting(_ name: String, _ v: Node, _ key: String) throws(AlbumSpecError) -> String {
        let isPath = RenderSettings.declaration(named: name, in: renderers)?.kind == .path
            && !SoundFontLocator.aliases.contains(v.string ?? "")
        let t = isPath ? try existingPath(v, key, folder: false) : try text(v, key)
        var probe = RenderSettings()
        do { try probe.set(name, to: t, registry: renderers) } catch { throw fail(v, key, "\(error)") }
        return t
    }

    func processorSpecs(_ v: Node, _ key: String) throws(AlbumSpecError) -> [String] {
        var specs: [String] = []
        for (item, itemKey) in try list(v, key) {
            let spec = try text(item, itemKey)
            do { _ = try processors.makeProcessor(spec) } catch { throw fail(item, itemKey, "\(error)") }
            specs.append(spec)
        }
        return specs
    }

    /// A yes/no value (`true`/`false`, `yes`/`no`, `on`/`off`).
    func boolean(_ v: Node, _ key: String) throws(AlbumSpecError) -> Bool {
        switch try text(v, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(v, key, "expected true or false")
        }
    }

    func formats(_ v: Node, _ key: String) throws(AlbumSpecError) -> [String] {
        var names: [String] = []
        for (item, itemKey) in try list(v, key) {
            let given = try text(item, itemKey)
            let renderer: any Renderer
            if let r = try? renderers.renderer(named: given) {
                renderer = r
            } else if let r = try? renderers.renderer(forOutput: URL(fileURLWithPath: "x." + given)) {
                renderer = r
            } else {
                throw fail(item, itemKey, "unknown format \"\(given)\"; expected one of \(renderers.names.joined(separator: ", "))")
            }
            if let reason = renderer.unavailableReason { throw fail(item, itemKey, "format \(renderer.name) is unavailable: \(reason)") }
            guard !names.contains(renderer.name) else { throw fail(item, itemKey, "format \(renderer.name) given twice") }
            names.append(renderer.name)
        }
        guard !names.isEmpty else { throw fail(v, key, "give at least one format") }
        return names
    }
}
