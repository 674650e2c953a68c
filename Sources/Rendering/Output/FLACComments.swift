import Foundation

/// Writes a FLAC file's Vorbis comment block (the tags) itself: libsndfile has no TRACKTOTAL or REPLAYGAIN_* strings.
///
/// Rewrites the metadata blocks in place: STREAMINFO and the other blocks are kept, any old VORBIS_COMMENT and PADDING
/// blocks are replaced by one VORBIS_COMMENT holding ``AudioTags/vorbisComments``; the audio frames are copied unchanged.
enum FLACComments {
    /// Rewrites `path` (a complete FLAC file, not yet visible under its final name) with `tags`.
    static func rewrite(path: String, tags: AudioTags, reportingAs shown: String) throws(RenderError) {
        try rewrite(path: path, comments: tags.vorbisComments, reportingAs: shown)
    }

    /// Rewrites `path` with the Vorbis comments `comments` (FIELD, value), in that order.
    static func rewrite(path: String, comments: [(String, String)], reportingAs shown: String) throws(RenderError) {
        let (bytes, parsed) = try read(path: path, reportingAs: shown)
        var blocks = parsed.blocks.filter { $0.type != 4 && $0.type != 1 }
        blocks.append((4, ArraySlice(commentBlock(comments))))
        var out: [UInt8] = Array("fLaC".utf8)
        out.reserveCapacity(bytes.count + 1024)
        for (i, block) in blocks.enumerated() {
            out.append((i == blocks.count - 1 ? 0x80 : 0) | block.type)
            let n = block.body.count
            out += [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            out += block.body
        }
        out += bytes[parsed.audioOffset...]
        do {
            try Data(out).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .writeFailed(path: shown, reason: error.localizedDescription)
        }
    }

    /// The Vorbis comments (FIELD, value) of the FLAC file at `path` (empty when it has none).
    static func comments(path: String, reportingAs shown: String) throws(RenderError) -> [(String, String)] {
        let (_, parsed) = try read(path: path, reportingAs: shown)
        guard let block = parsed.blocks.first(where: { $0.type == 4 }) else { return [] }
        do {
            return try OggVorbisComments.parseComments([UInt8](repeating: 0, count: 7) + block.body).comments
        } catch {
            throw .writeFailed(path: shown, reason: "the FLAC stream's Vorbis comment block is malformed")
        }
    }

    /// The file's bytes, its metadata blocks and where its audio frames start.
    private static func read(path: String, reportingAs shown: String) throws(RenderError)
        -> ([UInt8], (blocks: [(type: UInt8, body: ArraySlice<UInt8>)], audioOffset: Int))
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .writeFailed(path: shown, reason: "cannot read back the FLAC stream to tag it")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 8, bytes[0..<4].elementsEqual("fLaC".utf8) else {
            throw .writeFailed(path: shown, reason: "the FLAC stream has no fLaC marker")
        }
        var blocks: [(type: UInt8, body: ArraySlice<UInt8>)] = []
        var offset = 4
        var last = false
        while !last {
            guard offset + 4 <= bytes.count else { throw .writeFailed(path: shown, reason: "truncated FLAC metadata") }
            last = bytes[offset] & 0x80 != 0
            let type = bytes[offset] & 0x7F
            let length = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard offset + 4 + length <= bytes.count else { throw .writeFailed(path: shown, reason: "truncated FLAC metadata block") }
            blocks.append((type, bytes[(offset + 4)..<(offset + 4 + length)]))
            offset += 4 + length
        }
        return (bytes, (blocks, offset))
    }

    /// A Vorbis comment block body (little-endian lengths, vendor string, then FIELD=value entries); FLAC's
    /// METADATA_BLOCK_VORBIS_COMMENT, and the middle of an Ogg Vorbis comment packet.
    static func commentBlock(_ comments: [(String, String)], vendor vendorName: String = "Tunesmith") -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: Int) { for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> s) & 0xFF)) } }
        let vendor = Array(vendorName.utf8)
        u32(vendor.count); out += vendor
        u32(comments.count)
        for (field, value) in comments {
            let entry = Array("\(field)=\(value)".utf8)
            u32(entry.count); out += entry
        }
        return out
    }
}
