/// One metric over a set of pieces, optionally beside a reference set with the distance between them.
public struct MetricSummaryRow: Sendable, Hashable, Codable {
    /// The metric's name (one of ``PieceMetrics/names``).
    public var name: String
    /// Mean over the set.
    public var mean: Double
    /// Population standard deviation over the set.
    public var standardDeviation: Double
    /// Mean over the reference set, when there is one.
    public var referenceMean: Double?
    /// Standard deviation over the reference set, when there is one.
    public var referenceStandardDeviation: Double?
    /// Overlapping area and KL divergence (set || reference) of the smoothed distributions.
    public var distance: DistributionComparison?
}

/// Aggregates per-piece metrics over a set and compares sets, metric by metric.
public enum MetricsSummary {
    /// One row per metric (in ``PieceMetrics/names`` order) with the set's mean and standard
    /// deviation, and with a non-empty `reference` its mean, deviation and distribution distance.
    public static func rows(_ pieces: [PieceMetrics], reference: [PieceMetrics] = []) -> [MetricSummaryRow] {
        let values = pieces.map { $0.values.map(\.value) }
        let refValues = reference.map { $0.values.map(\.value) }
        return PieceMetrics.names.enumerated().map { index, name in
            let column = values.map { $0[index] }
            var row = MetricSummaryRow(name: name, mean: MetricMath.mean(column),
                                       standardDeviation: MetricMath.standardDeviation(column))
            if !reference.isEmpty {
                let refColumn = refValues.map { $0[index] }
                row.referenceMean = MetricMath.mean(refColumn)
                row.referenceStandardDeviation = MetricMath.standardDeviation(refColumn)
                row.distance = DistributionComparison.compare(column, refColumn)
            }
            return row
        }
    }
}
