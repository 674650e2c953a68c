import XCTest
@testable import MIDI

final class TempoMapTests: XCTestCase {
    func testDefaultTempoIs120BPM() {
        let map = TempoMap(ticksPerBeat: 480)
        XCTAssertEqual(map.seconds(atTick: 480), 0.5, accuracy: 1e-12)
        XCTAssertEqual(map.tick(atSeconds: 2), 1920)
        XCTAssertEqual(map.microsecondsPerBeat(atTick: 10_000), 500_000)
    }

    func testTicksToSecondsAcrossTempoChanges() {
        // 120 BPM for 2 beats, then 60 BPM for 2 beats, then 240 BPM.
        let map = TempoMap(ticksPerBeat: 100, changes: [
            .init(tick: 400, microsecondsPerBeat: 250_000),
            .init(tick: 200, microsecondsPerBeat: 1_000_000),
        ])
        XCTAssertEqual(map.changes.map(\.tick), [200, 400], "changes are sorted")
        XCTAssertEqual(map.seconds(atTick: 200), 1.0, accuracy: 1e-12)
        XCTAssertEqual(map.seconds(atTick: 300), 2.0, accuracy: 1e-12)
        XCTAssertEqual(map.seconds(atTick: 400), 3.0, accuracy: 1e-12)
        XCTAssertEqual(map.seconds(atTick: 600), 3.5, accuracy: 1e-12)
        for tick in stride(from: 0, through: 1000, by: 7) {
            XCTAssertEqual(map.tick(atSeconds: map.seconds(atTick: tick)), tick)
        }
        XCTAssertEqual(map.exactTick(atSeconds: 1.5), 250, accuracy: 1e-9)
        XCTAssertEqual(map.microsecondsPerBeat(atTick: 399), 1_000_000)
        XCTAssertEqual(map.microsecondsPerBeat(atTick: 400), 250_000)
    }

    func testLaterChangeAtSameTickWins() {
        let map = TempoMap(ticksPerBeat: 480, changes: [.init(tick: 0, microsecondsPerBeat: 400_000), .init(tick: 0, microsecondsPerBeat: 600_000)])
        XCTAssertEqual(map.changes, [.init(tick: 0, microsecondsPerBeat: 600_000)])
    }

    func testSMPTEIgnoresTempo() {
        let map = TempoMap(division: .smpte(framesPerSecond: 25, ticksPerFrame: 40), changes: [.init(tick: 0, microsecondsPerBeat: 1_000_000)])
        XCTAssertEqual(map.seconds(atTick: 1000), 1.0, accuracy: 1e-12)
        XCTAssertEqual(map.tick(atSeconds: 2.5), 2500)
        XCTAssertEqual(map.division, .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        let dropFrame = TempoMap(framesPerSecond: 29, ticksPerFrame: 100)
        XCTAssertEqual(dropFrame.seconds(atTick: 2997), 1.0, accuracy: 1e-9)
    }

    func testFileTempoMapCollectsAllTracks() throws {
        let file = try MIDIFile(bytes: SMF.file(
            [0x00, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40] + SMF.eot,                     // 1,000,000 at 0
            [0x83, 0x60, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20] + SMF.eot                // 500,000 at 480
        ))
        let map = file.tempoMap
        XCTAssertEqual(map.changes, [.init(tick: 0, microsecondsPerBeat: 1_000_000), .init(tick: 480, microsecondsPerBeat: 500_000)])
        XCTAssertEqual(map.seconds(atTick: 960), 1.5, accuracy: 1e-12)
        XCTAssertEqual(file.durationSeconds, 1.0, accuracy: 1e-12)
    }
}
