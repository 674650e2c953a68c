import Foundation
@testable import Learning
import XCTest

/// The loss curve names the loss the model was trained with (a categorical model's curve once said "mse loss").
final class LossCurveTests: XCTestCase {
    private func history() -> [EpochRecord] {
        func components(_ total: Double) -> LossComponents {
            var c = LossComponents()
            c.total = total
            return c
        }
        return [EpochRecord(epoch: 1, training: components(4), validation: components(4.5), validationAccuracy: 0.1, samplesPerSecond: 1),
                EpochRecord(epoch: 2, training: components(3), validation: nil, validationAccuracy: nil, samplesPerSecond: 1)]
    }

    func testCategoricalModelCurveIsTitledCrossEntropy() {
        let curve = LossCurve(history: history(), architecture: "deep", loss: .categorical(noteMean: 60, noteScale: 5))
        XCTAssertEqual(curve.lossName, "cross-entropy")
        XCTAssertEqual(curve.title, "tunesmith train: deep, cross-entropy loss")
        XCTAssertFalse(curve.title.contains("mse"), curve.title)
        let rhythm = RhythmHead(velocityMean: 80, velocityScale: 20, metreIndex: 17)
        XCTAssertEqual(LossCurve(history: [], architecture: "deep", loss: .categorical(noteMean: 60, noteScale: 5, rhythm: rhythm)).lossName,
                       "cross-entropy")
        let penalised = LossCurve(history: [], architecture: "deep", loss: .categorical(noteMean: 60, noteScale: 5, musicalPenalty: 0.2))
        XCTAssertEqual(penalised.lossName, "cross-entropy + 0.2 x musical")
    }

    func testRegressionModelCurveNamesItsNoteLoss() {
        for mode in NoteLossMode.allCases {
            let curve = LossCurve(history: history(), architecture: "paper", loss: FeatureLoss(mode: mode, noteScale: 5))
            XCTAssertEqual(curve.title, "tunesmith train: paper, \(mode.rawValue) loss")
        }
    }

    func testPointsFollowTheHistory() {
        let curve = LossCurve(history: history(), architecture: "paper", loss: FeatureLoss(mode: .musical, noteScale: 5))
        XCTAssertEqual(curve.training, [.init(epoch: 1, loss: 4), .init(epoch: 2, loss: 3)])
        XCTAssertEqual(curve.validation, [.init(epoch: 1, loss: 4.5)], "epochs without validation have no validation point")
    }
}
