/// The last step of writing an audio file, after libsndfile has closed it and before it is renamed into place: the
/// tags Tunesmith writes itself (FLAC's and Ogg Vorbis's Vorbis comments, see ``FLACComments`` and
/// ``OggVorbisComments``) and Ogg's fixed serial number (``OggSerialNumber``). WAV's tags are libsndfile's, written on
/// closing.
enum AudioFileTagger {
    /// Finishes the file at `path` in `container`, tagging it with `tags` (nil: untagged); errors name `shown`.
    static func finish(_ path: String, container: AudioFileFormat.Container, tags: AudioTags?, reportingAs shown: String) throws(RenderError) {
        switch container {
        case .wav:
            return
        case .flac:
            if let tags { try FLACComments.rewrite(path: path, tags: tags, reportingAs: shown) }
        case .ogg:
            if let tags { try OggVorbisComments.rewrite(path: path, comments: tags.vorbisComments, reportingAs: shown) }
            try OggSerialNumber.normalise(path: path, reportingAs: shown)
        }
    }
}
