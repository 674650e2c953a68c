import CSndFile
import Foundation
import Support

/// Adds an album's ReplayGain (REPLAYGAIN_ALBUM_GAIN and REPLAYGAIN_ALBUM_PEAK) to audio files already written, once
/// the whole album has been measured: FLAC's and Ogg Vorbis's Vorbis comments are rewritten (every other comment kept),
/// WAV's comment string gets the two lines (through libsndfile, which keeps the other strings and the `bext` chunk).
/// A FLAC file with room in its metadata (``FLACComments``) has the metadata written over in place, in one write before
/// its first audio frame, as `metaflac` does; every other file is replaced atomically. The audio is untouched.
public enum AlbumReplayGainTagger {
    /// Sets the album values in the file at `path` (its extension names the container): `gainDecibels` to the -18 LUFS
    /// reference, `peak` linear. Earlier album values are replaced, so running it again with the same values gives the
    /// same bytes; a file that already has these values is left as it is (not rewritten). Returns whether it was rewritten.
    @discardableResult
    public static func setAlbumValues(path: String, gainDecibels: Double, peak: Double) throws -> Bool {
        let url = URL(fileURLWithPath: path)
        let album = [("REPLAYGAIN_ALBUM_GAIN", String(format: "%+.2f dB", gainDecibels)), ("REPLAYGAIN_ALBUM_PEAK", String(format: "%.6f", peak))]
        if try hasValues(url, album) { return false }
        // FLAC with room for them (every FLAC file Tunesmith writes): the metadata written over in place, in one write.
        if url.pathExtension.lowercased() == "flac", try FLACComments.rewriteInPlace(path: url.path, reportingAs: path, { merged($0, album) }) {
            return true
        }
        try AtomicFileWriter(destination: url, overwrite: true).write { temp in
            if url.pathExtension.lowercased() == "flac" {
                // Only the metadata is rebuilt; the audio frames go from the file to the new one by the kernel.
                try FLACComments.rewrite(from: url.path, to: temp.path, reportingAs: path) { merged($0, album) }
                return
            }
            try FileManager.default.copyItem(at: url, to: temp)
            switch url.pathExtension.lowercased() {
            case "ogg", "oga":
                let bytes = [UInt8](try Data(contentsOf: temp))
                do {
                    let comments = try OggVorbisComments.read(bytes).comments
                    try Data(try OggVorbisComments.replacingComments(in: bytes, with: merged(comments, album))).write(to: temp)
                } catch let error as OggError {
                    throw RenderError.writeFailed(path: path, reason: error.description)
                }
            case "wav":
                try setWAVComment(temp.path, album: album, shown: path)
            default:
                throw RenderError.writeFailed(path: path, reason: "cannot tag a .\(url.pathExtension) file")
            }
        }
        return true
    }

    /// Whether the file already carries exactly the `album` values.
    private static func hasValues(_ url: URL, _ album: [(String, String)]) throws -> Bool {
        let present: [(String, String)]
        switch url.pathExtension.lowercased() {
        case "flac":
            present = try FLACComments.comments(path: url.path, reportingAs: url.path)
        case "ogg", "oga":
            do { present = try OggVorbisComments.read([UInt8](try Data(contentsOf: url))).comments } catch let error as OggError {
                throw RenderError.writeFailed(path: url.path, reason: error.description)
            }
        case "wav":
            var info = SF_INFO()
            guard let file = sf_open(url.path, Int32(SFM_READ), &info) else { return false }
            defer { sf_close(file) }
            let text = sf_get_string(file, Int32(SF_STR_COMMENT)).map { String(cString: $0) } ?? ""
            return album.allSatisfy { text.split(separator: "\n").contains(Substring("\($0.0)=\($0.1)")) }
        default:
            return false
        }
        return album.allSatisfy { value in present.contains { $0.0 == value.0 && $0.1 == value.1 } }
    }

    /// `comments` without earlier album values, with `album` inserted after the track values (before the reference
    /// loudness, else at the end).
    static func merged(_ comments: [(String, String)], _ album: [(String, String)]) -> [(String, String)] {
        var kept = comments.filter { !$0.0.uppercased().hasPrefix("REPLAYGAIN_ALBUM_") }
        let at = kept.firstIndex { $0.0.uppercased() == "REPLAYGAIN_REFERENCE_LOUDNESS" } ?? kept.firstIndex { $0.0.uppercased() == "ENCODER" } ?? kept.count
        kept.insert(contentsOf: album, at: at)
        return kept
    }

    /// WAV: the comment string's lines, album lines replaced, written back through libsndfile in read/write mode.
    private static func setWAVComment(_ path: String, album: [(String, String)], shown: String) throws {
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_RDWR), &info) else {
            throw RenderError.writeFailed(path: shown, reason: String(cString: sf_strerror(nil)))
        }
        let old = sf_get_string(file, Int32(SF_STR_COMMENT)).map { String(cString: $0) } ?? ""
        let lines = old.split(separator: "\n", omittingEmptySubsequences: true).map { line -> (String, String) in
            guard let eq = line.firstIndex(of: "="), line.hasPrefix("REPLAYGAIN_") else { return (String(line), "") }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }
        let text = merged(lines, album).map { $0.1.isEmpty && !$0.0.hasPrefix("REPLAYGAIN_") ? $0.0 : "\($0.0)=\($0.1)" }
            .joined(separator: "\n")
        let status = sf_set_string(file, Int32(SF_STR_COMMENT), text)
        let closed = sf_close(file)
        guard status == 0, closed == 0 else {
            throw RenderError.writeFailed(path: shown, reason: "libsndfile could not rewrite the WAV comment")
        }
    }
}
