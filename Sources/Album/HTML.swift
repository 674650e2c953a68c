import Foundation

/// HTML text escaping.
enum HTML {
    /// Escapes &, <, >, " and '.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Percent-encodes a file name for a relative URL (spaces, #, ?, % and non-ASCII).
    static func urlPath(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "#?%;/:")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }
}
