import Generation
import Learning
import XCTest

final class CategoricalSamplerTests: XCTestCase {
    private let logits: [Float] = [2.0, 1.0, 0.5, -1.0, 3.0, 0.0]

    private func draws(_ options: SamplingOptions, count: Int = 20_000, seed: UInt64 = 9) -> [Int] {
        var sampler = CategoricalSampler()
        var g = SeededGenerator(seed: seed)
        var counts = [Int](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { p in
            for _ in 0..<count { counts[sampler.sample(logits: p, options: options, generator: &g)] += 1 }
        }
        return counts
    }

    func testTemperatureZeroIsArgmax() throws {
        let counts = draws(try SamplingOptions(temperature: 0), count: 100)
        XCTAssertEqual(counts[4], 100)
    }

    func testTemperatureOneFollowsTheSoftmax() throws {
        let counts = draws(try SamplingOptions(temperature: 1, topP: 1))
        let e = logits.map { exp(Double($0)) }
        let total = e.reduce(0, +)
        for i in logits.indices {
            XCTAssertEqual(Double(counts[i]) / 20_000, e[i] / total, accuracy: 0.012, "class \(i)")
        }
    }

    func testTopKKeepsOnlyTheKMostLikely() throws {
        let counts = draws(try SamplingOptions(temperature: 5, topK: 2, topP: 1))
        XCTAssertEqual(counts[4] + counts[0], 20_000)
        XCTAssertGreaterThan(counts[0], 5_000)  // high temperature flattens the two kept classes
    }

    func testTopPKeepsTheNucleus() throws {
        // Softmax: class 4 has about 0.60, class 0 about 0.22: p = 0.7 keeps exactly those two.
        let counts = draws(try SamplingOptions(temperature: 1, topP: 0.7))
        XCTAssertEqual(counts[4] + counts[0], 20_000)
        XCTAssertGreaterThan(counts[0], 3_000)
        let tiny = draws(try SamplingOptions(temperature: 1, topP: 0.01))
        XCTAssertEqual(tiny[4], 20_000)
    }

    func testSameSeedSameDraws() throws {
        let o = try SamplingOptions(temperature: 1.3, topK: 4, topP: 0.9)
        XCTAssertEqual(draws(o, count: 500, seed: 3), draws(o, count: 500, seed: 3))
    }

    func testNonFiniteLogitsNeverWin() throws {
        let l: [Float] = [.nan, 1, .infinity, 0.5]
        var sampler = CategoricalSampler()
        var g = SeededGenerator(seed: 1)
        for t in [0.0, 1.0, 50.0] {
            for _ in 0..<200 {
                let i = l.withUnsafeBufferPointer { sampler.sample(logits: $0, options: try! SamplingOptions(temperature: t, topP: 1), generator: &g) }
                XCTAssertTrue(i == 1 || i == 3, "drew \(i)")
            }
        }
    }

    func testOptionsAreValidated() {
        XCTAssertThrowsError(try SamplingOptions(temperature: -1))
        XCTAssertThrowsError(try SamplingOptions(temperature: .nan))
        XCTAssertThrowsError(try SamplingOptions(noise: -0.1))
        XCTAssertThrowsError(try SamplingOptions(topK: -1))
        XCTAssertThrowsError(try SamplingOptions(topP: 0))
        XCTAssertThrowsError(try SamplingOptions(topP: 1.5))
    }
}
