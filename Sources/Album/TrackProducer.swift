import Foundation
import Generation
import Learning
import MIDI
import Music
import Processing
import Rendering
import Support

/// A model ready to generate, with what the manifest records about it.
public struct LoadedModel: Sendable {
    /// The model.
    public var model: TrainedModel
    /// Its file.
    public var url: URL
    /// What the manifest records.
    public var record: ModelRecord

    /// Reads and hashes a model file (`given` "default" finds the default model).
    public init(given: String, spec: AlbumSpec) throws {
        url = given == "default" ? try DefaultModel.locate() : spec.resolve(given)
        model = try TrainedModel(contentsOf: url)
        record = ModelRecord(name: url.lastPathComponent, sha256: try SHA256.hex(ofFileAt: url.path),
                             architecture: model.network.architecture.name, trainedWith: model.training.toolVersion)
    }
}

/// What stage a track is in (for progress displays).
public enum TrackStage: Sendable, Hashable, CustomStringConvertible {
    case generating, processing
    /// Rendering one format (its renderer name).
    case rendering(String)

    /// Short text.
    public var description: String {
        switch self {
        case .generating: return "generating"
        case .processing: return "processing"
        case .rendering(let f): return "rendering \(f)"
        }
    }
}

/// Generates, processes and renders one track into the album folder, and describes the result.
struct TrackProducer: Sendable {
    let spec: AlbumSpec
    let folder: URL
    let renderers: RendererRegistry
    let processors: ProcessorRegistry
    let cancellation: RenderCancellation
    /// Synthesis threads each render uses (the cores shared between the tracks rendered at once).
    let synthesisThreads: Int

    /// Produces every file of `track` except those in `reusing` (already verified, by name); each file
    /// appears complete or not at all.
    func produce(_ track: PlannedTrack, model: LoadedModel, reusing: [String: FileRecord] = [:],
                 stage: (TrackStage) -> Void) throws -> TrackRecord {
        let o = track.options
        stage(.generating)
        let options = try GenerationOptions(length: try GenerationLength(parsing: o.length), seed: track.seed,
                                            sampling: try SamplingOptions(temperature: o.temperature), tempoBPM: o.tempo,
                                            program: o.program)
        let generator = try Generator(model: model.model, options: options, modelPath: model.url.path)
        var performance = generator.performance()
        if cancellation.isCancelled { throw RenderError.cancelled(path: folder.path) }
        stage(.processing)
        performance = try processors.makePipeline(o.processors).run(performance)
        var files: [FileRecord] = []
        for format in o.formats {
            if cancellation.isCancelled { throw RenderError.cancelled(path: folder.path) }
            let renderer = try renderers.renderer(named: format)
            let url = folder.appendingPathComponent(track.fileName(extension: renderer.fileExtensions[0]))
            if let kept = reusing[url.lastPathComponent] {
                files.append(kept)
                continue
            }
            stage(.rendering(format))
            var ro = RenderOptions()
            if let sf = o.soundfont, renderer.options.contains(where: { $0.name == "soundfont" }) {
                ro.set("soundfont", .path(spec.resolve(sf).path))
            }
            let context = RenderContext(overwrite: true, cancellation: cancellation, tags: tags(track), synthesisThreads: synthesisThreads)
            _ = try renderers.render(performance, to: url, renderer: renderer.name, options: ro, context: context)
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            files.append(FileRecord(name: url.lastPathComponent, format: renderer.name, bytes: size,
                                    sha256: try SHA256.hex(ofFileAt: url.path)))
        }
        let metrics = PieceMetrics.compute(performance)
        return TrackRecord(
            number: track.number, title: track.title, seed: track.seed, options: o, model: model.record,
            durationSeconds: (performance.durationSeconds * 1000).rounded() / 1000, notes: performance.noteCount,
            tempoBPM: generator.plan.tempoBPM,
            metrics: KeyMetrics(key: metrics.key, scaleConsistency: metrics.scaleConsistency, pitchClassEntropy: metrics.pitchClassEntropy,
                                pitchRange: metrics.pitchRange, polyphony: metrics.polyphony,
                                onsetGrid16Fraction: metrics.onsetGrid16Fraction, velocityMean: metrics.velocityMean),
            files: files, pianoRoll: TrackPianoRoll.svg(performance, title: track.title))
    }

    /// The tags of a track's audio files.
    func tags(_ track: PlannedTrack) -> AudioTags {
        var comment = "tunesmith seed \(track.seed)"
        if let c = spec.comment { comment = c + "; " + comment }
        return AudioTags(title: track.title, album: spec.album, artist: spec.artist,
                         trackNumber: "\(track.number)/\(spec.tracks.count)", genre: spec.genre, comment: comment)
    }
}
