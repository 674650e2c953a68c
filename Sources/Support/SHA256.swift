import CCrypto
import Foundation

/// SHA-256 (FIPS 180-4) of bytes or files, for the album manifest's file hashes.
///
/// The rounds are libcrypto's (OpenSSL's EVP interface), which uses the CPU's SHA extensions where it has them: about
/// 2 GB/s on this project's machines against 350 MB/s for the best portable Swift rounds, and an album hashes every
/// file it writes. A value type: a copy carries the state so far and goes on independently.
public struct SHA256: Sendable {
    /// The libcrypto digest context (owned; copied before a shared one is fed).
    private var context: Context

    /// A fresh hash state.
    public init() { context = Context() }

    /// Feeds more bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(base, count: bytes.count)
    }

    /// Feeds more bytes.
    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The 32-byte digest (the state is consumed: the value starts again as a fresh hash).
    public mutating func finish() -> [UInt8] {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        let digest = context.finish()
        context = Context()
        return digest
    }

    /// Lowercase hex digest of `bytes`.
    public static func hex(of bytes: [UInt8]) -> String {
        var s = SHA256()
        s.update(bytes)
        return hexString(s.finish())
    }

    /// Lowercase hex digest of a file's contents, read in 1 MiB chunks into one buffer; errors name the path.
    public static func hex(ofFileAt path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.from(errno: errno, path: path, operation: "open") }
        defer { close(fd) }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var s = SHA256()
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.from(errno: errno, path: path, operation: "read")
            }
            if n == 0 { break }
            s.update(UnsafeRawBufferPointer(start: buffer, count: n))
        }
        return hexString(s.finish())
    }

    static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        out.reserveCapacity(digest.count * 2)
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return out
    }

    /// One `EVP_MD_CTX` set up for SHA-256, freed with its owner.
    private final class Context: @unchecked Sendable {
        // Mutated only through a uniquely referenced `SHA256` (copy-on-write above), so never from two threads at once.
        let pointer: OpaquePointer

        init() {
            guard let ctx = EVP_MD_CTX_new() else { fatalError("libcrypto could not allocate a digest context") }
            guard EVP_DigestInit_ex(ctx, EVP_sha256(), nil) == 1 else { fatalError("libcrypto has no SHA-256") }
            pointer = ctx
        }

        private init(copying other: Context) {
            guard let ctx = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(ctx, other.pointer) == 1 else {
                fatalError("libcrypto could not copy a digest context")
            }
            pointer = ctx
        }

        deinit { EVP_MD_CTX_free(pointer) }

        func copy() -> Context { Context(copying: self) }

        func update(_ bytes: UnsafeRawPointer, count: Int) {
            EVP_DigestUpdate(pointer, bytes, count)
        }

        func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            digest.withUnsafeMutableBufferPointer { _ = EVP_DigestFinal_ex(pointer, $0.baseAddress, &length) }
            return Array(digest.prefix(Int(length)))
        }
    }
}
