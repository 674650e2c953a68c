import Foundation

/// Writes an Ogg Vorbis file's comment header (the tags) itself: libsndfile's string API has no TRACKTOTAL or
/// REPLAYGAIN_* fields, so after libsndfile has written the file the comment packet (the second of the three Vorbis
/// header packets) is replaced by one holding ``AudioTags/vorbisComments``, with libvorbis's vendor string kept.
///
/// The header packets are reassembled from their pages (the comment and setup packets usually share the second page and
/// may span several), the comment packet replaced, the header packets laid out on new pages (the identification packet
/// alone on the first page, then the comment and setup packets; granule position 0 on a page where a header packet
/// ends, -1 where none does), and every following page renumbered and its CRC recomputed. The audio pages' bodies are
/// copied unchanged, so the file decodes to the same samples.
enum OggVorbisComments {
    /// The header packets of a Vorbis stream and where its audio pages start.
    struct Headers: Sendable {
        /// Identification, comment and setup packets.
        var packets: [[UInt8]]
        /// Index of the first page after the header pages.
        var firstAudioPage: Int
    }

    /// Rewrites the file at `path` (a complete Ogg Vorbis file, not yet visible under its final name) with `comments`.
    static func rewrite(path: String, comments: [(String, String)], reportingAs shown: String) throws(RenderError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .writeFailed(path: shown, reason: "cannot read back the Ogg stream to tag it")
        }
        let out: [UInt8]
        do {
            out = try replacingComments(in: [UInt8](data), with: comments)
        } catch {
            throw .writeFailed(path: shown, reason: error.description)
        }
        do {
            try Data(out).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .writeFailed(path: shown, reason: error.localizedDescription)
        }
    }

    /// The Ogg Vorbis stream `data` with its comment packet replaced by `comments` (vendor string kept).
    static func replacingComments(in data: [UInt8], with comments: [(String, String)]) throws(OggError) -> [UInt8] {
        let pages = try OggPage.parseAll(data)
        let headers = try headerPackets(pages)
        let vendor = try parseComments(headers.packets[1]).vendor
        let packet = commentPacket(vendor: vendor, comments: comments)
        let serial = pages[0].serial
        var out: [UInt8] = []
        out.reserveCapacity(data.count + packet.count)
        let headerPages = paginate([headers.packets[0]], serial: serial, firstSequence: 0, beginning: true)
            + paginate([packet, headers.packets[2]], serial: serial, firstSequence: 1, beginning: false)
        for page in headerPages { out += page.bytes }
        var sequence = UInt32(headerPages.count)
        for var page in pages[headers.firstAudioPage...] {
            page.sequence = sequence
            sequence &+= 1
            out += page.bytes
        }
        return out
    }

    /// The (vendor, comments) of the stream `data`, as written in its comment packet.
    static func read(_ data: [UInt8]) throws(OggError) -> (vendor: String, comments: [(String, String)]) {
        try parseComments(headerPackets(OggPage.parseAll(data)).packets[1])
    }

    /// Reassembles the three header packets from the first pages (one logical stream, Vorbis) and finds the first
    /// audio page; the setup packet must end its page, as the Vorbis specification requires.
    static func headerPackets(_ pages: [OggPage]) throws(OggError) -> Headers {
        guard let first = pages.first, first.flags & OggPage.beginning != 0 else { throw .noVorbisHeaders }
        guard pages.allSatisfy({ $0.serial == first.serial }) else { throw .severalStreams }
        var packets: [[UInt8]] = []
        var current: [UInt8] = []
        for (index, page) in pages.enumerated() {
            var position = 0
            for (k, value) in page.lacing.enumerated() {
                current += page.body[position..<(position + Int(value))]
                position += Int(value)
                guard value < 255 else { continue }
                packets.append(current)
                current = []
                if packets.count == 3 {
                    guard k == page.lacing.count - 1 else { throw .headerSharesPageWithAudio }
                    guard packets[0].starts(with: [1] + Array("vorbis".utf8)), packets[1].starts(with: [3] + Array("vorbis".utf8)),
                          packets[2].starts(with: [5] + Array("vorbis".utf8)) else { throw .noVorbisHeaders }
                    return Headers(packets: packets, firstAudioPage: index + 1)
                }
            }
        }
        throw .noVorbisHeaders
    }

    /// Lays `packets` out on pages from `firstSequence`: each page holds at most 255 lacing values; a packet that does
    /// not fit continues on the next page (flagged as continued). Granule position 0 where a packet ends, else -1.
    static func paginate(_ packets: [[UInt8]], serial: UInt32, firstSequence: UInt32, beginning: Bool) -> [OggPage] {
        // The lacing values of all packets with, for each, the packet it belongs to and its byte range.
        var segments: [(lacing: UInt8, packet: Int, start: Int)] = []
        for (p, packet) in packets.enumerated() {
            var start = 0
            while packet.count - start >= 255 {
                segments.append((255, p, start))
                start += 255
            }
            segments.append((UInt8(packet.count - start), p, start))
        }
        var pages: [OggPage] = []
        var index = 0
        var continued = false
        while index < segments.count {
            let slice = segments[index..<min(segments.count, index + OggPage.maxSegments)]
            var body: [UInt8] = []
            body.reserveCapacity(slice.count * 255)
            for s in slice { body += packets[s.packet][s.start..<(s.start + Int(s.lacing))] }
            let lacing = slice.map(\.lacing)
            var flags: UInt8 = continued ? OggPage.continued : 0
            if beginning && pages.isEmpty { flags |= OggPage.beginning }
            let endsAPacket = lacing.contains { $0 < 255 }
            pages.append(OggPage(flags: flags, granulePosition: endsAPacket ? 0 : OggPage.noGranule, serial: serial,
                                 sequence: firstSequence + UInt32(pages.count), lacing: lacing, body: body))
            continued = lacing.last == 255
            index += slice.count
        }
        return pages
    }

    /// A Vorbis comment packet: type 3, "vorbis", the vendor string, the FIELD=value entries (little-endian lengths),
    /// then the framing bit.
    static func commentPacket(vendor: String, comments: [(String, String)]) -> [UInt8] {
        [3] + Array("vorbis".utf8) + FLACComments.commentBlock(comments, vendor: vendor) + [1]
    }

    /// The vendor string and the comments of a comment packet.
    static func parseComments(_ packet: [UInt8]) throws(OggError) -> (vendor: String, comments: [(String, String)]) {
        var at = 7
        func u32() throws(OggError) -> Int {
            guard at + 4 <= packet.count else { throw .noVorbisHeaders }
            let v = Int(packet[at]) | Int(packet[at + 1]) << 8 | Int(packet[at + 2]) << 16 | Int(packet[at + 3]) << 24
            at += 4
            return v
        }
        func string() throws(OggError) -> String {
            let n = try u32()
            guard n <= packet.count - at else { throw .noVorbisHeaders }
            defer { at += n }
            return String(decoding: packet[at..<(at + n)], as: UTF8.self)
        }
        let vendor = try string()
        let count = try u32()
        var comments: [(String, String)] = []
        for _ in 0..<count {
            let entry = try string()
            guard let eq = entry.firstIndex(of: "=") else { continue }
            comments.append((String(entry[..<eq]), String(entry[entry.index(after: eq)...])))
        }
        return (vendor, comments)
    }
}
