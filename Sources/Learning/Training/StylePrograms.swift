/// The instrument of each style: the General MIDI program most of a style's notes are played on, counted over a song
/// source (``InputEncoding/stylePrograms``).
public enum StylePrograms {
    /// For each style index 0 ..< `styleCount`, the program (0 ... 127) the most notes of `source`'s songs of that style
    /// carry (ties to the lower program; 0 for a style without notes). Frames without a program are not counted; songs
    /// without a style are skipped. Reads every song once.
    public static func mostPlayed(in source: any SongSource, styleCount: Int) throws -> [Int] {
        var counts = [Int](repeating: 0, count: styleCount * 128)
        for i in 0..<source.count {
            guard let style = source.style(i), (0..<styleCount).contains(style) else { continue }
            for frame in try source.frames(i) {
                guard let p = frame.program, p.isFinite else { continue }
                counts[style * 128 + Int(min(127, max(0, p.rounded())))] += 1
            }
        }
        return (0..<styleCount).map { s in
            let row = counts[(s * 128)..<(s * 128 + 128)]
            return row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }.map { $0 - s * 128 } ?? 0
        }
    }
}
