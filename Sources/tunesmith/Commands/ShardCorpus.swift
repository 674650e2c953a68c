import ArgumentParser
import Foundation
import Learning
import Support

/// `tunesmith shard-corpus`: encodes a MIDI folder once into the shard files `train --shards` streams.
struct ShardCorpus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard-corpus",
        abstract: "Encode a folder of MIDI files into a sharded corpus cache for `train --shards` (one shard per batch part).",
        discussion: """
        The scaler is fitted on the folder's songs. --songs N writes N songs: the folder's, then copies of them \
        transposed (12 intervals) and re-timed (5 tempo factors) in turn, to make a large corpus from a small one.
        """
    )

    @Option(help: "Folder of MIDI files (searched recursively).") var corpus: String
    @Option(name: .shortAndLong, help: "The cache folder to write.") var output: String
    @Option(help: "Shards: the parts of each training batch (train with the same --batch-parts).") var parts = 4
    @Option(help: "Songs to write (default: the folder's songs once).") var songs: Int?
    @Option(help: "Architecture whose input features to encode: paper, categorical or deep.") var architecture = "paper"
    @Option(help: "Timing of categorical/deep: regression or categorical (as for train).") var timing = "regression"
    @Option(help: "Read at most this many files of the corpus.") var limit: Int?
    @Flag(help: "Include the drum channel (10) in the features.") var includeDrums = false
    @Flag(help: "Replace an existing cache.") var force = false

    func run() throws {
        guard let preset = ArchitecturePreset(rawValue: architecture) else {
            throw CommandFailure("unknown architecture '\(architecture)' (available: \(ArchitecturePreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let timingHead = TimingHead(rawValue: timing) else { throw CommandFailure("unknown timing '\(timing)' (regression or categorical)") }
        guard (1...4096).contains(parts) else { throw CommandFailure("--parts must be in 1 ... 4096") }
        if let songs, songs < 1 { throw CommandFailure("--songs must be 1 or more") }
        var builder = ShardedCorpusBuilder(corpus: URL(fileURLWithPath: corpus), output: URL(fileURLWithPath: output),
                                           features: FeatureConfiguration(includeDrums: includeDrums, encoding: preset.encoding(timing: timingHead)),
                                           parts: parts, songs: songs, fileLimit: limit)
        builder.overwrite = force
        let start = Date()
        let tty = isatty(StandardStream.error) != 0
        let summary = try builder.run { n in
            if tty { StandardStream.write("\r\u{1B}[2Kencoded \(n) songs", to: StandardStream.error) }
        }
        if tty { StandardStream.write("\r\u{1B}[2K", to: StandardStream.error) }
        for f in summary.failures { StandardStream.write("warning: skipped \(f.message)\n", to: StandardStream.error) }
        let seconds = Date().timeIntervalSince(start)
        let songs = summary.index.songCount
        StandardStream.write("wrote \(output): \(songs) songs from \(summary.index.sourceSongs) files, \(summary.rows) notes, "
                             + "\(summary.bytes / 1_048_576) MiB in \(parts) shards (\(Int(Double(songs) / max(seconds, 1e-9))) songs/s)\n",
                             to: StandardStream.output)
    }
}
