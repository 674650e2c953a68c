import Foundation
import MIDI
import Music
@testable import Processing
import TestSupport
import XCTest

/// The arrangement guarantees on real music: corpus files (the shared corpus, else the sample corpus) arranged as a
/// band, and the generated drums measured against the drum tracks of the corpus's game files.
final class ArrangementCorpusTests: XCTestCase {
    /// Every `step`-th MIDI file of a corpus folder.
    private func files(_ folder: String, step: Int) -> [URL] {
        let all = TestPaths.midiFiles(in: TestPaths.corpus.appendingPathComponent(folder))
        return stride(from: 0, to: all.count, by: step).map { all[$0] }
    }

    func testBassAndDrumsKeepTheirGuaranteesOnCorpusFiles() throws {
        let pieces = files("folk", step: TestPaths.usesSharedCorpus ? 60 : 10) + files("chorales", step: TestPaths.usesSharedCorpus ? 40 : 10)
        try XCTSkipIf(pieces.isEmpty, "no corpus files")
        var checked = 0, rootsSum = 0.0, worstRoots = 1.0
        for url in pieces {
            guard let piece = try? Performance(contentsOf: url), piece.tracks.contains(where: { $0.notes.contains { !$0.isDrum } }) else { continue }
            var context = ProcessingContext()
            // The processors one by one (arrange keeps a piece's own parts: a chorale's Bass voice would stay the bass).
            let out = try ProcessorRegistry.standard.makePipeline(["scale:key=auto", "chords", "bass", "drums"]).run(piece, context: &context)
            let name = url.lastPathComponent
            let key = try XCTUnwrap(context.key, name)
            let bass = ArrangementChecks.part(out, PartName.bass)
            XCTAssertFalse(bass.isEmpty, name)
            XCTAssertTrue(bass.allSatisfy { (28...55).contains(Int($0.pitch)) }, "\(name): bass range")
            XCTAssertTrue(bass.allSatisfy { key.contains(pitch: Int($0.pitch)) }, "\(name): bass in \(key)")
            let roots = ArrangementChecks.rootsOnChanges(out, key: key)
            XCTAssertGreaterThanOrEqual(roots.fraction, 0.8, "\(name): roots on \(roots.changes) chord changes")
            rootsSum += roots.fraction
            worstRoots = min(worstRoots, roots.fraction)
            let drums = ArrangementChecks.part(out, PartName.drums)
            XCTAssertTrue(drums.allSatisfy { $0.channel == 9 }, name)
            // Every drum hit on the metre's grid (16ths of the beat, or the eighths of a compound metre) within its bar.
            let meter = Meter(out)
            for n in drums {
                let segment = meter.segment(at: n.startTick)
                let offset = (n.startTick - segment.start) % segment.beatTicks
                XCTAssertTrue(offset * 4 % segment.beatTicks == 0 || offset * 3 % segment.beatTicks == 0, "\(name): drum hit off the grid at \(n.startTick)")
            }
            let bars = ArrangementChecks.drumBars(drums, meter: meter, end: drums.map(\.endTick).max() ?? 0)
            for (i, bar) in bars.enumerated() where i > 0 && !bar.hits.isEmpty {
                XCTAssertNotEqual(bar.hits, bars[i - 1].hits, "\(name): bars \(i) and \(i + 1) identical")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 5)
        print("arrangement on \(checked) corpus files: roots on chord changes mean \(String(format: "%.3f", rootsSum / Double(checked))), worst \(String(format: "%.3f", worstRoots))")
    }

    /// The game files' drum tracks against our drums over the same files' pitched notes: hits per bar, groove
    /// consistency and repeated bars. Ours must fall within the corpus's range of hits per bar and be at least as
    /// consistent bar to bar as the least consistent game track, without ever repeating a bar outright.
    func testGeneratedDrumsAgainstTheCorpusDrumTracks() throws {
        let games = TestPaths.midiFiles(in: TestPaths.corpus.appendingPathComponent("games"))
        try XCTSkipIf(games.isEmpty, "the corpus has no games folder (the shared corpus has 41 game files with drum tracks)")
        var theirs: [(Double, Double, Double)] = [], ours: [(Double, Double, Double)] = []
        for url in games {
            guard let piece = try? Performance(contentsOf: url) else { continue }
            let meter = Meter(piece)
            let drums = piece.tracks.flatMap { $0.notes.filter(\.isDrum) }
            guard let measured = ArrangementChecks.groove(drums, meter: meter) else { continue }
            theirs.append(measured)
            var pitchedOnly = piece
            for t in pitchedOnly.tracks.indices { pitchedOnly.tracks[t].notes.removeAll(where: \.isDrum) }
            let arranged = try DrumPart().process(pitchedOnly)
            if let g = ArrangementChecks.groove(ArrangementChecks.part(arranged, PartName.drums), meter: meter) { ours.append(g) }
        }
        try XCTSkipIf(theirs.count < 3, "fewer than 3 game files with drum tracks")
        func summary(_ xs: [(Double, Double, Double)]) -> String {
            func stat(_ v: [Double]) -> String {
                let s = v.sorted()
                return String(format: "median %.2f (%.2f-%.2f)", s[s.count / 2], s.first!, s.last!)
            }
            return "hits/bar \(stat(xs.map(\.0))), groove consistency \(stat(xs.map(\.1))), repeated bars \(stat(xs.map(\.2)))"
        }
        print("corpus game drum tracks (\(theirs.count)): \(summary(theirs))")
        print("tunesmith drums on the same files (\(ours.count)): \(summary(ours))")
        let hits = theirs.map(\.0).sorted(), consistency = theirs.map(\.1).sorted()
        for g in ours {
            XCTAssertTrue((hits.first!...hits.last!).contains(g.0), "hits per bar \(g.0) outside the corpus's \(hits.first!)...\(hits.last!)")
            XCTAssertGreaterThanOrEqual(g.1, consistency.first!, "groove consistency")
            XCTAssertEqual(g.2, 0, "no bar repeats the one before")
        }
    }
}
