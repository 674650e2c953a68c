import Foundation
import Rendering
import Support

/// The album's ReplayGain 2.0 values, measured on the files as written once every track exists: the album's integrated
/// loudness over all tracks' final samples together (each track's lossless file, else its Ogg, decoded and metered;
/// libebur128 gates over the blocks of all tracks at once), gain = -18 LUFS - that loudness, peak = the largest true
/// peak of any track (measured as each was written). Every audio file gets REPLAYGAIN_ALBUM_GAIN/PEAK; the manifest
/// records the values and the files' new sizes and hashes.
enum AlbumReplayGain {
    /// Extensions of the audio files tagged.
    static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "oga"]

    /// Measures the album from its files in `folder` and tags them; returns `manifest` with the new file records and the
    /// album figures (unchanged when the album has no audio or is silent).
    static func apply(_ manifest: AlbumManifest, folder: URL) throws -> AlbumManifest {
        func isAudio(_ f: FileRecord) -> Bool { audioExtensions.contains(URL(fileURLWithPath: f.name).pathExtension.lowercased()) }
        var meters: [LoudnessMeter] = []
        var peak = -Double.infinity
        for track in manifest.tracks {
            let audio = track.files.filter(isAudio)
            guard let first = audio.first else { continue }
            let source = audio.first { ["wav", "flac"].contains(URL(fileURLWithPath: $0.name).pathExtension.lowercased()) } ?? first
            meters.append(try LoudnessMeter.measure(fileAt: folder.appendingPathComponent(source.name).path))
            if let p = track.loudness?.truePeakDBTP { peak = max(peak, p) }
        }
        let integrated = LoudnessMeter.integrated(of: meters)
        guard integrated.isFinite else { return manifest }
        let gain = AudioTags.ReplayGain.reference - integrated
        let linearPeak = peak.isFinite ? pow(10, peak / 20) : 1
        var out = manifest
        for t in out.tracks.indices {
            for f in out.tracks[t].files.indices where isAudio(out.tracks[t].files[f]) {
                let url = folder.appendingPathComponent(out.tracks[t].files[f].name)
                try AlbumReplayGainTagger.setAlbumValues(path: url.path, gainDecibels: gain, peak: linearPeak)
                let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
                out.tracks[t].files[f].bytes = size
                out.tracks[t].files[f].sha256 = try SHA256.hex(ofFileAt: url.path)
            }
        }
        out.loudness?.integratedLUFS = (integrated * 100).rounded() / 100
        out.loudness?.replayGainDB = (gain * 100).rounded() / 100
        out.loudness?.replayGainPeak = (linearPeak * 1_000_000).rounded() / 1_000_000
        return out
    }
}
