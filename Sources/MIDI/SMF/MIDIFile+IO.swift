import Foundation
import Support

extension MIDIFile {
    /// Parses Standard MIDI File bytes (formats 0, 1, 2); throws ``MIDIError`` with the byte offset.
    public init(bytes: [UInt8]) throws(MIDIError) {
        var result: Result<MIDIFile, MIDIError>!
        bytes.withUnsafeBytes { raw in
            do throws(MIDIError) { result = .success(try SMFReader(raw).parse()) } catch { result = .failure(error) }
        }
        self = try result.get()
    }

    /// Parses Standard MIDI File bytes from contiguous memory.
    public init(bytes: UnsafeRawBufferPointer) throws(MIDIError) {
        self = try SMFReader(bytes).parse()
    }

    /// Reads and parses the file at `url`; throws ``FileError`` or ``MIDIError`` naming the path.
    public init(contentsOf url: URL) throws {
        try self.init(path: url.path)
    }

    /// Reads and parses the file at a path; throws ``FileError`` or ``MIDIError`` naming the path.
    public init(path: String) throws {
        let bytes = try FileBytes.read(path: path)
        do {
            try self.init(bytes: bytes)
        } catch {
            throw error.with(path: path)
        }
    }

    /// The Standard MIDI File bytes of this file: running status, end_of_track always written.
    ///
    /// Deterministic: equal files encode to identical bytes, and reading them back gives the same
    /// events (plus an end_of_track where a track had none).
    public func encoded() -> [UInt8] {
        var writer = SMFWriter()
        return writer.encode(self)
    }

    /// Writes ``encoded()`` to `url` atomically; an existing file is replaced only if `overwrite`.
    public func write(to url: URL, overwrite: Bool = false) throws {
        try AtomicFileWriter(destination: url, overwrite: overwrite).write(encoded())
    }

    /// The tempo map: set_tempo events of every track (format 0 and 1) or of the first track (format 2).
    public var tempoMap: TempoMap {
        var changes: [TempoMap.Change] = []
        for track in (format == 2 ? Array(tracks.prefix(1)) : tracks) {
            for event in track.events {
                if case .meta(.setTempo(let t)) = event.message {
                    changes.append(TempoMap.Change(tick: event.tick, microsecondsPerBeat: t))
                }
            }
        }
        return TempoMap(division: division, changes: changes)
    }

    /// The largest event tick of any track (0 for a file without events).
    public var lastTick: Int {
        tracks.reduce(0) { max($0, $1.events.last?.tick ?? 0) }
    }

    /// Playing time in seconds up to the last event of any track (mido's `MidiFile.length`).
    public var durationSeconds: Double {
        tempoMap.seconds(atTick: lastTick)
    }

    /// Number of note_on events with a velocity above 0, over all tracks.
    public var noteCount: Int {
        var count = 0
        for track in tracks {
            for event in track.events {
                if case .noteOn(_, _, let v) = event.message, v > 0 { count += 1 }
            }
        }
        return count
    }
}

/// A MIDI file read event by event, with the problems tolerant reading worked around.
public struct MIDIFileReading: Sendable {
    /// The events as read.
    public var file: MIDIFile
    /// Problems found and worked around, one per kind and track (empty for an intact file or strict reading).
    public var warnings: [MIDIWarning]
}

extension MIDIFile {
    /// Parses Standard MIDI File bytes (formats 0, 1, 2; RMID-wrapped too). `strict` throws ``MIDIError`` at the
    /// first problem; else what is readable is kept and the problems are returned (a file whose header cannot
    /// be read is refused either way).
    public static func reading(bytes: [UInt8], strict: Bool = false) throws(MIDIError) -> MIDIFileReading {
        var result: Result<MIDIFileReading, MIDIError>!
        bytes.withUnsafeBytes { raw in
            do throws(MIDIError) {
                var collector = TrackCollector()
                let header = try SMFReader(raw, strict: strict).parse(into: &collector)
                result = .success(MIDIFileReading(file: MIDIFile(format: header.format, division: header.division, tracks: collector.tracks),
                                                  warnings: collector.log.warnings))
            } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Reads the file at `path` as ``reading(bytes:strict:)`` does; throws ``FileError`` or ``MIDIError`` naming the path.
    public static func reading(path: String, strict: Bool = false) throws -> MIDIFileReading {
        let bytes = try FileBytes.read(path: path)
        do {
            return try reading(bytes: bytes, strict: strict)
        } catch {
            throw error.with(path: path)
        }
    }
}
