import Foundation
import MIDI
import Support

/// Rebuilds a whole album from shard folders: checks that the shards' manifests cover every track once
/// (same album), verifies every file's SHA-256, copies files into the output folder when they live
/// elsewhere, and writes `manifest.json`, `album.m3u8` and `index.html` there.
public struct AlbumMerger: Sendable {
    /// Folders holding shard manifests (`manifest.shard-I-of-N.json`) or whole manifests.
    public var folders: [URL]
    /// Where the merged album goes (default: the first folder).
    public var output: URL
    /// Replace files in the output folder that differ and are not recorded.
    public var force: Bool

    /// Creates a merger.
    public init(folders: [URL], output: URL? = nil, force: Bool = false) {
        self.folders = folders.map(\.standardizedFileURL)
        self.output = (output ?? folders.first ?? URL(fileURLWithPath: ".")).standardizedFileURL
        self.force = force
    }

    /// The manifests found in a folder.
    static func manifests(in folder: URL) throws -> [(URL, AlbumManifest)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw AlbumError.badOutputFolder(path: folder.path, reason: "not a readable folder")
        }
        return try names.filter { $0.hasPrefix("manifest.shard-") && $0.hasSuffix(".json") }.sorted().map { name in
            let url = folder.appendingPathComponent(name)
            return (url, try AlbumManifest(contentsOf: url))
        }
    }

    /// Merges; returns the merged manifest.
    @discardableResult
    public func run() throws -> AlbumManifest {
        guard !folders.isEmpty else { throw AlbumError.incompleteMerge(reason: "no folders given") }
        var found: [(folder: URL, url: URL, manifest: AlbumManifest)] = []
        for f in folders {
            let ms = try Self.manifests(in: f)
            if ms.isEmpty { throw AlbumError.incompleteMerge(reason: "\(f.path) holds no shard manifest (manifest.shard-I-of-N.json)") }
            found += ms.map { (f, $0.0, $0.1) }
        }
        let first = found[0].manifest
        var byNumber: [Int: (record: TrackRecord, folder: URL)] = [:]
        for (folder, url, m) in found {
            guard m.album == first.album, m.artist == first.artist, m.trackCount == first.trackCount, m.genre == first.genre,
                  m.comment == first.comment else {
                throw AlbumError.incompleteMerge(reason: "\(url.path) belongs to another album than \(found[0].url.path)")
            }
            for r in m.tracks {
                if let other = byNumber[r.number] {
                    if other.record != r { throw AlbumError.incompleteMerge(reason: "track \(r.number) differs between \(other.folder.path) and \(folder.path)") }
                    continue
                }
                byNumber[r.number] = (r, folder)
            }
        }
        let missing = (1...max(1, first.trackCount)).filter { byNumber[$0] == nil }
        guard missing.isEmpty else {
            throw AlbumError.incompleteMerge(reason: "tracks \(missing.map(String.init).joined(separator: ", ")) of \(first.trackCount) are missing (a shard unfinished or not given)")
        }
        // Verify every file, then bring it into the output folder.
        try AlbumExporter(spec: AlbumSpec(album: "", artist: "", tracks: [], baseFolder: output), folder: output).prepareFolder()
        // A file an earlier merge tagged with the album's ReplayGain has the hash that merge recorded in its folder's
        // manifest.json, not its shard's.
        func tagged(in folder: URL) -> [String: String] {
            let merged = try? AlbumManifest(contentsOf: folder.appendingPathComponent(AlbumManifest.fileName))
            return Dictionary((merged?.tracks ?? []).flatMap(\.files).map { ($0.name, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        }
        var taggedByFolder: [URL: [String: String]] = [:]
        for folder in Set(byNumber.values.map(\.folder)).union([output]) { taggedByFolder[folder] = tagged(in: folder) }
        for (record, folder) in byNumber.values.sorted(by: { $0.record.number < $1.record.number }) {
            for f in record.files {
                let source = folder.appendingPathComponent(f.name)
                let hash = try? SHA256.hex(ofFileAt: source.path)
                guard let hash, hash == f.sha256 || hash == taggedByFolder[folder]?[f.name] else {
                    throw AlbumError.hashMismatch(path: source.path)
                }
                if folder == output { continue }
                let target = output.appendingPathComponent(f.name)
                if FileManager.default.fileExists(atPath: target.path) {
                    let existing = try? SHA256.hex(ofFileAt: target.path)
                    if existing == hash || (existing != nil && existing == taggedByFolder[output]?[f.name]) { continue }
                    if !force { throw AlbumError.foreignFile(path: target.path) }
                }
                try AtomicFileWriter(destination: target, overwrite: true).write { temp in
                    try FileManager.default.copyItem(at: source, to: temp)
                }
            }
        }
        var merged = AlbumManifest(album: first.album, artist: first.artist, genre: first.genre, comment: first.comment,
                                   trackCount: first.trackCount, shard: nil, tool: first.tool,
                                   tracks: byNumber.values.map(\.record).sorted { $0.number < $1.number })
        if let loudness = first.loudness {
            // The album's figures over every shard's tracks.
            merged.loudness = AlbumLoudnessPlan.record(mode: loudness.mode, target: loudness.targetLUFS, albumGain: loudness.albumGainDB,
                                                       tracks: merged.tracks)
        }
        let manifestURL = output.appendingPathComponent(AlbumManifest.fileName)
        if !force, FileManager.default.fileExists(atPath: manifestURL.path),
           (try? AlbumManifest(contentsOf: manifestURL))?.album != merged.album {
            throw AlbumError.foreignFile(path: manifestURL.path)
        }
        // The album's ReplayGain over every shard's files.
        merged = try AlbumReplayGain.apply(merged, folder: output)
        try merged.write(to: manifestURL)
        try AlbumExporter.writePage(merged, in: output)
        return merged
    }
}
