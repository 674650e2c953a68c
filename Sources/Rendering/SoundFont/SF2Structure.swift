import Foundation

/// A structural check of an SF2 file's RIFF layout, done before FluidSynth sees it, so a corrupt
/// or truncated file gets a precise one-line error (and never reaches fallback loaders).
enum SF2Structure {
    /// Record size of each required `pdta` sub-chunk.
    static let recordSizes: [String: Int] = [
        "phdr": 38, "pbag": 4, "pmod": 10, "pgen": 4, "inst": 22, "ibag": 4, "imod": 10, "igen": 4, "shdr": 46,
    ]

    /// Throws ``RenderError/soundFontInvalid(path:reason:)`` naming the first problem found.
    static func validate(_ path: String) throws(RenderError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .soundFontUnreadable(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let fileSize = (try? handle.seekToEnd()).map(Int.init) ?? 0
        func read(_ offset: Int, _ count: Int) -> [UInt8] {
            guard (try? handle.seek(toOffset: UInt64(offset))) != nil else { return [] }
            return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
        }
        func u32(_ b: [UInt8], _ at: Int) -> Int {
            Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
        }
        func id(_ b: [UInt8], _ at: Int) -> String { String(decoding: b[at..<at + 4], as: UTF8.self) }
        func bad(_ reason: String) -> RenderError { .soundFontInvalid(path: path, reason: reason) }

        let head = read(0, 12)
        guard head.count == 12 else { throw bad("file is too short to be an SF2 file") }
        guard id(head, 0) == "RIFF", id(head, 8) == "sfbk" else { throw bad("not a RIFF sfbk (SF2) file") }
        let riffEnd = 8 + u32(head, 4)
        guard riffEnd <= fileSize else { throw bad("truncated: the RIFF header declares \(riffEnd) bytes, the file has \(fileSize)") }

        var lists: [String: (start: Int, end: Int)] = [:]
        var offset = 12
        while offset + 8 <= riffEnd {
            let h = read(offset, 12)
            guard h.count >= 8 else { throw bad("truncated chunk header at byte \(offset)") }
            let size = u32(h, 4)
            let end = offset + 8 + size
            guard end <= riffEnd else { throw bad("chunk '\(id(h, 0))' at byte \(offset) runs past the end of the file") }
            if id(h, 0) == "LIST", h.count == 12 { lists[id(h, 8)] = (offset + 12, end) }
            offset = end + (size & 1)
        }
        for name in ["INFO", "sdta", "pdta"] where lists[name] == nil {
            throw bad("missing the LIST '\(name)' chunk")
        }
        var found: [String: Int] = [:]
        offset = lists["pdta"]!.start
        let pdtaEnd = lists["pdta"]!.end
        while offset + 8 <= pdtaEnd {
            let h = read(offset, 8)
            guard h.count == 8 else { throw bad("truncated pdta chunk at byte \(offset)") }
            let size = u32(h, 4)
            guard offset + 8 + size <= pdtaEnd else { throw bad("pdta chunk '\(id(h, 0))' at byte \(offset) runs past its list") }
            found[id(h, 0)] = size
            offset += 8 + size + (size & 1)
        }
        for (name, record) in recordSizes.sorted(by: { $0.key < $1.key }) {
            guard let size = found[name] else { throw bad("missing the '\(name)' chunk") }
            guard size % record == 0, size >= 2 * record || (name.hasSuffix("mod") && size >= record) else {
                throw bad("the '\(name)' chunk has a bad size (\(size) bytes)")
            }
        }
    }
}
