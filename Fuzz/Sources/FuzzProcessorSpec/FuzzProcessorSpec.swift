import CLibFuzzer
import Foundation
import MIDI
import Processing

/// A small fixed performance (two bars of C major, a chord, a drum hit) the fuzzed pipelines run over.
private let sample: Performance = {
    var notes: [Note] = []
    for (i, pitch) in [60, 62, 64, 65, 67, 69, 71, 72].enumerated() {
        notes.append(Note(pitch: UInt8(pitch), velocity: 90, startTick: i * 240 + (i % 3) * 7, durationTicks: 200))
    }
    notes += [48, 52, 55].map { Note(pitch: UInt8($0), velocity: 70, startTick: 0, durationTicks: 1920) }
    let drums = NoteTrack(name: "drums", notes: [Note(pitch: 36, velocity: 100, startTick: 0, durationTicks: 10, channel: 9)])
    return Performance(
        ticksPerBeat: 480,
        tempoMap: TempoMap(division: .ticksPerBeat(480), changes: [TempoMap.Change(tick: 0, microsecondsPerBeat: 500_000)]),
        timeSignatures: [TimeSignatureChange(tick: 0, numerator: 4, denominator: 4)],
        keySignatures: [],
        tracks: [NoteTrack(name: "melody", notes: notes), drums]
    )
}()

/// libFuzzer entry point: any text as a pipeline file (and each line as a --process spec) must
/// parse or throw, make processors or throw, and the processors must run over a performance
/// without crashing and keep every note within MIDI ranges.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProcessorSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let registry = ProcessorRegistry.standard
    guard let specs = try? ProcessorSpec.parsePipeline(text, path: "fuzz.pipeline") else {
        _ = try? ProcessorSpec(parsing: text)
        return 0
    }
    var processors: [any PostProcessor] = []
    for (spec, _) in specs {
        let reparsed = try? ProcessorSpec(parsing: spec.text)
        precondition(reparsed == spec, "spec text does not parse back to the same spec: \(spec.text)")
        guard let processor = try? registry.makeProcessor(spec) else { return 0 }
        processors.append(processor)
    }
    guard !processors.isEmpty, processors.count <= 8 else { return 0 }
    guard let result = try? Pipeline(processors).run(sample) else { return 0 }
    for track in result.tracks {
        for note in track.notes {
            precondition(note.pitch < 128 && note.velocity < 128 && note.channel < 16, "note out of MIDI range: \(note)")
            precondition(note.startTick >= 0 && note.durationTicks >= 0, "negative time: \(note)")
        }
    }
    return 0
}

/// Runs libFuzzer (SwiftPM renames an executable's main, so libFuzzer's own main is not used).
@main
enum FuzzProcessorSpecMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzzProcessorSpec(data, size)
        })
    }
}
