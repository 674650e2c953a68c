import Foundation

/// Styles of a corpus: each song's style is the first folder of its path below the corpus folder
/// (`chorales/bwv1.6.mid` -> `chorales`); songs directly in the corpus folder have none.
public enum StyleNames {
    /// The first folder of `path` below `corpus`, or nil for a song directly in it (or outside it).
    public static func folder(of path: String, corpus: URL) -> String? {
        let root = corpus.standardizedFileURL.path
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard p.hasPrefix(prefix) else { return nil }
        let parts = p.dropFirst(prefix.count).split(separator: "/")
        return parts.count >= 2 ? String(parts[0]) : nil
    }

    /// The sorted distinct style folders of `paths`.
    public static func styles(of paths: [String], corpus: URL) -> [String] {
        Array(Set(paths.compactMap { folder(of: $0, corpus: corpus) })).sorted()
    }

    /// The index in `styles` of the style of `path` (its folder, matched as ``index(of:in:)`` does), or nil.
    public static func style(of path: String, corpus: URL, in styles: [String]) -> Int? {
        folder(of: path, corpus: corpus).flatMap { index(of: $0, in: styles) }
    }

    /// The index in `styles` of the style called `name`: the exact name first, else ignoring case and a plural `s`
    /// (a folder `chorale` or `Games` is the style `chorales` or `games`); nil when no style matches.
    public static func index(of name: String, in styles: [String]) -> Int? {
        if let i = styles.firstIndex(of: name) { return i }
        func key(_ s: String) -> String {
            let l = s.lowercased()
            return l.count > 1 && l.hasSuffix("s") ? String(l.dropLast()) : l
        }
        let k = key(name)
        return styles.firstIndex { key($0) == k }
    }
}
