import CLibFuzzer
import Foundation
import MIDI

/// libFuzzer entry point: any bytes must parse or throw a MIDIError, never crash; whatever parses
/// must survive the note model, the writer and the event dump, and its encoding must read back to
/// a file that encodes to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIDIReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Tolerant reading: whatever it keeps must write a file that strict reading accepts with the same notes.
    if let reading = try? Performance.read(bytes: bytes) {
        let written = reading.performance.encodedMIDI()
        guard let back = try? Performance.read(bytes: written, strict: true) else { fatalError("a tolerantly read performance writes an unreadable file") }
        precondition(back.performance.noteCount == reading.performance.noteCount, "tolerant read -> write -> read changed the note count")
    }
    guard let file = try? MIDIFile(bytes: bytes) else { return 0 }

    var dumped = 0
    var dump = EventDumpWriter { dumped &+= $0.count }
    dump.write(file)
    precondition(dumped > 0, "the event dump of a parsed file is empty")

    _ = file.durationSeconds
    _ = file.noteCount

    let encoded = file.encoded()
    let reread: MIDIFile
    do {
        reread = try MIDIFile(bytes: encoded)
    } catch {
        fatalError("the writer's output does not read back: \(error)")
    }
    precondition(reread.encoded() == encoded, "encode -> read -> encode is not byte-identical")

    let performance = Performance(midiFile: file)
    _ = performance.durationSeconds
    let back = performance.midiFile()
    let backBytes = back.encoded()
    do {
        let again = try MIDIFile(bytes: backBytes)
        precondition(Performance(midiFile: again).noteCount == performance.noteCount,
                     "notes -> file -> notes changed the note count")
    } catch {
        fatalError("the note model's file does not read back: \(error)")
    }
    return 0
}

/// Runs libFuzzer (SwiftPM renames an executable's main, so libFuzzer's own main is not used).
@main
enum FuzzMIDIReaderMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzzMIDIReader(data, size)
        })
    }
}
