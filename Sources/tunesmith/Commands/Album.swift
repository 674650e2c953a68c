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

/// Prints an error as one line and exits non-zero (130 after Ctrl-C).
private func fail(_ error: Error) -> ExitCode {
    let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
    StandardStream.write(Array("error: \(text)\n".utf8), to: StandardStream.error)
    if case AlbumError.interrupted = error { return ExitCode(130) }
    return ExitCode.failure
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
        do {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            let shard = try self.shard.map { s throws(AlbumError) in try Shard(parsing: s) }
            let parsed = try AlbumSpecParser().parse(fileAt: spec)
            let folder = URL(fileURLWithPath: output ?? FileNaming.safeTitle(parsed.album))
            let cancellation = RenderCancellation()
            let exporter = AlbumExporter(spec: parsed, folder: folder, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                         shard: shard, force: force, cancellation: cancellation)
            let display = ProgressDisplay()
            let handlers = InterruptHandling.install { cancellation.cancel() }
            defer { withExtendedLifetime(handlers) {} }
            let result: AlbumExportResult
            do {
                result = try exporter.run { display.handle($0) }
                display.finish()
            } catch {
                display.finish()
                throw error
            }
            let what = shard.map { "shard \($0) (\(exporter.manifestURL.lastPathComponent))" } ?? "album"
            print(String(format: "%@: %@ in %@: %d rendered, %d up to date, %.1f s", parsed.album, what, folder.path,
                         result.rendered.count, result.skipped.count, result.seconds))
        } catch let error as ValidationError {
            throw error
        } catch {
            throw fail(error)
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
        do {
            guard !folders.isEmpty else { throw ValidationError("give at least one shard folder") }
            let merged = try AlbumMerger(folders: folders.map { URL(fileURLWithPath: $0) }, output: output.map { URL(fileURLWithPath: $0) },
                                         force: force).run()
            print("\(merged.album): merged \(merged.tracks.count) tracks into \(output ?? folders[0])")
        } catch let error as ValidationError {
            throw error
        } catch {
            throw fail(error)
        }
    }
}
