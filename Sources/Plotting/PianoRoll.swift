import MIDI
import Music

/// A piano roll of a performance as SVG: time (ticks, left to right) by pitch (low at the bottom),
/// one rectangle per note shaded by velocity and coloured by track (an arrangement's parts in their own colours, named
/// in a legend), bar lines from the time
/// signatures, and the rows of the detected key's scale shaded.
public struct PianoRoll: Sendable {
    /// Drawing settings.
    public struct Options: Sendable, Hashable {
        /// Horizontal pixels per quarter note; nil picks one so the roll is at most ``maxWidth`` wide (1 ... 24).
        public var pixelsPerBeat: Double?
        /// Height of one pitch row in pixels.
        public var rowHeight: Double
        /// Width the automatic ``pixelsPerBeat`` aims for, in pixels.
        public var maxWidth: Double
        /// Title line at the top (e.g. the file name).
        public var title: String

        /// Creates options.
        public init(pixelsPerBeat: Double? = nil, rowHeight: Double = 6, maxWidth: Double = 4000, title: String = "") {
            self.pixelsPerBeat = pixelsPerBeat
            self.rowHeight = max(1, rowHeight)
            self.maxWidth = max(200, maxWidth)
            self.title = title
        }
    }

    /// The colours tracks get, in order of the tracks that have notes.
    public static let trackColors = ["#1f5fa8", "#c0392b", "#1e8449", "#d35400", "#7d3c98", "#117a65", "#b7950b", "#6e2c00", "#2e4053", "#a93226"]

    /// The colours of an arrangement's named parts (``MIDI/PartName``): each part keeps its colour in every roll.
    public static let partColors: [String: String] = [
        PartName.melody: "#1f5fa8", PartName.chords: "#1e8449", PartName.bass: "#d35400", PartName.drums: "#7d3c98",
    ]

    /// The colour of the `position`-th track with notes: its part's colour when it is named as a part, else the
    /// position's colour in ``trackColors`` (skipping the part colours when `amongParts`: the roll has named parts).
    public static func color(trackName: String?, position: Int, amongParts: Bool = false) -> String {
        if let c = partColor(trackName) { return c }
        let palette = amongParts ? trackColors.filter { !partColors.values.contains($0) } : trackColors
        return palette[position % palette.count]
    }

    /// The colour of a part name (ignoring case), if it names one.
    static func partColor(_ name: String?) -> String? {
        guard let name else { return nil }
        return partColors.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    /// Whether any track with notes is named as a part.
    private var hasParts: Bool { notedTracks.contains { Self.partColor($0.track.name) != nil } }

    /// The performance drawn.
    public let performance: Performance
    /// The settings.
    public let options: Options
    /// The Krumhansl-Schmuckler key of the pitched notes (nil without pitched notes).
    public let key: KeyCandidate?
    /// The pitch rows drawn, lowest to highest (one row of padding around the notes; C4 ... C5 when there are none).
    public let pitchRows: ClosedRange<Int>
    /// Ticks of the bar lines: every bar that starts before the last note ends (at least one bar).
    public let barLines: [Int]
    /// The tick where the drawing ends: the end of the last bar.
    public let endTick: Int
    /// Horizontal pixels per quarter note in use.
    public let pixelsPerBeat: Double

    /// Lays out a performance.
    public init(performance: Performance, options: Options = Options()) {
        self.performance = performance
        self.options = options
        var lo = Int.max, hi = Int.min, last = 0
        for t in performance.tracks {
            for n in t.notes {
                lo = min(lo, Int(n.pitch)); hi = max(hi, Int(n.pitch)); last = max(last, n.endTick)
            }
        }
        pitchRows = lo > hi ? 60...72 : max(0, lo - 1)...min(127, hi + 1)
        key = KeyFinder().estimate(notes: performance.tracks.lazy.flatMap(\.notes))?.best
        let meter = Meter(performance)
        let bars = meter.barStarts(from: 0, before: max(1, last))
        barLines = bars
        let lastBar = bars.last ?? 0
        endTick = lastBar + meter.segment(at: lastBar).barTicks
        let beats = Double(endTick) / Double(max(1, performance.ticksPerBeat))
        pixelsPerBeat = options.pixelsPerBeat ?? min(24, max(1, (options.maxWidth - 60) / max(1, beats)))
    }

    /// MIDI pitches of the shaded rows: those drawn whose pitch class is in the detected key's scale.
    public var scaleRows: [Int] {
        guard let key = key?.key else { return [] }
        return pitchRows.filter { key.contains(pitch: $0) }
    }

    /// The SVG document; `rootAttributes` go on the `<svg>` element (for inlining in HTML: a class, an aria-label).
    public func render(rootAttributes: [(String, String)] = []) -> String {
        let left = 44.0, right = 12.0, top = 56.0, bottom = 26.0
        let row = options.rowHeight
        let tpb = Double(max(1, performance.ticksPerBeat))
        let plotWidth = Double(endTick) / tpb * pixelsPerBeat
        let plotHeight = Double(pitchRows.count) * row
        func x(_ tick: Int) -> Double { left + Double(tick) / tpb * pixelsPerBeat }
        func y(_ pitch: Int) -> Double { top + Double(pitchRows.upperBound - pitch) * row }

        let noteCount = performance.tracks.reduce(0) { $0 + $1.notes.count }
        var doc = SVGDocument(width: left + plotWidth + right, height: top + plotHeight + bottom)
        doc.reserveCapacity(noteCount * 120 + pitchRows.count * 200 + barLines.count * 160 + 4096)

        // Header: title, key and meter, track legend.
        if !options.title.isEmpty { doc.text(options.title, x: left, y: 16, size: 13, attributes: [("font-weight", "bold")]) }
        var info = key.map { "key \($0.key.name) (r = \(Self.fixed($0.correlation, 2)))" } ?? "no pitched notes"
        let sigs = performance.timeSignatures.map { "\($0.numerator)/\($0.denominator)" }
        info += ", " + (sigs.isEmpty ? "4/4 (assumed)" : Self.unique(sigs).joined(separator: " ")) + ", \(barLines.count) bars, \(noteCount) notes"
        doc.text(info, x: left, y: 32, size: 11, fill: "#333333", attributes: [("class", "info")])
        var legendX = left
        let parts = hasParts
        for (i, t) in notedTracks.enumerated() {
            let name = t.track.name.map { $0.isEmpty ? "track \(t.index)" : $0 } ?? "track \(t.index)"
            let color = Self.color(trackName: t.track.name, position: i, amongParts: parts)
            doc.rect(x: legendX, y: 39, width: 10, height: 10, fill: color, attributes: [("class", "legend"), ("data-part", name)])
            doc.text(name, x: legendX + 14, y: 48, size: 11)
            legendX += 24 + Double(min(name.count, 30)) * 6.5
        }

        // Rows: the scale's pitch classes shaded, octave lines and labels at each C.
        let scaleKey = key?.key
        doc.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: "#ffffff", attributes: [("stroke", "#999999"), ("class", "frame")])
        for p in pitchRows {
            if let scaleKey, scaleKey.contains(pitch: p) {
                doc.rect(x: left, y: y(p), width: plotWidth, height: row, fill: "#e1e9f5",
                         attributes: [("class", "scale-row"), ("data-pitch", String(p))])
            }
            if p % 12 == 0 {
                doc.line(x1: left, y1: y(p) + row, x2: left + plotWidth, y2: y(p) + row, stroke: "#c8c8c8", width: 0.5)
                doc.text("C\(p / 12 - 1)", x: left - 4, y: y(p) + row, size: 9, anchor: "end", fill: "#555555")
            }
        }

        // Bar lines with numbers (thinned so labels are at least 28 px apart).
        let labelEvery = max(1, Int((28 / max(1e-9, Double(barTicksOfFirstBar) / tpb * pixelsPerBeat)).rounded(.up)))
        let dense = Double(barTicksOfFirstBar) / tpb * pixelsPerBeat < 24  // bars under 24 px: fainter lines
        for (i, tick) in barLines.enumerated() {
            doc.line(x1: x(tick), y1: top, x2: x(tick), y2: top + plotHeight, stroke: dense ? "#c8c8c8" : "#8a8a8a", width: dense ? 0.5 : 0.75,
                     attributes: [("class", "bar"), ("data-bar", String(i + 1))])
            if i % labelEvery == 0 { doc.text(String(i + 1), x: x(tick) + 2, y: top + plotHeight + 14, size: 9, fill: "#555555") }
        }

        // Notes, track by track, opacity rising with velocity.
        for (i, t) in notedTracks.enumerated() {
            let color = Self.color(trackName: t.track.name, position: i, amongParts: parts)
            doc.beginGroup([("class", "track"), ("data-track", String(t.index)), ("data-part", t.track.name ?? ""), ("fill", color)])
            for n in t.track.notes {
                let w = max(1, Double(n.durationTicks) / tpb * pixelsPerBeat)
                let opacity = 0.25 + 0.75 * Double(n.velocity) / 127
                doc.rect(x: x(n.startTick), y: y(Int(n.pitch)) + 0.5, width: w, height: max(1, row - 1), fill: color,
                         attributes: [("class", "note"), ("fill-opacity", Self.fixed(opacity, 2))])
            }
            doc.endGroup()
        }
        return doc.render(rootAttributes: rootAttributes)
    }

    /// Tracks with at least one note, with their index in the performance.
    private var notedTracks: [(index: Int, track: NoteTrack)] {
        performance.tracks.enumerated().filter { !$0.element.notes.isEmpty }.map { (index: $0.offset, track: $0.element) }
    }

    private var barTicksOfFirstBar: Int { Meter(performance).segment(at: 0).barTicks }

    private static func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    /// `value` with exactly `digits` decimals (locale-independent).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int64((abs(value) * scale).rounded())
        let whole = n / Int64(scale), frac = n % Int64(scale)
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        return (value < 0 && n != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
    }
}
