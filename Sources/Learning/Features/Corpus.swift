import Foundation
import MIDI

/// One song of a corpus: its path and its feature frames.
public struct CorpusSong: Sendable, Hashable {
    /// The file the song was read from.
    public var path: String
    /// The song's frames in playing order.
    public var frames: [FeatureFrame]
}

/// A file of a corpus that could not be read, with the reader's one-line error.
public struct CorpusFailure: Sendable, Hashable {
    /// The file.
    public var path: String
    /// Why it could not be read.
    public var message: String
}

/// A folder of MIDI files read into features, in parallel on all cores; unreadable files are listed, not fatal.
public struct Corpus: Sendable {
    /// Songs in path order.
    public var songs: [CorpusSong]
    /// Files that failed, in path order.
    public var failures: [CorpusFailure]

    /// Why a corpus could not be loaded at all.
    public enum LoadError: Error, LocalizedError, Equatable {
        /// The folder does not exist or is not a folder.
        case notAFolder(String)
        /// The folder holds no .mid/.midi files.
        case noMIDIFiles(String)

        /// One-line description.
        public var errorDescription: String? {
            switch self {
            case .notAFolder(let p): return "\(p): not a folder of MIDI files"
            case .noMIDIFiles(let p): return "\(p): no .mid or .midi files found"
            }
        }
    }

    /// The .mid/.midi files under `folder` (recursively), sorted by path.
    public static func midiFiles(in folder: URL) throws -> [URL] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
            throw LoadError.notAFolder(folder.path)
        }
        var files: [URL] = []
        if let e = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) {
            for case let url as URL in e where ["mid", "midi"].contains(url.pathExtension.lowercased()) { files.append(url) }
        }
        guard !files.isEmpty else { throw LoadError.noMIDIFiles(folder.path) }
        return files.sorted { $0.path < $1.path }
    }

    /// Reads every MIDI file under `folder` in parallel.
    public init(folder: URL, configuration: FeatureConfiguration = FeatureConfiguration(), limit: Int? = nil) throws {
        var files = try Self.midiFiles(in: folder)
        if let limit { files = Array(files.prefix(limit)) }
        self.init(files: files, configuration: configuration)
    }

    /// Reads the given files in parallel.
    public init(files: [URL], configuration: FeatureConfiguration = FeatureConfiguration()) {
        let slots = ResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let r: Result<[FeatureFrame], CorpusFailure>
            do {
                let perf = try Performance(contentsOf: files[i])
                r = .success(PaperFeatures.frames(of: perf, configuration: configuration))
            } catch {
                let text = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
                r = .failure(CorpusFailure(path: files[i].path, message: text))
            }
            slots.set(i, r)
        }
        var songs: [CorpusSong] = [], failures: [CorpusFailure] = []
        for (i, r) in slots.values.enumerated() {
            switch r {
            case .success(let f): songs.append(CorpusSong(path: files[i].path, frames: f))
            case .failure(let e): failures.append(e)
            case nil: failures.append(CorpusFailure(path: files[i].path, message: "not read"))
            }
        }
        self.songs = songs
        self.failures = failures
    }

    /// Splits songs (never frames) into training and validation sets, shuffled by `seed`;
    /// at least one song on each side when there are two or more songs and `validationFraction` > 0.
    public func split(validationFraction: Double, seed: UInt64) -> (training: [CorpusSong], validation: [CorpusSong]) {
        let (train, val) = Self.splitIndices(count: songs.count, validationFraction: validationFraction, seed: seed)
        return (train.map { songs[$0] }, val.map { songs[$0] })
    }

    /// The song-level split of `count` songs as sorted indices (what ``split(validationFraction:seed:)`` selects; a
    /// ``SongCache`` lists the same songs in the same order, so its split agrees).
    public static func splitIndices(count: Int, validationFraction: Double, seed: UInt64) -> (training: [Int], validation: [Int]) {
        var g = SeededGenerator(seed: seed ^ 0x5EED_5EED)
        var order = Array(0..<count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        var nVal = Int((Double(count) * validationFraction).rounded())
        if validationFraction > 0 && count >= 2 { nVal = min(max(1, nVal), count - 1) }
        return (order.dropFirst(nVal).sorted(), order.prefix(nVal).sorted())
    }
}

extension CorpusFailure: Error {}

/// Per-file results written by parallel readers, each slot by exactly one iteration.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<[FeatureFrame], CorpusFailure>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<[FeatureFrame], CorpusFailure>) {
        lock.lock(); values[i] = r; lock.unlock()
    }
}
