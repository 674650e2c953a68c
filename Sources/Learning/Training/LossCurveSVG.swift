import Foundation
import Plotting

/// Renders per-epoch training and validation loss as a small standalone SVG line chart (Plotting's ``LineChart``).
public enum LossCurveSVG {
    /// The SVG document for `history`.
    public static func render(_ history: [EpochRecord], title: String) -> String {
        let train = history.map { (x: Double($0.epoch), y: $0.training.total) }
        let val = history.compactMap { r in r.validation.map { (x: Double(r.epoch), y: $0.total) } }
        var series = [LineChart.Series(name: "training loss", color: LineChart.palette[0], points: train)]
        if !val.isEmpty { series.append(LineChart.Series(name: "validation loss", color: LineChart.palette[1], points: val)) }
        return LineChart(title: title, xLabel: "epoch", yLabel: "loss", series: series).render()
    }
}
