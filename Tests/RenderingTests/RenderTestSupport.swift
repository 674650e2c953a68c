import CEBUR128
import CSndFile
import Foundation
import MIDI
import Rendering
import XCTest

/// Shared helpers for rendering tests: reading audio back through libsndfile, building performances in code,
/// and measuring pitch and onsets (paths and scratch folders come from ``TestPaths``).
enum RenderTestSupport {
    /// Runs `body` with pointers to the two channels' samples (valid only inside it).
    static func withPlanar<T>(_ left: [Float], _ right: [Float],
                              _ body: (UnsafePointer<Float>, UnsafePointer<Float>) throws -> T) rethrows -> T {
        try left.withUnsafeBufferPointer { l in try right.withUnsafeBufferPointer { r in try body(l.baseAddress!, r.baseAddress!) } }
    }


    /// Decoded audio: interleaved stereo samples.
    struct Audio {
        var frames: Int
        var channels: Int
        var sampleRate: Int
        var floats: [Float]
        var shorts: [Int16]
        var format: Int32

        /// The left channel.
        var left: [Float] { stride(from: 0, to: floats.count, by: channels).map { floats[$0] } }
        /// The right channel (the left one for mono files).
        var right: [Float] { stride(from: min(1, channels - 1), to: floats.count, by: channels).map { floats[$0] } }
    }

    /// Reads a sound file with libsndfile (as floats and as 16-bit integers).
    static func read(_ url: URL) throws -> Audio {
        var info = SF_INFO()
        guard let f = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw NSError(domain: "sndfile", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot open \(url.path): \(String(cString: sf_strerror(nil)))"])
        }
        defer { sf_close(f) }
        let n = Int(info.frames) * Int(info.channels)
        var floats = [Float](repeating: 0, count: n)
        _ = floats.withUnsafeMutableBufferPointer { sf_readf_float(f, $0.baseAddress, info.frames) }
        sf_seek(f, 0, SEEK_SET)
        var shorts = [Int16](repeating: 0, count: n)
        _ = shorts.withUnsafeMutableBufferPointer { sf_readf_short(f, $0.baseAddress, info.frames) }
        return Audio(frames: Int(info.frames), channels: Int(info.channels), sampleRate: Int(info.samplerate),
                     floats: floats, shorts: shorts, format: info.format)
    }

    /// One track of notes (channel 0 unless given), with optional controls, at 480 ticks per beat.
    static func performance(_ notes: [Note], controls: [MIDIEvent] = [], tempo: [TempoMap.Change] = []) -> Performance {
        Performance(ticksPerBeat: 480, tempoMap: TempoMap(ticksPerBeat: 480, changes: tempo),
                    tracks: [NoteTrack(name: "test", notes: notes, controls: controls)])
    }

    /// Renders to `name` in `folder` with the standard registry and returns the summary and the decoded audio.
    static func render(_ p: Performance, _ folder: URL, _ name: String, _ options: [String: RenderOptionValue] = [:]) throws -> (RenderSummary, Audio) {
        let url = folder.appendingPathComponent(name)
        let s = try RendererRegistry.standard.render(p, to: url, options: RenderOptions(options), overwrite: true)
        return (s, try read(url))
    }

    /// Fundamental frequency of `x` in Hz by normalised autocorrelation with parabolic refinement (search 50 ... 2000 Hz).
    static func fundamental(_ x: ArraySlice<Float>, sampleRate: Int) -> Double {
        let s = Array(x)
        let minLag = sampleRate / 2000, maxLag = sampleRate / 50
        let n = s.count - maxLag - 2
        func r(_ lag: Int) -> Double {
            var acc = 0.0, e1 = 0.0, e2 = 0.0
            for i in 0..<n {
                acc += Double(s[i]) * Double(s[i + lag]); e1 += Double(s[i]) * Double(s[i]); e2 += Double(s[i + lag]) * Double(s[i + lag])
            }
            return acc / max(1e-20, (e1 * e2).squareRoot())
        }
        let values = (0...maxLag + 1).map { $0 < minLag - 1 ? 0 : r($0) }
        // The first lag after the first dip whose correlation is within 10 % of the best one.
        let best = values[minLag...maxLag].max() ?? 0
        var lag = minLag
        var dipped = false
        for l in minLag...maxLag {
            if values[l] < 0 { dipped = true }
            if dipped && values[l] > 0.9 * best && values[l] >= values[l - 1] && values[l] >= values[l + 1] { lag = l; break }
        }
        let a = values[lag - 1], b = values[lag], c = values[lag + 1]
        let shift = (a - c) / (2 * (a - 2 * b + c))
        return Double(sampleRate) / (Double(lag) + (shift.isFinite ? shift : 0))
    }

    /// Index of the first sample whose magnitude exceeds `threshold` at or after `from`.
    static func onset(_ x: [Float], from: Int = 0, threshold: Float = 1e-4) -> Int? {
        var i = from
        while i < x.count { if abs(x[i]) > threshold { return i }; i += 1 }
        return nil
    }

    /// TimGM6mb if installed (Debian's timgm6mb-soundfont).
    static var timGM: String? {
        let p = "/usr/share/sounds/sf2/TimGM6mb.sf2"
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }
}

/// libebur128 (mode I) fed planar stereo: the reference our loudness meter is held to.
final class LibEBUR128Reference {
    private var state: UnsafeMutablePointer<ebur128_state>?
    private var interleaved: [Float] = []

    /// A meter for stereo audio at `sampleRate` Hz.
    init(sampleRate: Int) throws {
        state = try XCTUnwrap(ebur128_init(2, UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue)))
    }

    deinit { ebur128_destroy(&state) }

    /// Feeds frames `start ..< start + count` of planar audio (interleaved, as libebur128 takes them).
    func add(_ left: [Float], _ right: [Float], from start: Int = 0, count: Int? = nil) {
        let n = count ?? left.count - start
        if interleaved.count < 2 * n { interleaved = [Float](repeating: 0, count: 2 * n) }
        for k in 0..<n {
            interleaved[2 * k] = left[start + k]
            interleaved[2 * k + 1] = right[start + k]
        }
        XCTAssertEqual(ebur128_add_frames_float(state, interleaved, n), 0)
    }

    /// The K-weighted energy of the last 100 ms (0 where libebur128 reads minus infinity).
    var lastBlockEnergy: Double {
        var loudness = -Double.infinity
        XCTAssertEqual(ebur128_loudness_window(state, 100, &loudness), 0)
        return loudness.isFinite ? pow(10, (loudness + 0.691) / 10) : 0
    }

    /// Gated integrated loudness (LUFS) of everything fed.
    var integrated: Double {
        var value = -Double.infinity
        XCTAssertEqual(ebur128_loudness_global(state, &value), 0)
        return value
    }

    /// The integrated loudness of several meters' audio gated together (`ebur128_loudness_global_multiple`).
    static func integrated(of meters: [LibEBUR128Reference]) -> Double {
        var states = meters.map(\.state)
        var value = -Double.infinity
        XCTAssertEqual(ebur128_loudness_global_multiple(&states, states.count, &value), 0)
        return value
    }
}
