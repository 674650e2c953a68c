import CSndFile

/// Text tags for audio files that carry them (FLAC and Ogg Vorbis comments, via libsndfile's `sf_set_string`).
public struct AudioTags: Sendable, Hashable {
    /// Track title.
    public var title: String?
    /// Album title.
    public var album: String?
    /// Artist.
    public var artist: String?
    /// Track number, e.g. "3" or "3/8".
    public var trackNumber: String?
    /// Genre.
    public var genre: String?
    /// Free comment.
    public var comment: String?

    /// Creates tags.
    public init(title: String? = nil, album: String? = nil, artist: String? = nil, trackNumber: String? = nil,
                genre: String? = nil, comment: String? = nil) {
        self.title = title
        self.album = album
        self.artist = artist
        self.trackNumber = trackNumber
        self.genre = genre
        self.comment = comment
    }

    /// (libsndfile string kind, value) for every tag that is set.
    var fields: [(Int32, String)] {
        var out: [(Int32, String)] = []
        if let title { out.append((Int32(SF_STR_TITLE), title)) }
        if let album { out.append((Int32(SF_STR_ALBUM), album)) }
        if let artist { out.append((Int32(SF_STR_ARTIST), artist)) }
        if let trackNumber { out.append((Int32(SF_STR_TRACKNUMBER), trackNumber)) }
        if let genre { out.append((Int32(SF_STR_GENRE), genre)) }
        if let comment { out.append((Int32(SF_STR_COMMENT), comment)) }
        return out
    }
}
