import MIDI
import Music
@testable import Processing
import XCTest

final class ScaleConstraintTests: XCTestCase {
    func testEveryModeAndTonicPutsAllPitchedNotesInScaleAndLeavesDrums() throws {
        let input = Fixtures.performance(count: 300, seed: 7)
        for mode in Mode.allCases {
            for tonic in [0, 1, 6, 10].map { PitchClass($0) } {
                let key = Key(tonic: tonic, mode: mode)
                let out = try ScaleConstraint(key: key).process(input)
                let pitched = Fixtures.pitched(out)
                XCTAssertFalse(pitched.isEmpty)
                XCTAssertTrue(pitched.allSatisfy { key.contains(pitch: Int($0.pitch)) }, "\(key)")
                XCTAssertEqual(Fixtures.drums(out), Fixtures.drums(input), "drums untouched")
                XCTAssertTrue(Fixtures.wellFormed(out))
                XCTAssertEqual(out.keySignatures, [key.keySignature])
                XCTAssertEqual(out.tracks.map(\.name), input.tracks.map(\.name))
            }
        }
    }

    /// `key=Eb` is reported as Eb whatever mode is chosen (it once came back as "D# minor"), `key=D#` as D#,
    /// and the written key signature follows the spelling.
    func testGivenTonicKeepsItsSpellingInTheReportedKey() throws {
        let input = Fixtures.performance(count: 120, seed: 3)
        func resolved(_ spec: String) throws -> (name: String?, signature: [KeySignatureChange]) {
            var context = ProcessingContext()
            let out = try ProcessorRegistry.standard.makePipeline([spec]).run(input, context: &context)
            return (context.key?.name, out.keySignatures)
        }
        XCTAssertEqual(try resolved("scale:key=Eb,mode=major").name, "Eb major")
        XCTAssertEqual(try resolved("scale:key=Eb,mode=minor").name, "Eb minor")
        XCTAssertEqual(try resolved("scale:key=Eb,mode=minor").signature.map(\.sharpsOrFlats), [-6])
        XCTAssertEqual(try resolved("scale:key=Eb,mode=blues").name, "Eb blues")
        XCTAssertEqual(try resolved("scale:key=Eb,mode=phrygian").name, "Eb phrygian")
        XCTAssertTrue(try resolved("scale:key=Eb").name?.hasPrefix("Eb ") ?? false, "auto mode keeps the tonic's spelling")
        XCTAssertEqual(try resolved("scale:key=D#,mode=minor").name, "D# minor")
        XCTAssertEqual(try resolved("scale:key=D#,mode=minor").signature.map(\.sharpsOrFlats), [6])
        XCTAssertEqual(try resolved("scale:key=Gb,mode=major").name, "Gb major")
        XCTAssertEqual(try resolved("scale:key=F#,mode=major").name, "F# major")
    }

    func testMovesToNearestWithTieDownAndKeepsTiming() throws {
        let notes = [61, 66, 63, 70, 64].enumerated().map {
            Note(pitch: UInt8($1), velocity: 90, startTick: $0 * 100, durationTicks: 90)
        }
        let p = Performance(tracks: [NoteTrack(notes: notes)])
        let out = try ScaleConstraint(key: Key(name: "C")!).process(p)
        XCTAssertEqual(out.tracks[0].notes.map(\.pitch), [60, 65, 62, 69, 64])
        XCTAssertEqual(out.tracks[0].notes.map(\.startTick), [0, 100, 200, 300, 400])
        XCTAssertEqual(out.tracks[0].notes.map(\.durationTicks), [90, 90, 90, 90, 90])
    }

    func testUnisonsCreatedByTheConstraintAreKeptOrMergedAndReported() throws {
        let p = Performance(tracks: [NoteTrack(notes: [
            Note(pitch: 60, velocity: 50, startTick: 0, durationTicks: 100),
            Note(pitch: 61, velocity: 90, startTick: 0, durationTicks: 200),
        ])])
        var context = ProcessingContext()
        let kept = try ScaleConstraint(key: Key(name: "C")!).process(p, context: &context)
        XCTAssertEqual(kept.tracks[0].notes, [Note(pitch: 60, velocity: 50, startTick: 0, durationTicks: 100),
                                              Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 200)], "no note is lost")
        XCTAssertEqual(context.reports, ["scale: kept 1 note sharing an onset, pitch and channel with another (collisions=keep; collisions=merge merges them)"])
        context = ProcessingContext()
        let merged = try ScaleConstraint(key: Key(name: "C")!, collisions: .merge).process(p, context: &context)
        XCTAssertEqual(merged.tracks[0].notes, [Note(pitch: 60, velocity: 90, startTick: 0, durationTicks: 200)])
        XCTAssertEqual(context.reports, ["scale: merged 1 note into others on the same onset, pitch and channel (collisions=merge)"])
    }

    func testAutoKeyFindsTheTuneKeyAndConstrains() throws {
        for name in ["D", "Bb", "F# minor", "C minor"] {
            let key = Key(name: name)!
            var tune = Fixtures.tune(in: key)
            // Add chromatic passing notes that must be moved.
            tune.tracks[0].notes.append(Note(pitch: UInt8(60 + key.tonic.value + 1), velocity: 60, startTick: 30, durationTicks: 20))
            var context = ProcessingContext()
            let out = try ScaleConstraint().process(tune, context: &context)
            XCTAssertEqual(context.key, key, name)
            XCTAssertTrue(Fixtures.pitched(out).allSatisfy { key.contains(pitch: Int($0.pitch)) })
        }
    }

    func testAutoKeyOnRandomMaterialIsStillHundredPercent() throws {
        for seed in 1...12 {
            let input = Fixtures.performance(count: 200, seed: UInt64(seed))
            for mode in ["auto", "major", "dorian", "blues"] {
                var context = ProcessingContext()
                let scale = try ProcessorRegistry.standard.makeProcessor("scale:key=auto,mode=\(mode)")
                let out = try scale.process(input, context: &context)
                let key = try XCTUnwrap(context.key)
                if mode != "auto" { XCTAssertEqual(key.mode.rawValue, mode) }
                XCTAssertTrue(Fixtures.pitched(out).allSatisfy { key.contains(pitch: Int($0.pitch)) })
                XCTAssertEqual(Fixtures.drums(out), Fixtures.drums(input))
                XCTAssertTrue(Fixtures.wellFormed(out))
            }
        }
    }

    func testTonicOnlyPicksMajorOrMinorByCorrelation() throws {
        let aMinor = Fixtures.tune(in: Key(name: "Am")!)
        var context = ProcessingContext()
        _ = try ProcessorRegistry.standard.makeProcessor("scale:key=A").process(aMinor, context: &context)
        XCTAssertEqual(context.key, Key(name: "Am"))
    }

    func testDrumsInAMixedTrackStayExactlyAsTheyWere() throws {
        // One track mixing channel 9 hits (including a doubled hit) with off-scale pitched notes.
        let notes = [
            Note(pitch: 36, velocity: 100, startTick: 0, durationTicks: 10, channel: 9),
            Note(pitch: 36, velocity: 100, startTick: 0, durationTicks: 10, channel: 9),
            Note(pitch: 61, velocity: 80, startTick: 0, durationTicks: 100),
            Note(pitch: 42, velocity: 90, startTick: 50, durationTicks: 5, channel: 9),
            Note(pitch: 63, velocity: 80, startTick: 100, durationTicks: 100),
            Note(pitch: 49, velocity: 90, startTick: 100, durationTicks: 5, channel: 9),
        ].sorted(by: Note.playingOrder)
        let p = Performance(tracks: [NoteTrack(notes: notes)])
        let out = try ScaleConstraint(key: Key(name: "C")!).process(p)
        XCTAssertEqual(out.tracks[0].notes.filter(\.isDrum), notes.filter(\.isDrum))
        XCTAssertEqual(out.tracks[0].notes.filter { !$0.isDrum }.map(\.pitch), [60, 62])
    }

    func testNoPitchedNotesWithAutoKeyIsUnchanged() throws {
        let drumsOnly = Performance(tracks: [NoteTrack(notes: [Note(pitch: 36, velocity: 100, startTick: 0, durationTicks: 10, channel: 9)])])
        XCTAssertEqual(try ScaleConstraint().process(drumsOnly), drumsOnly)
    }
}
