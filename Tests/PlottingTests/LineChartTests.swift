import Foundation
import Plotting
import XCTest

/// The line chart and the SVG building blocks.
final class LineChartTests: XCTestCase {
    func testOnePolylinePerSeriesThroughItsFinitePoints() {
        let train = LineChart.Series(name: "training", color: "#1f77b4", points: (1...10).map { (x: Double($0), y: 1 / Double($0)) })
        let val = LineChart.Series(name: "validation", color: "#d62728", points: [(1, 1.2), (2, .nan), (3, 0.5)])
        let svg = ParsedSVG(LineChart(title: "loss <per> epoch", xLabel: "epoch", yLabel: "loss", series: [train, val]).render())
        XCTAssertEqual(svg.root, "svg")
        let lines = svg.elements(withClass: "series")
        XCTAssertEqual(lines.count, 2)
        let counts = lines.map { ($0.attributes["points"] ?? "").split(separator: " ").count }
        XCTAssertEqual(counts, [10, 2], "the NaN point is skipped")
        XCTAssertEqual(svg.elements.filter { $0.name == "circle" }.count, 12)
        XCTAssertTrue(svg.elements.contains { $0.text == "loss <per> epoch" })
        // Decreasing values go down the page: y grows.
        let ys = (lines[0].attributes["points"] ?? "").split(separator: " ").map { Double($0.split(separator: ",")[1])! }
        XCTAssertEqual(ys, ys.sorted())
    }

    /// The loss-curve chart: one polyline per given series, the title as given, no validation line without points.
    func testLossCurveChartDrawsTrainingAndValidation() {
        let training = [(epoch: 1, loss: 4.1), (epoch: 2, loss: 3.2), (epoch: 3, loss: 2.9)]
        let both = ParsedSVG(LineChart.lossCurve(title: "tunesmith train: deep, cross-entropy loss", training: training,
                                                 validation: [(epoch: 1, loss: 4.3), (epoch: 2, loss: 3.6)]).render())
        XCTAssertEqual(both.elements(withClass: "series").map { ($0.attributes["points"] ?? "").split(separator: " ").count }, [3, 2])
        XCTAssertTrue(both.elements.contains { $0.text == "tunesmith train: deep, cross-entropy loss" })
        XCTAssertTrue(both.elements.contains { $0.text == "validation loss" })
        let trainingOnly = ParsedSVG(LineChart.lossCurve(title: "t", training: training).render())
        XCTAssertEqual(trainingOnly.elements(withClass: "series").count, 1)
        XCTAssertFalse(trainingOnly.elements.contains { $0.text == "validation loss" })
    }

    func testEmptyChartIsStillADocument() {
        let svg = ParsedSVG(LineChart(title: "", xLabel: "x", yLabel: "y", series: []).render())
        XCTAssertEqual(svg.root, "svg")
        XCTAssertEqual(svg.elements(withClass: "series").count, 0)
    }

    func testScaleAndTicks() {
        let s = LinearScale(domain: 0...10, range: (100, 0))
        XCTAssertEqual(s(0), 100)
        XCTAssertEqual(s(10), 0)
        XCTAssertEqual(s(2.5), 75)
        XCTAssertEqual(s.ticks(count: 5), [0, 2, 4, 6, 8, 10])
        let ticks = LinearScale(domain: 0.13...0.91, range: (0, 1)).ticks(count: 4)
        XCTAssertEqual(ticks.count, 4)
        for (t, e) in zip(ticks, [0.2, 0.4, 0.6, 0.8]) { XCTAssertEqual(t, e, accuracy: 1e-12) }
    }

    func testNumbersAndEscaping() {
        XCTAssertEqual(SVGNumber.format(12.5), "12.5")
        XCTAssertEqual(SVGNumber.format(3), "3")
        XCTAssertEqual(SVGNumber.format(-0.004), "0")
        XCTAssertEqual(SVGNumber.format(-1.05), "-1.05")
        XCTAssertEqual(SVGNumber.format(0.07), "0.07")
        XCTAssertEqual(SVGNumber.format(.infinity), "0")
        XCTAssertEqual(SVGDocument.escape("a<b & \"c\" 'd'>\u{1}"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
    }
}
