/// A line chart of one or more series over a shared x axis (e.g. training and validation loss per epoch).
public struct LineChart: Sendable {
    /// One named line.
    public struct Series: Sendable {
        /// The legend label.
        public var name: String
        /// Stroke colour (any SVG colour, e.g. `#1f77b4`).
        public var color: String
        /// The points in x order; non-finite values are skipped.
        public var points: [(x: Double, y: Double)]
        /// Whether to mark each point with a dot.
        public var markers: Bool

        /// Creates a series.
        public init(name: String, color: String, points: [(x: Double, y: Double)], markers: Bool = true) {
            self.name = name
            self.color = color
            self.points = points
            self.markers = markers
        }
    }

    /// The title above the plot.
    public var title: String
    /// The x axis label.
    public var xLabel: String
    /// The y axis label.
    public var yLabel: String
    /// The lines, drawn in order.
    public var series: [Series]
    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double
    /// Whether the y axis starts at 0 (when all values are positive).
    public var yFromZero: Bool

    /// Creates a chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series],
                width: Double = 640, height: Double = 360, yFromZero: Bool = true) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
        self.yFromZero = yFromZero
    }

    /// The palette series colours are usually taken from (blue, red, green, orange, purple, ...).
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    /// The SVG document.
    public func render() -> String {
        let left = 64.0, right = 20.0, top = 44.0, bottom = 48.0
        let finite = series.flatMap { $0.points.filter { $0.x.isFinite && $0.y.isFinite } }
        var yLo = finite.map(\.y).min() ?? 0, yHi = finite.map(\.y).max() ?? 1
        if yFromZero { yLo = min(yLo, 0) }
        if yHi <= yLo { yHi = yLo + 1 }
        let xLo = finite.map(\.x).min() ?? 0, xHi = finite.map(\.x).max() ?? 1
        let xs = LinearScale(domain: xLo...max(xLo, xHi), range: (left, width - right))
        let ys = LinearScale(domain: yLo...yHi, range: (height - bottom, top))

        var doc = SVGDocument(width: width, height: height)
        doc.text(title, x: left, y: 22, size: 14)
        // Grid and tick labels.
        for v in ys.ticks() {
            doc.line(x1: left, y1: ys(v), x2: width - right, y2: ys(v), stroke: "#e6e6e6", attributes: [("class", "grid")])
            doc.text(LinearScale.label(v), x: left - 6, y: ys(v) + 4, size: 11, anchor: "end")
        }
        for v in xs.ticks(count: 8) {
            doc.line(x1: xs(v), y1: height - bottom, x2: xs(v), y2: height - bottom + 4, stroke: "black")
            doc.text(LinearScale.label(v), x: xs(v), y: height - bottom + 16, size: 11, anchor: "middle")
        }
        // Axes.
        doc.line(x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "black", attributes: [("class", "axis")])
        doc.line(x1: left, y1: top, x2: left, y2: height - bottom, stroke: "black", attributes: [("class", "axis")])
        doc.text(xLabel, x: (left + width - right) / 2, y: height - 10, size: 12, anchor: "middle")
        doc.text(yLabel, x: 14, y: (top + height - bottom) / 2, size: 12, anchor: "middle",
                 attributes: [("transform", "rotate(-90 14 \(SVGNumber.format((top + height - bottom) / 2)))")])
        // Lines, markers and legend.
        for (i, s) in series.enumerated() {
            let pts = s.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (x: xs($0.x), y: ys($0.y)) }
            doc.polyline(pts, stroke: s.color, width: 2, attributes: [("class", "series")])
            if s.markers { for p in pts { doc.circle(cx: p.x, cy: p.y, radius: 2.5, fill: s.color) } }
            let ly = top - 24 + Double(i) * 14
            doc.line(x1: width - right - 150, y1: ly - 4, x2: width - right - 134, y2: ly - 4, stroke: s.color, width: 2)
            doc.text(s.name, x: width - right - 130, y: ly, size: 11, fill: s.color)
        }
        return doc.render()
    }
}
