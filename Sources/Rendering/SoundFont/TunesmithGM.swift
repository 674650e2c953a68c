import Foundation

/// The bundled General MIDI SoundFont, synthesized by our own code: looped additive waveforms for
/// eleven melodic timbres (every GM program maps to one), and a drum kit on bank 128.
///
/// Deterministic: ``bank()`` always gives the same bank, so ``SF2Bank/encoded()`` is byte-identical
/// on every build (`tunesmith soundfonts build -o Soundfonts/TunesmithGM.sf2`).
public enum TunesmithGM {
    /// Sample rate of every sample, in Hz.
    static let rate = 44_100

    /// The bank.
    public static func bank() -> SF2Bank {
        var bank = SF2Bank(name: "Tunesmith GM", comment: "Synthesized by Tunesmith: additive melodic timbres and a synthesized drum kit. Public domain.")
        var instrumentIndex: [String: Int] = [:]
        for timbre in Timbre.all {
            var zones: [SF2Bank.Zone] = []
            // Three samples per timbre, rooted at C2, C4, C6, each covering its part of the keyboard.
            let splits: [(root: UInt8, lo: UInt8, hi: UInt8)] = [(36, 0, 47), (60, 48, 71), (84, 72, 127)]
            for split in splits {
                let sampleID = bank.samples.count
                bank.samples.append(timbre.sample(root: split.root, highestKey: split.hi))
                zones.append(SF2Bank.Zone([.range(Gen.keyRange, split.lo, split.hi)] + timbre.generators + [
                    .value(Gen.sampleModes, 1), .value(Gen.sampleID, sampleID),
                ]))
            }
            instrumentIndex[timbre.name] = bank.instruments.count
            bank.instruments.append(SF2Bank.Instrument(name: timbre.name, zones: zones))
        }
        // Drum kit.
        let kitIndex = bank.instruments.count
        bank.instruments.append(drumKit(&bank))

        for program in 0..<128 {
            let timbre = Timbre.forProgram(program)
            bank.presets.append(SF2Bank.Preset(name: gmNames[program], program: UInt16(program), bank: 0,
                                               zones: [SF2Bank.Zone([.value(Gen.instrument, instrumentIndex[timbre]!)])]))
        }
        for (program, name) in [(0, "Standard Kit"), (8, "Room Kit"), (16, "Power Kit"), (24, "Electronic Kit"), (25, "TR-808 Kit"),
                                (32, "Jazz Kit"), (40, "Brush Kit"), (48, "Orchestra Kit"), (56, "SFX Kit"), (127, "CM-64 Kit")] {
            bank.presets.append(SF2Bank.Preset(name: name, program: UInt16(program), bank: 128,
                                               zones: [SF2Bank.Zone([.value(Gen.instrument, kitIndex)])]))
        }
        return bank
    }

    /// SF2 generator numbers used here.
    enum Gen {
        static let modEnvToFilterFc: UInt16 = 11, initialFilterFc: UInt16 = 8, initialFilterQ: UInt16 = 9
        static let chorusSend: UInt16 = 15, reverbSend: UInt16 = 16, pan: UInt16 = 17
        static let attackModEnv: UInt16 = 26, holdModEnv: UInt16 = 27, decayModEnv: UInt16 = 28, sustainModEnv: UInt16 = 29, releaseModEnv: UInt16 = 30
        static let attackVolEnv: UInt16 = 34, holdVolEnv: UInt16 = 35, decayVolEnv: UInt16 = 36, sustainVolEnv: UInt16 = 37, releaseVolEnv: UInt16 = 38
        static let instrument: UInt16 = 41, keyRange: UInt16 = 43, initialAttenuation: UInt16 = 48
        static let sampleID: UInt16 = 53, sampleModes: UInt16 = 54, exclusiveClass: UInt16 = 57, overridingRootKey: UInt16 = 58
    }

    /// Seconds to SF2 timecents.
    static func tc(_ seconds: Double) -> Int { Int((1200 * log2(seconds)).rounded()) }
}

/// One melodic timbre: a harmonic spectrum and its envelopes.
struct Timbre: Sendable {
    var name: String
    /// Amplitude of harmonic h (1-based).
    var harmonic: @Sendable (Int) -> Double
    /// Instrument-zone generators (envelopes, filter).
    var generators: [SF2Bank.Generator]

    typealias G = TunesmithGM.Gen

    static func env(attack: Double, hold: Double = 0.001, decay: Double, sustainCB: Int, release: Double) -> [SF2Bank.Generator] {
        [.value(G.attackVolEnv, TunesmithGM.tc(attack)), .value(G.holdVolEnv, TunesmithGM.tc(hold)),
         .value(G.decayVolEnv, TunesmithGM.tc(decay)), .value(G.sustainVolEnv, sustainCB),
         .value(G.releaseVolEnv, TunesmithGM.tc(release))]
    }

    static func filter(cutoffCents: Int, envCents: Int = 0, decay: Double = 1) -> [SF2Bank.Generator] {
        var g: [SF2Bank.Generator] = [.value(G.initialFilterFc, cutoffCents)]
        if envCents != 0 {
            g += [.value(G.modEnvToFilterFc, envCents), .value(G.attackModEnv, TunesmithGM.tc(0.001)),
                  .value(G.decayModEnv, TunesmithGM.tc(decay)), .value(G.sustainModEnv, 1000)]
        }
        return g
    }

    static let all: [Timbre] = [
        Timbre(name: "Piano", harmonic: { h in pow(Double(h), -1.6) * (h % 7 == 0 ? 0.3 : 1) },
               generators: env(attack: 0.002, decay: 3.5, sustainCB: 1000, release: 0.35) + filter(cutoffCents: 9000, envCents: 2400, decay: 1.2)),
        Timbre(name: "Mallet", harmonic: { h in h == 1 ? 1 : h == 4 ? 0.35 : h == 10 ? 0.12 : 0 },
               generators: env(attack: 0.001, decay: 1.2, sustainCB: 1000, release: 0.3)),
        Timbre(name: "Organ", harmonic: { h in [1: 1.0, 2: 0.7, 3: 0.45, 4: 0.4, 6: 0.2, 8: 0.2][h] ?? 0 },
               generators: env(attack: 0.01, decay: 0.1, sustainCB: 0, release: 0.08)),
        Timbre(name: "Guitar", harmonic: { h in abs(sin(Double.pi * Double(h) * 0.18)) / Double(h) },
               generators: env(attack: 0.002, decay: 2.0, sustainCB: 1000, release: 0.25) + filter(cutoffCents: 7500, envCents: 3000, decay: 0.4)),
        Timbre(name: "Bass", harmonic: { h in pow(Double(h), -2.0) },
               generators: env(attack: 0.004, decay: 2.5, sustainCB: 300, release: 0.15) + filter(cutoffCents: 6000, envCents: 1800, decay: 0.3)),
        Timbre(name: "Strings", harmonic: { h in 1 / Double(h) },
               generators: env(attack: 0.12, decay: 1.0, sustainCB: 30, release: 0.4) + filter(cutoffCents: 8500)),
        Timbre(name: "Pad", harmonic: { h in pow(Double(h), -1.3) },
               generators: env(attack: 0.35, decay: 2.0, sustainCB: 60, release: 1.0) + filter(cutoffCents: 6500)),
        Timbre(name: "Brass", harmonic: { h in 1 / Double(h) },
               generators: env(attack: 0.03, decay: 0.6, sustainCB: 40, release: 0.2) + filter(cutoffCents: 6000, envCents: 2400, decay: 0.25)),
        Timbre(name: "Reed", harmonic: { h in h % 2 == 1 ? 1 / Double(h) : 0.12 / Double(h) },
               generators: env(attack: 0.02, decay: 0.5, sustainCB: 20, release: 0.15) + filter(cutoffCents: 8000)),
        Timbre(name: "Flute", harmonic: { h in h == 1 ? 1 : h == 2 ? 0.18 : h == 3 ? 0.08 : 0 },
               generators: env(attack: 0.04, decay: 0.5, sustainCB: 10, release: 0.15)),
        Timbre(name: "Lead", harmonic: { h in 1 / Double(h) },
               generators: env(attack: 0.005, decay: 0.5, sustainCB: 20, release: 0.1) + filter(cutoffCents: 10000)),
    ]

    /// The timbre name for a 0-based GM program.
    static func forProgram(_ p: Int) -> String {
        switch p {
        case 0...7: return "Piano"
        case 8...15: return "Mallet"
        case 16...23: return "Organ"
        case 24...31: return "Guitar"
        case 32...39: return "Bass"
        case 40...51: return "Strings"
        case 52...55: return "Pad"
        case 56...63: return "Brass"
        case 64...71: return "Reed"
        case 72...79: return "Flute"
        case 80...87: return "Lead"
        case 88...103: return "Pad"
        case 104...111: return "Guitar"
        case 112...119: return "Mallet"
        default: return "Pad"
        }
    }

    /// A looped sample: an exact whole number of cycles in the loop, band-limited for the zone's top key.
    func sample(root: UInt8, highestKey: UInt8) -> SF2Bank.Sample {
        let rate = Double(TunesmithGM.rate)
        let f0 = 440 * pow(2, (Double(root) - 69) / 12)
        let loopLength = 4096
        let cycles = max(1, Int((f0 * Double(loopLength) / rate).rounded()))
        let actual = Double(cycles) * rate / Double(loopLength)
        let correction = Int8((-1200 * log2(actual / f0)).rounded())
        let maxRatio = pow(2, (Double(highestKey) - Double(root)) / 12)
        let lead = 16
        var values = [Double](repeating: 0, count: loopLength + 2 * lead)
        var h = 1
        while h == 1 || Double(h) * f0 * maxRatio < 18_000 {
            let a = harmonic(h)
            if a != 0 {
                for i in values.indices {
                    let phase = 2 * Double.pi * Double(h * cycles) * Double(i - lead) / Double(loopLength)
                    values[i] += a * sin(phase)
                }
            }
            h += 1
            if h > 200 { break }
        }
        let peak = values.map(abs).max() ?? 1
        let scale = peak > 0 ? 0.8 * 32767 / peak : 0
        let data = values.map { Int16(($0 * scale).rounded()) }
        return SF2Bank.Sample(name: "\(name) \(root)", data: data, sampleRate: TunesmithGM.rate, rootKey: root,
                              pitchCorrection: correction, loopStart: lead, loopEnd: lead + loopLength)
    }
}

extension TunesmithGM {
    /// Deterministic white noise in -1 ... 1 (xorshift).
    struct Noise {
        var state: UInt64
        mutating func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 52) - 1
        }
    }

    /// Renders a drum sound of `seconds` from a per-sample function of time and noise.
    static func drumSample(_ name: String, seconds: Double, seed: UInt64, root: UInt8 = 60,
                           _ f: (Double, inout Noise) -> Double) -> SF2Bank.Sample {
        let n = Int(seconds * Double(rate))
        var noise = Noise(state: seed)
        var values = [Double](repeating: 0, count: n)
        for i in 0..<n { values[i] = f(Double(i) / Double(rate), &noise) }
        // Fade the last 5 ms to zero.
        let fade = min(n, rate / 200)
        for k in 0..<fade { values[n - 1 - k] *= Double(k) / Double(fade) }
        let peak = values.map(abs).max() ?? 1
        let scale = peak > 0 ? 0.85 * 32767 / peak : 0
        return SF2Bank.Sample(name: name, data: values.map { Int16(($0 * scale).rounded()) }, sampleRate: rate, rootKey: root,
                              loopStart: 8, loopEnd: max(9, n - 8))
    }

    /// One-pole high-pass state for noise.
    struct HighPass {
        var previousIn = 0.0, previousOut = 0.0
        let a: Double
        init(cutoff: Double) { a = 1 / (1 + 2 * Double.pi * cutoff / Double(TunesmithGM.rate)) }
        mutating func callAsFunction(_ x: Double) -> Double {
            let y = a * (previousOut + x - previousIn)
            previousIn = x; previousOut = y
            return y
        }
    }

    /// The drum kit instrument (GM keys 35 ... 81), adding its samples to `bank`.
    static func drumKit(_ bank: inout SF2Bank) -> SF2Bank.Instrument {
        func add(_ s: SF2Bank.Sample) -> Int { bank.samples.append(s); return bank.samples.count - 1 }
        let kick = add(drumSample("Kick", seconds: 0.45, seed: 1) { t, _ in
            let f = 45 + 110 * exp(-t * 35)
            return sin(2 * .pi * (45 * t + 110 * (1 - exp(-t * 35)) / 35)) * exp(-t * 7) * (f > 0 ? 1 : 0)
        })
        var hpSnare = HighPass(cutoff: 1500)
        let snare = add(drumSample("Snare", seconds: 0.35, seed: 2) { t, n in
            0.55 * sin(2 * .pi * 185 * t) * exp(-t * 25) + 0.8 * hpSnare(n.next()) * exp(-t * 14)
        })
        var hpHat = HighPass(cutoff: 7000)
        let closedHat = add(drumSample("Closed Hat", seconds: 0.12, seed: 3) { t, n in hpHat(n.next()) * exp(-t * 45) })
        var hpOpen = HighPass(cutoff: 6000)
        let openHat = add(drumSample("Open Hat", seconds: 0.6, seed: 4) { t, n in hpOpen(n.next()) * exp(-t * 5) })
        var hpCrash = HighPass(cutoff: 4000)
        let crash = add(drumSample("Crash", seconds: 1.6, seed: 5) { t, n in hpCrash(n.next()) * exp(-t * 2.2) })
        var hpRide = HighPass(cutoff: 5000)
        let ride = add(drumSample("Ride", seconds: 1.2, seed: 6) { t, n in
            0.6 * hpRide(n.next()) * exp(-t * 3) + 0.3 * sin(2 * .pi * 3150 * t) * exp(-t * 4)
        })
        let tom = add(drumSample("Tom", seconds: 0.5, seed: 7, root: 45) { t, _ in
            sin(2 * .pi * (110 * t + 40 * (1 - exp(-t * 20)) / 20)) * exp(-t * 8)
        })
        var hpClap = HighPass(cutoff: 1000)
        let clap = add(drumSample("Clap", seconds: 0.3, seed: 8) { t, n in
            let bursts = (t < 0.01 || (t > 0.012 && t < 0.02) || (t > 0.024 && t < 0.032)) ? 1.0 : exp(-(t - 0.032) * 18)
            return hpClap(n.next()) * bursts
        })
        let click = add(drumSample("Click", seconds: 0.06, seed: 9) { t, _ in sin(2 * .pi * 1800 * t) * exp(-t * 120) })
        let bell = add(drumSample("Bell", seconds: 0.5, seed: 10, root: 60) { t, _ in
            (sin(2 * .pi * 560 * t) + 0.7 * sin(2 * .pi * 845 * t)) * exp(-t * 9)
        })

        // key -> (sample, root key used for playback, exclusive class)
        var map: [(UInt8, Int, UInt8, Int)] = []
        for k: UInt8 in [35, 36] { map.append((k, kick, k, 0)) }
        map.append((37, click, 37, 0))
        for k: UInt8 in [38, 40] { map.append((k, snare, k, 0)) }
        map.append((39, clap, 39, 0))
        for k: UInt8 in [42, 44] { map.append((k, closedHat, k, 1)) }
        map.append((46, openHat, 46, 1))
        for k: UInt8 in [41, 43, 45, 47, 48, 50] { map.append((k, tom, 45, 0)) }
        for k: UInt8 in [49, 52, 55, 57] { map.append((k, crash, k, 0)) }
        for k: UInt8 in [51, 53, 59] { map.append((k, ride, k, 0)) }
        map.append((54, openHat, 60, 0))
        map.append((56, bell, 56, 0))
        map.append((58, click, 50, 0))
        for k: UInt8 in [60, 61, 62, 63, 64, 65, 66, 78, 79] { map.append((k, tom, 45 - 12, 0)) }
        for k: UInt8 in [67, 68] { map.append((k, bell, k - 12, 0)) }
        for k: UInt8 in [69, 70, 73, 74] { map.append((k, closedHat, k - 12, 0)) }
        for k: UInt8 in [71, 72] { map.append((k, bell, k - 24, 0)) }
        for k: UInt8 in [75, 76, 77] { map.append((k, click, k - 12, 0)) }
        for k: UInt8 in [80, 81] { map.append((k, bell, k - 36, 0)) }
        map.sort { $0.0 < $1.0 }

        let zones = map.map { key, sample, root, exclusive -> SF2Bank.Zone in
            var g: [SF2Bank.Generator] = [.range(Gen.keyRange, key, key),
                                          .value(Gen.releaseVolEnv, tc(0.3))]
            if exclusive != 0 { g.append(.value(Gen.exclusiveClass, exclusive)) }
            g.append(.value(Gen.overridingRootKey, Int(root)))
            g.append(.value(Gen.sampleModes, 0))
            g.append(.value(Gen.sampleID, sample))
            return SF2Bank.Zone(g)
        }
        return SF2Bank.Instrument(name: "Drum Kit", zones: zones)
    }

    /// General MIDI program names (0-based), used as preset names.
    static let gmNames: [String] = [
        "Acoustic Grand", "Bright Acoustic", "Electric Grand", "Honky-Tonk", "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet",
        "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone", "Tubular Bells", "Dulcimer",
        "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ", "Reed Organ", "Accordion", "Harmonica", "Tango Accordion",
        "Nylon Guitar", "Steel Guitar", "Jazz Guitar", "Clean Guitar", "Muted Guitar", "Overdrive Guitar", "Distortion Guitar", "Guitar Harmonics",
        "Acoustic Bass", "Finger Bass", "Pick Bass", "Fretless Bass", "Slap Bass 1", "Slap Bass 2", "Synth Bass 1", "Synth Bass 2",
        "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings", "Pizzicato Strings", "Orchestral Harp", "Timpani",
        "String Ensemble 1", "String Ensemble 2", "Synth Strings 1", "Synth Strings 2", "Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit",
        "Trumpet", "Trombone", "Tuba", "Muted Trumpet", "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2",
        "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet",
        "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle", "Ocarina",
        "Square Lead", "Saw Lead", "Calliope Lead", "Chiff Lead", "Charang Lead", "Voice Lead", "Fifths Lead", "Bass + Lead",
        "New Age Pad", "Warm Pad", "Polysynth Pad", "Choir Pad", "Bowed Pad", "Metallic Pad", "Halo Pad", "Sweep Pad",
        "Rain", "Soundtrack", "Crystal", "Atmosphere", "Brightness", "Goblins", "Echoes", "Sci-Fi",
        "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai",
        "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal",
        "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring", "Helicopter", "Applause", "Gunshot",
    ]
}

extension TunesmithGM {
    /// Writes the bundled SoundFont's bytes to `url` atomically (replacing only when `overwrite`).
    public static func write(to url: URL, overwrite: Bool) throws {
        try AtomicFileWriter(destination: url, overwrite: overwrite).write(bank().encoded())
    }
}

import MIDI
import Support
