/// The numbers of a training run's loss-curve plot: per-epoch training and validation loss and what the loss is.
///
/// Learning draws nothing; the tool turns this into an SVG with Plotting (`MODEL.loss.svg`).
public struct LossCurve: Sendable, Hashable {
    /// One epoch's mean loss.
    public struct Point: Sendable, Hashable {
        /// 1-based epoch.
        public var epoch: Int
        /// Mean total loss of the epoch.
        public var loss: Double

        /// Creates a point.
        public init(epoch: Int, loss: Double) {
            self.epoch = epoch
            self.loss = loss
        }
    }

    /// The trained loss's name (``FeatureLoss/name``), e.g. `cross-entropy` or `musical`.
    public var lossName: String
    /// The plot title, e.g. `tunesmith train: deep, cross-entropy loss`.
    public var title: String
    /// Training loss per epoch.
    public var training: [Point]
    /// Validation loss per epoch (empty without validation songs).
    public var validation: [Point]

    /// The curve of `history` for a model of `architecture` trained with `loss`.
    public init(history: [EpochRecord], architecture: String, loss: FeatureLoss) {
        lossName = loss.name
        title = "tunesmith train: \(architecture), \(loss.name) loss"
        training = history.map { Point(epoch: $0.epoch, loss: $0.training.total) }
        validation = history.compactMap { r in r.validation.map { Point(epoch: r.epoch, loss: $0.total) } }
    }
}
