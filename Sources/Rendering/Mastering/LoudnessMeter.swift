import CEBUR128
import CSndFile
import Foundation

/// Loudness of a stereo signal per ITU-R BS.1770-4 / EBU R128, measured by libebur128.
public struct LoudnessMeasurement: Sendable, Hashable, Codable {
    /// Integrated (gated) loudness in LUFS; -infinity for silence (-70 LUFS absolute gate).
    public var integrated: Double
    /// Largest true (4x oversampled, inter-sample) peak over both channels in dBTP (dB relative to full scale; the sample
    /// peak when measured without true peak).
    public var truePeak: Double
    /// Largest absolute sample over both channels in dBFS.
    public var samplePeak: Double
    /// Length measured, in seconds.
    public var seconds: Double
    /// Loudness range (EBU Tech 3342) in LU, when measured (a meter made with `statistics`).
    public var loudnessRange: Double?
    /// Largest momentary loudness (400 ms windows, every 100 ms) in LUFS, when measured.
    public var maxMomentary: Double?
    /// Largest short-term loudness (3 s windows, every 100 ms) in LUFS, when measured.
    public var maxShortTerm: Double?

    /// Creates a measurement.
    public init(integrated: Double, truePeak: Double, samplePeak: Double, seconds: Double, loudnessRange: Double? = nil,
                maxMomentary: Double? = nil, maxShortTerm: Double? = nil) {
        self.integrated = integrated
        self.truePeak = truePeak
        self.samplePeak = samplePeak
        self.seconds = seconds
        self.loudnessRange = loudnessRange
        self.maxMomentary = maxMomentary
        self.maxShortTerm = maxShortTerm
    }

    /// Whether the signal is loud enough to have an integrated loudness (not silence).
    public var isMeasurable: Bool { integrated.isFinite }
}

/// A streaming BS.1770 meter: feed planar stereo blocks, read the integrated loudness and true peak.
///
/// The K-weighting and the 100 ms block energies are our own (``KWeightingFilter``: one pass over planar blocks, no
/// copy), gated as BS.1770-4 says (``integrated(ofBlocks:)``); the tests hold them to libebur128's figures. libebur128
/// runs beside them only for the loudness range, with `statistics`.
///
/// One meter is fed by one thread at a time; it is a class so libebur128's state is freed once. It is `Sendable` so
/// that a meter filled on one thread can be handed to another that reads or combines it (an album's tracks metered
/// side by side, then gated together); it is never fed from two threads at once.
public final class LoudnessMeter: @unchecked Sendable {
    /// libebur128, for the loudness range only (a meter made with `statistics`).
    private var state: UnsafeMutablePointer<ebur128_state>?
    /// Our own true-peak measurement (``TruePeakMeter``), when enabled: cheaper than libebur128's.
    private var truePeakMeter: TruePeakMeter?
    private var filter: KWeightingFilter
    private var interleaved: [Float] = []
    private let sampleRate: Int
    /// Whether the loudness range and the largest momentary (4 blocks) and short-term (30 blocks) loudness are measured.
    private let statistics: Bool
    /// The K-weighted energy (mean square, summed over the channels) of every complete 100 ms block so far.
    public private(set) var blockEnergyList: [Double] = []
    /// Largest absolute sample so far.
    private var largestSample: Float = 0
    /// Whether ``blockPeakList`` is kept.
    private let keepsBlockPeaks: Bool
    /// The largest absolute sample of every 100 ms block so far (the last one possibly partial), when kept: what
    /// ``LimiterForecast`` reads.
    public private(set) var blockPeakList: [Float] = []
    private var largestMomentary = 0.0
    private var largestShortTerm = 0.0
    /// Frames measured so far.
    public private(set) var frames = 0

    /// A meter for stereo audio at `sampleRate` Hz; `truePeak` adds the oversampled true-peak measurement
    /// (``TruePeakMeter``), else only integrated loudness and sample peak are measured; `statistics` adds the loudness range
    /// and the largest momentary and short-term loudness (what a broadcast WAV's `bext` chunk records). The energy of
    /// every 100 ms block is kept (``blockEnergyList``, 8 bytes per block), from which an album is gated without
    /// metering it again. `blockPeaks` keeps the largest sample of every block too (``blockPeakList``, 4 bytes a block).
    public init(sampleRate: Int, truePeak: Bool = true, statistics: Bool = false, blockPeaks: Bool = false) throws(RenderError) {
        self.sampleRate = sampleRate
        keepsBlockPeaks = blockPeaks
        truePeakMeter = truePeak ? TruePeakMeter() : nil
        self.statistics = statistics
        filter = KWeightingFilter(sampleRate: sampleRate)
        if statistics {
            guard let s = ebur128_init(2, UInt(sampleRate), Int32(EBUR128_MODE_LRA.rawValue)) else {
                throw .synthesisFailed(reason: "libebur128 could not create a meter for \(sampleRate) Hz")
            }
            state = s
        }
    }

    deinit { if state != nil { ebur128_destroy(&state) } }

    /// Adds `n` frames of planar stereo audio.
    public func add(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        truePeakMeter?.add(left, right, n)
        if keepsBlockPeaks {
            addBlockPeaks(left, right, n)
        } else {
            largestSample = SamplePeak.largest(left, right, count: n, from: largestSample)
        }
        filter.add(left, right, n) { energy in finishBlock(energy) }
        if let state {
            if interleaved.count < 2 * n { interleaved = [Float](repeating: 0, count: 2 * n) }
            interleaved.withUnsafeMutableBufferPointer { b in
                for j in 0..<n {
                    b[2 * j] = left[j]
                    b[2 * j + 1] = right[j]
                }
                _ = ebur128_add_frames_float(state, b.baseAddress, n)
            }
        }
        frames += n
    }

    /// The sample peak of `n` frames, block by block (blocks aligned with the K-weighted energies').
    private func addBlockPeaks(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, _ n: Int) {
        let blockFrames = filter.blockFrames
        var k = 0
        while k < n {
            let into = (frames + k) % blockFrames
            let take = min(n - k, blockFrames - into)
            let peak = SamplePeak.largest(left + k, right + k, count: take)
            if into == 0 {
                blockPeakList.append(peak)
            } else {
                blockPeakList[blockPeakList.count - 1] = max(blockPeakList[blockPeakList.count - 1], peak)
            }
            largestSample = max(largestSample, peak)
            k += take
        }
    }

    /// Records the energy of the 100 ms block just completed and the momentary and short-term energies ending with it.
    private func finishBlock(_ energy: Double) {
        blockEnergyList.append(energy)
        guard statistics else { return }
        // The last 4 and 30 blocks (those before the start count as silence).
        var momentary = 0.0, shortTerm = 0.0
        for (k, e) in blockEnergyList.suffix(30).reversed().enumerated() {
            if k < 4 { momentary += e }
            shortTerm += e
        }
        largestMomentary = max(largestMomentary, momentary / 4)
        largestShortTerm = max(largestShortTerm, shortTerm / 30)
    }

    /// The measurement of everything added so far.
    public func measurement() -> LoudnessMeasurement {
        let loudness = Self.integrated(ofBlocks: [blockEnergyList])
        let sample = Double(largestSample)
        var truePk = 0.0
        var ending = truePeakMeter  // the points after the last samples, as if silence followed (the meter itself goes on)
        truePk = max(sample, Double(ending?.finish() ?? 0))
        var result = LoudnessMeasurement(integrated: loudness, truePeak: Self.decibels(truePk), samplePeak: Self.decibels(sample),
                                         seconds: Double(frames) / Double(sampleRate))
        if statistics {
            var range = 0.0
            if let state, ebur128_loudness_range(state, &range) == 0, range.isFinite { result.loudnessRange = range }
            func lufs(_ energy: Double) -> Double { energy > 0 ? 10 * log10(energy) - 0.691 : -.infinity }
            result.maxMomentary = lufs(largestMomentary)
            result.maxShortTerm = lufs(largestShortTerm)
        }
        return result
    }

    /// 20 log10(x), -infinity for 0.
    static func decibels(_ x: Double) -> Double { x > 0 ? 20 * log10(x) : -.infinity }

    /// Measures whole planar buffers at once.
    public static func measure(left: [Float], right: [Float], sampleRate: Int) throws(RenderError) -> LoudnessMeasurement {
        let meter = try LoudnessMeter(sampleRate: sampleRate)
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                meter.add(l.baseAddress!, r.baseAddress!, min(l.count, r.count))
            }
        }
        return meter.measurement()
    }

    /// Measures an audio file as any player decodes it (libsndfile; integrated loudness, sample peak and the energy of
    /// every 100 ms block).
    public static func measure(fileAt path: String) throws(RenderError) -> LoudnessMeter {
        var info = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &info) else {
            throw .writeFailed(path: path, reason: "cannot read it back: \(String(cString: sf_strerror(nil)))")
        }
        defer { sf_close(file) }
        let meter = try LoudnessMeter(sampleRate: Int(info.samplerate), truePeak: false)
        let channels = Int(info.channels), block = 16_384
        var interleaved = [Float](repeating: 0, count: block * channels)
        var left = [Float](repeating: 0, count: block), right = [Float](repeating: 0, count: block)
        while true {
            let got = Int(interleaved.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, sf_count_t(block)) })
            if got <= 0 { break }
            for k in 0..<got {
                left[k] = interleaved[k * channels]
                right[k] = interleaved[k * channels + min(1, channels - 1)]
            }
            meter.add(left, right, got)
        }
        return meter
    }

    /// The integrated loudness of several meters' audio taken together (gated over every block of all of them, as if
    /// played one after another), LUFS; -infinity for silence.
    public static func integrated(of meters: [LoudnessMeter]) -> Double {
        integrated(ofBlocks: meters.map(\.blockEnergyList))
    }

    /// The integrated loudness (BS.1770-4 gating) of audio whose 100 ms block energies are `parts` (each a
    /// ``blockEnergyList``; the parts as if played one after another, gated together), LUFS; -infinity for silence.
    ///
    /// Gating blocks are 400 ms long every 100 ms within each part (the mean of 4 consecutive block energies), as
    /// libebur128 forms them; blocks under -70 LUFS are dropped, then those more than 10 LU under the rest's loudness.
    public static func integrated(ofBlocks parts: [[Double]]) -> Double {
        var gating: [Double] = []
        for blocks in parts where blocks.count >= 4 {
            for j in 3..<blocks.count {
                gating.append((blocks[j - 3] + blocks[j - 2] + blocks[j - 1] + blocks[j]) / 4)
            }
        }
        func energy(_ lufs: Double) -> Double { pow(10, (lufs + 0.691) / 10) }
        func mean(above threshold: Double) -> Double? {
            var sum = 0.0, count = 0
            for z in gating where z > threshold { sum += z; count += 1 }
            return count > 0 ? sum / Double(count) : nil
        }
        guard let absolute = mean(above: energy(-70)) else { return -.infinity }
        let relativeGate = 10 * log10(absolute) - 0.691 - 10
        guard let gated = mean(above: energy(relativeGate)) else { return -.infinity }
        return 10 * log10(gated) - 0.691
    }

    /// The loudness of several pieces played one after another, from their own measurements: the power mean of their
    /// integrated loudness weighted by length (pieces below the absolute gate are left out); -infinity if none counts.
    public static func combined(_ parts: [LoudnessMeasurement]) -> Double {
        var energy = 0.0, seconds = 0.0
        for p in parts where p.isMeasurable && p.seconds > 0 {
            energy += p.seconds * pow(10, p.integrated / 10)
            seconds += p.seconds
        }
        return seconds > 0 ? 10 * log10(energy / seconds) : -.infinity
    }
}
