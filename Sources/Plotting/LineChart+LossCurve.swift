extension LineChart {
    /// A training run's loss curve: training loss (blue) and, when given, validation loss (red) per epoch.
    ///
    /// Takes plain numbers so Plotting needs nothing from Learning; `tunesmith train` passes a `LossCurve`'s points.
    public static func lossCurve(title: String, training: [(epoch: Int, loss: Double)],
                                 validation: [(epoch: Int, loss: Double)] = []) -> LineChart {
        func points(_ values: [(epoch: Int, loss: Double)]) -> [(x: Double, y: Double)] {
            values.map { (x: Double($0.epoch), y: $0.loss) }
        }
        var series = [Series(name: "training loss", color: palette[0], points: points(training))]
        if !validation.isEmpty { series.append(Series(name: "validation loss", color: palette[1], points: points(validation))) }
        return LineChart(title: title, xLabel: "epoch", yLabel: "loss", series: series)
    }
}
