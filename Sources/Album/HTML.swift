import Foundation
import Plotting

/// HTML text escaping.
enum HTML {
    /// Escapes &, <, >, " and ' for HTML text and attribute values (the XML rules of Plotting's SVG writer,
    /// which HTML5 accepts, so page text and inline piano rolls escape alike).
    static func escape(_ s: String) -> String { SVGDocument.escape(s) }

    /// Percent-encodes a file name for a relative URL (spaces, #, ?, % and non-ASCII).
    static func urlPath(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "#?%;/:")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }
}
