import MIDI
import Music
import XCTest

final class MeterTests: XCTestCase {
    func testDefaultIsFourFourFromZero() {
        let m = Meter(Performance(ticksPerBeat: 480))
        XCTAssertEqual(m.segments.count, 1)
        XCTAssertEqual(m.segments[0].start, 0)
        XCTAssertEqual(m.segments[0].beatTicks, 480)
        XCTAssertEqual(m.segments[0].beatsPerBar, 4)
        XCTAssertEqual(m.barStarts(from: 0, before: 7681), [0, 1920, 3840, 5760, 7680])
        XCTAssertEqual(m.beatStarts(from: 500, before: 2000), [960, 1440, 1920])
        XCTAssertTrue(m.isBarStart(3840))
        XCTAssertFalse(m.isBarStart(3840 + 480))
        XCTAssertTrue(m.isBeatStart(3840 + 480))
        XCTAssertEqual(m.barStart(atOrBefore: 5000), 3840)
        XCTAssertEqual(m.beatStart(atOrBefore: 5000), 4800)
    }

    func testChangesAndDenominators() {
        // 6/8 at 0 (beat = eighth = 240, bar = 1440), 7/8 from 2880, 2/2 from 2880 + 1680 = 4560.
        let sigs = [TimeSignatureChange(tick: 0, numerator: 6, denominator: 8),
                    TimeSignatureChange(tick: 2880, numerator: 7, denominator: 8),
                    TimeSignatureChange(tick: 4560, numerator: 2, denominator: 2)]
        let m = Meter(Performance(ticksPerBeat: 480, timeSignatures: sigs))
        XCTAssertEqual(m.segments.map(\.barTicks), [1440, 1680, 1920])
        XCTAssertEqual(m.barStarts(from: 0, before: 8000), [0, 1440, 2880, 4560, 6480])
        XCTAssertEqual(m.beatTicks(at: 100), 240)
        XCTAssertEqual(m.beatTicks(at: 5000), 960)
        XCTAssertEqual(m.barStart(atOrBefore: 4000), 2880)
        XCTAssertTrue(m.isBarStart(4560))
        XCTAssertEqual(m.beatStarts(from: 4320, before: 6000), [4320, 4560, 5520])
    }

    func testSignatureAfterZeroKeepsFourFourBeforeIt() {
        let m = Meter(Performance(ticksPerBeat: 96, timeSignatures: [TimeSignatureChange(tick: 768, numerator: 3, denominator: 4)]))
        XCTAssertEqual(m.segments.count, 2)
        XCTAssertEqual(m.barStarts(from: 0, before: 1400), [0, 384, 768, 1056, 1344])
    }
}
