import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a FLAC file's Vorbis comment block (the tags) itself: libsndfile has no TRACKTOTAL or REPLAYGAIN_* strings.
///
/// Only the metadata blocks are read and rebuilt: STREAMINFO and the other blocks are kept, any old VORBIS_COMMENT and
/// PADDING blocks are replaced by one VORBIS_COMMENT holding the comments, followed by a PADDING block. Where the new
/// blocks fit in the room the old ones took (the file was written with room reserved, ``reservation(for:)``, or tagged
/// before), the metadata is written over in place, in one write, as `metaflac` does with padding: the audio frames are
/// not touched. Otherwise the file is rebuilt beside it with ``padding`` bytes of room for later tags, its audio frames
/// copied unchanged by the kernel (`sendfile`), never read into memory.
enum FLACComments {
    /// Bytes of PADDING a rebuilt file gets, and a reservation adds to the tags it is made for: room for the album's
    /// ReplayGain values and a longer comment later, without rewriting the file.
    static let padding = 1024

    /// How many bytes of Vorbis comment to reserve, when the file is opened, for tags like `tags` (completed with the
    /// track's and the album's ReplayGain values later): the block they make with every ReplayGain value at its widest,
    /// plus ``padding``.
    static func reservation(for tags: AudioTags) -> Int {
        var widest = tags
        widest.replayGain = AudioTags.ReplayGain(trackGain: -100, trackPeak: 10, albumGain: -100, albumPeak: 10)
        return commentBlock(widest.vorbisComments).count + padding
    }

    /// Rewrites `path` (a complete FLAC file, not yet visible under its final name) with `tags`.
    static func rewrite(path: String, tags: AudioTags, reportingAs shown: String) throws(RenderError) {
        try rewrite(path: path, comments: tags.vorbisComments, reportingAs: shown)
    }

    /// Rewrites `path` (not yet visible under its final name) with the Vorbis comments `comments` (FIELD, value), in
    /// that order: the new file is made beside it and renamed over it.
    static func rewrite(path: String, comments: [(String, String)], reportingAs shown: String) throws(RenderError) {
        if try rewriteInPlace(path: path, reportingAs: shown, { _ in comments }) { return }
        let staging = path + ".tags"
        do {
            try rewrite(from: path, to: staging, comments: comments, reportingAs: shown)
        } catch {
            unlink(staging)
            throw error
        }
        guard rename(staging, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(staging)
            throw .writeFailed(path: shown, reason: reason)
        }
    }

    /// Writes the Vorbis comments `change` makes of the present ones over the metadata of the FLAC file at `path`, in
    /// place, when they fit in the bytes its metadata takes now (the rest becomes PADDING): one `pwrite` before the
    /// first audio frame. Returns false, the file untouched, when they do not fit or the file cannot be opened for
    /// writing (a read-only file in a writable folder can still be replaced by a rebuilt one).
    static func rewriteInPlace(path: String, reportingAs shown: String,
                               _ change: ([(String, String)]) -> [(String, String)]) throws(RenderError) -> Bool {
        let file = open(path, O_RDWR | O_CLOEXEC)
        guard file >= 0 else { return false }
        defer { close(file) }
        let parsed = try metadata(of: file, reportingAs: shown)
        let comments = change(try comments(in: parsed.blocks, reportingAs: shown))
        guard let head = head(parsed.blocks, comments: comments, filling: parsed.audioOffset) else { return false }
        let put = head.withUnsafeBytes { pwrite(file, $0.baseAddress, $0.count, 0) }
        guard put == head.count else {
            let e = errno
            throw .writeFailed(path: shown, reason: e == ENOSPC ? "no space left on device" : String(cString: strerror(e)))
        }
        return true
    }

    /// The marker and metadata blocks of a file whose blocks were `blocks`, with `comments` as its one VORBIS_COMMENT
    /// block and then a PADDING block: `room` bytes long exactly (nil when they need more), or, without `room`, with
    /// ``padding`` bytes of PADDING.
    static func head(_ blocks: [(type: UInt8, body: [UInt8])], comments: [(String, String)], filling room: Int? = nil) -> [UInt8]? {
        var kept = blocks.filter { $0.type != 4 && $0.type != 1 }
        kept.append((4, commentBlock(comments)))
        var out: [UInt8] = Array("fLaC".utf8)
        for block in kept {
            out.append(block.type)
            let n = block.body.count
            out += [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            out += block.body
        }
        let paddingBytes: Int
        if let room {
            guard out.count + 4 <= room, room - out.count - 4 < 1 << 24 else { return nil }
            paddingBytes = room - out.count - 4
        } else {
            paddingBytes = padding
        }
        // The PADDING block is the last one.
        out += [0x80 | 1, UInt8(paddingBytes >> 16 & 0xFF), UInt8(paddingBytes >> 8 & 0xFF), UInt8(paddingBytes & 0xFF)]
        out += [UInt8](repeating: 0, count: paddingBytes)
        return out
    }

    /// Writes to `destination` (created or truncated) the FLAC file at `source` with the Vorbis comments `comments`.
    static func rewrite(from source: String, to destination: String, comments: [(String, String)],
                        reportingAs shown: String) throws(RenderError) {
        try rewrite(from: source, to: destination, reportingAs: shown) { _ in comments }
    }

    /// Writes to `destination` (created or truncated) the FLAC file at `source` with the Vorbis comments `change` makes
    /// of its present ones (read from the same metadata pass).
    static func rewrite(from source: String, to destination: String, reportingAs shown: String,
                        _ change: ([(String, String)]) -> [(String, String)]) throws(RenderError) {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw .writeFailed(path: shown, reason: "cannot read back the FLAC stream to tag it") }
        defer { close(input) }
        let parsed = try metadata(of: input, reportingAs: shown)
        let out = head(parsed.blocks, comments: change(try comments(in: parsed.blocks, reportingAs: shown)))!
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw .writeFailed(path: shown, reason: String(cString: strerror(errno))) }
        defer { close(output) }
        func failed() -> RenderError {
            let e = errno
            return .writeFailed(path: shown, reason: e == ENOSPC ? "no space left on device" : String(cString: strerror(e)))
        }
        let head = out.withUnsafeBytes { Glibc.write(output, $0.baseAddress, $0.count) }
        guard head == out.count else { throw failed() }
        var status = stat()
        guard fstat(input, &status) == 0 else { throw failed() }
        var from = off_t(parsed.audioOffset)
        var remaining = Int(status.st_size) - parsed.audioOffset
        while remaining > 0 {
            let copied = sendfile(output, input, &from, remaining)
            if copied < 0, errno == EINVAL || errno == ENOSYS {
                try copyByReading(input, from: from, to: output, count: remaining, failed: failed)
                break
            }
            guard copied > 0 else { throw failed() }
            remaining -= copied
        }
    }

    /// Copies `count` bytes from `input` at `offset` to the end of `output` through a buffer (where the kernel cannot
    /// copy between the two files itself).
    private static func copyByReading(_ input: Int32, from offset: off_t, to output: Int32, count: Int,
                                      failed: () -> RenderError) throws(RenderError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var at = offset, remaining = count
        while remaining > 0 {
            let got = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress, min($0.count, remaining), at) }
            guard got > 0 else { throw failed() }
            let put = buffer.withUnsafeBytes { Glibc.write(output, $0.baseAddress, got) }
            guard put == got else { throw failed() }
            at += off_t(got)
            remaining -= got
        }
    }

    /// The Vorbis comments (FIELD, value) of the FLAC file at `path` (empty when it has none).
    static func comments(path: String, reportingAs shown: String) throws(RenderError) -> [(String, String)] {
        let input = open(path, O_RDONLY)
        guard input >= 0 else { throw .writeFailed(path: shown, reason: "cannot read back the FLAC stream to tag it") }
        defer { close(input) }
        return try comments(in: try metadata(of: input, reportingAs: shown).blocks, reportingAs: shown)
    }

    /// The Vorbis comments of a FLAC file's metadata blocks (empty when it has none).
    private static func comments(in blocks: [(type: UInt8, body: [UInt8])], reportingAs shown: String) throws(RenderError)
        -> [(String, String)]
    {
        guard let block = blocks.first(where: { $0.type == 4 }) else { return [] }
        do {
            return try OggVorbisComments.parseComments([UInt8](repeating: 0, count: 7) + block.body).comments
        } catch {
            throw .writeFailed(path: shown, reason: "the FLAC stream's Vorbis comment block is malformed")
        }
    }

    /// The metadata blocks of the open FLAC file `file` and where its audio frames start (only the metadata is read).
    private static func metadata(of file: Int32, reportingAs shown: String) throws(RenderError)
        -> (blocks: [(type: UInt8, body: [UInt8])], audioOffset: Int)
    {
        /// Exactly `count` bytes at `offset`, or nil at the end of the file.
        func bytes(at offset: Int, _ count: Int) -> [UInt8]? {
            var out = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let got = out.withUnsafeMutableBytes { pread(file, $0.baseAddress! + done, count - done, off_t(offset + done)) }
                guard got > 0 else { return nil }
                done += got
            }
            return out
        }
        guard let marker = bytes(at: 0, 4), marker.elementsEqual("fLaC".utf8) else {
            throw .writeFailed(path: shown, reason: "the FLAC stream has no fLaC marker")
        }
        var blocks: [(type: UInt8, body: [UInt8])] = []
        var offset = 4
        var last = false
        while !last {
            guard let header = bytes(at: offset, 4) else { throw .writeFailed(path: shown, reason: "truncated FLAC metadata") }
            last = header[0] & 0x80 != 0
            let length = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            guard let body = bytes(at: offset + 4, length) else {
                throw .writeFailed(path: shown, reason: "truncated FLAC metadata block")
            }
            blocks.append((header[0] & 0x7F, body))
            offset += 4 + length
        }
        return (blocks, offset)
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
