/// A standalone SVG document built element by element (user units are pixels).
///
/// Elements are appended as text in drawing order; every attribute value and text is escaped,
/// so the result is well-formed XML that opens in any browser.
public struct SVGDocument: Sendable {
    /// Width in pixels.
    public let width: Double
    /// Height in pixels.
    public let height: Double
    /// The body, element after element.
    private var body: String = ""
    private var openGroups = 0

    /// Creates an empty document of `width` x `height` pixels with a white background when `background` is set.
    public init(width: Double, height: Double, background: String? = "white") {
        self.width = max(1, width)
        self.height = max(1, height)
        if let background { rect(x: 0, y: 0, width: self.width, height: self.height, fill: background) }
    }

    /// Reserves room for about `bytes` bytes of elements (large piano rolls).
    public mutating func reserveCapacity(_ bytes: Int) { body.reserveCapacity(bytes) }

    /// A rectangle; `attributes` are extra attribute pairs (e.g. `class`, `fill-opacity`).
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              attributes: [(String, String)] = []) {
        body += "<rect x=\"\(SVGNumber.format(x))\" y=\"\(SVGNumber.format(y))\" width=\"\(SVGNumber.format(width))\" height=\"\(SVGNumber.format(height))\" fill=\"\(SVGDocument.escape(fill))\""
        appendAttributes(attributes)
        body += "/>\n"
    }

    /// A straight line from (x1, y1) to (x2, y2).
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                              attributes: [(String, String)] = []) {
        body += "<line x1=\"\(SVGNumber.format(x1))\" y1=\"\(SVGNumber.format(y1))\" x2=\"\(SVGNumber.format(x2))\" y2=\"\(SVGNumber.format(y2))\" stroke=\"\(SVGDocument.escape(stroke))\" stroke-width=\"\(SVGNumber.format(width))\""
        appendAttributes(attributes)
        body += "/>\n"
    }

    /// An open polyline through `points` (nothing for no points).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2,
                                  attributes: [(String, String)] = []) {
        guard !points.isEmpty else { return }
        body += "<polyline fill=\"none\" stroke=\"\(SVGDocument.escape(stroke))\" stroke-width=\"\(SVGNumber.format(width))\" points=\""
        for (i, p) in points.enumerated() {
            if i > 0 { body += " " }
            body += SVGNumber.format(p.x) + "," + SVGNumber.format(p.y)
        }
        body += "\""
        appendAttributes(attributes)
        body += "/>\n"
    }

    /// A circle centred at (cx, cy).
    public mutating func circle(cx: Double, cy: Double, radius: Double, fill: String, attributes: [(String, String)] = []) {
        body += "<circle cx=\"\(SVGNumber.format(cx))\" cy=\"\(SVGNumber.format(cy))\" r=\"\(SVGNumber.format(radius))\" fill=\"\(SVGDocument.escape(fill))\""
        appendAttributes(attributes)
        body += "/>\n"
    }

    /// Text with its baseline starting (or anchored: `start`, `middle`, `end`) at (x, y).
    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                              fill: String = "black", attributes: [(String, String)] = []) {
        body += "<text x=\"\(SVGNumber.format(x))\" y=\"\(SVGNumber.format(y))\" font-size=\"\(SVGNumber.format(size))\" text-anchor=\"\(SVGDocument.escape(anchor))\" fill=\"\(SVGDocument.escape(fill))\""
        appendAttributes(attributes)
        body += ">" + SVGDocument.escape(content) + "</text>\n"
    }

    /// Opens a group (`<g>`) with attributes; close it with ``endGroup()``.
    public mutating func beginGroup(_ attributes: [(String, String)] = []) {
        body += "<g"
        appendAttributes(attributes)
        body += ">\n"
        openGroups += 1
    }

    /// Closes the innermost open group (no effect when none is open).
    public mutating func endGroup() {
        guard openGroups > 0 else { return }
        body += "</g>\n"
        openGroups -= 1
    }

    /// The complete document (open groups are closed).
    ///
    /// `rootAttributes` go on the `<svg>` element (e.g. a `class` and an `aria-label` when the drawing is inlined in HTML).
    public func render(rootAttributes: [(String, String)] = []) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(SVGNumber.format(width))\" height=\"\(SVGNumber.format(height))\" viewBox=\"0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))\" font-family=\"sans-serif\""
        for (name, value) in rootAttributes { s += " \(name)=\"\(SVGDocument.escape(value))\"" }
        s += ">\n"
        s.reserveCapacity(s.utf8.count + body.utf8.count + 16 + openGroups * 5)
        s += body
        for _ in 0..<openGroups { s += "</g>\n" }
        s += "</svg>\n"
        return s
    }

    /// Escapes `&`, `<`, `>`, `"` and `'` for XML text and attribute values, and drops characters XML 1.0 forbids
    /// (control characters other than tab, newline and carriage return).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D { continue }
                if v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private mutating func appendAttributes(_ attributes: [(String, String)]) {
        for (name, value) in attributes { body += " \(name)=\"\(SVGDocument.escape(value))\"" }
    }
}

/// Compact, locale-independent number text for SVG coordinates (at most 2 decimals, no trailing zeros).
public enum SVGNumber {
    /// `12.5` for 12.5, `3` for 3.0, `0` for non-finite values.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = (value * 100).rounded()
        guard abs(hundredths) < 9e15 else { return String(Int64(value.rounded())) }
        let n = Int64(hundredths)
        let sign = n < 0 ? "-" : ""
        let a = n.magnitude
        let whole = a / 100, frac = a % 100
        if frac == 0 { return sign + String(whole) }
        if frac % 10 == 0 { return sign + String(whole) + "." + String(frac / 10) }
        return sign + String(whole) + (frac < 10 ? ".0" : ".") + String(frac)
    }
}
