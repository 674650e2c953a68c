import Foundation

/// The bundled font's drum kits (bank 128): four styles with their own kicks, snares, side sticks, claps, hi-hats and
/// toms, sharing the rest of the GM2 percussion map; every key from 27 (high Q) to 87 (open surdo) sounds.
enum GMDrumKit {
    /// A kit's character.
    enum Style: Int, CaseIterable, Sendable {
        /// An acoustic kit: tight kick, bright snare.
        case standard
        /// A big room kit: deep, long kick and a snare with a long noisy body.
        case power
        /// A drum machine: a long pitched sine kick, a tonal snare, metallic hats.
        case electronic
        /// Brushes: soft kick, swept noise snare, soft hats.
        case brush
    }

    /// GM2 drum-set presets (program, name, style).
    static let presets: [(program: Int, name: String, style: Style)] = [
        (0, "Standard Kit", .standard), (8, "Room Kit", .power), (16, "Power Kit", .power), (24, "Electronic Kit", .electronic),
        (25, "TR-808 Kit", .electronic), (32, "Jazz Kit", .brush), (40, "Brush Kit", .brush), (48, "Orchestra Kit", .standard),
        (56, "SFX Kit", .standard), (127, "CM-64 Kit", .standard),
    ]

    typealias G = TunesmithGM.Gen
    typealias Voice = (Double, inout TunesmithGM.Noise) -> Double

    /// A one-shot drum sample of `seconds` from a per-sample function of time and noise (last 5 ms faded out).
    static func drumSample(_ name: String, seconds: Double, seed: UInt64, root: UInt8 = 60, _ f: Voice) -> SF2Bank.Sample {
        let rate = TunesmithGM.rate
        let n = Int(seconds * Double(rate))
        var noise = TunesmithGM.Noise(state: seed)
        var values = [Double](repeating: 0, count: n)
        for i in 0..<n { values[i] = f(Double(i) / Double(rate), &noise) }
        let fade = min(n, rate / 200)
        for k in 0..<fade { values[n - 1 - k] *= Double(k) / Double(fade) }
        return SF2Bank.Sample(name: name, data: TunesmithGM.quantised(values, level: 0.85), sampleRate: rate, rootKey: root,
                              loopStart: 8, loopEnd: max(9, n - 8))
    }

    /// A sine sweeping from `f1` down to `f0` with rate `k` (phase integrated exactly).
    static func sweep(_ t: Double, _ f0: Double, _ f1: Double, _ k: Double) -> Double {
        sin(2 * .pi * (f0 * t + (f1 - f0) * (1 - exp(-t * k)) / k))
    }

    /// The kit of one style: its own sounds on the kit keys, the shared ones elsewhere.
    static func instrument(_ style: Style, _ bank: inout SF2Bank) -> SF2Bank.Instrument {
        func add(_ s: SF2Bank.Sample) -> Int { bank.samples.append(s); return bank.samples.count - 1 }
        let seed = UInt64(100 * (style.rawValue + 1))
        let tag = ["Std", "Pwr", "Elec", "Brush"][style.rawValue]
        var hpA = TunesmithGM.HighPass(cutoff: 1500), hpB = TunesmithGM.HighPass(cutoff: 6500), hpC = TunesmithGM.HighPass(cutoff: 5500)
        var lpA = TunesmithGM.LowPass(cutoff: 3000), hpD = TunesmithGM.HighPass(cutoff: 900)
        let kick, kick2, stick, snare, snare2, clap, closedHat, pedalHat, openHat, tom: Int
        switch style {
        case .standard:
            kick = add(drumSample("\(tag) Kick", seconds: 0.45, seed: seed) { t, _ in sweep(t, 50, 160, 35) * exp(-t * 8) })
            kick2 = add(drumSample("\(tag) Kick 2", seconds: 0.4, seed: seed + 1) { t, _ in sweep(t, 60, 200, 45) * exp(-t * 10) })
            stick = add(drumSample("\(tag) Stick", seconds: 0.08, seed: seed + 2) { t, n in (sin(2 * .pi * 1700 * t) + 0.4 * n.next()) * exp(-t * 80) })
            snare = add(drumSample("\(tag) Snare", seconds: 0.35, seed: seed + 3) { t, n in
                0.55 * sin(2 * .pi * 185 * t) * exp(-t * 25) + 0.8 * hpA(n.next()) * exp(-t * 14) })
            snare2 = add(drumSample("\(tag) Snare 2", seconds: 0.3, seed: seed + 4) { t, n in
                0.5 * sin(2 * .pi * 220 * t) * exp(-t * 30) + 0.9 * hpA(n.next()) * exp(-t * 18) })
            clap = add(drumSample("\(tag) Clap", seconds: 0.3, seed: seed + 5) { t, n in
                let bursts = (t < 0.01 || (t > 0.012 && t < 0.02) || (t > 0.024 && t < 0.032)) ? 1.0 : exp(-(t - 0.032) * 18)
                return hpD(n.next()) * bursts })
            closedHat = add(drumSample("\(tag) Closed Hat", seconds: 0.12, seed: seed + 6) { t, n in hpB(n.next()) * exp(-t * 45) })
            pedalHat = add(drumSample("\(tag) Pedal Hat", seconds: 0.15, seed: seed + 7) { t, n in hpB(n.next()) * exp(-t * 30) * min(1, t * 400) })
            openHat = add(drumSample("\(tag) Open Hat", seconds: 0.6, seed: seed + 8) { t, n in hpC(n.next()) * exp(-t * 5) })
            tom = add(drumSample("\(tag) Tom", seconds: 0.5, seed: seed + 9, root: 45) { t, _ in sweep(t, 110, 150, 20) * exp(-t * 8) })
        case .power:
            kick = add(drumSample("\(tag) Kick", seconds: 0.7, seed: seed) { t, n in
                sweep(t, 42, 130, 22) * exp(-t * 5) + 0.15 * lpA(n.next()) * exp(-t * 40) })
            kick2 = add(drumSample("\(tag) Kick 2", seconds: 0.6, seed: seed + 1) { t, _ in sweep(t, 48, 140, 25) * exp(-t * 6) })
            stick = add(drumSample("\(tag) Stick", seconds: 0.12, seed: seed + 2) { t, n in (sin(2 * .pi * 1300 * t) + 0.6 * n.next()) * exp(-t * 50) })
            snare = add(drumSample("\(tag) Snare", seconds: 0.6, seed: seed + 3) { t, n in
                0.7 * sin(2 * .pi * 160 * t) * exp(-t * 15) + 0.9 * hpD(n.next()) * exp(-t * 6) })
            snare2 = add(drumSample("\(tag) Snare 2", seconds: 0.55, seed: seed + 4) { t, n in
                0.6 * sin(2 * .pi * 175 * t) * exp(-t * 18) + hpD(n.next()) * exp(-t * 7) })
            clap = add(drumSample("\(tag) Clap", seconds: 0.5, seed: seed + 5) { t, n in
                let bursts = (t < 0.012 || (t > 0.016 && t < 0.026) || (t > 0.032 && t < 0.042)) ? 1.0 : exp(-(t - 0.042) * 9)
                return hpD(n.next()) * bursts })
            closedHat = add(drumSample("\(tag) Closed Hat", seconds: 0.18, seed: seed + 6) { t, n in hpC(n.next()) * exp(-t * 28) })
            pedalHat = add(drumSample("\(tag) Pedal Hat", seconds: 0.2, seed: seed + 7) { t, n in hpC(n.next()) * exp(-t * 22) * min(1, t * 300) })
            openHat = add(drumSample("\(tag) Open Hat", seconds: 0.9, seed: seed + 8) { t, n in hpC(n.next()) * exp(-t * 3.5) })
            tom = add(drumSample("\(tag) Tom", seconds: 0.8, seed: seed + 9, root: 45) { t, n in
                sweep(t, 95, 150, 12) * exp(-t * 5) + 0.1 * lpA(n.next()) * exp(-t * 30) })
        case .electronic:
            kick = add(drumSample("\(tag) Kick", seconds: 0.9, seed: seed) { t, _ in sweep(t, 48, 110, 18) * exp(-t * 3.5) })
            kick2 = add(drumSample("\(tag) Kick 2", seconds: 0.35, seed: seed + 1) { t, _ in
                let s = sweep(t, 55, 300, 60)
                return (s > 0 ? 1 : -1) * min(1, abs(s) * 3) * exp(-t * 12) })
            stick = add(drumSample("\(tag) Rim", seconds: 0.05, seed: seed + 2) { t, _ in
                (sin(2 * .pi * 1100 * t) + sin(2 * .pi * 1700 * t)) * exp(-t * 120) })
            snare = add(drumSample("\(tag) Snare", seconds: 0.3, seed: seed + 3) { t, n in
                0.8 * (sin(2 * .pi * 238 * t) + 0.6 * sin(2 * .pi * 476 * t)) * exp(-t * 22) + 0.5 * hpB(n.next()) * exp(-t * 20) })
            snare2 = add(drumSample("\(tag) Snare 2", seconds: 0.25, seed: seed + 4) { t, n in
                0.4 * sin(2 * .pi * 330 * t) * exp(-t * 30) + 0.9 * hpB(n.next()) * exp(-t * 25) })
            clap = add(drumSample("\(tag) Clap", seconds: 0.35, seed: seed + 5) { t, n in
                let bursts = (Int(t / 0.008) % 2 == 0 && t < 0.03) ? 1.0 : exp(-max(0, t - 0.03) * 14)
                return hpA(n.next()) * bursts })
            func metal(_ t: Double) -> Double {
                [205.3, 304.4, 369.6, 522.7, 540.0, 800.0].reduce(0) { $0 + (sin(2 * .pi * $1 * 7.1 * t) > 0 ? 1 : -1) }
            }
            closedHat = add(drumSample("\(tag) Closed Hat", seconds: 0.1, seed: seed + 6) { t, _ in hpB(metal(t)) * exp(-t * 60) })
            pedalHat = add(drumSample("\(tag) Pedal Hat", seconds: 0.12, seed: seed + 7) { t, _ in hpB(metal(t)) * exp(-t * 40) })
            openHat = add(drumSample("\(tag) Open Hat", seconds: 0.5, seed: seed + 8) { t, _ in hpC(metal(t)) * exp(-t * 7) })
            tom = add(drumSample("\(tag) Tom", seconds: 0.6, seed: seed + 9, root: 45) { t, _ in sweep(t, 110, 220, 10) * exp(-t * 6) })
        case .brush:
            kick = add(drumSample("\(tag) Kick", seconds: 0.35, seed: seed) { t, _ in sweep(t, 58, 90, 30) * exp(-t * 12) * 0.7 })
            kick2 = add(drumSample("\(tag) Kick 2", seconds: 0.3, seed: seed + 1) { t, _ in sweep(t, 64, 100, 30) * exp(-t * 14) })
            stick = add(drumSample("\(tag) Stick", seconds: 0.06, seed: seed + 2) { t, _ in sin(2 * .pi * 2100 * t) * exp(-t * 110) })
            snare = add(drumSample("\(tag) Brush Slap", seconds: 0.4, seed: seed + 3) { t, n in
                lpA(hpD(n.next())) * min(1, t * 60) * exp(-t * 9) })
            snare2 = add(drumSample("\(tag) Brush Swirl", seconds: 0.7, seed: seed + 4) { t, n in
                lpA(hpD(n.next())) * sin(.pi * min(1, t / 0.7)) * (0.6 + 0.4 * sin(2 * .pi * 6 * t)) })
            clap = add(drumSample("\(tag) Brush Tap", seconds: 0.2, seed: seed + 5) { t, n in lpA(n.next()) * exp(-t * 25) })
            closedHat = add(drumSample("\(tag) Closed Hat", seconds: 0.1, seed: seed + 6) { t, n in hpB(n.next()) * exp(-t * 55) * 0.6 })
            pedalHat = add(drumSample("\(tag) Pedal Hat", seconds: 0.15, seed: seed + 7) { t, n in hpB(n.next()) * exp(-t * 35) * min(1, t * 150) })
            openHat = add(drumSample("\(tag) Open Hat", seconds: 0.5, seed: seed + 8) { t, n in hpB(n.next()) * exp(-t * 6) * 0.7 })
            tom = add(drumSample("\(tag) Tom", seconds: 0.6, seed: seed + 9, root: 45) { t, n in
                sweep(t, 100, 120, 15) * exp(-t * 7) + 0.2 * lpA(n.next()) * exp(-t * 20) })
        }
        // key -> (sample, root key for playback, exclusive class)
        var map: [(UInt8, Int, UInt8, Int)] = [
            (35, kick2, 35, 0), (36, kick, 36, 0), (37, stick, 37, 0), (38, snare, 38, 0), (39, clap, 39, 0), (40, snare2, 40, 0),
            (42, closedHat, 42, 1), (44, pedalHat, 44, 1), (46, openHat, 46, 1),
        ]
        for (key, root) in [(41, 33), (43, 38), (45, 45), (47, 50), (48, 55), (50, 60)] as [(UInt8, UInt8)] {
            map.append((key, tom, root, 0))  // toms: one sample pitched up the kit
        }
        for (key, sample) in shared(&bank).sorted(by: { $0.key < $1.key }) where !map.contains(where: { $0.0 == key }) {
            map.append((key, sample.0, sample.1, sample.2))
        }
        map.sort { $0.0 < $1.0 }
        let zones = map.map { key, sample, root, exclusive -> SF2Bank.Zone in
            var g: [SF2Bank.Generator] = [.range(G.keyRange, key, key), .value(G.releaseVolEnv, TunesmithGM.tc(0.3))]
            g.append(.value(G.pan, Self.pan(key)))
            if exclusive != 0 { g.append(.value(G.exclusiveClass, exclusive)) }
            g.append(.value(G.overridingRootKey, Int(root)))
            g.append(.value(G.sampleModes, 0))
            g.append(.value(G.sampleID, sample))
            return SF2Bank.Zone(g)
        }
        return SF2Bank.Instrument(name: "\(tag) Drum Kit", zones: zones)
    }

    /// A drummer's-view stereo placement by key (0.1 % units): hats right, low toms and ride left, kick and snare centred.
    static func pan(_ key: UInt8) -> Int {
        switch key {
        case 42, 44, 46: return 250
        case 41, 43: return -300
        case 45, 47: return -100
        case 48, 50: return 150
        case 49, 57: return -250
        case 51, 53, 59: return 300
        case 35, 36, 38, 40: return 0
        default: return Int(key % 7) * 100 - 300
        }
    }

    /// The sounds every kit shares (GM2 keys 27-34 and 49-87), added to `bank` once: key -> (sample, root key, exclusive class).
    static func shared(_ bank: inout SF2Bank) -> [UInt8: (Int, UInt8, Int)] {
        if let cached = sharedCache(bank) { return cached }
        func add(_ s: SF2Bank.Sample) -> Int { bank.samples.append(s); return bank.samples.count - 1 }
        var hpCrash = TunesmithGM.HighPass(cutoff: 4000), hpRide = TunesmithGM.HighPass(cutoff: 5000), hpShake = TunesmithGM.HighPass(cutoff: 5000)
        var hpScratch = TunesmithGM.HighPass(cutoff: 800), lpSurdo = TunesmithGM.LowPass(cutoff: 400), hpCast = TunesmithGM.HighPass(cutoff: 2500)
        let crash = add(drumSample("Shared Crash", seconds: 1.6, seed: 11) { t, n in hpCrash(n.next()) * exp(-t * 2.2) })
        let ride = add(drumSample("Shared Ride", seconds: 1.2, seed: 12) { t, n in
            0.6 * hpRide(n.next()) * exp(-t * 3) + 0.3 * sin(2 * .pi * 3150 * t) * exp(-t * 4) })
        let click = add(drumSample("Shared Click", seconds: 0.06, seed: 13) { t, _ in sin(2 * .pi * 1800 * t) * exp(-t * 120) })
        let bell = add(drumSample("Shared Bell", seconds: 0.5, seed: 14) { t, _ in
            (sin(2 * .pi * 560 * t) + 0.7 * sin(2 * .pi * 845 * t)) * exp(-t * 9) })
        let highQ = add(drumSample("Shared High Q", seconds: 0.15, seed: 15) { t, _ in sweep(t, 600, 2400, 40) * exp(-t * 30) })
        let slap = add(drumSample("Shared Slap", seconds: 0.1, seed: 16) { t, n in (n.next() * 0.7 + sin(2 * .pi * 900 * t)) * exp(-t * 60) })
        let scratch = add(drumSample("Shared Scratch", seconds: 0.25, seed: 17) { t, n in
            hpScratch(n.next()) * sin(.pi * t / 0.25) + 0.4 * sweep(t, 300, 900, 15) * sin(.pi * t / 0.25) })
        let metronome = add(drumSample("Shared Metronome", seconds: 0.05, seed: 18) { t, _ in sin(2 * .pi * 2500 * t) * exp(-t * 150) })
        let metroBell = add(drumSample("Shared Metro Bell", seconds: 0.4, seed: 19) { t, _ in
            (sin(2 * .pi * 1600 * t) + 0.5 * sin(2 * .pi * 4100 * t)) * exp(-t * 12) })
        let squareClick = add(drumSample("Shared Square", seconds: 0.03, seed: 20) { t, _ in (sin(2 * .pi * 1200 * t) > 0 ? 1 : -1) * exp(-t * 150) })
        let shaker = add(drumSample("Shared Shaker", seconds: 0.15, seed: 21) { t, n in hpShake(n.next()) * sin(.pi * t / 0.15) })
        let jingle = add(drumSample("Shared Jingle", seconds: 0.5, seed: 22) { t, n in
            (0.5 * hpShake(n.next()) + 0.5 * sin(2 * .pi * 5200 * t) * sin(2 * .pi * 31 * t)) * exp(-t * 7) })
        let belltree = add(drumSample("Shared Belltree", seconds: 1.2, seed: 23) { t, _ in
            let f = 2000 + 3000 * min(1, t / 0.6)
            return sin(2 * .pi * f * t) * exp(-t * 2.5) })
        let castanet = add(drumSample("Shared Castanet", seconds: 0.08, seed: 24) { t, n in hpCast(n.next()) * exp(-t * 90) })
        let surdo = add(drumSample("Shared Surdo", seconds: 0.9, seed: 25, root: 86) { t, n in
            sweep(t, 70, 90, 10) * exp(-t * 4) + 0.2 * lpSurdo(n.next()) * exp(-t * 30) })
        let conga = add(drumSample("Shared Conga", seconds: 0.4, seed: 26, root: 62) { t, _ in sweep(t, 300, 380, 30) * exp(-t * 12) })
        let guiro = add(drumSample("Shared Guiro", seconds: 0.3, seed: 27) { t, n in hpShake(n.next()) * (Int(t * 70) % 2 == 0 ? 1 : 0.2) * sin(.pi * t / 0.3) })
        let whistle = add(drumSample("Shared Whistle", seconds: 0.4, seed: 28) { t, _ in
            sin(2 * .pi * 2300 * t + 3 * sin(2 * .pi * 30 * t)) * min(1, t * 50) * exp(-t * 3) })
        let block = add(drumSample("Shared Wood Block", seconds: 0.12, seed: 29, root: 76) { t, _ in
            (sin(2 * .pi * 1250 * t) + 0.4 * sin(2 * .pi * 2950 * t)) * exp(-t * 55) })
        let triangle = add(drumSample("Shared Triangle", seconds: 1.4, seed: 30) { t, _ in
            (sin(2 * .pi * 4400 * t) + 0.5 * sin(2 * .pi * 6800 * t)) * exp(-t * 2.5) })
        let cuica = add(drumSample("Shared Cuica", seconds: 0.35, seed: 31, root: 78) { t, _ in sweep(t, 700, 300, 12) * sin(.pi * t / 0.35) })
        let vibraslap = add(drumSample("Shared Vibraslap", seconds: 0.9, seed: 32) { t, n in
            (0.6 * n.next() + 0.4 * sin(2 * .pi * 3000 * t)) * (0.5 + 0.5 * sin(2 * .pi * 28 * t)) * exp(-t * 4) })
        let timbale = add(drumSample("Shared Timbale", seconds: 0.5, seed: 33, root: 65) { t, n in
            sin(2 * .pi * 420 * t) * exp(-t * 9) + 0.3 * n.next() * exp(-t * 40) })
        let cabasa = add(drumSample("Shared Cabasa", seconds: 0.2, seed: 34) { t, n in hpShake(n.next()) * exp(-t * 25) })
        let china = add(drumSample("Shared China", seconds: 1.3, seed: 35) { t, n in
            (hpCrash(n.next()) + 0.3 * sin(2 * .pi * 470 * t)) * exp(-t * 3) })
        let splash = add(drumSample("Shared Splash", seconds: 0.7, seed: 36) { t, n in hpCrash(n.next()) * exp(-t * 6) })

        var m: [UInt8: (Int, UInt8, Int)] = [:]
        m[27] = (highQ, 27, 0); m[28] = (slap, 28, 0); m[29] = (scratch, 29, 0); m[30] = (scratch, 24, 0)
        m[31] = (click, 40, 0); m[32] = (squareClick, 32, 0); m[33] = (metronome, 33, 0); m[34] = (metroBell, 34, 0)
        m[49] = (crash, 49, 0); m[57] = (crash, 55, 0); m[52] = (china, 52, 0); m[55] = (splash, 55, 0)
        m[51] = (ride, 51, 0); m[59] = (ride, 57, 0); m[53] = (bell, 45, 0)
        m[54] = (jingle, 54, 0); m[56] = (bell, 56, 0); m[58] = (vibraslap, 58, 0)
        for (k, r) in [(60, 60), (61, 55), (62, 62), (63, 60), (64, 55)] as [(UInt8, UInt8)] { m[k] = (conga, r, 0) }
        for (k, r) in [(65, 65), (66, 60)] as [(UInt8, UInt8)] { m[k] = (timbale, r, 0) }
        m[67] = (bell, 62, 0); m[68] = (bell, 56, 0); m[69] = (cabasa, 69, 0); m[70] = (shaker, 64, 0)
        m[71] = (whistle, 71, 2); m[72] = (whistle, 64, 2); m[73] = (guiro, 73, 3); m[74] = (guiro, 66, 3)
        m[75] = (block, 88, 0); m[76] = (block, 76, 0); m[77] = (block, 71, 0)
        m[78] = (cuica, 78, 4); m[79] = (cuica, 72, 4); m[80] = (triangle, 80, 5); m[81] = (triangle, 78, 5)
        m[82] = (shaker, 82, 0); m[83] = (jingle, 83, 0); m[84] = (belltree, 84, 0); m[85] = (castanet, 85, 0)
        m[86] = (surdo, 86, 6); m[87] = (surdo, 91, 6)
        return m
    }

    /// The shared sounds when an earlier kit already added them (found by their names), else nil.
    private static func sharedCache(_ bank: SF2Bank) -> [UInt8: (Int, UInt8, Int)]? {
        guard let first = bank.samples.firstIndex(where: { $0.name == "Shared Crash" }) else { return nil }
        var copy = SF2Bank(name: "", comment: "")
        let m = shared(&copy)
        return m.mapValues { ($0.0 + first, $0.1, $0.2) }
    }
}
