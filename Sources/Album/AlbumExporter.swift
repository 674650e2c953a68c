import Foundation
import MIDI
import Processing
import Production
import Rendering
import Synchronization
import Support

/// Something that happened during an export, for progress displays.
public enum AlbumEvent: Sendable, Hashable {
    /// Work planned: tracks in this run (shard), how many are rendered and how many skipped as up to date.
    case planned(total: Int, toRender: Int, skipped: [Int])
    /// A track moved to a stage.
    case stage(track: Int, title: String, ProductionStage)
    /// A track finished (wall seconds it took).
    case finished(track: Int, title: String, seconds: Double)
    /// A track failed (one-line reason).
    case failed(track: Int, title: String, reason: String)
}

/// What an export did.
public struct AlbumExportResult: Sendable, Hashable {
    /// Tracks rendered in this run.
    public var rendered: [Int]
    /// Tracks skipped because their files matched the manifest.
    public var skipped: [Int]
    /// The manifest written.
    public var manifest: AlbumManifest
    /// Wall time in seconds.
    public var seconds: Double
}

/// Exports an album: generates, processes and renders its tracks (`jobs` at a time) into one folder,
/// with `manifest.json`, `album.m3u8` and `index.html`; resumes by skipping tracks whose files
/// match the manifest; stops cleanly on ``cancellation``; writes nothing outside the folder.
public struct AlbumExporter: Sendable {
    /// The album.
    public var spec: AlbumSpec
    /// The output folder (created if missing; its parent must exist).
    public var folder: URL
    /// Tracks produced at once.
    public var jobs: Int
    /// The part of the album to produce, or nil for all of it.
    public var shard: Shard?
    /// Replace files the manifest does not list.
    public var force: Bool
    /// Set to stop (e.g. on Ctrl-C): running renders stop, their partial files are removed.
    public var cancellation: Cancellation
    /// Renderers for the formats.
    public var renderers: RendererRegistry = .standard
    /// Processors for the pipelines.
    public var processors: ProcessorRegistry = .standard

    /// Calls `body` for 0 ..< `count` on up to ``jobs`` threads, each taking the next index as it is free, until the
    /// album is cancelled.
    func inTurn(_ count: Int, _ body: @Sendable (Int) -> Void) {
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
            while !cancellation.isCancelled {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= count { return }
                body(i)
            }
        }
    }

    /// Tracks whose notes are made (and held) before the group's renders start, heaviest first: enough for the
    /// longest-first order to balance the jobs, few enough that an album of thousands of tracks holds a bounded number
    /// of note lists at once.
    static let draftGroup = 64

    /// Creates an exporter.
    public init(spec: AlbumSpec, folder: URL, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, shard: Shard? = nil,
                force: Bool = false, cancellation: Cancellation = Cancellation()) {
        self.spec = spec
        self.folder = folder.standardizedFileURL
        self.jobs = max(1, jobs)
        self.shard = shard
        self.force = force
        self.cancellation = cancellation
    }

    /// The manifest file this run writes (a shard writes its own).
    public var manifestURL: URL { folder.appendingPathComponent(shard?.manifestName ?? AlbumManifest.fileName) }

    /// The tool and library versions recorded.
    public static var toolVersions: ToolVersions {
        ToolVersions(tunesmith: TunesmithVersion.string, fluidsynth: LibraryVersions.fluidSynth, sndfile: LibraryVersions.sndFile)
    }

    /// Runs the export; `events` is called from worker threads.
    public func run(events: @escaping @Sendable (AlbumEvent) -> Void = { _ in }) throws -> AlbumExportResult {
        let clock = ContinuousClock()
        let t0 = clock.now
        // 1. Everything checked before any work: folder, models, SoundFonts, existing files.
        try prepareFolder()
        let planned = spec.plannedTracks.filter { shard?.contains(track: $0.number) ?? true }
        var models: [String: LoadedModel] = [:]
        for t in planned where models[t.options.model] == nil {
            models[t.options.model] = try LoadedModel(given: t.options.model, spec: spec)
        }
        for t in planned {
            if let sf = t.options.render["soundfont"] { _ = try SoundFontLocator.resolve(spec.resolveRenderPath(sf)) }
        }
        let prior = try priorManifest()
        let owned = Set((prior?.tracks ?? []).flatMap { $0.files.map(\.name) })
        var kept: [Int: TrackRecord] = [:]
        var toRender: [PlannedTrack] = []
        var reusable: [Int: [String: FileRecord]] = [:]
        var priorLoudness: [Int: TrackLoudness] = [:]
        for t in planned {
            let verified = prior?.tracks.first(where: { $0.number == t.number }).map { verifiedFiles($0, t, model: models[t.options.model]!) }
            if let verified, let r = prior?.tracks.first(where: { $0.number == t.number }), verified.count == r.files.count {
                kept[t.number] = r
            } else {
                toRender.append(t)
                reusable[t.number] = verified ?? [:]
                if verified?.isEmpty == false { priorLoudness[t.number] = prior?.tracks.first(where: { $0.number == t.number })?.loudness }
            }
        }
        for t in toRender {
            for format in t.options.formats {
                let name = t.fileName(extension: try renderers.renderer(named: format).fileExtensions[0])
                if reusable[t.number]?[name] != nil { continue }
                try checkWritable(name, owned: owned.contains(name))
            }
        }
        if shard == nil {
            try checkWritable(AlbumPage.fileName, owned: prior != nil)
            try checkWritable(AlbumPage.playlistName, owned: prior != nil)
        }
        removeStaleTemporaries(for: toRender)
        events(.planned(total: planned.count, toRender: toRender.count, skipped: kept.keys.sorted()))

        // 2. The work, `jobs` tracks at a time; the manifest is rewritten after each track.
        let records = Mutex(kept)
        // The 100 ms block energies of each audio file written in this run (by name), for the album's ReplayGain.
        let measured = Mutex<[String: [Double]]>([:])
        let failures = Mutex<[(Int, String)]>([])
        var producer = TrackProducer(spec: spec, folder: folder, producer: Producer(renderers: renderers), processors: processors,
                                     cancellation: cancellation,
                                     synthesisThreads: SynthesisSettings.defaultThreads(concurrentRenders: min(jobs, max(1, toRender.count))))
        // The tracks rendered at once hand their mix memory on to the tracks after them.
        producer.mixMemory = MixMemory(concurrentRenders: min(jobs, max(1, toRender.count)))
        // And their loaded SoundFont copies.
        producer.soundFonts = SoundFontShelf(concurrentRenders: min(jobs, max(1, toRender.count)))
        // loudness-mode album: one gain for every track, from the whole album's measured loudness (every track of the
        // spec, so shards agree), chosen before any file is written.
        var albumGain: Double?
        if spec.loudnessMode == .album, !toRender.isEmpty, let target = AlbumLoudnessPlan.target(of: TrackOptions(spec.settings)) {
            var all = spec.plannedTracks
            for t in all where models[t.options.model] == nil { models[t.options.model] = try LoadedModel(given: t.options.model, spec: spec) }
            all = all.filter { !$0.options.formats.isEmpty }
            albumGain = try AlbumLoudnessPlan.albumGain(target: target, tracks: all, producer: producer, models: models, jobs: jobs)
            if cancellation.isCancelled { throw AlbumError.interrupted(completed: kept.count, total: planned.count) }
            producer.albumGain = albumGain
        }
        let albumGainChosen = albumGain
        let finalProducer = producer
        let work = toRender
        let loaded = models
        let reuse = reusable
        let reusedLoudness = priorLoudness
        let writeManifest: @Sendable ([Int: TrackRecord]) throws -> Void = { current in
            try self.manifest(current.values.sorted { $0.number < $1.number }, albumGain: albumGainChosen).write(to: self.manifestURL)
        }
        try writeManifest(kept)
        // The tracks go in groups of ``draftGroup`` (bounded memory for albums of thousands of tracks). In each group:
        // 2a. every track's notes first (generating is quick: 0.1 s for the sample album's 8 minutes), then
        // 2b. the renders, heaviest first (by ``TrackProducer/Draft/renderCost``; ties in track order), so the jobs end
        // together instead of one dense track rendering alone at the end (the sample album's heaviest track costs
        // twice its lightest).
        let fail: @Sendable (PlannedTrack, any Error) -> Void = { t, error in
            if cancellation.isCancelled { return }
            let reason = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            failures.withLock { $0.append((t.number, reason)) }
            events(.failed(track: t.number, title: t.title, reason: reason))
        }
        for groupStart in stride(from: 0, to: work.count, by: Self.draftGroup) {
            if cancellation.isCancelled { break }
            let group = Array(work[groupStart..<min(work.count, groupStart + Self.draftGroup)])
            // Each track's draft and the time it spent on its notes (its "done in" figure adds its render's).
            let drafts = Mutex<[Int: (draft: TrackProducer.Draft, time: Duration)]>([:])
            inTurn(group.count) { i in
                let t = group[i], start = clock.now
                do {
                    let draft = try finalProducer.draft(t, model: loaded[t.options.model]!, reusing: reuse[t.number] ?? [:]) {
                        events(.stage(track: t.number, title: t.title, $0))
                    }
                    drafts.withLock { $0[i] = (draft, clock.now - start) }
                } catch {
                    fail(t, error)
                }
            }
            let ready = drafts.withLock { $0 }
            let cost = ready.mapValues(\.draft.renderCost)
            let order = ready.keys.sorted { (cost[$0]!, -$0) > (cost[$1]!, -$1) }
            inTurn(order.count) { k in
                let (draft, drafting) = ready[order[k]]!
                let t = draft.track, start = clock.now - drafting
                do {
                    var (record, blocks) = try finalProducer.produce(draft) { events(.stage(track: t.number, title: t.title, $0)) }
                    measured.withLock { $0.merge(blocks) { _, new in new } }
                    // Only non-audio files redone: the audio kept has the loudness recorded before.
                    if record.loudness == nil { record.loudness = reusedLoudness[t.number] }
                    try records.withLock { r in
                        r[t.number] = record
                        try writeManifest(r)
                    }
                    let d = clock.now - start
                    events(.finished(track: t.number, title: t.title, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
                } catch {
                    fail(t, error)
                }
            }
        }
        let done = records.withLock { $0 }
        var manifest = self.manifest(done.values.sorted { $0.number < $1.number }, albumGain: albumGainChosen)
        if cancellation.isCancelled { throw AlbumError.interrupted(completed: done.count, total: planned.count) }
        if let first = failures.withLock({ $0.min { $0.0 < $1.0 } }) { throw AlbumError.trackFailed(track: first.0, reason: first.1) }
        // The album's ReplayGain, measured on the finished files (a shard leaves it to `merge`, which has every track).
        if shard == nil {
            manifest = try AlbumReplayGain.apply(manifest, folder: folder, measured: measured.withLock { $0 })
            try manifest.write(to: manifestURL)
        }

        // 3. The playlist and page (a shard leaves them to `merge`).
        if shard == nil { try Self.writePage(manifest, in: folder) }
        let d = clock.now - t0
        return AlbumExportResult(rendered: work.map(\.number), skipped: kept.keys.sorted(), manifest: manifest,
                                 seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Writes `album.m3u8` and `index.html` for a manifest into `folder` (replacing earlier ones).
    public static func writePage(_ manifest: AlbumManifest, in folder: URL) throws {
        try AtomicFileWriter(destination: folder.appendingPathComponent(AlbumPage.playlistName), overwrite: true)
            .write(Array(AlbumPage.playlist(manifest).utf8))
        try AtomicFileWriter(destination: folder.appendingPathComponent(AlbumPage.fileName), overwrite: true)
            .write(Array(AlbumPage.html(manifest).utf8))
    }

    func manifest(_ tracks: [TrackRecord], albumGain: Double? = nil) -> AlbumManifest {
        var m = AlbumManifest(album: spec.album, artist: spec.artist, genre: spec.genre, comment: spec.comment, trackCount: spec.tracks.count,
                              shard: shard, tool: Self.toolVersions, tracks: tracks)
        m.loudness = AlbumLoudnessPlan.record(mode: spec.loudnessMode, target: AlbumLoudnessPlan.target(of: TrackOptions(spec.settings)),
                                              albumGain: albumGain, tracks: tracks)
        return m
    }

    /// The recorded files of a track that are still valid (present with their recorded SHA-256), by name;
    /// empty when the record is for a different track, seed, options or model.
    func verifiedFiles(_ r: TrackRecord, _ t: PlannedTrack, model: LoadedModel) -> [String: FileRecord] {
        guard r.title == t.title, r.seed == t.seed, r.options == t.options, r.model == model.record else { return [:] }
        let expected = t.options.formats.compactMap { try? t.fileName(extension: renderers.renderer(named: $0).fileExtensions[0]) }
        guard r.files.map(\.name) == expected else { return [:] }
        var ok: [String: FileRecord] = [:]
        func intact(_ f: FileRecord) -> Bool { (try? SHA256.hex(ofFileAt: folder.appendingPathComponent(f.name).path)) == f.sha256 }
        // A file whose stems were asked for counts only with every stem intact.
        for f in r.files where intact(f) && (t.options.stems != true || (f.stems.map { !$0.isEmpty && $0.allSatisfy(intact) } ?? false)) {
            ok[f.name] = f
        }
        return ok
    }

    func prepareFolder() throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw AlbumError.badOutputFolder(path: folder.path, reason: "it is a file") }
        } else {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch where FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) && isDir.boolValue {
                // Another shard created it at the same moment.
            } catch {
                throw AlbumError.badOutputFolder(path: folder.path, reason: "cannot create it")
            }
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw AlbumError.badOutputFolder(path: folder.path, reason: "not writable")
        }
    }

    func priorManifest() throws -> AlbumManifest? {
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { return nil }
        do {
            return try AlbumManifest(contentsOf: manifestURL)
        } catch {
            if force { return nil }
            throw error
        }
    }

    func checkWritable(_ name: String, owned: Bool) throws {
        let path = folder.appendingPathComponent(name).path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return }
        if isDir.boolValue { throw FileError.isDirectory(path: path) }
        if !owned && !force { throw AlbumError.foreignFile(path: path) }
    }

    /// Removes temporary files a killed earlier run left for this run's outputs (`.NAME.PID-N.tmp`).
    func removeStaleTemporaries(for tracks: [PlannedTrack]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        let stems = tracks.map { "." + $0.stem + "." }
        for n in names where n.hasSuffix(".tmp") && stems.contains(where: { n.hasPrefix($0) }) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(n))
        }
    }
}
