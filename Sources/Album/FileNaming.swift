/// File names of an album's tracks: `NN - Title.ext`, safe on every common file system.
public enum FileNaming {
    /// The name without extension: a zero-padded track number (at least 2 digits), " - ", and the
    /// title with path separators, control and reserved characters replaced by "-" and leading dots removed.
    public static func stem(number: Int, title: String, count: Int) -> String {
        let width = max(2, String(count).count)
        let digits = String(number)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return "\(padded) - \(safeTitle(title))"
    }

    /// The title made safe for a file name (at most 120 characters).
    public static func safeTitle(_ title: String) -> String {
        let reserved: Set<Character> = ["/", "\\", ":", "*", "?", "\"", "<", ">", "|"]
        var out = ""
        for c in title {
            if reserved.contains(c) || c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                out.append("-")
            } else {
                out.append(c)
            }
        }
        while out.hasPrefix(".") { out.removeFirst() }
        out = String(out.prefix(120)).trimmingCharacters(in: .whitespaces)
        return out.isEmpty ? "Untitled" : out
    }
}
