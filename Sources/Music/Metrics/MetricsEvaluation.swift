import Foundation
import MIDI

/// The metrics of a set of MIDI files (read in parallel), summarised and optionally compared with a
/// reference set: what `tunesmith evaluate` prints.
public struct MetricsEvaluation: Sendable {
    /// One file's outcome: its metrics, or the one-line reason it could not be read.
    public struct Piece: Sendable, Codable, Hashable {
        /// The path as given or found under a given folder.
        public var path: String
        /// The metrics (nil when the file could not be read).
        public var metrics: PieceMetrics?
        /// Why the file could not be read, naming the path (nil on success).
        public var error: String?
        /// Metric by metric, the first third against the last (when asked for, and the piece is long enough).
        public var thirds: [ThirdsOverlap.MetricDrift]?
    }

    /// One metric's drift from the first third to the last, averaged over the pieces that have it.
    public struct ThirdsRow: Sendable, Codable, Hashable {
        /// The metric.
        public var name: String
        /// Pieces measured.
        public var pieces: Int
        /// Mean overlapping area of the two thirds' distributions.
        public var overlap: Double
        /// Mean of the pieces' first-third means.
        public var first: Double
        /// Mean of the pieces' last-third means.
        public var last: Double
    }

    /// The evaluated pieces in argument order (folders sorted).
    public var pieces: [Piece]
    /// The reference pieces (empty without a reference).
    public var reference: [Piece]
    /// One row per metric: the set's mean and deviation, beside the reference's with the distribution distance.
    public var summary: [MetricSummaryRow]
    /// With the thirds asked for: per metric, how the pieces' last thirds moved from their first (empty otherwise).
    public var thirds: [ThirdsRow]
    /// The same for the reference pieces.
    public var referenceThirds: [ThirdsRow]

    /// Summarises measured pieces (failed ones are left out of the summary).
    public init(pieces: [Piece], reference: [Piece] = []) {
        self.pieces = pieces
        self.reference = reference
        summary = MetricsSummary.rows(pieces.compactMap(\.metrics), reference: reference.compactMap(\.metrics))
        thirds = Self.thirdsRows(pieces)
        referenceThirds = Self.thirdsRows(reference)
    }

    /// The pieces' drifts averaged metric by metric, in ``PieceMetrics/segmentMetricNames`` order.
    static func thirdsRows(_ pieces: [Piece]) -> [ThirdsRow] {
        let all = pieces.compactMap(\.thirds).flatMap { $0 }
        return PieceMetrics.segmentMetricNames.compactMap { name in
            let rows = all.filter { $0.name == name }
            guard !rows.isEmpty else { return nil }
            let n = Double(rows.count)
            return ThirdsRow(name: name, pieces: rows.count, overlap: rows.reduce(0) { $0 + $1.overlap } / n,
                             first: rows.reduce(0) { $0 + $1.first } / n, last: rows.reduce(0) { $0 + $1.last } / n)
        }
    }

    /// Pieces that could not be read.
    public var failures: [Piece] { pieces.filter { $0.metrics == nil } }
    /// Reference pieces that could not be read.
    public var referenceFailures: [Piece] { reference.filter { $0.metrics == nil } }

    /// Measures every MIDI file under `paths` and under `referencePaths` with `workers` parallel tasks.
    /// Folders are searched recursively for `.mid`/`.midi`; named files are read whatever their extension.
    /// With `thirds`, each piece also gets its metric-by-metric comparison of first and last third.
    public static func run(paths: [String], referencePaths: [String] = [], workers: Int = 2,
                           options: MetricsOptions = MetricsOptions(), thirds: Bool = false) async -> MetricsEvaluation {
        let files = MIDIInspector.collect(paths), refFiles = MIDIInspector.collect(referencePaths)
        let all = files + refFiles
        let measured = await measure(all, workers: workers, options: options, thirds: thirds)
        return MetricsEvaluation(pieces: Array(measured[..<files.count]), reference: Array(measured[files.count...]))
    }

    /// Reads and measures one file (with `thirds`, its first third against its last too); a read error becomes the
    /// piece's `error`.
    public static func measure(path: String, options: MetricsOptions = MetricsOptions(), thirds: Bool = false) -> Piece {
        do {
            let performance = Performance(midiFile: try MIDIFile(path: path))
            let (metrics, drift) = PieceMetrics.computeWithDrift(performance, options: options)
            return Piece(path: path, metrics: metrics, error: nil, thirds: thirds ? drift : nil)
        } catch {
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            return Piece(path: path, metrics: nil, error: text.contains(path) ? text : "\(path): \(text)")
        }
    }

    /// Measures collected files, striding them over `workers` tasks; results keep the input order.
    private static func measure(_ files: [(path: String, failure: MIDIInspector.InspectFailure?)], workers: Int,
                                options: MetricsOptions, thirds: Bool) async -> [Piece] {
        let n = max(1, min(workers, files.count))
        let parts = await withTaskGroup(of: [(Int, Piece)].self) { group in
            for w in 0..<n {
                group.addTask {
                    var part: [(Int, Piece)] = []
                    var i = w
                    while i < files.count {
                        let (path, failure) = files[i]
                        if let failure {
                            part.append((i, Piece(path: path, metrics: nil, error: failure.description)))
                        } else {
                            part.append((i, measure(path: path, options: options, thirds: thirds)))
                        }
                        i += n
                    }
                    return part
                }
            }
            var all: [[(Int, Piece)]] = []
            for await part in group { all.append(part) }
            return all
        }
        var pieces = [Piece?](repeating: nil, count: files.count)
        for part in parts { for (i, p) in part { pieces[i] = p } }
        return pieces.map { $0! }
    }
}
