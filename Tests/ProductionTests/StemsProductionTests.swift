import Foundation
import Generation
import MIDI
import Processing
import Production
import Rendering
import Support
import TestSupport
import XCTest

/// An output request may ask for stems: the production path checks the stems folder before any work and writes one
/// file per part of the processed piece.
final class StemsProductionTests: XCTestCase {
    func testArrangedGenerationWritesItsPartsAsStems() throws {
        let url = TestPaths.package("Samples/Models/paper.tsmodel")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no model at \(url.path)") }
        let model = try ProductionModel.load(url.path)
        var settings = GenerationSettings()
        for (k, v) in [("length", "4bars"), ("seed", "3"), ("tempo", "132")] { try settings.set(k, to: v) }
        let dir = try TestPaths.temporaryFolder(self)
        let mid = dir.appendingPathComponent("song.mid"), wav = dir.appendingPathComponent("song.wav")
        let request = ProductionRequest(source: .generate(settings, model: model),
                                        pipeline: try ProcessorRegistry.standard.makePipeline(["scale", "arrange:style=jazz"]),
                                        outputs: [OutputRequest(url: mid, stems: true), OutputRequest(url: wav, stems: true)])
        let result = try Producer().prepare(request).run()
        XCTAssertEqual(result.performance.parts.map(\.name), ["Melody", "Chords", "Bass", "Drums"])
        for file in result.files {
            XCTAssertEqual(file.stems.map(\.part), ["Melody", "Chords", "Bass", "Drums"])
            for stem in file.stems { XCTAssertTrue(FileManager.default.fileExists(atPath: stem.path), stem.path) }
        }
        XCTAssertEqual(result.files[1].stems.map(\.frames), Array(repeating: result.files[1].frames, count: 4), "audio stems as long as the mix")
        // The MIDI stem of the drums holds exactly the drum part, on channel 10.
        let drums = try Performance(contentsOf: URL(fileURLWithPath: result.files[0].stems[3].path))
        XCTAssertEqual(drums.allNotes, result.performance.tracks.first { $0.name == "Drums" }!.notes.sorted(by: Note.playingOrder))

        // Existing stems are refused before any work unless overwriting (the mix itself is gone here).
        try FileManager.default.removeItem(at: wav)
        XCTAssertThrowsError(try Producer().prepare(ProductionRequest(source: .generate(settings, model: model),
                                                                      outputs: [OutputRequest(url: wav, stems: true)]))) { error in
            XCTAssertTrue("\(error)".contains("song.stems/"), "\(error)")
        }
        XCTAssertNoThrow(try Producer().prepare(ProductionRequest(source: .generate(settings, model: model),
                                                                  outputs: [OutputRequest(url: wav, stems: true)], overwrite: true)))
    }
}
