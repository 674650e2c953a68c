/// One page of an Ogg bitstream (RFC 3533): the 27-byte header, the lacing values (segment table) and the body.
///
/// ``parse(_:at:)`` reads a page and checks its capture pattern, version, length and CRC; ``bytes`` writes it back
/// with a freshly computed CRC. Lacing values split the body into packets: a value below 255 ends a packet, 255
/// continues it (on the next page too when it is the page's last value).
struct OggPage: Sendable, Hashable {
    /// Header type flag: the first segment continues a packet from the previous page.
    static let continued: UInt8 = 0x01
    /// Header type flag: first page of a logical stream.
    static let beginning: UInt8 = 0x02
    /// Header type flag: last page of a logical stream.
    static let end: UInt8 = 0x04
    /// The most lacing values a page holds.
    static let maxSegments = 255
    /// Granule position of a page on which no packet ends (-1 in two's complement).
    static let noGranule = UInt64.max

    /// Header type flags (``continued``, ``beginning``, ``end``).
    var flags: UInt8
    /// Granule position (for Vorbis: the PCM sample position after the last packet ending on the page; 0 for headers).
    var granulePosition: UInt64
    /// Stream serial number.
    var serial: UInt32
    /// Page sequence number within the logical stream, from 0.
    var sequence: UInt32
    /// Lacing values, one per segment (at most 255).
    var lacing: [UInt8]
    /// The segments' bytes, concatenated.
    var body: [UInt8]

    /// Total length of the page in bytes.
    var length: Int { 27 + lacing.count + body.count }

    /// Reads the page starting at `offset` of `data`; throws ``OggError`` when it is not a valid page.
    static func parse(_ data: [UInt8], at offset: Int) throws(OggError) -> OggPage {
        guard offset + 27 <= data.count else { throw .truncated(offset: offset) }
        guard data[offset] == 0x4F, data[offset + 1] == 0x67, data[offset + 2] == 0x67, data[offset + 3] == 0x53 else {
            throw .notAPage(offset: offset)
        }
        guard data[offset + 4] == 0 else { throw .unsupportedVersion(offset: offset, version: data[offset + 4]) }
        let segments = Int(data[offset + 26])
        guard offset + 27 + segments <= data.count else { throw .truncated(offset: offset) }
        let lacing = Array(data[(offset + 27)..<(offset + 27 + segments)])
        let bodyLength = lacing.reduce(0) { $0 + Int($1) }
        let bodyStart = offset + 27 + segments
        guard bodyStart + bodyLength <= data.count else { throw .truncated(offset: offset) }
        let stored = littleEndian32(data, offset + 22)
        var header = Array(data[offset..<bodyStart])
        for k in 22..<26 { header[k] = 0 }
        let body = Array(data[bodyStart..<(bodyStart + bodyLength)])
        guard OggCRC.checksum(body, continuing: OggCRC.checksum(header)) == stored else { throw .badChecksum(offset: offset) }
        var granule: UInt64 = 0
        for k in 0..<8 { granule |= UInt64(data[offset + 6 + k]) << (8 * UInt64(k)) }
        return OggPage(flags: data[offset + 5], granulePosition: granule, serial: littleEndian32(data, offset + 14),
                       sequence: littleEndian32(data, offset + 18), lacing: lacing, body: body)
    }

    /// Every page of `data`, in order; throws ``OggError`` naming the first byte that is not a valid page.
    static func parseAll(_ data: [UInt8]) throws(OggError) -> [OggPage] {
        var pages: [OggPage] = []
        var offset = 0
        while offset < data.count {
            let page = try parse(data, at: offset)
            pages.append(page)
            offset += page.length
        }
        return pages
    }

    /// The page as bytes, with its CRC computed.
    var bytes: [UInt8] {
        var out: [UInt8] = [0x4F, 0x67, 0x67, 0x53, 0, flags]
        out.reserveCapacity(length)
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: granulePosition >> (8 * UInt64(k)))) }
        for value in [serial, sequence, 0] {
            for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(k)))) }
        }
        out.append(UInt8(lacing.count))
        out += lacing
        out += body
        let crc = OggCRC.checksum(out)
        for k in 0..<4 { out[22 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        return out
    }

    /// Whether the page's last segment ends a packet (a page may end inside one).
    var endsWithCompletePacket: Bool { lacing.last.map { $0 < 255 } ?? false }

    private static func littleEndian32(_ data: [UInt8], _ at: Int) -> UInt32 {
        UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
    }
}

/// Ogg's CRC-32: polynomial 0x04C11DB7, initial value 0, not reflected, no final xor; table-driven (one lookup per byte).
enum OggCRC {
    private static let table: [UInt32] = (0..<256).map { i in
        var crc = UInt32(i) << 24
        for _ in 0..<8 { crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        return crc
    }

    /// The CRC of `data`, continuing from `crc` (0 to start).
    static func checksum<C: Collection>(_ data: C, continuing crc: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        var crc = crc
        table.withUnsafeBufferPointer { t in
            for byte in data { crc = (crc << 8) ^ t[Int((crc >> 24) ^ UInt32(byte))] }
        }
        return crc
    }
}

/// Why an Ogg stream could not be read or rewritten.
enum OggError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(offset: Int)
    case notAPage(offset: Int)
    case unsupportedVersion(offset: Int, version: UInt8)
    case badChecksum(offset: Int)
    case noVorbisHeaders
    case severalStreams
    case headerSharesPageWithAudio

    /// A one-line reason.
    var description: String {
        switch self {
        case .truncated(let o): return "the Ogg stream is truncated (page at byte \(o))"
        case .notAPage(let o): return "no Ogg page at byte \(o) (corrupt Ogg stream)"
        case .unsupportedVersion(let o, let v): return "Ogg page at byte \(o) has unsupported version \(v)"
        case .badChecksum(let o): return "Ogg page at byte \(o) fails its CRC check (corrupt Ogg stream)"
        case .noVorbisHeaders: return "the Ogg stream does not start with the three Vorbis header packets"
        case .severalStreams: return "the Ogg file holds more than one logical stream"
        case .headerSharesPageWithAudio: return "the Vorbis setup header does not end its page"
        }
    }
}
