import Generation
import Learning
import XCTest

final class StepperTests: XCTestCase {
    /// At temperature 0 a regression step is the Predictor's prediction for the window, short windows included.
    func testRegressionStepperMatchesThePredictor() throws {
        let model = try Fixtures.paperModel()
        let predictor = model.makePredictor()
        var stepper = RegressionStepper(model: model, sampling: .deterministic)
        var g = SeededGenerator(seed: 4)
        for i in 0..<200 {
            let window = (0..<(1 + i % 4)).map { _ in
                FeatureFrame(note: 40 + 50 * g.nextUnit(), velocity: 1 + 126 * g.nextUnit(), timeDelta: g.nextUnit() * (g.nextUnit() < 0.3 ? 0 : 2))
            }
            let a = predictor.predict(window)
            let b = window.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }
            XCTAssertEqual(a, b, "window \(i)")
        }
    }

    /// Noise is Gaussian with the documented standard deviation (temperature x noise, standardised units).
    func testNoiseHasTheRequestedSpread() throws {
        let model = try Fixtures.paperModel()
        let window = [FeatureFrame](repeating: FeatureFrame(note: 62, velocity: 80, timeDelta: 0.25), count: 3)
        let base = model.makePredictor().predict(window)
        var stepper = RegressionStepper(model: model, sampling: try SamplingOptions(temperature: 2, noise: 0.25))
        var g = SeededGenerator(seed: 1)
        var sum = 0.0, sq = 0.0
        let n = 5_000
        for _ in 0..<n {
            let f = window.withUnsafeBufferPointer { stepper.next(after: $0, generator: &g) }
            let z = (f.note - base.note) / model.scaler.scale[0]
            sum += z
            sq += z * z
        }
        let mean = sum / Double(n), sd = (sq / Double(n) - mean * mean).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(sd, 0.5, accuracy: 0.02)
    }
}
