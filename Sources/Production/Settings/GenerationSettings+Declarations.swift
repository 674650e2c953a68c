import Foundation
import Generation

extension GenerationSettings {
    /// Every generation setting, in the order `--help` lists them. Adding one here adds it to the album spec keys;
    /// the command line's flag group names it once more (ArgumentParser needs a property per flag).
    public static let declarations: [SettingDeclaration] = [
        SettingDeclaration("model", .path, help: "Model file (.tsmodel).", default: "the embedded default model") { s, t in s.model = t },
        SettingDeclaration("length", help: "Length: notes (200n), seconds (60s, 1.5m), bars (16bars), or endless (with --stream only).",
                           default: GenerationSettings().length) { s, t throws(ProductionError) in
            do { s.length = try GenerationLength(parsing: t).description } catch { throw ProductionError("--length: \(error)") }
        },
        SettingDeclaration("seed", help: "Random seed, a whole number 0 to 2^64-1; the same seed and settings give the same piece.",
                           default: "drawn at random and printed") { s, t throws(ProductionError) in
            guard let v = UInt64(t) else { throw .badValue("seed", t, expected: "a whole number from 0 to \(UInt64.max)") }
            s.seed = v
        },
        SettingDeclaration("primer", .path, help: "Continue from the end of this MIDI file.") { s, t in s.primer = t },
        SettingDeclaration("corpus", .path, help: "Start from a song of this folder of MIDI files, chosen by the seed.") { s, t in s.corpus = t },
        SettingDeclaration("tempo", help: "Tempo in BPM, 10 to 400.", default: "the primer's or corpus song's tempo, else 120") { s, t throws(ProductionError) in
            s.tempo = try number(t, "tempo", 10...400, "beats per minute")
        },
        SettingDeclaration("program", help: "General MIDI program 0 to 127 (0 = Acoustic Grand Piano) the notes are played on and the model reads.",
                           default: "the style's most played program in the model's corpus (model info lists them), else 0") { s, t throws(ProductionError) in
            s.program = try integer(t, "program", 0...127, "a General MIDI program")
        },
        SettingDeclaration("channel", help: "MIDI channel 0 to 15 of the generated notes.", default: "0") { s, t throws(ProductionError) in
            s.channel = try integer(t, "channel", 0...15, "a MIDI channel")
        },
        SettingDeclaration("temperature", help: "Sampling temperature 0 to 100: 0 = the model's most likely choices, 1 = as trained.",
                           default: "1; \(SamplingOptions.defaultStatefulTemperature.description) for stateful models") { s, t throws(ProductionError) in
            s.temperature = try number(t, "temperature", 0...100, "a temperature")
        },
        SettingDeclaration("noise", help: "Regression models: noise standard deviation at temperature 1, in feature standard deviations, 0 to 10.",
                           default: SamplingOptions.defaultNoise.description) { s, t throws(ProductionError) in
            s.noise = try number(t, "noise", 0...10, "standard deviations")
        },
        SettingDeclaration("top-k", help: "Categorical models: keep the k most likely pitches (0 = all).", default: "0") { s, t throws(ProductionError) in
            s.topK = try integer(t, "top-k", 0...128, "a count of pitches")
        },
        SettingDeclaration("top-p", help: "Categorical models: nucleus probability of the pitch, in (0, 1] (1 = all).",
                           default: SamplingOptions.defaultTopP.description) { s, t throws(ProductionError) in
            s.topP = try probability(t, "top-p")
        },
        SettingDeclaration("rhythm-top-p", help: "Models with a rhythm head: nucleus probability of velocity, time step and length, in (0, 1].",
                           default: SamplingOptions.defaultRhythmTopP.description) { s, t throws(ProductionError) in
            s.rhythmTopP = try probability(t, "rhythm-top-p")
        },
        SettingDeclaration("motif-memory", help: "Models with a rhythm head: weight 0 to 0.95 of the piece's own earlier continuation when its latest notes repeat an earlier passage (0 = off).",
                           default: SamplingOptions.defaultMotifMemory.description) { s, t throws(ProductionError) in
            s.motifMemory = try number(t, "motif-memory", 0...0.95, "a weight")
        },
        SettingDeclaration("scale-memory", help: "Models with a rhythm head: 0 to 0.95, how much less likely a pitch outside the piece's own scale (the 7 pitch classes it has used most) is drawn (0 = off).",
                           default: SamplingOptions.defaultScaleMemory.description) { s, t throws(ProductionError) in
            s.scaleMemory = try number(t, "scale-memory", 0...0.95, "a weight")
        },
        SettingDeclaration("phrase-recall", help: "Models with a rhythm head: chance 0 to 1 that a phrase (every 8 beats) begins by restating the piece's opening phrase while the melody has lately repeated itself less than the corpus's tunes do (0 = off; needs the motif memory).",
                           default: SamplingOptions.defaultPhraseRecall.description) { s, t throws(ProductionError) in
            s.phraseRecall = try number(t, "phrase-recall", 0...1, "a chance")
        },
        SettingDeclaration("articulation", help: "Note lengths as a fraction of the written length: legato (1), normal (0.9), staccato (0.5) or a number in (0, 1]. Models without a rhythm head hold each note until the next onset (at most 2 beats) times this fraction.",
                           default: "legato") { s, t throws(ProductionError) in
            s.articulation = t
            do { _ = try s.durationPolicy() } catch { throw ProductionError("--articulation: \(error)") }
        },
        SettingDeclaration("onset-grid", help: "Grid the onsets are drawn on: a note value (1/16, 1/8, 1/12), off, or auto (1/16 for models that regress time in seconds, off for models with a rhythm head).",
                           default: "auto") { s, t throws(ProductionError) in
            s.onsetGrid = t
            do { _ = try s.onsetGrid(forRhythmHead: false) } catch { throw ProductionError("--onset-grid: \(error)") }
        },
        SettingDeclaration("style", help: "Style to play in: one of the model's styles (`tunesmith model info` lists them: chorales, folk, games), or any (the empty style input, a mix); checked against the model.",
                           default: "cold starts: one of the model's styles, drawn by the seed; primed starts: any") { s, t throws(ProductionError) in
            // Style names are corpus folder names: a letter or digit first, then letters, digits, '-', '_' or '.'.
            guard let first = t.unicodeScalars.first, CharacterSet.alphanumerics.contains(first),
                  t.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }) else {
                throw .badValue("style", t, expected: "a style name of the model (e.g. folk) or any")
            }
            s.style = t
        },
    ]

    static func number(_ t: String, _ name: String, _ range: ClosedRange<Double>, _ unit: String) throws(ProductionError) -> Double {
        guard let v = Double(t), v.isFinite, range.contains(v) else {
            throw .badValue(name, t, expected: "\(unit) from \(clean(range.lowerBound)) to \(clean(range.upperBound))")
        }
        return v
    }

    static func integer(_ t: String, _ name: String, _ range: ClosedRange<Int>, _ unit: String) throws(ProductionError) -> Int {
        guard let v = Int(t), range.contains(v) else { throw .badValue(name, t, expected: "\(unit) from \(range.lowerBound) to \(range.upperBound)") }
        return v
    }

    static func probability(_ t: String, _ name: String) throws(ProductionError) -> Double {
        guard let v = Double(t), v.isFinite, v > 0, v <= 1 else { throw .badValue(name, t, expected: "a probability in (0, 1]") }
        return v
    }

    static func clean(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}
