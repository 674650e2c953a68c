import Foundation
import MIDI
import Music
import Processing
import Production
import Rendering
import Support

/// A model ready to generate album tracks, with what the manifest records about it.
public struct LoadedModel: Sendable {
    /// The model, named as the spec gives it.
    public var production: ProductionModel
    /// What the manifest records.
    public var record: ModelRecord

    /// Reads and hashes a model file (`given` "default" is the embedded default model).
    public init(given: String, spec: AlbumSpec) throws {
        if given == "default" {
            production = try ProductionModel.load(nil)
        } else {
            let loaded = try ProductionModel.load(spec.resolve(given).path)
            production = ProductionModel(model: loaded.model, url: loaded.url, label: given)
        }
        let model = production.model
        record = ModelRecord(name: production.url.lastPathComponent, sha256: try SHA256.hex(ofFileAt: production.url.path),
                             architecture: model.network.architecture.name, trainedWith: model.training.toolVersion)
    }
}

/// Makes one track through the production path, exactly as `tunesmith generate` would with the same seed and
/// settings, into the album folder, and describes the result.
struct TrackProducer: Sendable {
    let spec: AlbumSpec
    let folder: URL
    let producer: Producer
    let processors: ProcessorRegistry
    let cancellation: Cancellation
    /// Synthesis threads each render uses (the cores shared between the tracks rendered at once).
    let synthesisThreads: Int
    /// In `loudness-mode: album`, the gain in dB applied to every track (instead of each track's loudness target).
    var albumGain: Double? = nil
    /// Memory for the mixes of the audio renders, handed from track to track (nil: each production its own).
    var mixMemory: MixMemory? = nil
    /// Loaded SoundFont copies, handed from track to track likewise (nil: each production its own).
    var soundFonts: SoundFontShelf? = nil

    /// A track's production checked and its notes made, its files not yet written (``draft(_:model:reusing:stage:)``).
    struct Draft: Sendable {
        let track: PlannedTrack
        let model: LoadedModel
        let reusing: [String: FileRecord]
        let production: PreparedProduction
        let notes: PreparedProduction.Notes

        /// How long its files will take to render, relative to other tracks: its sounding note-seconds (what the
        /// synthesizer's voices cost) plus ``secondsWeight`` per second of audio (mixing, mastering, metering and
        /// encoding, whatever plays). Measured on the sample album's 120 s tracks, the
        /// fluidsynth CLI took 0.35 s plus 1.3 ms per sounding note-second: 2.2 note-seconds per second of audio, and our
        /// own per-second stages add more. (A track written only as MIDI costs little whatever this says.)
        var renderCost: Double {
            let p = notes.performance
            var sounding = 0.0
            for track in p.tracks {
                for n in track.notes { sounding += p.seconds(atTick: n.endTick) - p.seconds(atTick: n.startTick) }
            }
            return sounding + Self.secondsWeight * p.durationSeconds
        }

        /// Note-seconds one second of audio costs to render whatever plays (see ``renderCost``).
        static let secondsWeight = 3.0
    }

    /// Checks `track`'s production (files in `reusing`, already verified, by name, are not written again) and makes its
    /// notes, so an album can make every track's notes first and render the heaviest first.
    func draft(_ track: PlannedTrack, model: LoadedModel, reusing: [String: FileRecord] = [:],
               stage: (ProductionStage) -> Void) throws -> Draft {
        let production = try producer.prepare(self.request(track, model: model, reusing: reusing))
        return Draft(track: track, model: model, reusing: reusing, production: production,
                     notes: try production.makeNotes(cancellation: cancellation, stage: stage))
    }

    /// Processes and renders a drafted track: every file of its track except those it reuses; each file appears
    /// complete or not at all.
    ///
    /// Returns the track's record and, per audio file written (by name), the energy of each 100 ms block of its audio as
    /// written (``RenderSummary/blockEnergies``): the album's loudness is gated from them without decoding the files.
    func produce(_ draft: Draft, stage: (ProductionStage) -> Void) throws -> (record: TrackRecord, blockEnergies: [String: [Double]]) {
        let track = draft.track, model = draft.model, reusing = draft.reusing
        let result = try draft.production.finish(draft.notes, cancellation: cancellation, synthesisThreads: synthesisThreads,
                                                 mixMemory: mixMemory, soundFonts: soundFonts, stage: stage)
        var written = result.files.makeIterator()
        var files: [FileRecord] = []
        var blocks: [String: [Double]] = [:]
        for format in track.options.formats {
            let name = track.fileName(extension: try producer.renderers.renderer(named: format).fileExtensions[0])
            if let kept = reusing[name] {
                files.append(kept)
            } else if let summary = written.next() {
                var record = try fileRecord(name: name, format: format, path: summary.path)
                if !summary.blockEnergies.isEmpty { blocks[name] = summary.blockEnergies }
                if !summary.stems.isEmpty {
                    let folderName = StemFolder.url(for: URL(fileURLWithPath: name)).lastPathComponent
                    record.stems = try summary.stems.map { stem in
                        let file = URL(fileURLWithPath: stem.path).lastPathComponent
                        return try fileRecord(name: folderName + "/" + file, format: format, path: stem.path)
                    }
                }
                files.append(record)
            }
        }
        var made = record(track, model: model, result: result, files: files)
        if let master = result.files.lazy.compactMap(\.master).first {
            made.loudness = TrackLoudness(master)
        }
        return (made, blocks)
    }

    /// Generates and processes `track` and measures how loud its audio synthesizes (no file written).
    func measure(_ track: PlannedTrack, model: LoadedModel) throws -> LoudnessMeasurement {
        var request = try self.request(track, model: model, reusing: [:])
        guard let audio = request.outputs.first(where: { (try? producer.renderers.renderer(named: $0.renderer ?? ""))?.options
            .contains { $0.name == "loudness" } == true }) else { return LoudnessMeasurement(integrated: -.infinity, truePeak: -.infinity, samplePeak: -.infinity, seconds: 0) }
        request.outputs = []
        let result = try producer.prepare(request).run(cancellation: cancellation, synthesisThreads: synthesisThreads)
        let renderer = try producer.renderers.renderer(named: audio.renderer ?? "")
        let options = try audio.options.validated(against: renderer.options, renderer: renderer.name)
        return try LoudnessProbe.measure(result.performance, options: options,
                                         context: RenderContext(cancellation: cancellation, synthesisThreads: synthesisThreads,
                                                                soundFonts: soundFonts))
    }

    /// The record of one written file: its size and SHA-256.
    func fileRecord(name: String, format: String, path: String) throws -> FileRecord {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        return FileRecord(name: name, format: format, bytes: size, sha256: try SHA256.hex(ofFileAt: path))
    }

    /// The production request of a track: its settings (paths resolved against the spec's folder, its seed), the
    /// shared model, its processors and one output per format not reused.
    func request(_ track: PlannedTrack, model: LoadedModel, reusing: [String: FileRecord]) throws -> ProductionRequest {
        var settings = GenerationSettings()
        for (name, text) in track.options.settings.sorted(by: { $0.key < $1.key }) {
            let isPath = GenerationSettings.declaration(named: name)?.kind == .path
            try settings.set(name, to: isPath ? spec.resolve(text).path : text)
        }
        settings.seed = track.seed
        var render = RenderSettings()
        for (name, text) in track.options.render.sorted(by: { $0.key < $1.key }) {
            let isPath = RenderSettings.declaration(named: name, in: producer.renderers)?.kind == .path
            try render.set(name, to: isPath ? spec.resolveRenderPath(text) : text, registry: producer.renderers)
        }
        if let albumGain {
            // loudness-mode album: the one gain chosen for the whole album replaces each track's own target.
            try render.set("loudness-gain", to: String(format: "%.4f", albumGain), registry: producer.renderers)
        }
        var outputs: [OutputRequest] = []
        for format in track.options.formats {
            let renderer = try producer.renderers.renderer(named: format)
            let url = folder.appendingPathComponent(track.fileName(extension: renderer.fileExtensions[0]))
            if reusing[url.lastPathComponent] != nil { continue }
            outputs.append(OutputRequest(url: url, renderer: renderer.name, options: try render.options(for: renderer, strict: false),
                                         tags: tags(track, model: model), stems: track.options.stems == true))
        }
        return ProductionRequest(source: .generate(settings, model: model.production),
                                 pipeline: try processors.makePipeline(track.options.processors), outputs: outputs, overwrite: true)
    }

    /// The manifest's record of a made track; its key is the one the scale stage imposed, else the one detected.
    func record(_ track: PlannedTrack, model: LoadedModel, result: ProductionResult, files: [FileRecord]) -> TrackRecord {
        let performance = result.performance
        let metrics = PieceMetrics.compute(performance)
        return TrackRecord(
            number: track.number, title: track.title, seed: track.seed, options: track.options, model: model.record,
            durationSeconds: (performance.durationSeconds * 1000).rounded() / 1000, notes: performance.noteCount,
            tempoBPM: result.generation?.generator.plan.tempoBPM ?? 0,
            metrics: KeyMetrics(key: result.keyName(detected: metrics.key), scaleConsistency: metrics.scaleConsistency,
                                pitchClassEntropy: metrics.pitchClassEntropy, pitchRange: metrics.pitchRange, polyphony: metrics.polyphony,
                                onsetGrid16Fraction: metrics.onsetGrid16Fraction, velocityMean: metrics.velocityMean),
            files: files, pianoRoll: TrackPianoRoll.svg(performance, title: track.title),
            parts: performance.parts.map(\.name))
    }

    /// The tags of a track's audio files: TRACKNUMBER and TRACKTOTAL; a comment with the seed, the model and the tool
    /// version.
    func tags(_ track: PlannedTrack, model: LoadedModel) -> AudioTags {
        var comment = "Tunesmith \(TunesmithVersion.string), seed \(track.seed), model \(model.record.name)"
        if let c = spec.comment { comment = c + "; " + comment }
        let tags = AudioTags(title: track.title, album: spec.album, artist: spec.artist, trackNumber: track.number,
                             trackTotal: spec.tracks.count, genre: spec.genre, comment: comment)
        // The track's ReplayGain comes from its file's measured loudness as written, the album's from every file once
        // the album is complete (AlbumReplayGain).
        return tags
    }
}
