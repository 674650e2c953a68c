import MIDI

/// One generated note as a line of JSON (for `tunesmith generate --stream`):
/// `{"pitch":60,"velocity":80,"start_tick":0,"duration_ticks":240,"start_seconds":0,"duration_seconds":0.25,"channel":0,"program":0}`.
public enum NoteJSONLine {
    /// The line for `note` (with a trailing newline), seconds through `tempoMap` rounded to microseconds.
    public static func line(_ note: Note, tempoMap: TempoMap) -> String {
        let start = tempoMap.seconds(atTick: note.startTick)
        let end = tempoMap.seconds(atTick: note.endTick)
        return "{\"pitch\":\(note.pitch),\"velocity\":\(note.velocity),\"start_tick\":\(note.startTick),"
            + "\"duration_ticks\":\(note.durationTicks),\"start_seconds\":\(micro(start)),"
            + "\"duration_seconds\":\(micro(end - start)),\"channel\":\(note.channel),\"program\":\(note.program)}\n"
    }

    /// A number of seconds with at most six decimals, no exponent.
    static func micro(_ seconds: Double) -> String {
        let us = Int64((seconds * 1e6).rounded())
        let sign = us < 0 ? "-" : ""
        let a = us.magnitude
        let whole = a / 1_000_000, frac = a % 1_000_000
        if frac == 0 { return "\(sign)\(whole)" }
        var f = String(frac)
        f = String(repeating: "0", count: 6 - f.count) + f
        while f.hasSuffix("0") { f.removeLast() }
        return "\(sign)\(whole).\(f)"
    }
}
