import Foundation

/// Makes Ogg files reproducible: libsndfile gives each Ogg stream a random serial number, so this
/// rewrites every page's serial to a fixed value and recomputes the page checksums.
enum OggSerialNumber {
    /// The serial number written ("TSM1").
    static let fixed: UInt32 = 0x5453_4D31

    /// Rewrites the file at `path` in place; throws ``RenderError/writeFailed(path:reason:)`` naming `shown`.
    static func normalise(path: String, reportingAs shown: String) throws(RenderError) {
        guard var bytes = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else {
            throw .writeFailed(path: shown, reason: "cannot read back the Ogg stream")
        }
        var offset = 0
        while offset + 27 <= bytes.count {
            guard bytes[offset] == 0x4F, bytes[offset + 1] == 0x67, bytes[offset + 2] == 0x67, bytes[offset + 3] == 0x53 else {
                throw .writeFailed(path: shown, reason: "unexpected Ogg page layout at byte \(offset)")
            }
            let segments = Int(bytes[offset + 26])
            guard offset + 27 + segments <= bytes.count else { break }
            var bodyLength = 0
            for k in 0..<segments { bodyLength += Int(bytes[offset + 27 + k]) }
            let length = 27 + segments + bodyLength
            guard offset + length <= bytes.count else {
                throw .writeFailed(path: shown, reason: "truncated Ogg page at byte \(offset)")
            }
            for k in 0..<4 {
                bytes[offset + 14 + k] = UInt8((fixed >> (8 * UInt32(k))) & 0xFF)
                bytes[offset + 22 + k] = 0
            }
            let crc = OggCRC.checksum(bytes[offset..<(offset + length)])
            for k in 0..<4 { bytes[offset + 22 + k] = UInt8((crc >> (8 * UInt32(k))) & 0xFF) }
            offset += length
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .writeFailed(path: shown, reason: error.localizedDescription)
        }
    }

}
