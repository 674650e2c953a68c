import Foundation

/// Writes a FLAC file's Vorbis comment block (the tags) itself: libsndfile has no TRACKTOTAL or REPLAYGAIN_* strings.
///
/// Rewrites the metadata blocks in place: STREAMINFO and the other blocks are kept, any old VORBIS_COMMENT and PADDING
/// blocks are replaced by one VORBIS_COMMENT holding ``AudioTags/vorbisComments``; the audio frames are copied unchanged.
enum FLACComments {
    /// Rewrites `path` (a complete FLAC file, not yet visible under its final name).
    static func rewrite(path: String, tags: AudioTags, reportingAs shown: String) throws(RenderError) {
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
            if type != 4 && type != 1 { blocks.append((type, bytes[(offset + 4)..<(offset + 4 + length)])) }
            offset += 4 + length
        }
        blocks.append((4, ArraySlice(commentBlock(tags.vorbisComments))))
        var out: [UInt8] = Array("fLaC".utf8)
        out.reserveCapacity(bytes.count + 1024)
        for (i, block) in blocks.enumerated() {
            out.append((i == blocks.count - 1 ? 0x80 : 0) | block.type)
            let n = block.body.count
            out += [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            out += block.body
        }
        out += bytes[offset...]
        do {
            try Data(out).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .writeFailed(path: shown, reason: error.localizedDescription)
        }
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
