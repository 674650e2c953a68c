import CSndFile
import Foundation
import MIDI
import Rendering
import TestSupport
import XCTest

/// WAV files carry their loudness where WAV has a standard place for it: the broadcast extension (`bext` version 2,
/// EBU Tech 3285) read back through libsndfile and compared with ffmpeg's ebur128 meter where installed, and
/// REPLAYGAIN_* lines in the comment string.
final class BroadcastWAVTests: XCTestCase {
    typealias S = RenderTestSupport

    /// ffmpeg's ebur128 figures of a file: integrated, LRA, largest momentary and short-term loudness (from the
    /// per-100 ms log), true peak; nil without ffmpeg.
    static func ffmpegStatistics(_ url: URL) throws -> (integrated: Double, range: Double, momentary: Double, shortTerm: Double, peak: Double)? {
        guard let text = try FFmpegTool.output(of: "ffmpeg", ["-hide_banner", "-nostats", "-v", "verbose", "-i", url.path,
                                                               "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"]) else {
            return nil
        }
        func number(after label: String, in line: Substring) -> Double? {
            guard let r = line.range(of: label) else { return nil }
            return Double(line[r.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        var momentary = -Double.infinity, shortTerm = -Double.infinity
        for line in text.split(separator: "\n") where line.contains(" M:") && line.contains(" S:") {
            momentary = max(momentary, number(after: " M:", in: line) ?? -.infinity)
            shortTerm = max(shortTerm, number(after: " S:", in: line) ?? -.infinity)
        }
        guard let summary = text.range(of: "Summary:") else { return nil }
        let tail = text[summary.lowerBound...]
        guard let i = number(after: "I:", in: tail), let lra = number(after: "LRA:", in: tail), let peak = number(after: "Peak:", in: tail) else {
            return nil
        }
        return (i, lra, momentary, shortTerm, peak)
    }

    /// The bext chunk (version 2) holds the file's integrated loudness, loudness range, true peak and largest
    /// momentary and short-term loudness in 1/100 units, as the render measured them and as ffmpeg reads the file.
    func testBextChunkCarriesTheMeasuredLoudness() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "bext")
        let url = dir.appendingPathComponent("b.wav")
        let tags = AudioTags(title: "Morning", trackNumber: 2, trackTotal: 5, comment: "seed 7")
        let summary = try RendererRegistry.standard.render(MasteringTests.piece, to: url,
                                                           options: RenderOptions(["loudness": .number(-16)]),
                                                           context: RenderContext(overwrite: true, tags: tags))
        var info = SF_INFO()
        let f = try XCTUnwrap(sf_open(url.path, Int32(SFM_READ), &info))
        defer { sf_close(f) }
        var bext = SF_BROADCAST_INFO()
        XCTAssertEqual(sf_command(f, Int32(SFC_GET_BROADCAST_INFO), &bext, Int32(MemoryLayout<SF_BROADCAST_INFO>.size)), Int32(SF_TRUE))
        XCTAssertEqual(bext.version, 2)
        let description = withUnsafeBytes(of: bext.description) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        XCTAssertEqual(description, "Morning")
        let output = try XCTUnwrap(summary.master?.output)
        let integrated = Double(bext.loudness_value) / 100, range = Double(bext.loudness_range) / 100
        let truePeak = Double(bext.max_true_peak_level) / 100
        let momentary = Double(bext.max_momentary_loudness) / 100, shortTerm = Double(bext.max_shortterm_loudness) / 100
        XCTAssertEqual(integrated, -16, accuracy: 0.5)
        XCTAssertEqual(integrated, output.integrated, accuracy: 0.006)
        XCTAssertEqual(truePeak, output.truePeak, accuracy: 0.006)
        XCTAssertLessThanOrEqual(truePeak, -1)
        XCTAssertGreaterThan(range, 0.1, "a piece with a crescendo and drums has some loudness range")
        XCTAssertGreaterThanOrEqual(momentary, shortTerm, "a 400 ms window peaks at least as high as a 3 s one")
        XCTAssertGreaterThanOrEqual(shortTerm, integrated - 0.5)
        if let ff = try Self.ffmpegStatistics(url) {
            XCTAssertEqual(integrated, ff.integrated, accuracy: 0.2, "ffmpeg integrated")
            XCTAssertEqual(range, ff.range, accuracy: 0.5, "ffmpeg LRA")
            XCTAssertEqual(momentary, ff.momentary, accuracy: 0.3, "ffmpeg max momentary")
            XCTAssertEqual(shortTerm, ff.shortTerm, accuracy: 0.3, "ffmpeg max short-term")
            XCTAssertEqual(truePeak, ff.peak, accuracy: 0.3, "ffmpeg true peak")
        } else {
            print("ffmpeg not installed: skipping its reading of the bext values")
        }

        // The comment string carries the ReplayGain lines after the comment (from the same measurement).
        let comment = try XCTUnwrap(sf_get_string(f, Int32(SF_STR_COMMENT)).map { String(cString: $0) })
        let lines = comment.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "seed 7")
        let gainLine = try XCTUnwrap(lines.first { $0.hasPrefix("REPLAYGAIN_TRACK_GAIN=") })
        let gain = try XCTUnwrap(Double(gainLine.dropFirst("REPLAYGAIN_TRACK_GAIN=".count).replacingOccurrences(of: " dB", with: "")))
        XCTAssertEqual(gain, -18 - output.integrated, accuracy: 0.006)
        let peakLine = try XCTUnwrap(lines.first { $0.hasPrefix("REPLAYGAIN_TRACK_PEAK=") })
        XCTAssertEqual(try XCTUnwrap(Double(peakLine.dropFirst("REPLAYGAIN_TRACK_PEAK=".count))), pow(10, output.truePeak / 20), accuracy: 1e-5)
    }

    /// A silent render has no loudness: the bext values are marked unused (0x7FFF) and there is no ReplayGain.
    func testSilenceMarksTheLoudnessUnused() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "bext")
        let url = dir.appendingPathComponent("s.wav")
        let silent = S.performance([Note(pitch: 64, velocity: 1, startTick: 0, durationTicks: 10, program: 0)])
        _ = try RendererRegistry.standard.render(silent, to: url, options: RenderOptions(["gain": .number(0)]),
                                                 context: RenderContext(overwrite: true, tags: AudioTags(title: "quiet")))
        var info = SF_INFO()
        let f = try XCTUnwrap(sf_open(url.path, Int32(SFM_READ), &info))
        defer { sf_close(f) }
        var bext = SF_BROADCAST_INFO()
        XCTAssertEqual(sf_command(f, Int32(SFC_GET_BROADCAST_INFO), &bext, Int32(MemoryLayout<SF_BROADCAST_INFO>.size)), Int32(SF_TRUE))
        XCTAssertEqual(bext.loudness_value, 0x7FFF)
        XCTAssertEqual(bext.max_true_peak_level, 0x7FFF)
        XCTAssertNil(sf_get_string(f, Int32(SF_STR_COMMENT)).map { String(cString: $0) }?.range(of: "REPLAYGAIN"))
    }
}
