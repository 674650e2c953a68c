import ArgumentParser
import Foundation
import Generation
import Learning
import MIDI
import Support

/// `tunesmith evaluate-model --model MODEL --corpus DIR`: next-note accuracy and loss of a model over songs.
struct EvaluateModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-model",
        abstract: "Score a model's next-note predictions over every song under a folder: top-1 and top-5 accuracy, loss, notes scored.",
        discussion: """
        Every note with a full look-back window before it is predicted from the true previous notes (a stateful model: \
        every note after a song's first). For stateful models with rhythm heads the pitch is also scored with the song's \
        motif memory mixed in (--motif-memory, as generate mixes it; 0 turns it off). Top-5 for the \
        paper's regression model counts the true pitch within the 5 integer pitches nearest the prediction (within 2 \
        semitones of it rounded); for the softmax baseline, among the 5 most probable pitches. With --held-out F only the \
        songs `tunesmith train --validation F --seed S` held out are scored (the same song split). --baseline trains the \
        paper's logistic-regression baseline on the other songs instead of loading a model (it has no model file).
        """
    )

    @Option(help: "The model file to score.") var model: String?
    @Flag(help: "Score the paper's softmax-regression baseline, trained on the songs not held out.") var baseline = false
    @Option(help: "Folder of MIDI files (searched recursively).") var corpus: String
    @Option(help: "Score only the songs held out by this validation fraction (as train --validation); required with --baseline.") var heldOut: Double?
    @Option(help: "Seed of the song split (as train --seed).") var seed: UInt64 = 1
    @Option(help: "Previous notes the baseline reads.") var context = 10
    @Option(help: "Baseline training epochs.") var epochs = 10
    @Option(help: "Read at most this many files of the corpus.") var limit: Int?
    @Option(help: "Style given to songs whose top-level folder names none of the model's styles (default: none, the model's any-style input); 'none' also for songs in style folders.") var style: String?
    @Option(help: "Also score the pitch with the song's motif memory mixed in at this weight, as generate mixes it (stateful models with rhythm heads; 0: off).")
    var motifMemory: Double = SamplingOptions.defaultMotifMemory
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Only list the paths of the songs that would be scored (e.g. the held-out songs), one per line.") var listSongs = false

    func run() throws {
        func message(_ error: Error) -> String { (error as? LocalizedError)?.errorDescription ?? "\(error)" }
        // Usage problems as one-line errors (no usage dump).
        if !listSongs, (model == nil) == !baseline { throw CommandFailure("give either --model MODEL or --baseline") }
        if let heldOut, !(heldOut > 0 && heldOut < 1) { throw CommandFailure("--held-out must be in (0, 1)") }
        if baseline && !listSongs && heldOut == nil { throw CommandFailure("--baseline needs --held-out F: it trains on the other songs") }
        if context < 1 || epochs < 1 { throw CommandFailure("--context and --epochs must be positive") }
        if let limit, limit < 1 { throw CommandFailure("--limit must be positive") }
        if !(motifMemory >= 0 && motifMemory < 1) { throw CommandFailure("--motif-memory must be in [0, 1)") }
        var loaded: TrainedModel?
        if let model {
            do { loaded = try TrainedModel(contentsOf: URL(fileURLWithPath: model)) } catch { throw CommandFailure(message(error)) }
        }
        let modelStyles = loaded?.styles ?? []
        var fallback: Int?
        if let style, style.lowercased() != "none" {
            guard let model = loaded else { throw CommandFailure("--style applies to --model, not --baseline") }
            guard let i = model.styleIndex(named: style) else {
                throw CommandFailure(modelStyles.isEmpty ? "\(self.model!) has no style input: drop --style"
                                                         : "unknown style '\(style)' (\(self.model!) knows: \(modelStyles.joined(separator: ", ")))")
            }
            fallback = i
        }
        let songs: Corpus
        do {
            songs = try Corpus(folder: URL(fileURLWithPath: corpus), configuration: loaded?.features ?? FeatureConfiguration(), limit: limit)
        } catch {
            throw CommandFailure(message(error))
        }
        for f in songs.failures { StandardStream.write("warning: skipped \(f.message)\n", to: StandardStream.error) }
        if songs.songs.isEmpty { throw CommandFailure("\(corpus): none of the MIDI files could be read") }
        let (training, scored) = heldOut.map { songs.split(validationFraction: $0, seed: seed) } ?? ([], songs.songs)
        if listSongs {
            StandardStream.write(scored.map { $0.path + "\n" }.joined(), to: StandardStream.output)
            return
        }
        let subject: NextNoteEvaluation.Model
        let name: String
        if let loaded {
            subject = .regression(loaded)
            let a = loaded.network.architecture
            let styleText = loaded.styles.isEmpty ? "" : ", styles \(loaded.styles.joined(separator: ", "))"
            name = "\(model!) (\(a.name)" + (a.isStateful ? " model: every note after a song's first scored, state carried\(styleText))" : ", look-back \(a.lookBack))")
        } else {
            let fitted = NoteBaseline(context: context, epochs: epochs, seed: seed).fit(training)
            subject = .baseline(fitted)
            name = "logistic-regression baseline (previous \(context) notes, \(training.count) training songs, \(fitted.trainingSamples) notes)"
        }
        // Each song's style is its first folder under the corpus; a model with styles is given it (when it knows the name).
        let root = URL(fileURLWithPath: corpus)
        let folders = scored.map { StyleNames.folder(of: $0.path, corpus: root) }
        let noStyles = style?.lowercased() == "none"
        let styleIndices: [Int?] = modelStyles.isEmpty ? [] : folders.map { f in
            noStyles ? nil : f.flatMap { StyleNames.index(of: $0, in: modelStyles) } ?? fallback
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var r = NextNoteEvaluation.evaluate(subject, songs: scored, styles: styleIndices, workers: cores, motifMemory: motifMemory)
        if r.notes == 0 { throw CommandFailure("\(corpus): no song is longer than the look-back window, nothing to score") }
        let groups = Set(folders.compactMap { $0 }).sorted()
        if !groups.isEmpty {
            var per: [String: NextNoteEvaluation] = [:]
            for g in groups {
                let idx = folders.indices.filter { folders[$0] == g }
                per[g] = NextNoteEvaluation.evaluate(subject, songs: idx.map { scored[$0] }, styles: styleIndices.isEmpty ? [] : idx.map { styleIndices[$0] },
                                                     workers: cores, motifMemory: motifMemory)
            }
            r.perStyle = per
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var text = String(decoding: (try? encoder.encode(r)) ?? Data("{}".utf8), as: UTF8.self)
            text += "\n"
            StandardStream.write(text, to: StandardStream.output)
        } else {
            let scope = heldOut.map { "\(scored.count) held-out songs (fraction \($0), seed \(seed))" } ?? "\(scored.count) songs"
            var s = "\(name)\n"
            s += "scored \(r.notes) notes of \(scope) under \(corpus)\n"
            s += String(format: "  top-1 accuracy  %6.2f %%\n", r.top1 * 100)
            s += String(format: "  top-5 accuracy  %6.2f %%\n", r.top5 * 100)
            s += String(format: "  loss            %.4f", r.loss) + "  (\(r.lossName))\n"
            if let p = r.pitchLoss { s += String(format: "  pitch loss      %.4f", p) + "  (cross-entropy of the pitch, nats per note)\n" }
            if let m = r.withMotifMemory {
                s += String(format: "with the song's motif memory mixed in at weight %.2f (generate mixes it at --motif-memory, default %.2f); it proposed a pitch for %.1f %% of the notes, %.1f %% of them right:\n",
                            m.weight, SamplingOptions.defaultMotifMemory, m.proposalShare * 100, m.proposalPrecision * 100)
                s += String(format: "  top-1 accuracy  %6.2f %%\n  top-5 accuracy  %6.2f %%\n  pitch loss      %.4f\n", m.top1 * 100, m.top5 * 100, m.pitchLoss)
            }
            if let per = r.perStyle {
                s += "per style (top-level folder):\n"
                let memory = r.withMotifMemory != nil
                s += "  style            songs    notes   top-1   top-5   loss   pitch nats" + (memory ? "   with memory: top-1   top-5  pitch nats" : "") + "\n"
                func row(_ name: String, _ e: NextNoteEvaluation) -> String {
                    let pitch = e.pitchLoss.map { String(format: "%10.4f", $0) } ?? "         -"
                    let mixed = e.withMotifMemory.map { String(format: "  %19.2f%% %6.2f%% %10.4f", $0.top1 * 100, $0.top5 * 100, $0.pitchLoss) } ?? ""
                    return "  " + name.padding(toLength: 14, withPad: " ", startingAt: 0)
                        + String(format: " %7d %8d %6.2f%% %6.2f%% %6.3f", e.songs, e.notes, e.top1 * 100, e.top5 * 100, e.loss) + " " + pitch + mixed + "\n"
                }
                for g in per.keys.sorted() { s += row(g, per[g]!) }
                s += row("overall", r)
            }
            if !modelStyles.isEmpty {
                // Which style input each folder's songs were given (a folder the model does not know gets --style or none).
                var given = Set(folders).sorted { ($0 ?? "") < ($1 ?? "") }.map { f -> String in
                    let i = noStyles ? nil : f.flatMap { StyleNames.index(of: $0, in: modelStyles) } ?? fallback
                    return "\(f ?? "(no folder)") -> \(i.map { modelStyles[$0] } ?? "none (any style)")"
                }
                if given.isEmpty { given = ["none"] }
                s += "style input: \(given.joined(separator: ", "))\n"
            }
            StandardStream.write(s, to: StandardStream.output)
        }
    }
}
