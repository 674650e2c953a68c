import Foundation
import MIDI
import Support

/// One audio render: FluidSynth engine -> master (two passes: measure, then gain and true-peak limiter) -> libsndfile
/// writer (TPDF dither at 16 bits), written atomically, then tagged.
struct AudioRenderJob {
    var performance: Performance
    var url: URL
    var context: RenderContext
    var format: AudioFileFormat
    var compression: Double?
    var options: ResolvedRenderOptions
    var rendererName: String

    func run() throws -> RenderSummary {
        let limit = options.declaredNumber("max-length")
        let seconds = performance.lengthSeconds
        if seconds > limit { throw RenderError.tooLong(path: url.path, seconds: seconds, limit: limit) }
        let fontPath = try SoundFontLocator.resolve(options.string("soundfont"))
        let settings = SynthesisSettings(soundFontPath: fontPath, options: options, defaultThreads: context.synthesisThreads)
        let schedule = SynthSchedule(performance: performance, sampleRate: settings.sampleRate)
        try Self.checkSpace(frames: schedule.endFrame, format: format, for: url)
        let engine = try FluidSynthEngine(settings: settings, shelf: context.soundFonts)
        let cancellation = context.cancellation
        let shownPath = url.path
        let progress = context.progress
        let expectedFrames = max(1, schedule.endFrame)

        // Pass 1: synthesize, measure and keep the mix.
        let spool = AudioSpool(folder: url.deletingLastPathComponent(), reportingAs: shownPath, memory: context.mixMemory)
        let inputMeter = try LoudnessMeter(sampleRate: settings.sampleRate, truePeak: false, blockPeaks: true)
        // The mix is synthesized straight into the spool's memory while it fits there.
        _ = try engine.render(schedule, target: { spool.memory(at: $0, count: $1) }) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: shownPath) }
            inputMeter.add(l, r, n)
            try spool.append(l, r, n)
            progress?(min(1, Double(spool.frames) / Double(expectedFrames)) * 0.85)
        }
        let input = inputMeter.measurement()
        let master = MasterSettings(options: options)
        let chain = MasterChain(settings: master, sampleRate: settings.sampleRate)

        let gain = try Self.gain(for: spool, input: input, chain: chain, cancellation: cancellation, path: shownPath,
                                 forecast: LimiterForecast(meter: inputMeter))

        // Pass 2: gain and limiter, dither and write; the output is measured as written.
        let written = try Self.writeMastered(spool, input: input, chain: chain, gain: gain.decibels, to: url, format: format,
                                             compression: compression, options: options, context: context,
                                             checkingLoudness: gain.checkOutput) { done in
            progress?(0.85 + 0.15 * min(1, Double(done) / Double(max(1, spool.frames))))
        }
        let frames = written.frames
        var summary = RenderSummary(path: url.path, renderer: rendererName, frames: frames, sampleRate: settings.sampleRate,
                                    musicFrames: min(frames, schedule.endFrame), peak: Double(written.peak))
        summary.synthInstances = engine.instanceCount
        summary.instanceFrames = engine.instanceFrames
        summary.master = written.report
        summary.blockEnergies = written.blockEnergies
        return summary
    }

    /// Frames per block handed from the master chain to the encoding thread.
    static let pipelineBlock = 16_384

    /// What ``writeMastered(_:input:chain:gain:to:format:compression:options:context:recordingEnvelope:written:)`` wrote.
    struct MasteredFile {
        /// Frames written.
        var frames: Int
        /// Largest absolute sample written (before integer quantisation).
        var peak: Float
        /// What the master stage did.
        var report: MasterReport
        /// The total gain of each frame, when recorded (for stems); empty otherwise.
        var envelope: [Float]
        /// The K-weighted energy of every 100 ms block of the file's audio (``LoudnessMeter/blockEnergyList``).
        var blockEnergies: [Double] = []
    }

    /// Pass 2 of every audio render: the spooled mix through the master chain (gain and true-peak limiter), dithered and
    /// written atomically to `url`, measured again as written, then tagged (WAV's INFO chunk on closing; FLAC's and Ogg
    /// Vorbis's comments rewritten with the measured loudness, see ``AudioFileTagger``). `written` hears the frames
    /// written so far.
    ///
    /// `gain` comes from ``gain(for:input:chain:cancellation:path:forecast:)``: made up for the limiter already, or,
    /// with `checkingLoudness`, not yet: then the file's loudness as written is compared with the target, and where the
    /// limiter took 0.1 LU or more the file is written again at the corrected gain (the correction
    /// ``gain(for:input:chain:cancellation:path:forecast:)`` makes from its evaluation pass, made from the file instead).
    static func writeMastered(_ spool: AudioSpool, input: LoudnessMeasurement, chain: MasterChain, gain: Double, to url: URL,
                              format: AudioFileFormat, compression: Double?, options: ResolvedRenderOptions,
                              context: RenderContext, recordingEnvelope: Bool = false, checkingLoudness: Bool = false,
                              written: @escaping (Int) -> Void = { _ in }) throws -> MasteredFile {
        let shown = url.path
        let cancellation = context.cancellation
        var result = MasteredFile(frames: 0, peak: 0, report: MasterReport(input: input, gainDecibels: gain, output: input, limiterReduction: 0),
                                  envelope: [])
        let description = context.tags?.title ?? ""
        try AtomicFileWriter(destination: url, overwrite: context.overwrite).write { temp in
            var gain = gain
            var checking = checkingLoudness
            while true {
                var stream = MasterStream(chain: chain, gainDecibels: gain, recordingEnvelope: recordingEnvelope)
                let outputMeter = try LoudnessMeter(sampleRate: chain.sampleRate, statistics: format.container == .wav)
                let writer = try SoundFileWriter(path: temp.path, format: format, sampleRate: chain.sampleRate,
                                                 compression: compression, dither: options.flag("dither") ?? true, reportingAs: shown)
                // WAV: the bext chunk is sized before the first write and filled with the measured loudness at the end.
                if format.container == .wav { writer.setBroadcastInfo(description: description, measured: nil) }
                if let tags = context.tags { writer.reserveTagRoom(for: tags) }
                var peak: Float = 0
                // Encoding and metering run on their own thread (``SinkPipeline``), one block behind the master chain.
                let pipeline = SinkPipeline(capacity: Self.pipelineBlock) { l, r, n in
                    peak = SamplePeak.largest(l, r, count: n, from: peak)
                    // The output is measured as the file holds it: after dither, rounding and clipping.
                    try writer.write(l, r, n) { ql, qr, count in outputMeter.add(ql, qr, count) }
                    written(writer.frames)
                }
                defer { try? pipeline.finish() }
                try Self.master(spool, through: &stream, to: pipeline, cancellation: cancellation, path: shown)
                try pipeline.finish()
                let output = outputMeter.measurement()
                if checking {
                    checking = false
                    if let corrected = try correctedGain(gain, measured: output, lowestLimiterGain: stream.lowestLimiterGain,
                                                         spool: spool, chain: chain, cancellation: cancellation, path: shown) {
                        // This take is dropped: the file is written again from the start.
                        try writer.close()
                        unlink(temp.path)
                        gain = corrected
                        continue
                    }
                }
                let report = MasterReport(input: input, gainDecibels: gain, output: output,
                                          limiterReduction: -20 * log10(Double(max(stream.lowestLimiterGain, 1e-9))))
                // WAV keeps its strings in a RIFF INFO chunk libsndfile writes on closing, the loudness in its bext chunk.
                if format.container == .wav {
                    guard writer.setBroadcastInfo(description: description, measured: report.output) else {
                        throw RenderError.writeFailed(path: shown, reason: "libsndfile refused the broadcast (bext) chunk")
                    }
                    if let tags = context.tags { writer.setTags(tags.completed(with: report)) }
                }
                try writer.close()
                try AudioFileTagger.finish(temp.path, container: format.container, tags: context.tags?.completed(with: report), reportingAs: shown)
                result = MasteredFile(frames: writer.frames, peak: peak, report: report, envelope: stream.envelope,
                                      blockEnergies: outputMeter.blockEnergyList)
                return
            }
        }
        return result
    }

    /// The gain to write a file at again, when the file written at `gain` (its loudness `measured`, the limiter's
    /// lowest gain `lowestLimiterGain`) misses the chain's target by 0.1 LU or more because the limiter acted; nil when
    /// it stands. A miss of over 1 LU is checked by one evaluation pass at the corrected gain, and corrected once more
    /// where that misses too. The one rule for a written file and for ``gain(for:input:chain:cancellation:path:forecast:)``'s
    /// evaluation pass.
    static func correctedGain(_ gain: Double, measured: LoudnessMeasurement, lowestLimiterGain: Float, spool: AudioSpool,
                              chain: MasterChain, cancellation: Cancellation, path: String) throws -> Double? {
        guard lowestLimiterGain < 1, measured.isMeasurable, let target = chain.settings.loudness else { return nil }
        let deficit = target - measured.integrated
        guard abs(deficit) >= 0.1 else { return nil }
        var corrected = gain + deficit
        if abs(deficit) > 1 {
            let (again, lowest) = try evaluate(spool, chain: chain, gain: corrected, cancellation: cancellation, path: path)
            if lowest < 1, again.isMeasurable, abs(target - again.integrated) >= 0.1 { corrected += target - again.integrated }
        }
        return corrected
    }

    /// The gain in dB that brings the spooled mix (measured as `input`) to the chain's target. Where the limiter may
    /// act, the limited mix is measured and the gain corrected by what the limiter took (a second correction only when
    /// the first was large). The limiter cannot act where the mix's true peak plus the gain stays 0.5 dB under its
    /// threshold (the slack covers the difference between its 12-tap detector and the 48-tap meter), the common case:
    /// then no extra pass is made. The true peak is measured (a pass of ``TruePeakMeter`` over the spool) only where
    /// the sample peak and the forecast below leave it open.
    ///
    /// With a `forecast` of the mix's blocks (``LimiterForecast``) that gives the limiter under 0.15 LU, none of that is
    /// done: the plain gain is returned with ``GainChoice/checkOutput`` set, and the written file's own measurement
    /// confirms it (``writeMastered(_:input:chain:gain:to:format:compression:options:context:recordingEnvelope:checkingLoudness:written:)``).
    static func gain(for spool: AudioSpool, input: LoudnessMeasurement, chain: MasterChain, cancellation: Cancellation,
                     path: String, forecast: LimiterForecast? = nil) throws -> GainChoice {
        let master = chain.settings
        var gain = master.gainDecibels(for: input)
        guard master.loudness != nil, master.fixedGain == nil, input.isMeasurable else {
            return GainChoice(decibels: gain, checkOutput: false)
        }
        let threshold = master.truePeak - TruePeakLimiter.marginDecibels - 0.5
        let overshoot = 20 * log10(Double(TruePeakMeter.overshoot))
        if input.samplePeak + overshoot + gain <= threshold { return GainChoice(decibels: gain, checkOutput: false) }
        if let forecast, forecast.loudnessLoss(gainDecibels: gain, ceilingDBTP: master.truePeak) < LimiterForecast.writeFirstBelow {
            return GainChoice(decibels: gain, checkOutput: true)
        }
        if try input.samplePeak + gain > threshold || truePeak(of: spool) + gain > threshold {
            let (measured, lowest) = try evaluate(spool, chain: chain, gain: gain, cancellation: cancellation, path: path)
            if let corrected = try correctedGain(gain, measured: measured, lowestLimiterGain: lowest, spool: spool, chain: chain,
                                                 cancellation: cancellation, path: path) {
                gain = corrected
            }
        }
        return GainChoice(decibels: gain, checkOutput: false)
    }

    /// The gain a render's mix is written at, and whether the file must be measured against the loudness target once
    /// written (the limiter may act, and its loss has not been made up for).
    struct GainChoice: Equatable {
        /// Gain in dB.
        var decibels: Double
        /// Whether the written file's loudness decides if it stands (see ``correctedGain(_:measured:lowestLimiterGain:spool:chain:cancellation:path:)``).
        var checkOutput: Bool
    }

    /// The true peak of the spooled mix in dBTP (``TruePeakMeter``).
    static func truePeak(of spool: AudioSpool) throws -> Double {
        var meter = TruePeakMeter()
        try spool.replay { l, r, n in meter.add(l, r, n) }
        return LoudnessMeter.decibels(Double(meter.finish()))
    }

    /// The loudness of the mastered spool at `gain` without writing it, and the limiter's lowest gain.
    static func evaluate(_ spool: AudioSpool, chain: MasterChain, gain: Double, cancellation: Cancellation,
                         path: String) throws -> (LoudnessMeasurement, Float) {
        let meter = try LoudnessMeter(sampleRate: chain.sampleRate, truePeak: false)
        var stream = MasterStream(chain: chain, gainDecibels: gain)
        // The meter runs on its own thread, one block behind the master chain.
        let pipeline = SinkPipeline(capacity: pipelineBlock) { l, r, n in meter.add(l, r, n) }
        defer { try? pipeline.finish() }
        try master(spool, through: &stream, to: pipeline, cancellation: cancellation, path: path)
        try pipeline.finish()
        return (meter.measurement(), stream.lowestLimiterGain)
    }

    /// Plays the whole spool through `stream` into `pipeline`: each replayed block is mastered straight into the
    /// pipeline's next buffer (written once, no copy), the look-ahead's last frames after it; stops with
    /// ``RenderError/cancelled(path:)`` once `cancellation` is set.
    static func master(_ spool: AudioSpool, through stream: inout MasterStream, to pipeline: SinkPipeline,
                       cancellation: Cancellation, path: String) throws {
        try spool.replay(block: pipelineBlock) { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: path) }
            let (bl, br) = try pipeline.next()
            pipeline.emit(stream.process(l, r, n, into: bl, br))
        }
        try stream.finish(emit: handOver(to: pipeline, cancellation: cancellation, path: path))
    }

    /// A block consumer that copies each block into `pipeline`'s buffers (in pieces of at most ``pipelineBlock``
    /// frames) and hands it over; it stops with ``RenderError/cancelled(path:)`` once `cancellation` is set.
    static func handOver(to pipeline: SinkPipeline, cancellation: Cancellation, path: String)
        -> (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void {
        return { l, r, n in
            if cancellation.isCancelled { throw RenderError.cancelled(path: path) }
            var done = 0
            while done < n {
                let m = min(pipelineBlock, n - done)
                let (bl, br) = try pipeline.next()
                bl.update(from: l + done, count: m)
                br.update(from: r + done, count: m)
                pipeline.emit(m)
                done += m
            }
        }
    }

    /// Refuses at once a render whose files cannot fit beside `url`, rather than after minutes of synthesis: the
    /// spooled mix's share beyond what stays in memory (32-bit float stereo) plus, for WAV, the file itself (its size is
    /// known from `frames`, the music's length without its release tail; FLAC's and Ogg's are not, and a full disk stops
    /// their writing with the same error).
    static func checkSpace(frames: Int, format: AudioFileFormat, for url: URL) throws(RenderError) {
        let folder = url.deletingLastPathComponent()
        guard let free = FreeSpace.bytes(inFolder: folder) else { return }
        var needed = frames > AudioSpool.defaultMemoryLimitFrames ? frames * 8 : 0
        if format.container == .wav {
            let bytesPerSample: Int
            switch format.encoding {
            case .pcm16: bytesPerSample = 2
            case .pcm24: bytesPerSample = 3
            case .float32, .vorbis: bytesPerSample = 4
            }
            needed += frames * 2 * bytesPerSample
        }
        if needed > free {
            let mb = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_000_000) }
            throw .writeFailed(path: url.path, reason: "no space left on device (about \(mb(needed)) needed, \(mb(free)) free)")
        }
    }
}
