import Foundation
import MIDI
import Music
import Processing
import TestSupport
import XCTest

/// The processors' guarantees on real MIDI files from ../shared/corpus (else from the sample corpus Samples/Corpus).
final class CorpusTests: XCTestCase {
    /// Every `stride`-th MIDI file of the corpus in sorted path order: `shared` on the shared corpus (2,207 files),
    /// `sample` on the sample corpus (300 files).
    func corpusFiles(stride: (shared: Int, sample: Int)) -> [URL] {
        let step = TestPaths.usesSharedCorpus ? stride.shared : stride.sample
        return TestPaths.midiFiles(in: TestPaths.corpus).enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    func testFullPipelineGuaranteesOnCorpusFiles() throws {
        var checked = 0, pitchedNotes = 0, chordPoints = 0, drumFiles = 0
        for url in corpusFiles(stride: (23, 3)) {
            let input: Performance
            do { input = try Performance(contentsOf: url) } catch { continue } // unreadable files are the reader's tests' business
            guard input.tracks.contains(where: { $0.notes.contains { !$0.isDrum } }) else { continue }
            let name = url.lastPathComponent
            var context = ProcessingContext()
            let pipeline = try ProcessorRegistry.standard.makePipeline(["scale:key=auto", "chords:style=seventh,every=bar"])
            let out = try pipeline.run(input, context: &context)
            let key = try XCTUnwrap(context.key, name)
            // 100 % in scale, drums untouched.
            let pitched = out.tracks.dropLast().flatMap(\.notes).filter { !$0.isDrum }
            XCTAssertTrue(pitched.allSatisfy { key.contains(pitch: Int($0.pitch)) }, name)
            let drumsIn = input.tracks.flatMap(\.notes).filter(\.isDrum)
            XCTAssertEqual(out.tracks.flatMap(\.notes).filter(\.isDrum), drumsIn, name)
            if !drumsIn.isEmpty { drumFiles += 1 }
            // Chords: >= 3 distinct pitches per point, all in the key, within the default register.
            let chords = Dictionary(grouping: out.tracks.last!.notes, by: \.startTick)
            XCTAssertFalse(chords.isEmpty, name)
            for (tick, notes) in chords {
                XCTAssertGreaterThanOrEqual(Set(notes.map(\.pitch)).count, 3, "\(name) at \(tick)")
                XCTAssertTrue(notes.allSatisfy { key.contains(pitch: Int($0.pitch)) && (48...72).contains(Int($0.pitch)) }, name)
            }
            // Ranges.
            XCTAssertTrue(out.tracks.allSatisfy { $0.notes.allSatisfy { $0.pitch <= 127 && $0.velocity <= 127 && $0.startTick >= 0 } }, name)
            XCTAssertTrue(out.tracks.last!.notes.allSatisfy { $0.durationTicks > 0 && $0.velocity >= 1 }, name)

            // Quantise at strength 1: every onset on the grid.
            let quantizer = Quantizer(grid: .sixteenth, strength: 1)
            let q = try quantizer.process(out)
            let grid = quantizer.grid(for: q)
            XCTAssertTrue(q.tracks.allSatisfy { $0.notes.allSatisfy { grid.contains($0.startTick) } }, name)
            XCTAssertTrue(q.tracks.allSatisfy { $0.notes.allSatisfy { $0.durationTicks > 0 } }, name)

            // The guarantees survive writing to MIDI and reading back.
            let back = Performance(midiFile: q.midiFile())
            XCTAssertTrue(back.tracks.flatMap(\.notes).filter { !$0.isDrum }.allSatisfy { key.contains(pitch: Int($0.pitch)) }, name)

            checked += 1
            pitchedNotes += pitched.count
            chordPoints += chords.count
        }
        XCTAssertGreaterThan(checked, 50, "enough corpus files were checked")
        print("corpus: \(checked) files, \(pitchedNotes) pitched notes in scale, \(chordPoints) chord points, \(drumFiles) files with drums")
    }

    func testDeterministicOnCorpus() throws {
        for url in corpusFiles(stride: (300, 40)) {
            guard let input = try? Performance(contentsOf: url) else { continue }
            let specs = ["scale:key=auto,mode=dorian", "quantize:grid=1/8t,strength=0.6,swing=0.3", "chords:every=strong"]
            let a = try ProcessorRegistry.standard.makePipeline(specs).run(input)
            let b = try ProcessorRegistry.standard.makePipeline(specs).run(input)
            XCTAssertEqual(a.midiFile().encoded(), b.midiFile().encoded(), url.lastPathComponent)
        }
    }
}
