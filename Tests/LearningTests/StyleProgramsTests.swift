import Foundation
import MIDI
import TestSupport
import XCTest
@testable import Learning

/// Each style's instrument: the program most of its notes carry, counted in training and kept in the model file.
final class StyleProgramsTests: XCTestCase {
    func song(_ path: String, programs: [Double?]) -> CorpusSong {
        CorpusSong(path: path, frames: programs.map { FeatureFrame(note: 60, velocity: 80, timeDelta: 0.25, duration: 0.25, program: $0) })
    }

    /// The most played program per style, ties to the lower one; frames without a program and songs without a style
    /// do not count; a style without notes gets 0.
    func testMostPlayedProgramPerStyle() throws {
        let songs = SongList(songs: [
            song("a", programs: [80, 80, 0, 33]),
            song("b", programs: [33, 33, nil, nil, nil]),
            song("c", programs: [0, 0, 0, 0, 0, 0]),      // no style
            song("d", programs: [24, 19, 19, 24]),        // tie: the lower program
            song("e", programs: [80, 80]),
        ], styles: [0, 0, nil, 1, 0])
        XCTAssertEqual(try StylePrograms.mostPlayed(in: songs, styleCount: 3), [80, 19, 0])
    }

    /// The programs round-trip through the model file's encoding, are written only when recorded, and a list that
    /// does not give one program per style is refused.
    func testProgramsAreStoredBesideTheStyles() throws {
        var e = InputEncoding(metre: true, styles: ["chorales", "games"])
        e.stylePrograms = [0, 80]
        let back = try JSONDecoder().decode(InputEncoding.self, from: JSONEncoder().encode(e))
        XCTAssertEqual(back.stylePrograms, [0, 80])
        XCTAssertEqual(back.width, InputEncoding(metre: true, styles: ["chorales", "games"]).width, "no new inputs")
        let plain = String(decoding: try JSONEncoder().encode(InputEncoding(metre: true, styles: ["folk"])), as: UTF8.self)
        XCTAssertFalse(plain.contains("stylePrograms"))
        for bad in [#"[0]"#, #"[0, 200]"#] {
            let json = #"{"pitchClasses":true,"duration":true,"program":true,"metre":true,"styles":["a","b"],"stylePrograms":"# + bad + "}"
            XCTAssertThrowsError(try JSONDecoder().decode(InputEncoding.self, from: Data(json.utf8)), bad)
        }
    }

    /// A stateful run with styles records each style's program from its training songs: a folder whose files play on
    /// program 81 gets 81, the sample chorales and folk tunes theirs; `model info` lists them.
    func testTrainingRecordsEachStylesProgram() throws {
        let dir = try TestPaths.temporaryFolder(self)
        for (style, program) in [("folk", nil), ("games", UInt8(81))] as [(String, UInt8?)] {
            let target = dir.appendingPathComponent("corpus/\(style)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for f in TestPaths.midiFiles(in: TestPaths.sampleCorpus.appendingPathComponent("folk")).prefix(4) {
                var file = try MIDIFile(contentsOf: f)
                if let program {
                    for t in file.tracks.indices {
                        file.tracks[t].events.removeAll { if case .programChange = $0.message { return true }; return false }
                        for ch in UInt8(0)..<16 where ch != 9 { file.tracks[t].events.insert(MIDIEvent(tick: 0, .programChange(channel: ch, program: program)), at: 0) }
                    }
                }
                try file.write(to: target.appendingPathComponent(f.lastPathComponent))
            }
        }
        var o = TrainingOptions(corpus: dir.appendingPathComponent("corpus"), output: dir.appendingPathComponent("m.tsmodel"))
        o.features = FeatureConfiguration(includeDrums: false, encoding: ArchitecturePreset.stateful.encoding(timing: .categorical))
        o.architecture = ArchitecturePreset.stateful.architecture(.init(layers: 1, units: 4, lookBack: 8), timing: .categorical)
        o.epochs = 1
        o.validation = 0
        o.styles = true
        o.overwrite = true
        let run = try TrainingSession(options: o).run(events: { _ in }, stop: StopFlag())
        let model = try TrainedModel(contentsOf: run.model)
        XCTAssertEqual(model.styles, ["folk", "games"])
        XCTAssertEqual(model.program(ofStyle: 0), 0)
        XCTAssertEqual(model.program(ofStyle: 1), 81)
        XCTAssertNil(model.program(ofStyle: 2))
        XCTAssertTrue(ModelSummary.text(model, path: "m").contains("1 games (program 81)"))
    }
}
