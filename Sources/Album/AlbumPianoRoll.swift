import Foundation
import MIDI

/// Draws a performance as a small inline SVG piano roll for the album page: time (seconds) across, pitch up,
/// one rectangle per note, opacity by velocity, drums in a separate colour.
public struct AlbumPianoRoll: Sendable {
    /// Width of the drawing in SVG user units (pixels).
    public var width: Double = 720
    /// Height of the drawing in SVG user units (pixels).
    public var height: Double = 160

    /// Creates a renderer with the default size.
    public init() {}

    /// The SVG element (no XML prolog) with `aria-label` naming the track, suitable for inlining in HTML.
    public func svg(_ performance: Performance, label: String) -> String {
        let notes = performance.allNotes
        let duration = max(performance.durationSeconds, 0.001)
        var low = 127, high = 0
        for n in notes { low = min(low, Int(n.pitch)); high = max(high, Int(n.pitch)) }
        if notes.isEmpty { low = 60; high = 72 }
        low = max(0, low - 1); high = min(127, high + 1)
        let rows = Double(high - low + 1)
        let rowHeight = height / rows
        var out = "<svg class=\"pianoroll\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
        out += "width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"Piano roll of \(HTML.escape(label))\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#15171c\"/>"
        // Octave lines at every C.
        for p in low...high where p % 12 == 0 {
            let y = height - Double(p - low + 1) * rowHeight
            out += "<line x1=\"0\" x2=\"\(f(width))\" y1=\"\(f(y + rowHeight))\" y2=\"\(f(y + rowHeight))\" stroke=\"#2c3038\" stroke-width=\"0.5\"/>"
        }
        out.reserveCapacity(out.utf8.count + notes.count * 90)
        for n in notes {
            let start = performance.seconds(atTick: n.startTick)
            let end = performance.seconds(atTick: n.endTick)
            let x = start / duration * width
            let w = max(0.8, (end - start) / duration * width)
            let y = height - Double(Int(n.pitch) - low + 1) * rowHeight
            let colour = n.isDrum ? "#e3a23b" : "#5fb3f9"
            let opacity = 0.35 + 0.65 * Double(n.velocity) / 127
            out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(max(1, rowHeight)))\" fill=\"\(colour)\" fill-opacity=\"\(f(opacity))\"/>"
        }
        out += "</svg>"
        return out
    }

    /// Two decimals, no exponent.
    private func f(_ v: Double) -> String { String(format: "%.2f", v) }
}

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
