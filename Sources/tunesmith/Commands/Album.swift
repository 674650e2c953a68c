import Album
import ArgumentParser
import Foundation
import MIDI
import Rendering
import Support

/// `tunesmith album SPEC.yaml`: renders an album of generated tracks; `tunesmith album merge DIR...` joins shards.
struct AlbumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "album",
        abstract: "Batch-render an album of generated tracks (parallel, resumable, shardable) from a YAML or JSON spec.",
        subcommands: [AlbumExport.self, AlbumMerge.self],
        defaultSubcommand: AlbumExport.self
    )
}

/// The export itself (the default subcommand).
struct AlbumExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Render the album a spec describes (the default: `tunesmith album SPEC.yaml`).",
        discussion: """
        Writes one file per track and format (`NN - Title.ext`), manifest.json (seeds, options, durations, sizes, \
        SHA-256), album.m3u8 and a self-contained index.html. Re-running skips tracks whose files match the manifest. \
        Ctrl-C stops cleanly, keeping only complete files. --shard i/n renders the i-th of n parts (e.g. one per job of \
        a Kubernetes indexed Job or Slurm array); join them with `tunesmith album merge`.
        """
    )

    @Argument(help: "Album spec (.yaml, .yml or .json).") var spec: String
    @Option(name: .shortAndLong, help: "Output folder (default: the album title, in the current folder).") var output: String?
    @Option(help: "Tracks produced at once (default: the number of cores).") var jobs: Int?
    @Option(help: "Render only part i of n (1-based), e.g. 2/4.") var shard: String?
    @Flag(help: "Replace files in the output folder that the manifest does not record.") var force = false

    func run() throws {
        if let jobs, jobs < 1 { throw CommandFailure("--jobs: bad value \"\(jobs)\"; expected 1 or more") }
        let shard = try self.shard.map { s throws(AlbumError) in try Shard(parsing: s) }
        let parsed = try AlbumSpecParser().parse(fileAt: spec)
        let folder = URL(fileURLWithPath: output ?? FileNaming.safeTitle(parsed.album))
        let display = ProgressDisplay()
        try Interruptible.run { cancellation in
            let exporter = AlbumExporter(spec: parsed, folder: folder, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                         shard: shard, force: force, cancellation: cancellation)
            defer { display.finish() }
            let result = try exporter.run { display.handle($0) }
            display.finish()
            let what = shard.map { "shard \($0) (\(exporter.manifestURL.lastPathComponent))" } ?? "album"
            print(String(format: "%@: %@ in %@: %d rendered, %d up to date, %.1f s", parsed.album, what, folder.path,
                         result.rendered.count, result.skipped.count, result.seconds))
        }
    }
}

/// `tunesmith album merge DIR...`: rebuilds the manifest, playlist and page from shard folders.
struct AlbumMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join album shards: verify their files and write manifest.json, album.m3u8 and index.html."
    )

    @Argument(help: "Folders holding shard outputs (manifest.shard-I-of-N.json and the tracks).") var folders: [String]
    @Option(name: .shortAndLong, help: "Folder for the merged album (default: the first folder).") var output: String?
    @Flag(help: "Replace differing files in the output folder.") var force = false

    func run() throws {
            guard !folders.isEmpty else { throw CommandFailure("give at least one shard folder") }
            let merged = try AlbumMerger(folders: folders.map { URL(fileURLWithPath: $0) }, output: output.map { URL(fileURLWithPath: $0) },
                                         force: force).run()
            print("\(merged.album): merged \(merged.tracks.count) tracks into \(output ?? folders[0])")
    }
}
