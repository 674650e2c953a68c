import MIDI
import Music
@testable import Processing
import Support
import TestSupport
import XCTest

/// The bass, drums, humanize and arrange processors keep their guarantees on fixtures of every metre.
final class ArrangementTests: XCTestCase {
    private let registry = ProcessorRegistry.standard

    /// A tune in `key` with `beatsPerBar`/`denominator` bars: a note on every beat, `bars` bars.
    private func tune(_ key: Key, numerator: Int = 4, denominator: Int = 4, bars: Int = 16, notesPerBar: ((Int) -> Int)? = nil) -> Performance {
        let tpb = 480
        let beat = tpb * 4 / denominator
        let bar = beat * numerator
        let scale = key.pitchClasses
        var notes: [Note] = []
        var rng = SplitMix64(seed: 5)
        for b in 0..<bars {
            let count = notesPerBar?(b) ?? numerator
            let step = bar / count
            for k in 0..<count {
                let degree = Int.random(in: 0..<scale.count, using: &rng)
                let pitch = 60 + PitchClass(0).semitonesUp(to: scale[degree])
                notes.append(Note(pitch: UInt8(pitch), velocity: 90, startTick: b * bar + k * step, durationTicks: step))
            }
        }
        return Performance(ticksPerBeat: tpb, timeSignatures: [TimeSignatureChange(tick: 0, numerator: numerator, denominator: denominator)],
                           tracks: [NoteTrack(name: "Tunesmith", notes: notes)])
    }

    // MARK: bass

    func testBassIsInRangeInKeyAndOnTheRootsOfTheChords() throws {
        for (keyName, pattern) in [("D major", "root-fifth"), ("G minor", "walking"), ("Bb major", "boom-chick"), ("E dorian", "roots")] {
            let key = try XCTUnwrap(Key(name: keyName))
            var context = ProcessingContext()
            let spec = "scale:key=\(key.tonic.name(preferFlats: keyName.hasPrefix("Bb"))),mode=\(key.mode.rawValue)"
            let out = try registry.makePipeline([spec, "chords", "bass:style=\(pattern)"])
                .run(Fixtures.performance(count: 300, seed: 3), context: &context)
            let bass = ArrangementChecks.part(out, PartName.bass)
            XCTAssertGreaterThan(bass.count, 20, keyName)
            XCTAssertTrue(bass.allSatisfy { (28...55).contains(Int($0.pitch)) }, "\(keyName) \(pattern): bass within E1-G3")
            XCTAssertTrue(bass.allSatisfy { key.contains(pitch: Int($0.pitch)) }, "\(keyName) \(pattern): 100 % in the key")
            let roots = ArrangementChecks.rootsOnChanges(out, key: key)
            XCTAssertGreaterThan(roots.changes, 10)
            XCTAssertGreaterThanOrEqual(roots.fraction, 0.8, "\(keyName) \(pattern): roots on chord changes")
            XCTAssertEqual(out.tracks.count, 6, "conductor, melody, bass, drums, then Chords and Bass added")
        }
    }

    func testBassWithoutAChordTrackFollowsChordsPerBar() throws {
        let key = Key(tonic: PitchClass(7), mode: .major)
        let piece = tune(key, numerator: 3, denominator: 4, bars: 12)
        var context = ProcessingContext(key: key)
        let out = try BassLine().process(piece, context: &context)
        let bass = ArrangementChecks.part(out, PartName.bass)
        XCTAssertTrue(bass.allSatisfy { (28...55).contains(Int($0.pitch)) && key.contains(pitch: Int($0.pitch)) })
        // Each bar starts with a root of a diatonic chord whose tones cover most of the bar's melody.
        let chords = key.diatonicChords(.triad)
        for b in 0..<12 {
            let start = b * 1440
            let first = try XCTUnwrap(bass.first { $0.startTick == start }, "a bass note on bar \(b + 1)'s downbeat")
            XCTAssertTrue(chords.contains { $0.root.value == Int(first.pitch) % 12 })
        }
    }

    func testBassRejectsTheDrumChannel() {
        XCTAssertThrowsError(try registry.makeProcessor("bass:channel=9"))
        XCTAssertThrowsError(try registry.makeProcessor("bass:style=funk"))
    }

    // MARK: drums

    func testDrumsLandOnTheMetresBeatsWithFillsAndNoRepeatedBars() throws {
        for (num, den) in [(2, 4), (3, 4), (4, 4), (6, 8)] {
            for style in ["band", "folk", "soft"] {
                let piece = tune(Key(tonic: PitchClass(0), mode: .major), numerator: num, denominator: den, bars: 16)
                let out = try registry.makeProcessor("drums:style=\(style)").process(piece)
                let label = "\(num)/\(den) \(style)"
                let drums = ArrangementChecks.part(out, PartName.drums)
                XCTAssertFalse(drums.isEmpty, label)
                XCTAssertTrue(drums.allSatisfy { $0.channel == 9 }, "\(label): channel 10")
                XCTAssertTrue(out.tracks.dropLast().allSatisfy { $0.notes.allSatisfy { !$0.isDrum } })
                let beat = 480 * 4 / den
                let compound = den == 8 && num % 3 == 0
                let pulse = compound ? beat * 3 : beat
                let grid = compound ? beat : beat / 4
                XCTAssertTrue(drums.allSatisfy { $0.startTick % grid == 0 }, "\(label): every hit on the grid")
                let meter = Meter(out)
                let bars = ArrangementChecks.drumBars(drums, meter: meter, end: 16 * beat * num)
                XCTAssertEqual(bars.count, 16)
                for (i, bar) in bars.enumerated() {
                    XCTAssertTrue(bar.hits.contains([0, 36]), "\(label): kick on bar \(i + 1)'s first beat")
                    for p in 0..<(beat * num / pulse) {
                        XCTAssertTrue(bar.hits.contains { $0[0] == p * pulse }, "\(label): a hit on pulse \(p + 1) of bar \(i + 1)")
                    }
                    if i > 0 { XCTAssertNotEqual(bar.hits, bars[i - 1].hits, "\(label): bars \(i) and \(i + 1) identical") }
                    if i % 4 == 3 {
                        // A fill: the last pulse has snare or tom hits between its pulses.
                        let fill = bar.hits.filter { $0[0] >= beat * num - pulse && [38, 41, 43, 45, 47, 48, 50].contains($0[1]) }
                        XCTAssertGreaterThanOrEqual(fill.count, compound ? 3 : 4, "\(label): fill at the end of bar \(i + 1)")
                    }
                    if i > 0 && i % 4 == 0 { XCTAssertTrue(bar.hits.contains([0, 49]), "\(label): crash opening phrase at bar \(i + 1)") }
                }
                // The backbeat: a snare or side stick on the second pulse (band, folk).
                if style != "soft" {
                    for (i, bar) in bars.enumerated() where i % 4 != 3 && i != bars.count - 1 {
                        XCTAssertTrue(bar.hits.contains([pulse, style == "band" ? 38 : 37]), "\(label): backbeat in bar \(i + 1)")
                    }
                }
            }
        }
    }

    func testDrumDensityFollowsTheMelody() throws {
        // Sparse melody for 8 bars (1 note per bar), busy for 8 (8 per bar).
        let piece = tune(Key(tonic: PitchClass(2), mode: .naturalMinor), bars: 16, notesPerBar: { $0 < 8 ? 1 : 8 })
        let out = try registry.makeProcessor("drums").process(piece)
        let bars = ArrangementChecks.drumBars(ArrangementChecks.part(out, PartName.drums), meter: Meter(out), end: 16 * 1920)
        // Compare bars that are not phrase ends (fills) or phrase starts (crash).
        let plain = [1, 2, 5, 6]
        let sparse = plain.map { bars[$0].hits.count }.reduce(0, +)
        let busy = plain.map { bars[$0 + 8].hits.count }.reduce(0, +)
        XCTAssertGreaterThan(Double(busy), Double(sparse) * 1.3, "busier melody, busier drums (\(sparse) vs \(busy) hits)")
    }

    func testDrumsAreSeededAndVary() throws {
        let piece = tune(Key(tonic: PitchClass(0), mode: .major))
        let a = try registry.makeProcessor("drums:seed=3").process(piece)
        let b = try registry.makeProcessor("drums:seed=3").process(piece)
        let c = try registry.makeProcessor("drums:seed=4").process(piece)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    // MARK: humanize

    func testHumanizeStaysWithinItsBoundsAndBars() throws {
        for (num, den) in [(4, 4), (6, 8), (3, 4)] {
            var piece = tune(Key(tonic: PitchClass(9), mode: .naturalMinor), numerator: num, denominator: den, bars: 12)
            piece = try registry.makePipeline(["chords", "bass", "drums"]).run(piece)
            let h = try Humanizer(velocity: 10, timing: 20, arc: 24, accent: 10)
            let out = try h.process(piece)
            let meter = Meter(piece)
            let bound = 20 * 480.0 / 500.0 + 0.5  // 20 ms at 120 BPM (500 ms per quarter), in ticks
            var velocityChanged = 0, moved = 0
            for (t, track) in piece.tracks.enumerated() {
                XCTAssertEqual(out.tracks[t].notes.count, track.notes.count)
                // Each input note matched to the nearest unmatched output note of its pitch.
                var left = out.tracks[t].notes
                for n in track.notes {
                    let candidates = left.indices.filter { left[$0].pitch == n.pitch && left[$0].channel == n.channel }
                    let j = try XCTUnwrap(candidates.min { abs(left[$0].startTick - n.startTick) < abs(left[$1].startTick - n.startTick) })
                    let m = left.remove(at: j)
                    XCTAssertLessThanOrEqual(abs(Int(m.velocity) - Int(n.velocity)), h.velocityBound)
                    XCTAssertLessThanOrEqual(Double(abs(m.startTick - n.startTick)), bound)
                    XCTAssertEqual(meter.barStart(atOrBefore: m.startTick), meter.barStart(atOrBefore: n.startTick), "never off its bar")
                    XCTAssertLessThanOrEqual(m.endTick, n.endTick, "no note ends later")
                    if m.velocity != n.velocity { velocityChanged += 1 }
                    if m.startTick != n.startTick { moved += 1 }
                }
            }
            XCTAssertGreaterThan(velocityChanged, piece.noteCount / 2)
            XCTAssertGreaterThan(moved, piece.noteCount / 3)
        }
    }

    func testHumanizeShapesPhrasesAndAccentsDownbeats() throws {
        let piece = tune(Key(tonic: PitchClass(0), mode: .major), bars: 16)
        let out = try Humanizer(velocity: 0, timing: 0, arc: 30, accent: 12).process(piece)
        let notes = out.tracks[0].notes
        // Arch: the third bar of each phrase (near the peak) is louder than its first.
        for phrase in 0..<4 {
            let first = notes.filter { $0.startTick / 1920 == phrase * 4 }.map { Int($0.velocity) }.reduce(0, +)
            let peak = notes.filter { $0.startTick / 1920 == phrase * 4 + 2 }.map { Int($0.velocity) }.reduce(0, +)
            XCTAssertGreaterThan(peak, first)
        }
        // Downbeats louder than the beat after them.
        for bar in 0..<16 {
            let one = notes.first { $0.startTick == bar * 1920 }!, two = notes.first { $0.startTick == bar * 1920 + 480 }!
            XCTAssertGreaterThan(one.velocity, two.velocity)
        }
    }

    // MARK: arrange

    func testArrangeBandMakesFourNamedPartsWithTheirMix() throws {
        var context = ProcessingContext()
        let out = try registry.makePipeline(["scale:key=A,mode=minor", "arrange:style=band"]).run(tune(Key(tonic: PitchClass(9), mode: .naturalMinor)), context: &context)
        XCTAssertEqual(out.parts.map(\.name), ["Melody", "Chords", "Bass", "Drums"])
        let style = try XCTUnwrap(ArrangementStyle.named("band"))
        var pans: [UInt8] = []
        let mixes: [(String, ArrangementStyle.PartMix)] = [("Melody", style.melody), ("Chords", style.chords), ("Bass", style.bass), ("Drums", try XCTUnwrap(style.drums))]
        for (name, mix) in mixes {
            let track = try XCTUnwrap(out.tracks.first { $0.name == name })
            let channels = Set(track.notes.map { $0.channel })
            XCTAssertEqual(channels.count, 1, name)
            if name == "Drums" { XCTAssertEqual(channels, [9]) } else { XCTAssertFalse(channels.contains(9)) }
            XCTAssertTrue(track.notes.allSatisfy { $0.isDrum || $0.program == mix.program }, "\(name) program")
            let channel = try XCTUnwrap(channels.first)
            let expected: [(UInt8, UInt8)] = [(7, mix.volume), (10, mix.pan), (91, mix.reverb)]
            for (cc, value) in expected {
                let message = MIDIMessage.controlChange(channel: channel, control: cc, value: value)
                XCTAssertTrue(track.controls.contains { $0.tick == 0 && $0.message == message }, "\(name) CC\(cc)")
            }
            pans.append(mix.pan)
        }
        XCTAssertGreaterThan(Set(pans).count, 2, "parts spread across the stereo field")
        let key = try XCTUnwrap(context.key)
        XCTAssertTrue(ArrangementChecks.part(out, "Bass").allSatisfy { key.contains(pitch: Int($0.pitch)) && (28...55).contains(Int($0.pitch)) })
        // Humanized by up to 8 ms (7.7 ticks at 120 BPM) per note.
        XCTAssertGreaterThanOrEqual(ArrangementChecks.rootsOnChanges(out, key: key, tolerance: 8).fraction, 0.8)
        // Humanized: velocities are no longer one value.
        XCTAssertGreaterThan(Set(ArrangementChecks.part(out, "Melody").map(\.velocity)).count, 5)
    }

    func testEveryStyleArrangesAndChoraleHasNoDrums() throws {
        for style in ArrangementStyle.all {
            let out = try registry.makeProcessor("arrange:style=\(style.name)").process(tune(Key(tonic: PitchClass(5), mode: .major)))
            let names = out.parts.map(\.name)
            XCTAssertEqual(names, style.drums == nil ? ["Melody", "Chords", "Bass"] : ["Melody", "Chords", "Bass", "Drums"], style.name)
        }
    }

    func testArrangeKeepsTheTracksOfAMultiTrackPiece() throws {
        let piece = Fixtures.performance(count: 200, seed: 9)  // melody, bass and drums tracks already
        let out = try registry.makeProcessor("arrange:style=folk").process(piece)
        XCTAssertEqual(out.tracks.prefix(4).map { $0.name?.lowercased() }, piece.tracks.map { $0.name?.lowercased() }, "existing parts keep their names")
        XCTAssertEqual(Fixtures.drums(out).count, Fixtures.drums(piece).count, "an existing drum part is kept, no second one")
        XCTAssertEqual(out.tracks.filter { $0.name?.lowercased() == "bass" }.count, 1, "the existing bass part is kept, no second one")
        XCTAssertEqual(out.tracks.map(\.name).last, "Chords", "the missing chords are added")
        XCTAssertEqual(out.tracks[2].notes.map(\.pitch), piece.tracks[2].notes.map(\.pitch), "the piece's bass is not rewritten")
    }

    func testRegistryListsTheNewProcessors() {
        for name in ["bass", "drums", "humanize", "arrange"] { XCTAssertNotNil(registry.descriptor(named: name), name) }
        XCTAssertThrowsError(try registry.makeProcessor("arrange:style=polka"))
    }
}
