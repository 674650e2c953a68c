import Foundation
import MIDI
import Synchronization
import Support

/// One MIDI file to render to one output.
public struct FileRenderJob: Sendable, Hashable {
    /// The MIDI file to read.
    public var input: URL
    /// The output file; its extension picks the renderer unless ``renderer`` is set.
    public var output: URL
    /// A renderer name, or nil to choose by the output's extension.
    public var renderer: String?
    /// Option values for the renderer.
    public var options: RenderOptions
    /// Whether an existing output may be replaced.
    public var overwrite: Bool

    /// Creates a job.
    public init(input: URL, output: URL, renderer: String? = nil, options: RenderOptions = RenderOptions(), overwrite: Bool = false) {
        self.input = input
        self.output = output
        self.renderer = renderer
        self.options = options
        self.overwrite = overwrite
    }
}

extension RendererRegistry {
    /// Reads `job.input` into the note model and renders it; errors name the offending path.
    /// `synthesisThreads`: threads per audio render unless its `threads` option says otherwise (nil: the default).
    public func render(_ job: FileRenderJob, cancellation: RenderCancellation = RenderCancellation(),
                       synthesisThreads: Int? = nil) throws -> RenderSummary {
        // Check the renderer and options before reading or synthesizing anything.
        let renderer = try job.renderer.map { name throws(RenderError) in try self.renderer(named: name) } ?? self.renderer(forOutput: job.output)
        if let reason = renderer.unavailableReason { throw RenderError.formatUnavailable(renderer: renderer.name, reason: reason) }
        let resolved = try job.options.validated(against: renderer.options, renderer: renderer.name)
        try Self.checkOutput(job.output, overwrite: job.overwrite)
        let performance = try Performance(contentsOf: job.input)
        return try renderer.render(performance, to: job.output, options: resolved,
                                   context: RenderContext(overwrite: job.overwrite, cancellation: cancellation,
                                                          synthesisThreads: synthesisThreads))
    }

    /// Renders many jobs, `jobs` at a time on separate threads (each with its own synthesizers).
    /// Results are in job order; a failed job does not stop the others. With several jobs at once, each
    /// render's synthesis threads default to its share of the cores (one each on two cores).
    public func render(_ batch: [FileRenderJob], jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                       cancellation: RenderCancellation = RenderCancellation()) -> [Result<RenderSummary, any Error>] {
        let results = Mutex([Result<RenderSummary, any Error>?](repeating: nil, count: batch.count))
        let next = Atomic<Int>(0)
        let workers = max(1, min(jobs, batch.count))
        let threads = SynthesisSettings.defaultThreads(concurrentRenders: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= batch.count { return }
                let r: Result<RenderSummary, any Error>
                do { r = .success(try self.render(batch[i], cancellation: cancellation, synthesisThreads: threads)) } catch { r = .failure(error) }
                results.withLock { $0[i] = r }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Fails early (before synthesis) when the output exists without overwrite or its folder is unusable.
    static func checkOutput(_ url: URL, overwrite: Bool) throws {
        let path = url.path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw FileError.isDirectory(path: path) }
            if !overwrite { throw FileError.alreadyExists(path: path) }
        }
        let folder = url.deletingLastPathComponent().path
        var folderIsDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &folderIsDir) || !folderIsDir.boolValue {
            throw FileError.folderMissing(path: path)
        }
        if !FileManager.default.isWritableFile(atPath: folder) { throw FileError.folderNotWritable(path: path) }
    }
}
