import Foundation

/// Renders per-epoch training and validation loss as a small standalone SVG line chart.
public enum LossCurveSVG {
    /// The SVG document for `history`.
    public static func render(_ history: [EpochRecord], title: String) -> String {
        let w = 640.0, h = 360.0, left = 60.0, right = 20.0, top = 40.0, bottom = 40.0
        let train = history.map { ($0.epoch, $0.training.total) }
        let val = history.compactMap { r in r.validation.map { (r.epoch, $0.total) } }
        let all = (train + val).map(\.1).filter(\.isFinite)
        let lo = min(all.min() ?? 0, 0), hi = max(all.max() ?? 1, lo + 1e-9)
        let maxEpoch = max(1, history.map(\.epoch).max() ?? 1)
        func x(_ e: Int) -> Double { left + (w - left - right) * (maxEpoch == 1 ? 0.5 : Double(e - 1) / Double(maxEpoch - 1)) }
        func y(_ v: Double) -> Double { top + (h - top - bottom) * (1 - (v - lo) / (hi - lo)) }
        func line(_ pts: [(Int, Double)], _ color: String) -> String {
            guard !pts.isEmpty else { return "" }
            let p = pts.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
            return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(p)\"/>\n"
                + pts.map { String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"\(color)\"/>", x($0.0), y($0.1)) }.joined(separator: "\n") + "\n"
        }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(Int(left))\" y=\"20\" font-size=\"14\">\(escaped)</text>\n"
        s += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"black\"/>\n"
        for i in 0...4 {
            let v = lo + (hi - lo) * Double(i) / 4
            s += String(format: "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.3g</text>\n", left - 5, y(v) + 4, v)
        }
        s += String(format: "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">epoch (1 ... %d)</text>\n", (left + w - right) / 2, h - 10, maxEpoch)
        s += line(train, "#1f77b4") + line(val, "#d62728")
        s += "<text x=\"\(Int(w - 160))\" y=\"20\" fill=\"#1f77b4\">training loss</text>\n"
        s += "<text x=\"\(Int(w - 160))\" y=\"34\" fill=\"#d62728\">validation loss</text>\n"
        s += "</svg>\n"
        return s
    }
}
