import Generation
import XCTest

final class GenerationLengthTests: XCTestCase {
    func testParsesEveryUnit() throws {
        XCTAssertEqual(try GenerationLength(parsing: "200n"), .notes(200))
        XCTAssertEqual(try GenerationLength(parsing: "12notes"), .notes(12))
        XCTAssertEqual(try GenerationLength(parsing: "60s"), .seconds(60))
        XCTAssertEqual(try GenerationLength(parsing: "2.5s"), .seconds(2.5))
        XCTAssertEqual(try GenerationLength(parsing: "1.5m"), .seconds(90))
        XCTAssertEqual(try GenerationLength(parsing: "16bars"), .bars(16))
        XCTAssertEqual(try GenerationLength(parsing: "1bar"), .bars(1))
        XCTAssertEqual(try GenerationLength(parsing: " 8BARS "), .bars(8))
        XCTAssertEqual(try GenerationLength(parsing: "endless"), .endless)
        XCTAssertEqual(GenerationLength.bars(16).description, "16bars")
        XCTAssertEqual(GenerationLength.seconds(60).description, "60s")
        XCTAssertEqual(GenerationLength.notes(200).description, "200n")
    }

    func testRejectsBadSpecsWithOneLineMessages() {
        for bad in ["", "200", "n", "0n", "-5s", "1.5n", "2.5bars", "12x", "ten s", "nan s", "1e9s", "0bars", "99999999999n", "inf s"] {
            XCTAssertThrowsError(try GenerationLength(parsing: bad), "\(bad) should be rejected") { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("bad length"), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
    }
}
