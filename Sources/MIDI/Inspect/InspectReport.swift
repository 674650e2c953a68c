/// Formats the entries of ``MIDIInspector`` as an aligned table or as JSON, with totals.
public struct InspectReport: Sendable {
    /// The inspected files in order.
    public var entries: [MIDIInspector.Entry]

    /// Creates a report.
    public init(_ entries: [MIDIInspector.Entry]) {
        self.entries = entries
    }

    /// Files that could not be read.
    public var failedCount: Int {
        entries.reduce(0) { if case .failure = $1.result { return $0 + 1 } else { return $0 } }
    }

    /// Notes over all readable files.
    public var totalNotes: Int {
        entries.reduce(0) { if case .success(let s) = $1.result { return $0 + s.notes } else { return $0 } }
    }

    /// Playing time over all readable files, in seconds.
    public var totalSeconds: Double {
        entries.reduce(0) { if case .success(let s) = $1.result { return $0 + s.durationSeconds } else { return $0 } }
    }

    /// A header line, one row per file (failures as `ERROR` rows with their message), and a totals line.
    public func table() -> String {
        var out = ""
        out.reserveCapacity(entries.count * 100 + 200)
        out += "format tracks  division   notes   seconds     bpm tempos  time  key  file\n"
        for entry in entries {
            switch entry.result {
            case .success(let s):
                out += pad(String(s.format), 6) + " " + pad(String(s.tracks), 6) + " "
                out += pad(divisionText(s.division), 9) + " " + pad(String(s.notes), 7) + " "
                out += pad(fixed(s.durationSeconds, 1), 9) + " "
                out += pad(s.initialBPM.map { fixed($0, 1) } ?? "-", 7) + " " + pad(String(s.tempoChanges), 6) + " "
                out += pad(s.timeSignature ?? "-", 5) + "  " + (s.keySignature ?? "-").padding(4) + " " + entry.path + "\n"
            case .failure(let f):
                out += "ERROR  " + f.description + "\n"
            }
        }
        let ok = entries.count - failedCount
        out += "total: \(entries.count) files, \(ok) read, \(failedCount) failed, \(totalNotes) notes, "
        out += "\(fixed(totalSeconds, 1)) s (\(fixed(totalSeconds / 3600, 2)) h)\n"
        return out
    }

    /// `{"files":[...],"totals":{...}}` with one object per file (an `error` field for failures).
    public func json() -> String {
        var out = "{\"files\":["
        out.reserveCapacity(entries.count * 220 + 200)
        for (i, entry) in entries.enumerated() {
            if i > 0 { out += "," }
            out += "\n{\"path\":" + Self.quoted(entry.path)
            switch entry.result {
            case .success(let s):
                out += ",\"format\":\(s.format),\"tracks\":\(s.tracks)"
                switch s.division {
                case .ticksPerBeat(let t): out += ",\"ticks_per_beat\":\(t)"
                case .smpte(let fps, let tpf): out += ",\"smpte_fps\":\(fps),\"ticks_per_frame\":\(tpf)"
                }
                out += ",\"notes\":\(s.notes),\"duration_seconds\":\(s.durationSeconds)"
                out += ",\"initial_bpm\":" + (s.initialBPM.map { "\($0)" } ?? "null")
                out += ",\"tempo_changes\":\(s.tempoChanges)"
                out += ",\"time_signature\":" + (s.timeSignature.map(Self.quoted) ?? "null")
                out += ",\"key_signature\":" + (s.keySignature.map(Self.quoted) ?? "null") + "}"
            case .failure(let f):
                out += ",\"error\":" + Self.quoted(f.description) + "}"
            }
        }
        out += "\n],\"totals\":{\"files\":\(entries.count),\"read\":\(entries.count - failedCount),\"failed\":\(failedCount)"
        out += ",\"notes\":\(totalNotes),\"duration_seconds\":\(totalSeconds)}}\n"
        return out
    }

    private func divisionText(_ d: Division) -> String {
        switch d {
        case .ticksPerBeat(let t): return String(t)
        case .smpte(let fps, let tpf): return "\(fps)fps/\(tpf)"
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// `value` with exactly `decimals` decimals (no Foundation formatting).
    private func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1
        for _ in 0 ..< decimals { scale *= 10 }
        let r = Int((value * Double(scale)).rounded())
        let sign = r < 0 ? "-" : ""
        let whole = abs(r) / scale, frac = abs(r) % scale
        if decimals == 0 { return sign + String(whole) }
        let f = String(frac)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - f.count) + f
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

private extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
