import Foundation
import Generation
import MIDI
import Music
import Processing
import TestSupport
import XCTest

/// Arrangements of generated music keep the bass, drums and humanize guarantees.
final class ArrangementOnGeneratedTests: XCTestCase {
    private func generated(seed: UInt64, bars: Int = 8, start: GenerationStart = .random) throws -> Performance {
        try Generator.make(try Fixtures.defaultModel(), length: .bars(bars), seed: seed, start: start).performance()
    }

    private func part(_ p: Performance, _ name: String) -> [Note] { p.tracks.last { $0.name == name }?.notes ?? [] }

    /// Bass in E1-G3 and in the key; the root under at least 80 % of chord changes; drums on channel 10 on the grid
    /// with the kick on every bar's first beat and no bar repeating the one before.
    private func checkGuarantees(_ out: Performance, key: Key, label: String) {
        let bass = part(out, PartName.bass), chords = part(out, PartName.chords), drums = part(out, PartName.drums)
        XCTAssertFalse(bass.isEmpty, label)
        XCTAssertTrue(bass.allSatisfy { (28...55).contains(Int($0.pitch)) && key.contains(pitch: Int($0.pitch)) }, "\(label): bass range and key")
        var byOnset: [Int: Set<Int>] = [:]
        for n in chords { byOnset[n.startTick, default: []].insert(Int(n.pitch) % 12) }
        let diatonic = key.diatonicChords(.triad) + key.diatonicChords(.seventh)
        var previous: Set<Int>?, changes = 0, rooted = 0
        for t in byOnset.keys.sorted() {
            let set = byOnset[t]!
            defer { previous = set }
            guard set != previous, let chord = diatonic.first(where: { Set($0.pitchClasses.map(\.value)) == set }) else { continue }
            changes += 1
            if bass.contains(where: { $0.startTick == t && Int($0.pitch) % 12 == chord.root.value }) { rooted += 1 }
        }
        XCTAssertGreaterThanOrEqual(changes, 2, label)
        XCTAssertGreaterThanOrEqual(Double(rooted) / Double(max(1, changes)), 0.8, "\(label): roots on \(changes) chord changes")
        guard !drums.isEmpty else { return }
        XCTAssertTrue(drums.allSatisfy { $0.channel == 9 }, label)
        let meter = Meter(out)
        let end = drums.map(\.endTick).max()!
        let bars = meter.barStarts(from: 0, before: end)
        var previousBar: Set<[Int]>?
        for (i, b) in bars.enumerated() {
            let next = i + 1 < bars.count ? bars[i + 1] : end
            let hits = Set(drums.filter { $0.startTick >= b && $0.startTick < next }.map { [$0.startTick - b, Int($0.pitch)] })
            XCTAssertTrue(hits.contains([0, 36]), "\(label): kick on bar \(i + 1)")
            let beat = meter.beatTicks(at: b)
            XCTAssertTrue(hits.allSatisfy { ($0[0] % beat) * 4 % beat == 0 || ($0[0] % beat) * 3 % beat == 0 }, "\(label): drums on the grid in bar \(i + 1)")
            if let previousBar { XCTAssertNotEqual(hits, previousBar, "\(label): bar \(i + 1) repeats bar \(i)") }
            previousBar = hits
        }
    }

    func testArrangementsOfGeneratedTunesKeepTheirGuarantees() throws {
        // Two generated tunes (generation dominates the time of this test), every style on each.
        for seed in [UInt64(7), 11] {
            let tune = try generated(seed: seed)
            for style in ["band", "folk", "jazz", "chorale"] {
                var context = ProcessingContext()
                let out = try ProcessorRegistry.standard.makePipeline(["scale:key=auto", "arrange:style=\(style),humanize=false"])
                    .run(tune, context: &context)
                let key = try XCTUnwrap(context.key)
                XCTAssertEqual(out.parts.map(\.name), style == "chorale" ? ["Melody", "Chords", "Bass"] : ["Melody", "Chords", "Bass", "Drums"])
                checkGuarantees(out, key: key, label: "seed \(seed) \(style)")
            }
        }
    }

    func testArrangementOfATuneInThreeFourContinuesItsMetre() throws {
        // A primer in 3/4 from the sample corpus: the generated continuation and its drums are in 3/4.
        let files = TestPaths.midiFiles(in: TestPaths.sampleCorpus)
        let waltz = try files.lazy.compactMap { try? Performance(contentsOf: $0) }
            .first { $0.timeSignatures.first.map { $0.numerator == 3 && $0.denominator == 4 } ?? false }
        let primer = try XCTUnwrap(waltz, "a 3/4 piece in Samples/Corpus")
        let tune = try generated(seed: 3, start: .primer(primer))
        XCTAssertEqual(tune.timeSignatures.first?.numerator, 3)
        var context = ProcessingContext()
        let out = try ProcessorRegistry.standard.makePipeline(["scale:key=auto", "arrange:style=band,humanize=false"]).run(tune, context: &context)
        checkGuarantees(out, key: try XCTUnwrap(context.key), label: "3/4")
    }

    func testHumanizedArrangementVariesVelocityWithinItsBounds() throws {
        let tune = try generated(seed: 5)
        let plain = try ProcessorRegistry.standard.makeProcessor("arrange:style=band,humanize=false").process(tune)
        let human = try ProcessorRegistry.standard.makeProcessor("humanize").process(plain)
        XCTAssertEqual(human, try ProcessorRegistry.standard.makeProcessor("arrange:style=band").process(tune), "arrange's humanize is the humanize stage")
        let bound = try Humanizer().velocityBound
        for (a, b) in zip(plain.tracks, human.tracks) {
            XCTAssertEqual(a.notes.count, b.notes.count)
            XCTAssertEqual(a.notes.map(\.pitch).sorted(), b.notes.map(\.pitch).sorted())
        }
        let melody = part(human, PartName.melody)
        XCTAssertGreaterThan(Set(melody.map(\.velocity)).count, 8, "no longer one velocity")
        // Each note's velocity moved by at most the bound (notes matched by track, pitch and onset order).
        for (a, b) in zip(plain.tracks, human.tracks) {
            var before: [UInt8: [Note]] = [:], after: [UInt8: [Note]] = [:]
            for n in a.notes { before[n.pitch, default: []].append(n) }
            for n in b.notes { after[n.pitch, default: []].append(n) }
            for (pitch, notes) in before {
                for (x, y) in zip(notes, after[pitch] ?? []) where abs(x.startTick - y.startTick) <= 8 {
                    XCTAssertLessThanOrEqual(abs(Int(x.velocity) - Int(y.velocity)), bound)
                }
            }
        }
    }
}
