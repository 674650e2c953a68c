import Foundation

/// The bundled General MIDI SoundFont, synthesized by our own code: a timbre for each of the 16 General MIDI families
/// (looped additive or noise waveforms with their own envelopes, filters and modulation), each played by a left and a
/// right voice with decorrelated waveforms panned apart (a stereo image), and four drum kits (standard, power,
/// electronic, brush) covering every GM2 drum key 27-87, on bank 128.
///
/// Deterministic: ``bank()`` always gives the same bank, so ``SF2Bank/encoded()`` is byte-identical on every build
/// (`tunesmith soundfonts build -o Soundfonts/TunesmithGM.sf2`).
public enum TunesmithGM {
    /// Sample rate of every sample, in Hz.
    static let rate = 44_100

    /// The bank.
    public static func bank() -> SF2Bank {
        var bank = SF2Bank(name: "Tunesmith GM",
                           comment: "Synthesized by Tunesmith: a timbre per General MIDI family in stereo, four drum kits. Public domain.")
        var familyInstrument: [Int] = []
        for family in GMFamily.all {
            familyInstrument.append(bank.instruments.count)
            bank.instruments.append(family.instrument(&bank))
        }
        var kitInstrument: [GMDrumKit.Style: Int] = [:]
        for style in GMDrumKit.Style.allCases {
            kitInstrument[style] = bank.instruments.count
            bank.instruments.append(GMDrumKit.instrument(style, &bank))
        }
        for program in 0..<128 {
            bank.presets.append(SF2Bank.Preset(name: gmNames[program], program: UInt16(program), bank: 0,
                                               zones: [SF2Bank.Zone([.value(Gen.instrument, familyInstrument[program / 8])])]))
        }
        for kit in GMDrumKit.presets {
            bank.presets.append(SF2Bank.Preset(name: kit.name, program: UInt16(kit.program), bank: 128,
                                               zones: [SF2Bank.Zone([.value(Gen.instrument, kitInstrument[kit.style]!)])]))
        }
        return bank
    }

    /// SF2 generator numbers used here.
    enum Gen {
        static let modLfoToPitch: UInt16 = 5, vibLfoToPitch: UInt16 = 6, modEnvToPitch: UInt16 = 7
        static let initialFilterFc: UInt16 = 8, initialFilterQ: UInt16 = 9, modLfoToFilterFc: UInt16 = 10, modEnvToFilterFc: UInt16 = 11
        static let modLfoToVolume: UInt16 = 13, chorusSend: UInt16 = 15, reverbSend: UInt16 = 16, pan: UInt16 = 17
        static let delayModLFO: UInt16 = 21, freqModLFO: UInt16 = 22, delayVibLFO: UInt16 = 23, freqVibLFO: UInt16 = 24
        static let attackModEnv: UInt16 = 26, holdModEnv: UInt16 = 27, decayModEnv: UInt16 = 28, sustainModEnv: UInt16 = 29, releaseModEnv: UInt16 = 30
        static let attackVolEnv: UInt16 = 34, holdVolEnv: UInt16 = 35, decayVolEnv: UInt16 = 36, sustainVolEnv: UInt16 = 37, releaseVolEnv: UInt16 = 38
        static let keynumToVolEnvDecay: UInt16 = 40
        static let instrument: UInt16 = 41, keyRange: UInt16 = 43, initialAttenuation: UInt16 = 48
        static let fineTune: UInt16 = 52, sampleID: UInt16 = 53, sampleModes: UInt16 = 54, exclusiveClass: UInt16 = 57, overridingRootKey: UInt16 = 58
    }

    /// Seconds to SF2 timecents.
    static func tc(_ seconds: Double) -> Int { Int((1200 * log2(seconds)).rounded()) }
    /// Hertz to SF2 absolute cents (8.176 Hz = 0).
    static func cents(_ hertz: Double) -> Int { Int((1200 * log2(hertz / 8.176)).rounded()) }

    /// Deterministic white noise in -1 ... 1 (xorshift).
    struct Noise {
        var state: UInt64
        mutating func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 52) - 1
        }
    }

    /// One-pole high-pass filter state for noise.
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

    /// One-pole low-pass filter state for noise.
    struct LowPass {
        var previous = 0.0
        let a: Double
        init(cutoff: Double) { a = 1 - exp(-2 * Double.pi * cutoff / Double(TunesmithGM.rate)) }
        mutating func callAsFunction(_ x: Double) -> Double {
            previous += a * (x - previous)
            return previous
        }
    }

    /// Values scaled so the largest magnitude is `level` of full scale, as 16-bit samples.
    static func quantised(_ values: [Double], level: Double) -> [Int16] {
        let peak = values.map(abs).max() ?? 0
        let scale = peak > 0 ? level * 32767 / peak : 0
        return values.map { Int16(($0 * scale).rounded()) }
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

import Support
