import Foundation

extension MetricsEvaluation {
    /// The aspect of the paper's results table each metric measures, by metric name.
    public static let aspects: [String: String] = [
        "keyCorrelation": "key", "scaleConsistency": "key", "pitchClassEntropy": "key",
        "velocityMean": "dynamics", "velocityStandardDeviation": "dynamics", "velocityRange": "dynamics",
        "onsetGrid16Fraction": "beat", "emptyBeatRate": "beat", "grooveConsistency": "beat",
        "ioiEntropy": "rhythm", "ioiSteadiness": "rhythm",
        "repeatedIntervalNGramShare": "structure", "repeatedRhythmNGramShare": "structure", "selfSimilarity": "structure",
        "polyphony": "chords", "chordOnsetFraction": "chords",
        "pitchRange": "range", "distinctPitches": "range",
        "loopTailShare": "structure", "thirdsOverlap": "structure",
    ]

    /// Short column headers of the per-piece table, in ``PieceMetrics/names`` order.
    static let shortNames = ["keyR", "inKey", "pcH", "vel", "velSD", "velRng", "grid16", "empty", "groove",
                             "ioiH", "steady", "repInt", "repRhy", "selfSim", "poly", "chords", "range", "pitch", "loop", "thirds"]

    /// A readable report: one row per piece (short headers explained below it), then one row per metric
    /// with the set's mean and standard deviation and, with a reference, the reference's and the distance.
    public func table() -> String {
        var s = ""
        let measured = pieces.filter { $0.metrics != nil }
        if !measured.isEmpty {
            let nameWidth = min(32, max(4, measured.map { Self.fileName($0.path).count }.max() ?? 4))
            s += Self.pad("file", nameWidth) + " " + Self.lpad("notes", 6) + "  " + Self.pad("key", 10)
            for h in Self.shortNames { s += Self.lpad(h, 8) }
            s += "\n"
            for p in measured {
                let m = p.metrics!
                s += Self.pad(String(Self.fileName(p.path).prefix(nameWidth)), nameWidth) + " " + Self.lpad(String(m.noteCount), 6)
                s += "  " + Self.pad(String((m.key ?? "-").prefix(10)), 10)
                for v in m.values { s += Self.lpad(Self.number(v.value), 8) }
                s += "\n"
            }
            s += "(" + zip(Self.shortNames, PieceMetrics.names).map { "\($0) = \($1)" }.joined(separator: ", ") + ")\n\n"
        }
        let refCount = reference.filter { $0.metrics != nil }.count
        s += "\(measured.count) piece\(measured.count == 1 ? "" : "s")"
        if !reference.isEmpty { s += " vs \(refCount) reference piece\(refCount == 1 ? "" : "s")" }
        s += " (mean ± standard deviation"
        if !reference.isEmpty { s += "; overlap = overlapping area of the smoothed distributions, 1 = identical; KL = KL(pieces || reference), nats" }
        s += ")\n"
        s += Self.pad("aspect", 10) + Self.pad("metric", 28) + Self.lpad("pieces", 19)
        if !reference.isEmpty { s += Self.lpad("reference", 19) + Self.lpad("overlap", 9) + Self.lpad("KL", 9) }
        s += "\n"
        for row in summary {
            s += Self.pad(Self.aspects[row.name] ?? "", 10) + Self.pad(row.name, 28)
            s += Self.lpad(Self.number(row.mean) + " ± " + Self.number(row.standardDeviation), 19)
            if let rm = row.referenceMean, let rsd = row.referenceStandardDeviation {
                s += Self.lpad(Self.number(rm) + " ± " + Self.number(rsd), 19)
                s += Self.lpad(row.distance.map { Self.number($0.overlappingArea) } ?? "-", 9)
                s += Self.lpad(row.distance.map { Self.number($0.klDivergence) } ?? "-", 9)
            }
            s += "\n"
        }
        if !thirds.isEmpty { s += thirdsTable() }
        return s
    }

    /// The thirds section: per metric, the mean overlap of the first and last thirds' distributions and the metric's
    /// mean over each third (the reference's beside them when there is one).
    func thirdsTable() -> String {
        let measured = thirds.first?.pieces ?? 0
        var s = "\nFirst third against last, metric by metric (\(measured) piece\(measured == 1 ? "" : "s") long enough; "
        s += "overlap = overlapping area of the two thirds' distributions, 1 = the piece ends as it began; the thirds' means)\n"
        s += Self.pad("metric", 28) + Self.lpad("overlap", 9) + Self.lpad("first", 10) + Self.lpad("last", 10)
        if !referenceThirds.isEmpty { s += Self.lpad("ref overlap", 13) + Self.lpad("ref first", 11) + Self.lpad("ref last", 10) }
        s += "\n"
        for row in thirds {
            s += Self.pad(row.name, 28) + Self.lpad(Self.number(row.overlap), 9)
            s += Self.lpad(Self.number(row.first), 10) + Self.lpad(Self.number(row.last), 10)
            if let r = referenceThirds.first(where: { $0.name == row.name }) {
                s += Self.lpad(Self.number(r.overlap), 13) + Self.lpad(Self.number(r.first), 11) + Self.lpad(Self.number(r.last), 10)
            }
            s += "\n"
        }
        return s
    }

    /// The whole evaluation as JSON: `pieces` (path with `metrics` or `error`, and `thirds` when asked for), `summary`
    /// (one object per metric), `thirds` (and `referenceThirds`) when asked for, and `reference` (`pieces` and `failed`
    /// counts) when there is one.
    public func json() -> String {
        struct ReferenceCounts: Encodable { var pieces: Int; var failed: Int }
        struct Document: Encodable {
            var pieces: [Piece]
            var summary: [MetricSummaryRow]
            var thirds: [ThirdsRow]?
            var referenceThirds: [ThirdsRow]?
            var reference: ReferenceCounts?
        }
        let doc = Document(pieces: pieces, summary: summary, thirds: thirds.isEmpty ? nil : thirds,
                           referenceThirds: referenceThirds.isEmpty ? nil : referenceThirds,
                           reference: reference.isEmpty ? nil : ReferenceCounts(pieces: reference.count - referenceFailures.count,
                                                                                failed: referenceFailures.count))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(doc)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// Three significant figures for small values, one decimal up to 1000, integers beyond.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        let a = abs(v)
        if v == v.rounded(), a >= 1, a < 1e15 { return String(Int64(v)) }
        if a >= 1000 { return String(Int64(v.rounded())) }
        if a >= 100 { return String(format: "%.1f", v) }
        if a >= 10 { return String(format: "%.2f", v) }
        return String(format: "%.3f", v)
    }

    private static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
    private static func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? " " + s : String(repeating: " ", count: w - s.count) + s }
}
