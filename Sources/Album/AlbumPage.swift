import Foundation
import Rendering

/// Builds `index.html` and `album.m3u8` from a manifest: one self-contained page (inline CSS, SVG and
/// a few lines of script, no network) that works when opened from disk.
public enum AlbumPage {
    /// The page's file name.
    public static let fileName = "index.html"
    /// The playlist's file name.
    public static let playlistName = "album.m3u8"
    /// The media type of a file a browser's `<audio>` can play (as its renderer declares), else nil.
    static func playableType(_ f: FileRecord, renderers: RendererRegistry = .standard) -> String? {
        (try? renderers.renderer(named: f.format))?.playableMediaType
    }

    /// The extended M3U playlist (UTF-8): one entry per track, its best audio file (else its first file).
    public static func playlist(_ manifest: AlbumManifest) -> String {
        var out = "#EXTM3U\n#PLAYLIST:\(oneLine(manifest.album))\n"
        for t in manifest.tracks {
            guard let file = preferredFile(t) else { continue }
            out += "#EXTINF:\(Int(t.durationSeconds.rounded())),\(oneLine(manifest.artist)) - \(oneLine(t.title))\n"
            out += "\(file.name)\n"
        }
        return out
    }

    /// The file the playlist and player use: the first playable audio file in the spec's format order, else the first file.
    static func preferredFile(_ t: TrackRecord) -> FileRecord? {
        t.files.first { playableType($0) != nil } ?? t.files.first
    }

    static func oneLine(_ s: String) -> String { s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") }

    /// The HTML page.
    public static func html(_ manifest: AlbumManifest) -> String {
        let e = HTML.escape
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="tunesmith \(e(manifest.tool.tunesmith))">
        <title>\(e(manifest.album)) — \(e(manifest.artist))</title>
        <style>
        body { font: 15px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 780px; background: #0d0f13; color: #e6e8eb; }
        svg.pianoroll { max-width: 100%; height: auto; border-radius: 4px; }
        h1 { margin-bottom: 0; } .artist { color: #9aa3ad; margin-top: .2em; }
        section.track { border-top: 1px solid #2c3038; padding: 1em 0; }
        h2 { font-size: 1.1em; margin: 0 0 .4em; } .num { color: #9aa3ad; }
        dl { display: grid; grid-template-columns: repeat(4, auto); gap: .1em 1em; font-size: .85em; margin: .5em 0; }
        dt { color: #9aa3ad; } dd { margin: 0; }
        audio { width: 100%; margin-top: .4em; } a { color: #5fb3f9; }
        .files { font-size: .85em; color: #9aa3ad; }
        </style>
        </head>
        <body>
        <h1>\(e(manifest.album))</h1>
        <p class="artist">\(e(manifest.artist))\(manifest.genre.map { " · " + e($0) } ?? "") · \(manifest.tracks.count) tracks</p>

        """
        for t in manifest.tracks {
            let m = t.metrics
            out += "<section class=\"track\" id=\"track-\(t.number)\" data-track=\"\(t.number)\">\n"
            out += "<h2><span class=\"num\">\(t.number).</span> \(e(t.title))</h2>\n"
            out += t.pianoRoll + "\n"
            out += "<dl>"
            out += "<dt>Key</dt><dd>\(e(m.key ?? "—"))</dd>"
            out += "<dt>Length</dt><dd>\(duration(t.durationSeconds))</dd>"
            out += "<dt>Tempo</dt><dd>\(String(format: "%.0f", t.tempoBPM)) BPM</dd>"
            out += "<dt>Notes</dt><dd>\(t.notes)</dd>"
            out += "<dt>In scale</dt><dd>\(String(format: "%.0f%%", m.scaleConsistency * 100))</dd>"
            out += "<dt>Range</dt><dd>\(m.pitchRange) semitones</dd>"
            out += "<dt>Polyphony</dt><dd>\(String(format: "%.2f", m.polyphony))</dd>"
            out += "<dt>Seed</dt><dd>\(t.seed)</dd>"
            out += "</dl>\n"
            if let parts = t.parts, !parts.isEmpty {
                out += "<p class=\"parts\">Parts: " + parts.map { part in
                    let stems = t.files.compactMap { f in f.stems?.first { URL(fileURLWithPath: $0.name).deletingPathExtension().lastPathComponent == StemFolder.fileName(part: part, ext: "") } }
                    let links = stems.map { " <a href=\"\(e($0.name.split(separator: "/").map { HTML.urlPath(String($0)) }.joined(separator: "/")))\">\(e($0.format))</a>" }.joined()
                    return "<span class=\"part\">\(e(part))\(links)</span>"
                }.joined(separator: " · ") + "</p>\n"
            }
            if let audio = t.files.first(where: { playableType($0) != nil }), let mime = playableType(audio) {
                out += "<audio controls preload=\"metadata\"><source src=\"\(e(HTML.urlPath(audio.name)))\" type=\"\(mime)\"></audio>\n"
            }
            out += "<p class=\"files\">"
            out += t.files.map { "<a href=\"\(e(HTML.urlPath($0.name)))\">\(e($0.format))</a> (\(kilobytes($0.bytes)))" }.joined(separator: " · ")
            out += "</p>\n</section>\n"
        }
        out += """
        <p class="files">Made with tunesmith \(e(manifest.tool.tunesmith)) (FluidSynth \(e(manifest.tool.fluidsynth)), \(e(manifest.tool.sndfile))). <a href="\(playlistName)">Playlist</a> · <a href="\(AlbumManifest.fileName)">Manifest</a></p>
        <script>
        // Mark each piano roll as laid out, and each player once the browser has read its file (or failed to).
        for (const s of document.querySelectorAll("svg.pianoroll")) {
          const r = s.getBoundingClientRect();
          s.dataset.rendered = r.width > 0 && r.height > 0 ? "yes" : "no";
          s.dataset.notes = s.querySelectorAll("rect.note").length;
        }
        for (const a of document.querySelectorAll("audio")) {
          a.addEventListener("loadedmetadata", () => { a.dataset.state = "ready"; a.dataset.duration = a.duration.toFixed(1); });
          a.addEventListener("error", () => { a.dataset.state = "error"; }, true);
          a.querySelector("source")?.addEventListener("error", () => { a.dataset.state = "error"; });
        }
        </script>
        </body>
        </html>

        """
        return out
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return String(format: "%d:%02d", t / 60, t % 60)
    }

    static func kilobytes(_ b: Int) -> String { b < 1024 ? "\(b) B" : b >= 1_048_576 ? String(format: "%.1f MB", Double(b) / 1_048_576) : String(format: "%.0f kB", Double(b) / 1024) }
}
