import CSndFile

/// A libsndfile container + sample encoding Tunesmith writes.
public struct AudioFileFormat: Sendable, Hashable, CustomStringConvertible {
    /// Containers.
    public enum Container: String, Sendable, Hashable { case wav, flac, ogg }
    /// Sample encodings.
    public enum Encoding: String, Sendable, Hashable {
        case pcm16 = "16", pcm24 = "24", float32 = "32f", vorbis
    }

    /// The container.
    public var container: Container
    /// The sample encoding.
    public var encoding: Encoding

    /// Creates a format.
    public init(_ container: Container, _ encoding: Encoding) {
        self.container = container
        self.encoding = encoding
    }

    /// The libsndfile `SF_FORMAT_*` value.
    var sndfileFormat: Int32 {
        let major: Int32
        switch container {
        case .wav: major = Int32(SF_FORMAT_WAV)
        case .flac: major = Int32(SF_FORMAT_FLAC)
        case .ogg: major = Int32(SF_FORMAT_OGG)
        }
        let minor: Int32
        switch encoding {
        case .pcm16: minor = Int32(SF_FORMAT_PCM_16)
        case .pcm24: minor = Int32(SF_FORMAT_PCM_24)
        case .float32: minor = Int32(SF_FORMAT_FLOAT)
        case .vorbis: minor = Int32(SF_FORMAT_VORBIS)
        }
        return major | minor
    }

    /// Whether the libsndfile loaded at run time can write this format (stereo, at `sampleRate`).
    public func isSupported(sampleRate: Int = 44_100) -> Bool {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = 2
        info.format = sndfileFormat
        return sf_format_check(&info) == Int32(SF_TRUE)
    }

    /// The names of the major formats the loaded libsndfile lists (e.g. "WAV (Microsoft)", "OGG (OGG Container format)").
    public static var libraryMajorFormats: [String] {
        var count: Int32 = 0
        sf_command(nil, Int32(SFC_GET_FORMAT_MAJOR_COUNT), &count, Int32(MemoryLayout<Int32>.size))
        var names: [String] = []
        for i in 0..<count {
            var info = SF_FORMAT_INFO()
            info.format = i
            sf_command(nil, Int32(SFC_GET_FORMAT_MAJOR), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size))
            if let name = info.name { names.append(String(cString: name)) }
        }
        return names
    }

    /// "WAV 16-bit" etc.
    public var description: String {
        switch encoding {
        case .pcm16: return "\(container.rawValue.uppercased()) 16-bit"
        case .pcm24: return "\(container.rawValue.uppercased()) 24-bit"
        case .float32: return "\(container.rawValue.uppercased()) 32-bit float"
        case .vorbis: return "Ogg Vorbis"
        }
    }
}
