import Support
import XCTest

/// SplitMix64 keeps the reference stream that seeded processors, models and test material depend on.
final class SplitMix64Tests: XCTestCase {
    func testStreamMatchesReferenceValues() {
        var zero = SplitMix64(seed: 0)
        XCTAssertEqual((0..<3).map { _ in zero.next() }, [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var fuzz = SplitMix64(seed: 20261125)  // the MalformedInputTests seed
        XCTAssertEqual((0..<3).map { _ in fuzz.next() }, [0x92CF_6A4A_AF5C_73E1, 0x2A12_E734_35D3_9EAC, 0x33E4_EDA7_A980_43C0])
    }
}
