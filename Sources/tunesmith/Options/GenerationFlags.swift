import ArgumentParser
import Production

/// The generation settings as command-line flags (`--length`, `--seed`, `--motif-memory`, ...), shared by every
/// command that generates.
///
/// Names, help and checks come from ``GenerationSettings/declarations`` (the album spec's keys use the same ones);
/// values are taken as text (`parsing: .unconditional`, so `--seed -5` reaches the check and gets a real message).
struct GenerationFlags: ParsableArguments {
    @Option(parsing: .unconditional, help: Self.help("model")) var model: String?
    @Option(parsing: .unconditional, help: Self.help("length")) var length: String?
    @Option(parsing: .unconditional, help: Self.help("seed")) var seed: String?
    @Option(parsing: .unconditional, help: Self.help("primer")) var primer: String?
    @Option(parsing: .unconditional, help: Self.help("corpus")) var corpus: String?
    @Option(parsing: .unconditional, help: Self.help("tempo")) var tempo: String?
    @Option(parsing: .unconditional, help: Self.help("program")) var program: String?
    @Option(parsing: .unconditional, help: Self.help("channel")) var channel: String?
    @Option(parsing: .unconditional, help: Self.help("temperature")) var temperature: String?
    @Option(parsing: .unconditional, help: Self.help("noise")) var noise: String?
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: Self.help("top-k")) var topK: String?
    @Option(name: .customLong("top-p"), parsing: .unconditional, help: Self.help("top-p")) var topP: String?
    @Option(name: .customLong("rhythm-top-p"), parsing: .unconditional, help: Self.help("rhythm-top-p")) var rhythmTopP: String?
    @Option(name: .customLong("motif-memory"), parsing: .unconditional, help: Self.help("motif-memory")) var motifMemory: String?
    @Option(name: .customLong("scale-memory"), parsing: .unconditional, help: Self.help("scale-memory")) var scaleMemory: String?
    @Option(name: .customLong("phrase-recall"), parsing: .unconditional, help: Self.help("phrase-recall")) var phraseRecall: String?
    @Option(parsing: .unconditional, help: Self.help("articulation")) var articulation: String?
    @Option(name: .customLong("onset-grid"), parsing: .unconditional, help: Self.help("onset-grid")) var onsetGrid: String?
    @Option(parsing: .unconditional, help: Self.help("style")) var style: String?

    /// The flags given, by setting name.
    var given: [(String, String?)] {
        [("model", model), ("length", length), ("seed", seed), ("primer", primer), ("corpus", corpus), ("tempo", tempo),
         ("program", program), ("channel", channel), ("temperature", temperature), ("noise", noise), ("top-k", topK),
         ("top-p", topP), ("rhythm-top-p", rhythmTopP), ("motif-memory", motifMemory), ("scale-memory", scaleMemory), ("phrase-recall", phraseRecall),
         ("articulation", articulation),
         ("onset-grid", onsetGrid), ("style", style)]
    }

    /// The settings: the defaults with every given flag applied and checked.
    func settings() throws -> GenerationSettings {
        var s = GenerationSettings()
        for case let (name, text?) in given { try s.set(name, to: text) }
        return s
    }

    /// The declared help of setting `name`, with its default.
    static func help(_ name: String) -> ArgumentHelp {
        ArgumentHelp(GenerationSettings.declaration(named: name)?.helpWithDefault ?? "")
    }
}
