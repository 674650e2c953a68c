import Foundation
import MIDI
import Processing
import TestSupport
import XCTest

/// No processor loses notes: over the corpus (../shared/corpus, else Samples/Corpus), every registered processor with
/// its default settings and with each choice, flag, bound and sample value of its parameters on its own keeps every
/// note of every input track (notes in == notes out), unless the setting's documented guarantee allows merging
/// (`collisions=merge`); and it keeps each track's sysex and meta events and end_of_track.
final class NoteCountCorpusTests: XCTestCase {
    /// One setting: (parameter, value) pairs; empty for the defaults.
    typealias Setting = [(name: String, value: String)]

    /// The defaults, then each non-default value of each parameter on its own (choices, flags, range bounds,
    /// sample values of free-form parameters).
    static func settings(_ d: ProcessorDescriptor) -> [Setting] {
        var out: [Setting] = [[]]
        for p in d.parameters {
            var values: [String] = []
            switch p.kind {
            case .choice(let words): values = words
            case .boolean: values = ["true", "false"]
            case .number(let r): values = [r.lowerBound, (r.lowerBound + r.upperBound) / 2, r.upperBound].map { String($0) }
            case .integer: values = []  // registers and velocities: covered by each processor's own tests
            case .custom(_, let isValid): values = ["C", "Eb", "3"].filter(isValid)
            }
            for v in values where v != p.defaultValue && Double(v) != Double(p.defaultValue) { out.append([(p.name, v)]) }
        }
        // Each setting also under collisions=merge, where the processor has the parameter.
        if d.parameters.contains(where: { $0.name == "collisions" }) {
            out += out.filter { !$0.contains { $0.name == "collisions" } }.map { $0 + [(name: "collisions", value: "merge")] }
        }
        return out
    }

    /// Whether the setting's documented guarantee allows fewer notes out than in.
    static func mayMerge(_ setting: Setting) -> Bool { setting.contains { $0.name == "collisions" && $0.value == "merge" } }

    func testNotesInEqualNotesOutForEveryProcessorAndSetting() throws {
        let files = TestPaths.midiFiles(in: TestPaths.corpus)
        let registry = ProcessorRegistry.standard
        var runs = 0, notesIn = 0, notesOut = 0, mergedAway = 0, collidingKept = 0, filesRead = 0
        for (k, url) in files.enumerated() {
            guard let input = try? Performance.read(contentsOf: url).performance else { continue }
            filesRead += 1
            for d in registry.descriptors {
                let all = Self.settings(d)
                // Defaults, the collision policies and a coarse grid on every file; every setting on every 8th file.
                let chosen = k % 8 == 0 ? all : all.filter { s in
                    s.allSatisfy { $0.name == "collisions" } || s.contains { $0.name == "grid" && $0.value == "1/4" }
                }
                for setting in chosen {
                    guard let processor = try? d.make(setting) else { continue }
                    var context = ProcessingContext()
                    let out = try processor.process(input, context: &context)
                    let what = "\(url.lastPathComponent) \(d.name) \(setting.map { "\($0.name)=\($0.value)" })"
                    XCTAssertGreaterThanOrEqual(out.tracks.count, input.tracks.count, what)
                    for (t, track) in input.tracks.enumerated() where t < out.tracks.count {
                        if Self.mayMerge(setting) {
                            XCTAssertLessThanOrEqual(out.tracks[t].notes.count, track.notes.count, what)
                        } else {
                            XCTAssertEqual(out.tracks[t].notes.count, track.notes.count, "\(what) track \(t): notes in == notes out")
                        }
                        XCTAssertEqual(out.tracks[t].otherEvents, track.otherEvents, "\(what) track \(t): sysex and meta events kept")
                        XCTAssertEqual(out.tracks[t].endOfTrackTick, track.endOfTrackTick, "\(what) track \(t): end_of_track kept")
                    }
                    let kept = out.tracks.prefix(input.tracks.count).reduce(0) { $0 + $1.notes.count }
                    if Self.mayMerge(setting) {
                        mergedAway += input.noteCount - kept
                        if input.noteCount > kept { XCTAssertTrue(context.reports.contains { $0.contains("merged") }, "\(what): merges are reported") }
                    } else if context.reports.contains(where: { $0.contains("kept") }) {
                        collidingKept += 1
                    }
                    runs += 1
                    notesIn += input.noteCount
                    notesOut += kept
                }
            }
        }
        print("notes in/out: \(filesRead) files, \(runs) processor runs, \(notesIn) notes in, \(notesOut) notes out of the input tracks (\(mergedAway) merged away under collisions=merge; \(collidingKept) runs kept colliding notes)")
        XCTAssertGreaterThan(filesRead, TestPaths.usesSharedCorpus ? 2000 : 250)
    }

    /// The case that used to lose notes: bwv1.6 quantised to quarter notes (491 notes; 479 after the old merge).
    func testQuantizingBWV1_6KeepsEveryNoteAndWritesThemBack() throws {
        let url = TestPaths.corpus.appendingPathComponent("chorales/bwv1.6.mid")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("bwv1.6.mid is not in this corpus") }
        let input = try Performance.read(contentsOf: url).performance
        for grid in ["1/4", "1/8"] {
            var context = ProcessingContext()
            let keep = try ProcessorRegistry.standard.makeProcessor("quantize:grid=\(grid)").process(input, context: &context)
            XCTAssertEqual(keep.noteCount, input.noteCount, grid)
            XCTAssertTrue(context.reports.first?.contains("kept") ?? false, "\(context.reports)")
            // Written and read back: still every note.
            XCTAssertEqual(Performance(midiFile: try MIDIFile(bytes: keep.encodedMIDI())).noteCount, input.noteCount, grid)
            var mergeContext = ProcessingContext()
            let merged = try ProcessorRegistry.standard.makeProcessor("quantize:grid=\(grid),collisions=merge").process(input, context: &mergeContext)
            XCTAssertLessThan(merged.noteCount, input.noteCount)
            let count = input.noteCount - merged.noteCount
            XCTAssertEqual(mergeContext.reports, ["quantize: merged \(count) notes into others on the same onset, pitch and channel (collisions=merge)"])
        }
    }
}
