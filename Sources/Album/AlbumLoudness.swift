import Foundation
import Production
import Rendering

/// The loudness a track's audio was written at, as the manifest records it (from the first audio file's master stage).
public struct TrackLoudness: Sendable, Hashable, Codable {
    /// Integrated loudness of the synthesized mix before any gain, LUFS.
    public var inputLUFS: Double?
    /// Gain applied before the limiter, dB.
    public var gainDB: Double
    /// Integrated loudness of the file's audio, LUFS (read back by the meter while writing).
    public var integratedLUFS: Double?
    /// True peak of the file's audio, dBTP.
    public var truePeakDBTP: Double?
    /// The limiter's deepest gain reduction, dB.
    public var limiterReductionDB: Double
    /// Length measured, seconds.
    public var seconds: Double

    /// The record of a render's master stage (non-finite values, i.e. silence, become nil).
    public init(_ report: MasterReport) {
        func finite(_ v: Double) -> Double? { v.isFinite ? (v * 100).rounded() / 100 : nil }
        inputLUFS = finite(report.input.integrated)
        gainDB = (report.gainDecibels * 100).rounded() / 100
        integratedLUFS = finite(report.output.integrated)
        truePeakDBTP = finite(report.output.truePeak)
        limiterReductionDB = (report.limiterReduction * 100).rounded() / 100
        seconds = report.output.seconds
    }

    /// As a measurement (for combining into the album's loudness).
    var output: LoudnessMeasurement {
        LoudnessMeasurement(integrated: integratedLUFS ?? -.infinity, truePeak: truePeakDBTP ?? -.infinity,
                            samplePeak: truePeakDBTP ?? -.infinity, seconds: seconds)
    }
}

/// The album's loudness as the manifest records it.
public struct AlbumLoudness: Sendable, Hashable, Codable {
    /// `track` or `album`.
    public var mode: LoudnessMode
    /// The target, LUFS (nil: loudness off).
    public var targetLUFS: Double?
    /// The album's integrated loudness, LUFS: over all tracks' files taken together once the album is complete (see
    /// ``AlbumReplayGain``), before that the power mean of the tracks made so far weighted by length.
    public var integratedLUFS: Double?
    /// The largest true peak of any track, dBTP.
    public var truePeakDBTP: Double?
    /// In album mode, the one gain applied to every track, dB.
    public var albumGainDB: Double?
    /// REPLAYGAIN_ALBUM_GAIN as tagged: -18 LUFS minus the album's loudness measured on its files, dB.
    public var replayGainDB: Double?
    /// REPLAYGAIN_ALBUM_PEAK as tagged: the largest true peak of any track, linear.
    public var replayGainPeak: Double?
}

/// Choosing an album's gain in `loudness-mode: album`, and the album's loudness figures.
enum AlbumLoudnessPlan {
    /// A track's loudness target in LUFS from its render options (the declared default -14 when not given; nil for off).
    static func target(of options: TrackOptions) -> Double? {
        let text = options.render["loudness"] ?? "-14"
        return Double(text)
    }

    /// A track's true-peak ceiling in dBTP (default -1).
    static func ceiling(of options: TrackOptions) -> Double {
        options.render["true-peak"].flatMap(Double.init) ?? -1
    }

    /// The one gain (dB) that brings the album, played through, to `target`: every track's synthesized loudness is
    /// measured first (the tracks are generated and synthesized once for this, without writing files).
    static func albumGain(target: Double, tracks: [PlannedTrack], producer: TrackProducer, models: [String: LoadedModel],
                          jobs: Int) throws -> Double {
        let results = Mutex<[Result<LoudnessMeasurement, any Error>?]>(Array(repeating: nil, count: tracks.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, tracks.count))) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= tracks.count { return }
                let outcome = Result { try producer.measure(tracks[i], model: models[tracks[i].options.model]!) }
                results.withLock { $0[i] = outcome }
            }
        }
        var measured: [LoudnessMeasurement] = []
        for r in results.withLock({ $0 }) {
            if let value = r { measured.append(try value.get()) }
        }
        let album = LoudnessMeter.combined(measured)
        return album.isFinite ? target - album : 0
    }

    /// The manifest's album figures from the tracks' records.
    static func record(mode: LoudnessMode, target: Double?, albumGain: Double?, tracks: [TrackRecord]) -> AlbumLoudness {
        let outputs = tracks.compactMap { $0.loudness?.output }
        let combined = LoudnessMeter.combined(outputs)
        let peaks = tracks.compactMap { $0.loudness?.truePeakDBTP }
        return AlbumLoudness(mode: mode, targetLUFS: target, integratedLUFS: combined.isFinite ? (combined * 100).rounded() / 100 : nil,
                             truePeakDBTP: peaks.max(), albumGainDB: albumGain.map { ($0 * 100).rounded() / 100 })
    }
}

import Synchronization
