import Foundation
import Learning
import MIDI

extension GenerationStart {
    /// A primer read from a MIDI file; throws the reader's error (naming the path) or
    /// ``GenerationError/emptyPrimer(path:)`` when it has no notes the model reads.
    public static func primer(fileAt url: URL, features: FeatureConfiguration = FeatureConfiguration()) throws -> GenerationStart {
        let performance = try Performance(contentsOf: url)
        guard !PaperFeatures.frames(of: performance, configuration: features).isEmpty else {
            throw GenerationError.emptyPrimer(path: url.path)
        }
        return .primer(performance)
    }

    /// A corpus song chosen by `seed` among the MIDI files under `folder` (the first readable one with
    /// notes, starting at the chosen file and going on in path order); returns it with its path.
    public static func corpusSong(inFolder folder: URL, seed: UInt64,
                                  features: FeatureConfiguration = FeatureConfiguration()) throws -> (start: GenerationStart, path: String) {
        let files = try Corpus.midiFiles(in: folder)
        var g = SeededGenerator(seed: seed ^ 0xC0_4B05_50_46)
        let first = Int(g.next() % UInt64(files.count))
        for offset in 0..<files.count {
            let url = files[(first + offset) % files.count]
            guard let performance = try? Performance(contentsOf: url),
                  !PaperFeatures.frames(of: performance, configuration: features).isEmpty else { continue }
            return (.corpusSong(performance), url.path)
        }
        throw GenerationError.emptyPrimer(path: folder.path)
    }
}
