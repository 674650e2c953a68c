import MIDI
import Plotting

/// The album page's piano roll of one track: Plotting's ``PianoRoll`` (bars, the key's scale rows,
/// tracks coloured) sized for the page and marked up for inlining in HTML.
enum TrackPianoRoll {
    /// Width the roll aims for, in CSS pixels (the page's column); longer tracks scale down with the page.
    static let width = 720.0
    /// Height of the note area it aims for, in CSS pixels.
    static let height = 180.0

    /// The `<svg class="pianoroll">` element for `performance`, labelled with the track's title.
    static func svg(_ performance: Performance, title: String) -> String {
        var low = 127, high = 0
        for t in performance.tracks {
            for n in t.notes { low = min(low, Int(n.pitch)); high = max(high, Int(n.pitch)) }
        }
        let rows = low > high ? 13 : high - low + 3
        let options = PianoRoll.Options(rowHeight: max(1, min(6, height / Double(rows))), maxWidth: width)
        return PianoRoll(performance: performance, options: options)
            .render(rootAttributes: [("class", "pianoroll"), ("role", "img"), ("aria-label", "Piano roll of \(title)")])
    }
}
