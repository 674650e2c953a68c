import CSndFile
import Foundation
import Support

/// Text tags for audio files: FLAC and Ogg Vorbis get Vorbis comments written by ``FLACComments`` and
/// ``OggVorbisComments`` (every field, with TRACKNUMBER and TRACKTOTAL as the Xiph recommendation has them, and
/// REPLAYGAIN_*); WAV gets libsndfile's strings (RIFF INFO chunk: INAM, IART, IPRD, ITRK, IGNR, ICMT with the
/// REPLAYGAIN_* lines after the comment, ISFT) and the loudness in its `bext` chunk (``SoundFileWriter``).
public struct AudioTags: Sendable, Hashable {
    /// Track title.
    public var title: String?
    /// Album title.
    public var album: String?
    /// Artist.
    public var artist: String?
    /// Track number, from 1.
    public var trackNumber: Int?
    /// Number of tracks of the album.
    public var trackTotal: Int?
    /// Genre.
    public var genre: String?
    /// Free comment (Tunesmith writes the seed, the model and its version here).
    public var comment: String?
    /// ReplayGain 2.0 values (gain to the -18 LUFS reference, in dB; peak linear), filled in from the render's loudness.
    public var replayGain: ReplayGain?

    /// ReplayGain 2.0 values of a track and, on an album, of the album.
    public struct ReplayGain: Sendable, Hashable {
        /// dB to add to reach -18 LUFS.
        public var trackGain: Double
        /// The track's true peak, linear.
        public var trackPeak: Double
        /// dB to add to the whole album to reach -18 LUFS, when part of an album.
        public var albumGain: Double?
        /// The album's largest true peak, linear.
        public var albumPeak: Double?

        /// Creates values.
        public init(trackGain: Double, trackPeak: Double, albumGain: Double? = nil, albumPeak: Double? = nil) {
            self.trackGain = trackGain
            self.trackPeak = trackPeak
            self.albumGain = albumGain
            self.albumPeak = albumPeak
        }

        /// ReplayGain 2.0's reference loudness in LUFS.
        public static let reference = -18.0
    }

    /// Creates tags.
    public init(title: String? = nil, album: String? = nil, artist: String? = nil, trackNumber: Int? = nil, trackTotal: Int? = nil,
                genre: String? = nil, comment: String? = nil, replayGain: ReplayGain? = nil) {
        self.title = title
        self.album = album
        self.artist = artist
        self.trackNumber = trackNumber
        self.trackTotal = trackTotal
        self.genre = genre
        self.comment = comment
        self.replayGain = replayGain
    }

    /// The tags with the track's ReplayGain filled in from the loudness the file was written at (album values kept).
    public func completed(with report: MasterReport) -> AudioTags {
        var copy = self
        guard report.output.isMeasurable else { return copy }
        let trackGain = ReplayGain.reference - report.output.integrated
        let trackPeak = pow(10, report.output.truePeak / 20)
        copy.replayGain = ReplayGain(trackGain: trackGain, trackPeak: trackPeak, albumGain: replayGain?.albumGain, albumPeak: replayGain?.albumPeak)
        return copy
    }

    /// Vorbis comments (FIELD, value) in a fixed order, for every tag that is set.
    public var vorbisComments: [(String, String)] {
        var out: [(String, String)] = []
        if let title { out.append(("TITLE", title)) }
        if let artist { out.append(("ARTIST", artist)) }
        if let album { out.append(("ALBUM", album)) }
        if let trackNumber { out.append(("TRACKNUMBER", String(trackNumber))) }
        if let trackTotal { out.append(("TRACKTOTAL", String(trackTotal))) }
        if let genre { out.append(("GENRE", genre)) }
        if let comment { out.append(("COMMENT", comment)) }
        if let rg = replayGain {
            out.append(("REPLAYGAIN_TRACK_GAIN", String(format: "%+.2f dB", rg.trackGain)))
            out.append(("REPLAYGAIN_TRACK_PEAK", String(format: "%.6f", rg.trackPeak)))
            if let g = rg.albumGain { out.append(("REPLAYGAIN_ALBUM_GAIN", String(format: "%+.2f dB", g))) }
            if let p = rg.albumPeak { out.append(("REPLAYGAIN_ALBUM_PEAK", String(format: "%.6f", p))) }
            out.append(("REPLAYGAIN_REFERENCE_LOUDNESS", String(format: "%.1f LUFS", ReplayGain.reference)))
        }
        out.append(("ENCODER", "Tunesmith \(TunesmithVersion.string)"))
        return out
    }

    /// The ReplayGain lines (`REPLAYGAIN_TRACK_GAIN=-4.00 dB`, ...) of ``vorbisComments``, for containers without
    /// Vorbis comments (WAV's comment string).
    public var replayGainLines: [String] {
        vorbisComments.filter { $0.0.hasPrefix("REPLAYGAIN_") }.map { "\($0.0)=\($0.1)" }
    }

    /// (libsndfile string kind, value) for every tag that is set (WAV's RIFF INFO chunk): the comment is followed by the
    /// ReplayGain lines, one per line.
    var fields: [(Int32, String)] {
        var out: [(Int32, String)] = []
        if let title { out.append((Int32(SF_STR_TITLE), title)) }
        if let album { out.append((Int32(SF_STR_ALBUM), album)) }
        if let artist { out.append((Int32(SF_STR_ARTIST), artist)) }
        if let trackNumber { out.append((Int32(SF_STR_TRACKNUMBER), String(trackNumber))) }
        if let genre { out.append((Int32(SF_STR_GENRE), genre)) }
        let commentLines = (comment.map { [$0] } ?? []) + replayGainLines
        if !commentLines.isEmpty { out.append((Int32(SF_STR_COMMENT), commentLines.joined(separator: "\n"))) }
        out.append((Int32(SF_STR_SOFTWARE), "Tunesmith \(TunesmithVersion.string)"))
        return out
    }
}
