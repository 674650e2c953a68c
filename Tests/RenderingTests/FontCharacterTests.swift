import Foundation
import MIDI
import Rendering
import TestSupport
import XCTest

/// The bundled font judged by ear proxies: every General MIDI family and drum kit sounds different (spectrum and
/// envelope), attack and decay follow the instrument, every GM2 drum key sounds, and notes have a stereo image.
final class FontCharacterTests: XCTestCase {
    typealias S = RenderTestSupport
    typealias F = SpectrumSupport
    static let raw: [String: RenderOptionValue] = ["bits": .choice("32f"), "loudness": .choice("off")]

    /// One note (C4, 2 s) of each family's first program, 3 s apart: features = band profile + envelope.
    func testEveryGMFamilyIsDistinctAndShapedLikeItsInstrument() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "font")
        let notes = (0..<16).map { Note(pitch: 60, velocity: 100, startTick: $0 * 2880, durationTicks: 1920, program: UInt8($0 * 8)) }
        let (_, audio) = try S.render(S.performance(notes), dir, "families.wav", Self.raw)
        let left = audio.left
        var features: [[Double]] = []
        var envelopes: [[Double]] = []
        for k in 0..<16 {
            let start = k * 3 * 44_100
            let envelope = F.envelope(left, start: start, window: 4410, count: 20)  // 0.1 s windows over 2 s
            envelopes.append(envelope)
            features.append(F.bandProfile(left, start: start + 22_050) + envelope)
        }
        var closest = Double.infinity
        for a in 0..<16 {
            for b in (a + 1)..<16 {
                let d = F.distance(features[a], features[b])
                closest = min(closest, d)
                XCTAssertGreaterThan(d, 2, "families \(a) and \(b) sound alike (distance \(d) dB)")
            }
        }
        print("closest pair of families: \(closest) dB")
        // Attack and decay: piano (0) decays while held; organ (2) sustains; strings (5) and pads (11) swell in.
        XCTAssertLessThan(envelopes[0][19] - envelopes[0][1], -6, "piano should decay while held: \(envelopes[0])")
        XCTAssertGreaterThan(envelopes[2][19] - envelopes[2][2], -1.5, "organ should sustain: \(envelopes[2])")
        XCTAssertLessThan(envelopes[5][0], envelopes[5][5] - 3, "strings should swell in: \(envelopes[5])")
        XCTAssertLessThan(envelopes[11][0], envelopes[11][9] - 6, "pads should swell in slowly: \(envelopes[11])")
        XCTAssertLessThan(envelopes[14][8], -20, "percussive family should die away fast: \(envelopes[14])")
    }

    /// Every GM2 drum key 27-87 sounds in every kit, and the four kits' kick-snare-hat patterns differ.
    func testDrumKitsCoverEveryKeyAndDiffer() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "font")
        var profiles: [[Double]] = []
        for (index, program) in [0, 16, 24, 40].enumerated() {
            let keys = Array(27...87)
            let notes = keys.enumerated().map { i, k in Note(pitch: UInt8(k), velocity: 110, startTick: i * 480, durationTicks: 240, channel: 9, program: UInt8(program)) }
            let setup = [MIDIEvent(tick: 0, .programChange(channel: 9, program: UInt8(program)))]
            let (_, audio) = try S.render(S.performance(notes, controls: setup), dir, "kit-\(program).wav", Self.raw)
            let mono = zip(audio.left, audio.right).map { $0 + $1 }
            var silent: [Int] = []
            for (i, k) in keys.enumerated() {
                let start = i * 22_050
                if (mono[start..<min(mono.count, start + 11_025)].map(abs).max() ?? 0) < 0.003 { silent.append(k) }
            }
            XCTAssertEqual(silent, [], "kit \(program): silent keys")
            // Kick (36), snare (38), closed hat (42), open hat (46), low tom (41): the kit's own sounds.
            let own = [36, 38, 42, 46, 41].flatMap { key -> [Double] in
                let start = (key - 27) * 22_050
                return F.bandProfile(mono, start: start) + F.envelope(mono, start: start, window: 2205, count: 8)
            }
            profiles.append(own)
            _ = index
        }
        for a in 0..<4 {
            for b in (a + 1)..<4 {
                let d = F.distance(profiles[a], profiles[b])
                XCTAssertGreaterThan(d, 2, "kits \(a) and \(b) sound alike (distance \(d) dB)")
            }
        }
    }

    /// A single piano note has a stereo image: left and right differ clearly, and pan (CC10) moves it.
    func testNotesHaveAStereoImageAndPanIsHonoured() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "font")
        let note = [Note(pitch: 60, velocity: 100, startTick: 0, durationTicks: 960, program: 0)]
        let (_, centre) = try S.render(S.performance(note), dir, "centre.wav", Self.raw)
        let l = centre.left, r = centre.right
        let side = zip(l, r).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let mid = zip(l, r).reduce(0.0) { $0 + Double($1.0 + $1.1) * Double($1.0 + $1.1) }
        XCTAssertGreaterThan(10 * log10(side / mid), -20, "piano is (nearly) mono")
        let (_, panned) = try S.render(S.performance(note, controls: [MIDIEvent(tick: 0, .controlChange(channel: 0, control: 10, value: 0))]),
                                       dir, "left.wav", Self.raw)
        let energyL = panned.left.reduce(0.0) { $0 + Double($1) * Double($1) }
        let energyR = panned.right.reduce(0.0) { $0 + Double($1) * Double($1) }
        XCTAssertGreaterThan(10 * log10(energyL / max(energyR, 1e-30)), 10, "CC10 = 0 should put the note hard left")
    }

    /// A reverb send (CC91) makes `reverb=on` audible; chorus (CC93) likewise.
    func testReverbAndChorusSendsAreAudible() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "font")
        let notes = (0..<4).map { Note(pitch: UInt8(60 + 4 * $0), velocity: 100, startTick: $0 * 240, durationTicks: 200, program: 0) }
        let sends = [MIDIEvent(tick: 0, .controlChange(channel: 0, control: 91, value: 40)), MIDIEvent(tick: 0, .controlChange(channel: 0, control: 93, value: 40))]
        let p = S.performance(notes, controls: sends)
        let (_, dry) = try S.render(p, dir, "dry.wav", Self.raw)
        for effect in ["reverb", "chorus"] {
            let (_, wet) = try S.render(p, dir, "\(effect).wav", Self.raw.merging([effect: .flag(true)]) { $1 })
            let n = min(dry.floats.count, wet.floats.count)
            let diff = (0..<n).reduce(0.0) { $0 + Double(wet.floats[$1] - dry.floats[$1]) * Double(wet.floats[$1] - dry.floats[$1]) }
            let energy = (0..<n).reduce(0.0) { $0 + Double(dry.floats[$1]) * Double(dry.floats[$1]) }
            XCTAssertGreaterThan(10 * log10(diff / energy), -25, "\(effect) on changes the render too little")
        }
    }
}
