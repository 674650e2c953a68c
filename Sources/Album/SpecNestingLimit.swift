/// Refuses spec text nested deeper than any album needs, before the YAML parser (which recurses
/// once per level) can exhaust the stack on hostile input.
enum SpecNestingLimit {
    /// Deepest accepted nesting of flow collections (`[`, `{`) and of block indentation levels.
    static let maxDepth = 64
    /// Largest accepted spec, in bytes.
    static let maxBytes = 1 << 20

    /// The line and message of the first violation, or nil when the text is within the limits.
    static func violation(in text: String) -> (line: Int, message: String)? {
        if text.utf8.count > maxBytes { return (0, "the spec is larger than \(maxBytes) bytes") }
        var line = 1
        var flowDepth = 0
        var quote: UInt8? = nil
        var indents: [Int] = []      // open block indentation levels
        var column = 0
        var atLineStart = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1; column = 0; atLineStart = true
                if quote == UInt8(ascii: "'") { quote = nil }   // single-quoted scalars rarely span lines here
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") { column += 1; continue }
                atLineStart = false
                if byte != UInt8(ascii: "#") && flowDepth == 0 {
                    while let last = indents.last, last >= column { indents.removeLast() }
                    indents.append(column)
                    if indents.count > maxDepth { return (line, "nested more than \(maxDepth) levels deep") }
                }
            }
            if let q = quote {
                if byte == q { quote = nil }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flowDepth += 1
                if flowDepth > maxDepth { return (line, "nested more than \(maxDepth) levels deep") }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flowDepth = max(0, flowDepth - 1)
            default: break
            }
        }
        return nil
    }
}
