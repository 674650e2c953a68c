import Foundation

/// One General MIDI family's timbre in the bundled font: a spectrum (harmonic, inharmonic or noise), envelopes,
/// filter and modulation, and a stereo spread.
///
/// Each keyboard split has two looped samples with the same magnitude spectrum but independent random phases (so
/// they are decorrelated), played together and panned `spread` apart (optionally detuned), which gives every note a
/// stereo image.
struct GMFamily: Sendable {
    typealias G = TunesmithGM.Gen

    /// What the waveform is made of.
    enum Spectrum: Sendable {
        /// Harmonic h (1-based) at amplitude f(h).
        case harmonic(@Sendable (Int) -> Double)
        /// Partials at (frequency ratio, amplitude).
        case partials([(Double, Double)])
        /// Noise low-passed at a multiple of the note's frequency (a looped noise band).
        case noise(lowPassRatio: Double)
    }

    /// Instrument name.
    var name: String
    /// The waveform.
    var spectrum: Spectrum
    /// Envelope, filter and modulation generators.
    var generators: [SF2Bank.Generator]
    /// Pan of the left and right voices, in 0.1 % (0 ... 500).
    var spread: Int
    /// Detune between the two voices, in cents each way.
    var detune: Int = 0

    static func env(attack: Double, hold: Double = 0.001, decay: Double, sustainCB: Int, release: Double) -> [SF2Bank.Generator] {
        [.value(G.attackVolEnv, TunesmithGM.tc(attack)), .value(G.holdVolEnv, TunesmithGM.tc(hold)),
         .value(G.decayVolEnv, TunesmithGM.tc(decay)), .value(G.sustainVolEnv, sustainCB),
         .value(G.releaseVolEnv, TunesmithGM.tc(release))]
    }

    static func filter(_ hertz: Double, q: Int = 0, envCents: Int = 0, decay: Double = 1) -> [SF2Bank.Generator] {
        var g: [SF2Bank.Generator] = [.value(G.initialFilterFc, TunesmithGM.cents(hertz))]
        if q != 0 { g.append(.value(G.initialFilterQ, q)) }
        if envCents != 0 {
            g += [.value(G.modEnvToFilterFc, envCents), .value(G.attackModEnv, TunesmithGM.tc(0.001)),
                  .value(G.decayModEnv, TunesmithGM.tc(decay)), .value(G.sustainModEnv, 1000)]
        }
        return g
    }

    static func vibrato(hertz: Double, cents: Int, delay: Double) -> [SF2Bank.Generator] {
        [.value(G.vibLfoToPitch, cents), .value(G.delayVibLFO, TunesmithGM.tc(delay)), .value(G.freqVibLFO, TunesmithGM.cents(hertz))]
    }

    /// The 16 families in General MIDI order (programs 8k ... 8k+7 play family k).
    static let all: [GMFamily] = [
        GMFamily(name: "Piano", spectrum: .harmonic { h in pow(Double(h), -1.5) * (h % 7 == 0 ? 0.3 : 1) },
                 generators: env(attack: 0.002, decay: 9, sustainCB: 1000, release: 0.4) + filter(9000, envCents: -2400, decay: 1.5)
                    + [.value(G.keynumToVolEnvDecay, 40)],
                 spread: 350),
        GMFamily(name: "Chromatic Perc", spectrum: .partials([(1, 1), (3.0, 0.05), (4, 0.4), (10, 0.15)]),
                 generators: env(attack: 0.001, decay: 3.5, sustainCB: 1000, release: 1.0), spread: 300),
        GMFamily(name: "Organ", spectrum: .harmonic { h in [1: 1.0, 2: 0.8, 3: 0.6, 4: 0.5, 6: 0.3, 8: 0.3, 10: 0.1][h] ?? 0 },
                 generators: env(attack: 0.008, decay: 0.1, sustainCB: 0, release: 0.08) + vibrato(hertz: 6.5, cents: 6, delay: 0.05),
                 spread: 450, detune: 3),
        GMFamily(name: "Guitar", spectrum: .harmonic { h in abs(sin(Double.pi * Double(h) * 0.18)) / Double(h) },
                 generators: env(attack: 0.002, decay: 4.5, sustainCB: 1000, release: 0.25) + filter(6000, envCents: -1800, decay: 0.8),
                 spread: 250),
        GMFamily(name: "Bass", spectrum: .harmonic { h in h == 1 ? 1 : pow(Double(h), -2.2) },
                 generators: env(attack: 0.003, decay: 7, sustainCB: 1000, release: 0.15) + filter(1800), spread: 80),
        GMFamily(name: "Strings", spectrum: .harmonic { h in 1 / Double(h) },
                 generators: env(attack: 0.12, decay: 1.0, sustainCB: 20, release: 0.35) + filter(7000) + vibrato(hertz: 5.5, cents: 12, delay: 0.3),
                 spread: 300, detune: 4),
        GMFamily(name: "Ensemble", spectrum: .harmonic { h in pow(Double(h), -1.3) * (h >= 3 && h <= 5 ? 2.2 : 1) },
                 generators: env(attack: 0.35, decay: 1.0, sustainCB: 0, release: 0.8) + filter(3500), spread: 600, detune: 9),
        GMFamily(name: "Brass", spectrum: .harmonic { h in pow(Double(h), -0.8) },
                 generators: env(attack: 0.04, decay: 0.5, sustainCB: 30, release: 0.15) + filter(1500, envCents: 3000, decay: 0.35),
                 spread: 200),
        GMFamily(name: "Reed", spectrum: .harmonic { h in h % 2 == 1 ? 1 / Double(h) : 0.08 / Double(h) },
                 generators: env(attack: 0.03, decay: 0.5, sustainCB: 10, release: 0.12) + filter(4500) + vibrato(hertz: 5, cents: 8, delay: 0.4),
                 spread: 200),
        GMFamily(name: "Pipe", spectrum: .harmonic { h in h == 1 ? 1 : h == 2 ? 0.12 : h == 3 ? 0.05 : 0 },
                 generators: env(attack: 0.07, decay: 0.5, sustainCB: 0, release: 0.2) + vibrato(hertz: 5, cents: 10, delay: 0.25),
                 spread: 250),
        GMFamily(name: "Synth Lead", spectrum: .harmonic { h in h % 2 == 1 ? 1 / Double(h) : 0 },
                 generators: env(attack: 0.003, decay: 0.2, sustainCB: 0, release: 0.08), spread: 150, detune: 5),
        GMFamily(name: "Synth Pad", spectrum: .harmonic { h in 1 / Double(h) },
                 generators: env(attack: 0.9, decay: 1.0, sustainCB: 0, release: 1.6) + filter(1400, q: 60)
                    + [.value(G.modLfoToFilterFc, 700), .value(G.freqModLFO, TunesmithGM.cents(0.3)), .value(G.delayModLFO, TunesmithGM.tc(0.01))],
                 spread: 700, detune: 10),
        GMFamily(name: "Synth FX", spectrum: .partials([(1, 1), (2.41, 0.6), (3.93, 0.4), (5.29, 0.3)]),
                 generators: env(attack: 0.4, decay: 1.0, sustainCB: 0, release: 2.5) + filter(8000)
                    + [.value(G.modLfoToVolume, 60), .value(G.freqModLFO, TunesmithGM.cents(4)), .value(G.delayModLFO, TunesmithGM.tc(0.01))],
                 spread: 700, detune: 7),
        GMFamily(name: "Ethnic", spectrum: .harmonic { h in h <= 30 ? 1 / Double(h).squareRoot() : 0 },
                 generators: env(attack: 0.001, decay: 3.5, sustainCB: 1000, release: 0.3), spread: 300),
        GMFamily(name: "Percussive", spectrum: .partials([(1, 1), (1.59, 0.6), (2.14, 0.4), (2.65, 0.25)]),
                 generators: env(attack: 0.001, decay: 0.9, sustainCB: 1000, release: 0.2) + filter(5000), spread: 200),
        GMFamily(name: "Sound Effects", spectrum: .noise(lowPassRatio: 6),
                 generators: env(attack: 0.05, decay: 1.0, sustainCB: 0, release: 0.5) + filter(4000), spread: 600),
    ]

    /// Keyboard splits: (root, lowest key, highest key); each sample is band-limited for its highest key.
    static let splits: [(root: UInt8, lo: UInt8, hi: UInt8)] = [(36, 0, 47), (60, 48, 71), (84, 72, 127)]

    /// The instrument: two panned zones per split, adding their samples to `bank`.
    func instrument(_ bank: inout SF2Bank) -> SF2Bank.Instrument {
        var zones: [SF2Bank.Zone] = []
        for (s, split) in Self.splits.enumerated() {
            for side in 0..<2 {
                let sampleID = bank.samples.count
                bank.samples.append(sample(root: split.root, highestKey: split.hi, seed: UInt64(1 + 2 * s + side) &* 0x9E37_79B9))
                let sign = side == 0 ? -1 : 1
                var g: [SF2Bank.Generator] = [.range(G.keyRange, split.lo, split.hi)] + generators
                g.append(.value(G.pan, sign * spread))
                g.append(.value(G.initialAttenuation, 30))  // two voices: 3 dB down each
                if detune != 0 { g.append(.value(G.fineTune, sign * detune)) }
                g += [.value(G.sampleModes, 1), .value(G.sampleID, sampleID)]
                zones.append(SF2Bank.Zone(g))
            }
        }
        return SF2Bank.Instrument(name: name, zones: zones)
    }

    /// A looped sample: a whole number of cycles of each partial in the loop, band-limited for the zone's top key, with
    /// random phases drawn from `seed`.
    func sample(root: UInt8, highestKey: UInt8, seed: UInt64) -> SF2Bank.Sample {
        let rate = Double(TunesmithGM.rate)
        let f0 = 440 * pow(2, (Double(root) - 69) / 12)
        let loopLength = 4096
        let cycles = max(1, Int((f0 * Double(loopLength) / rate).rounded()))
        let actual = Double(cycles) * rate / Double(loopLength)
        let correction = Int8((-1200 * log2(actual / f0)).rounded())
        let maxRatio = pow(2, (Double(highestKey) - Double(root)) / 12)
        let lead = 16
        var values = [Double](repeating: 0, count: loopLength + 2 * lead)
        var noise = TunesmithGM.Noise(state: seed | 1)
        func addPartial(cyclesInLoop: Int, amplitude: Double) {
            guard amplitude != 0, cyclesInLoop > 0, Double(cyclesInLoop) * rate / Double(loopLength) * maxRatio < 18_000 else { return }
            let phase = Double.pi * noise.next()
            let step = 2 * Double.pi * Double(cyclesInLoop) / Double(loopLength)
            for i in values.indices { values[i] += amplitude * sin(step * Double(i - lead) + phase) }
        }
        switch spectrum {
        case .harmonic(let f):
            for h in 1...200 { addPartial(cyclesInLoop: h * cycles, amplitude: f(h)) }
        case .partials(let list):
            for (ratio, amplitude) in list { addPartial(cyclesInLoop: Int((ratio * Double(cycles)).rounded()), amplitude: amplitude) }
        case .noise(let ratio):
            // A periodic noise band: every loop harmonic up to ratio x f0 with a random phase and falling amplitude.
            for k in 1...(loopLength / 2 - 1) {
                let f = Double(k) * rate / Double(loopLength)
                if f > ratio * f0 * 4 { break }
                addPartial(cyclesInLoop: k, amplitude: 1 / (1 + pow(f / (ratio * f0), 2)))
            }
        }
        return SF2Bank.Sample(name: "\(name.prefix(12)) \(root)\(seed % 2 == 0 ? "a" : "b")", data: TunesmithGM.quantised(values, level: 0.8),
                              sampleRate: TunesmithGM.rate, rootKey: root, pitchCorrection: correction,
                              loopStart: lead, loopEnd: lead + loopLength)
    }
}
