import ArgumentParser
import Production
import Rendering

/// Renderer options as command-line flags, shared by `render` and `generate`: the common ones as their own flags
/// (`--gain 0.5`, `--bits 24`), any other as `--option NAME=VALUE`.
///
/// Kinds, defaults and help come from the renderers' own option declarations (``RenderOptionSpec``).
struct RenderFlags: ParsableArguments {
    @Option(parsing: .unconditional, help: Self.help("soundfont")) var soundfont: String?
    @Option(name: .customLong("sample-rate"), parsing: .unconditional, help: Self.help("sample-rate")) var sampleRate: String?
    @Option(parsing: .unconditional, help: Self.help("bits")) var bits: String?
    @Option(parsing: .unconditional, help: Self.help("gain")) var gain: String?
    @Option(parsing: .unconditional, help: Self.help("reverb")) var reverb: String?
    @Option(parsing: .unconditional, help: Self.help("chorus")) var chorus: String?
    @Option(name: .customLong("tail-max"), parsing: .unconditional, help: Self.help("tail-max")) var tailMax: String?
    @Option(name: .customLong("max-length"), parsing: .unconditional, help: Self.help("max-length")) var maxLength: String?
    @Option(parsing: .unconditional, help: Self.help("loudness")) var loudness: String?
    @Option(name: .customLong("true-peak"), parsing: .unconditional, help: Self.help("true-peak")) var truePeak: String?
    @Option(parsing: .unconditional, help: "Title tag of the audio file (default: the file's name).") var title: String?
    @Option(name: .customLong("option"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Any renderer option NAME=VALUE (repeatable); `tunesmith render --list-renderers` lists them: \(RenderSettings.optionNames().joined(separator: ", ")).",
                               valueName: "name=value"))
    var options: [String] = []

    /// The options given, checked against the renderers that declare them.
    func settings() throws -> RenderSettings {
        var s = RenderSettings()
        let named: [(String, String?)] = [("soundfont", soundfont), ("sample-rate", sampleRate), ("bits", bits), ("gain", gain),
                                          ("reverb", reverb), ("chorus", chorus), ("tail-max", tailMax), ("max-length", maxLength),
                                          ("loudness", loudness), ("true-peak", truePeak)]
        for case let (name, text?) in named { try s.set(name, to: text) }
        for item in options {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--option expects NAME=VALUE, got '\(item)'")
            }
            try s.set(String(item[..<eq]), to: String(item[item.index(after: eq)...]))
        }
        return s
    }

    /// The tags asked for on the command line (nil: the defaults, the file's name as title).
    var tags: AudioTags? {
        title.map { AudioTags(title: $0) }
    }

    /// The renderers' declared doc of option `name`, with its valid values and default.
    static func help(_ name: String) -> ArgumentHelp {
        guard let spec = RenderSettings.declaration(named: name) else { return ArgumentHelp("") }
        let def = spec.defaultValue.map { ", default \($0)" } ?? ""
        return ArgumentHelp("Audio: \(spec.doc) (\(spec.kind.validValues)\(def)).", valueName: spec.kind.validValues)
    }
}
