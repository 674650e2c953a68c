import Dispatch
import Foundation
import Synchronization
import Rendering
import Support

/// The album's ReplayGain 2.0 values, measured on the files as written once every track exists: the album's integrated
/// loudness over all tracks' final samples together (each track's lossless file, else its Ogg; BS.1770 gating over the
/// 400 ms blocks of all tracks at once, from the 100 ms block energies measured as the file was written, or
/// from the file decoded when it was written by an earlier run or another shard), gain = -18 LUFS - that loudness,
/// peak = the largest true peak of any track (measured as each was written). Every audio file gets
/// REPLAYGAIN_ALBUM_GAIN/PEAK; the manifest records the values and the files' new sizes and hashes.
enum AlbumReplayGain {
    /// Extensions of the audio files tagged.
    static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "oga"]

    /// Measures the album from its files in `folder` and tags them; returns `manifest` with the new file records and the
    /// album figures (unchanged when the album has no audio or is silent). `measured` holds, by file name, the block
    /// energies of files metered as they were written in this run (``RenderSummary/blockEnergies``); the others are decoded.
    static func apply(_ manifest: AlbumManifest, folder: URL, measured: [String: [Double]] = [:]) throws -> AlbumManifest {
        func isAudio(_ f: FileRecord) -> Bool { audioExtensions.contains(URL(fileURLWithPath: f.name).pathExtension.lowercased()) }
        // Each track's file: its blocks as metered while written, else decoded and metered (side by side).
        var sources: [(name: String, path: String)] = []
        var peak = -Double.infinity
        for track in manifest.tracks {
            let audio = track.files.filter(isAudio)
            guard let first = audio.first else { continue }
            let source = audio.first { ["wav", "flac"].contains(URL(fileURLWithPath: $0.name).pathExtension.lowercased()) } ?? first
            sources.append((source.name, folder.appendingPathComponent(source.name).path))
            if let p = track.loudness?.truePeakDBTP { peak = max(peak, p) }
        }
        let blocks = Mutex<[Int: [Double]]>([:])
        let failure = Mutex<(any Error)?>(nil)
        let paths = sources.map(\.path)
        let toDecode = sources.indices.filter { measured[sources[$0].name] == nil }
        DispatchQueue.concurrentPerform(iterations: toDecode.count) { j in
            let i = toDecode[j]
            do {
                let meter = try LoudnessMeter.measure(fileAt: paths[i])
                blocks.withLock { $0[i] = meter.blockEnergyList }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let decoded = blocks.withLock { $0 }
        let parts = sources.indices.map { measured[sources[$0].name] ?? decoded[$0] ?? [] }
        let integrated = LoudnessMeter.integrated(ofBlocks: parts)
        guard integrated.isFinite else { return manifest }
        let gain = AudioTags.ReplayGain.reference - integrated
        let linearPeak = peak.isFinite ? pow(10, peak / 20) : 1
        // Every audio file tagged and hashed again, the files side by side.
        var out = manifest
        let targets = out.tracks.indices.flatMap { t in out.tracks[t].files.indices.filter { isAudio(out.tracks[t].files[$0]) }.map { (t, $0) } }
        let names = targets.map { out.tracks[$0.0].files[$0.1].name }
        let records = Mutex<[Int: (bytes: Int, sha256: String)]>([:])
        let tagFailure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: names.count) { i in
            do {
                let url = folder.appendingPathComponent(names[i])
                try AlbumReplayGainTagger.setAlbumValues(path: url.path, gainDecibels: gain, peak: linearPeak)
                let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
                let hash = try SHA256.hex(ofFileAt: url.path)
                records.withLock { $0[i] = (size, hash) }
            } catch {
                tagFailure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = tagFailure.withLock({ $0 }) { throw error }
        let written = records.withLock { $0 }
        for (i, (t, f)) in targets.enumerated() {
            guard let r = written[i] else { continue }
            out.tracks[t].files[f].bytes = r.bytes
            out.tracks[t].files[f].sha256 = r.sha256
        }
        out.loudness?.integratedLUFS = (integrated * 100).rounded() / 100
        out.loudness?.replayGainDB = (gain * 100).rounded() / 100
        out.loudness?.replayGainPeak = (linearPeak * 1_000_000).rounded() / 1_000_000
        return out
    }
}

