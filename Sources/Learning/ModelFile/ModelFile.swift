import Foundation
import MIDI

/// The Tunesmith model file format, versions 1, 2 and 3 (all integers little-endian):
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `TSMODEL\n` |
/// | 4 | UInt32 format version (1; 2 when the header uses an input encoding or a categorical head; 3 for a stateful model or style inputs) |
/// | 4 | UInt32 header length H |
/// | H | UTF-8 JSON ``ModelHeader`` (architecture, tensor layout, scaler, features, loss, training record, blob index, optional checkpoint state) |
/// | 8 | UInt64 blob length N in bytes |
/// | N | Float32 arrays named in the header's `blobs` (always "weights") |
/// | 4 | UInt32 CRC-32 (zlib) of every preceding byte |
public enum ModelFile {
    /// Magic bytes at offset 0.
    public static let magic: [UInt8] = Array("TSMODEL\n".utf8)
    /// Newest format version read and written. Version 2 adds optional header fields (an input encoding in the
    /// feature configuration, a categorical pitch head in the loss); a model without them is still written as
    /// version 1, byte-compatible with earlier readers, and version 1 files read unchanged.
    /// Version 3 adds a stateful architecture (``Architecture/stateful``) and style names in the input encoding;
    /// models without them keep versions 1 and 2.
    public static let version: UInt32 = 3

    /// The version a header needs: 3 when it uses a version-3 field, 2 for a version-2 field, else 1.
    static func version(for header: ModelHeader) -> UInt32 {
        if header.architecture.stateful != nil || !(header.features.encoding?.styles.isEmpty ?? true) { return 3 }
        return header.features.encoding != nil || header.loss.categorical != nil ? 2 : 1
    }

    /// Encodes a header and its named blobs to bytes (the header's `blobs` index is filled in).
    public static func encode(header: ModelHeader, blobs: [(String, [Float])]) throws -> [UInt8] {
        var h = header
        var offset = 0
        h.blobs = blobs.map { name, values in
            defer { offset += values.count }
            return BlobEntry(name: name, offset: offset, count: values.count)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(h))
        var out = magic
        append(&out, version(for: h))
        append(&out, UInt32(json.count))
        out += json
        append(&out, UInt64(offset * 4))
        out.reserveCapacity(out.count + offset * 4 + 4)
        for (_, values) in blobs {
            for v in values { append(&out, v.bitPattern) }
        }
        let crc = out.withUnsafeBytes { CRC32.checksum($0) }
        append(&out, crc)
        return out
    }

    /// Decodes bytes into the header and its blobs, validating magic, version, length, checksum and shapes.
    public static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> (header: ModelHeader, blobs: [String: [Float]]) {
        guard bytes.count >= 8, Array(bytes[0..<8]) == magic else { throw .notAModel(path: path) }
        guard bytes.count >= 16 else { throw .truncated(path: path) }
        let version = read32(bytes, 8)
        guard version <= Self.version, version >= 1 else { throw .unsupportedVersion(path: path, version: version) }
        let h = Int(read32(bytes, 12))
        guard bytes.count >= 16 + h + 8 else { throw .truncated(path: path) }
        let n = read64(bytes, 16 + h)
        guard n % 4 == 0, n <= UInt64(bytes.count), bytes.count == 16 + h + 8 + Int(n) + 4 else {
            throw bytes.count < 16 + h + 8 + Int(min(n, UInt64(Int.max / 2))) + 4 ? .truncated(path: path) : .checksumMismatch(path: path)
        }
        let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
        guard crc == read32(bytes, bytes.count - 4) else { throw .checksumMismatch(path: path) }
        let header: ModelHeader
        do {
            header = try JSONDecoder().decode(ModelHeader.self, from: Data(bytes[16..<(16 + h)]))
        } catch {
            throw .invalidHeader(path: path, reason: "\(error)")
        }
        if let problem = header.architecture.limitViolation { throw .invalidHeader(path: path, reason: problem) }
        let blobStart = 16 + h + 8
        let scalars = Int(n) / 4
        var blobs: [String: [Float]] = [:]
        for b in header.blobs {
            guard b.offset >= 0, b.count >= 0, b.offset <= scalars, b.count <= scalars - b.offset else {
                throw .invalidHeader(path: path, reason: "blob \(b.name) lies outside the data")
            }
            var values = [Float](repeating: 0, count: b.count)
            for i in 0..<b.count { values[i] = Float(bitPattern: read32(bytes, blobStart + 4 * (b.offset + i))) }
            blobs[b.name] = values
        }
        return (header, blobs)
    }

    private static func append(_ out: inout [UInt8], _ v: UInt32) {
        for i in 0..<4 { out.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) }
    }
    private static func append(_ out: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { out.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) }
    }
    private static func read32(_ b: [UInt8], _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
    private static func read64(_ b: [UInt8], _ o: Int) -> UInt64 {
        UInt64(read32(b, o)) | UInt64(read32(b, o + 4)) << 32
    }
}
