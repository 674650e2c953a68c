import ArgumentParser
import Dispatch
import Foundation
import Learning
import MIDI
import Plotting
import Support

/// `tunesmith train`: trains a model on a folder of MIDI files.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on a folder of MIDI files (the paper's LSTM by default).",
        discussion: """
        Songs are split into training and validation sets; the best epoch's weights are written to the model, \
        a loss-curve SVG beside it and a MODEL.checkpoint for --resume. Ctrl-C saves the checkpoint and exits.
        """
    )

    @Option(help: "Folder of MIDI files (searched recursively).") var corpus: String?
    @Option(help: "Train on a sharded corpus (a folder from tunesmith shard-corpus) streamed from disk instead of --corpus; each MPI rank reads only its shards.") var shards: String?
    @Option(help: "With --shards: stop each epoch after this many batches.") var maxBatches: Int?
    @Option(name: .shortAndLong, help: "Output model file (required unless --export-features).") var output: String?
    @Option(help: "Architecture: paper (the paper's regression LSTM), categorical (LSTM(256), look-back 32, softmax pitch head, rich input), deep (2 x LSTM(256)) or stateful (2 x LSTM(256) trained over whole songs by truncated BPTT).") var architecture = "paper"
    @Option(help: "Stacked LSTM layers (categorical/deep only).") var layers: Int?
    @Option(help: "Units per LSTM layer (categorical/deep only).") var units: Int?
    @Option(help: "Input notes per prediction (categorical/deep only).") var lookBack: Int?
    @Option(help: "Velocity and timing of categorical/deep: regression (velocity and time delta in seconds, MSE) or categorical (velocity, time step and note length as classes of 1/24 beat, reading the metre).") var timing = "regression"
    @Option(help: "With --timing categorical: weight of the velocity, time-step and length cross-entropies (the pitch's is 1).") var timingWeight = 0.5
    @Option(help: "Weight of the expected musical note loss added to the cross-entropy (categorical/deep only).") var musicalPenalty = 0.0
    @Option(help: "Epochs to train (total, including resumed ones).") var epochs = 20
    @Option(help: "Mini-batch size.") var batchSize = 32
    @Option(help: "Learning rate (default 0.001 for adam, 0.01 for sgd).") var learningRate: Double?
    @Option(help: "Optimiser: sgd (with momentum 0.9) or adam.") var optimizer = "adam"
    @Option(help: "Fraction of songs held out for validation.") var validation = 0.1
    @Option(help: "Random seed (initialisation, split, shuffling).") var seed: UInt64 = 1
    @Option(help: "Seed of the initial weights alone (the split and shuffling follow --seed).") var initSeed: UInt64?
    @Option(help: "Resume from a checkpoint (MODEL.checkpoint).") var resume: String?
    @Option(help: "Note loss: musical (default, Fourier), polynomial (the paper's literal fit) or mse.") var noteLoss = "musical"
    @Option(help: "Stop after this many epochs without validation improvement (0: never).") var patience = 5
    @Option(help: "Validation loss that picks the best epoch and stops early: total (the optimised loss), pitch (the pitch term alone) or accuracy (next-note top-1, higher is better).") var monitor = "total"
    @Option(help: "Multiply the learning rate by this factor after every epoch, in (0, 1] (1: constant).") var learningRateDecay = 1.0
    @Option(help: "Read at most this many files of the corpus.") var limit: Int?
    @Option(help: "Dropout rate on LSTM-layer outputs during training, in [0, 1) (0: none).") var dropout = 0.0
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Cut each batch into this many fixed parts, computed apart (one thread each; split between the ranks under mpirun or srun) and summed exactly in fixed point: the model depends on the parts, not on the number of ranks or threads (default: 4 under MPI, else off: today's split between threads).") var batchParts: Int?
    @Option(help: "Only write the split, scaled features and loss as JSON to this file (for the Keras benchmark), then exit.") var exportFeatures: String?
    @Option(help: "Stateful only: notes per chunk of truncated back-propagation through time (state is carried between chunks; default 64).") var chunk: Int?
    @Option(help: "Stateful only: transpose each training song per epoch by up to this many semitones either way (0: none).") var transpose = 0
    @Option(help: "Stateful only: stream the songs from this pre-encoded cache file (built from the corpus when missing or built from another corpus), so memory stays bounded.") var cache: String?
    @Option(help: "Stateful only: cut training songs longer than this many notes into segments, so a few very long songs do not make long runs of steps on one kind of music (validation scores whole songs; default: whole songs).") var segment: Int?
    @Flag(help: "Stateful only: learn a style input from the corpus's top-level folders (chorales, folk, ...).") var styles = false
    @Flag(help: "Categorical, deep and stateful: add each note's key as a one-hot of 128 to the input (the first layer learns a vector per key).") var pitchOneHot = false
    @Flag(help: "Stateful: add the pitch the song's motif memory proposes for the next note (what followed the latest notes when they were last played) as a one-hot of 128 to the input.") var recall = false
    @Flag(help: "Include the drum channel (10) in the features.") var includeDrums = false
    @Flag(help: "Overwrite existing outputs.") var force = false

    func run() throws {
        guard let preset = ArchitecturePreset(rawValue: architecture) else {
            throw CommandFailure("unknown architecture '\(architecture)' (available: \(ArchitecturePreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if preset != .stateful && (chunk != nil || transpose != 0 || styles || cache != nil || segment != nil || recall) {
            throw CommandFailure("--chunk, --transpose, --styles, --cache, --segment and --recall apply to --architecture stateful")
        }
        if preset == .paper && pitchOneHot { throw CommandFailure("--pitch-one-hot applies to categorical, deep and stateful, not paper") }
        if let v = segment, v < 2 { throw CommandFailure("--segment must be 2 notes or more") }
        if let v = chunk, !(1...1024).contains(v) { throw CommandFailure("--chunk must be in 1 ... 1024") }
        if preset == .stateful && lookBack != nil { throw CommandFailure("a stateful model has no look-back window: use --chunk for its training chunk length") }
        guard (0...24).contains(transpose) else { throw CommandFailure("--transpose must be in 0 ... 24 semitones") }
        let size = ArchitecturePreset.Size(layers: layers, units: units, lookBack: lookBack ?? chunk)
        guard let timingHead = TimingHead(rawValue: timing) else { throw CommandFailure("unknown timing '\(timing)' (regression or categorical)") }
        if preset == .paper && timingHead != .regression { throw CommandFailure("--timing categorical applies to categorical and deep, not paper") }
        if preset == .paper && !size.isEmpty { throw CommandFailure("--layers, --units and --look-back apply to categorical and deep, not paper") }
        if let v = layers, !(1...8).contains(v) { throw CommandFailure("--layers must be in 1 ... 8") }
        if let v = units, !(1...2048).contains(v) { throw CommandFailure("--units must be in 1 ... 2048") }
        if let v = lookBack, !(1...1024).contains(v) { throw CommandFailure("--look-back must be in 1 ... 1024") }
        guard musicalPenalty >= 0, musicalPenalty.isFinite else { throw CommandFailure("--musical-penalty must be 0 or more") }
        guard timingWeight > 0, timingWeight <= 100, timingWeight.isFinite else { throw CommandFailure("--timing-weight must be in (0, 100]") }
        guard let opt = OptimizerKind(rawValue: optimizer) else { throw CommandFailure("unknown optimizer '\(optimizer)' (sgd or adam)") }
        guard let mode = NoteLossMode(rawValue: noteLoss) else { throw CommandFailure("unknown note loss '\(noteLoss)' (musical, polynomial or mse)") }
        guard epochs > 0, batchSize > 0 else { throw CommandFailure("--epochs and --batch-size must be positive") }
        guard (0..<1).contains(validation) else { throw CommandFailure("--validation must be in [0, 1)") }
        guard (0..<1).contains(dropout) else { throw CommandFailure("--dropout must be in [0, 1) (got \(dropout))") }
        guard output != nil || exportFeatures != nil else { throw CommandFailure("missing -o MODEL (the output model file)") }
        guard (corpus == nil) != (shards == nil) else { throw CommandFailure("give either --corpus DIR or --shards DIR") }
        if let m = maxBatches, m < 1 { throw CommandFailure("--max-batches must be 1 or more") }
        if shards != nil, exportFeatures != nil || resume != nil { throw CommandFailure("--shards does not go with --export-features or --resume") }
        var o = TrainingOptions(corpus: URL(fileURLWithPath: corpus ?? shards ?? ""), output: URL(fileURLWithPath: output ?? "unused.tsm"))
        o.epochs = epochs
        o.batchSize = batchSize
        o.optimizer = opt
        o.learningRate = learningRate ?? (opt == .sgd ? 0.01 : 0.001)
        guard o.learningRate > 0, o.learningRate.isFinite else { throw CommandFailure("--learning-rate must be positive") }
        o.validation = validation
        o.seed = seed
        o.initSeed = initSeed
        o.resume = resume.map { URL(fileURLWithPath: $0) }
        o.noteLoss = mode
        o.patience = patience > 0 ? patience : nil
        guard let monitored = ValidationMonitor(rawValue: monitor) else { throw CommandFailure("unknown monitor '\(monitor)' (total, pitch or accuracy)") }
        o.monitor = monitored
        guard learningRateDecay > 0, learningRateDecay <= 1 else { throw CommandFailure("--learning-rate-decay must be in (0, 1]") }
        o.learningRateDecay = learningRateDecay
        o.features = FeatureConfiguration(includeDrums: includeDrums, encoding: preset.encoding(timing: timingHead))
        o.architecture = preset.architecture(size, timing: timingHead)
        if pitchOneHot || recall, var e = o.features.encoding {
            e.pitchOneHot = e.pitchOneHot || pitchOneHot
            e.recall = recall
            o.features.encoding = e
            o.architecture.inputWidth = o.features.inputWidth
        }
        o.musicalPenalty = musicalPenalty
        o.timingWeight = timingWeight
        o.dropout = dropout
        o.styles = styles
        o.transpose = transpose
        o.segment = segment
        o.cache = cache.map { URL(fileURLWithPath: $0) }
        o.fileLimit = limit
        o.overwrite = force
        if let threads { o.threads = max(1, threads) }

        if let exportFeatures {
            let n = try FeatureExport.write(options: o, to: URL(fileURLWithPath: exportFeatures))
            StandardStream.write("wrote \(exportFeatures): \(n.trainingSamples) training, \(n.validationSamples) validation samples\n", to: StandardStream.output)
            return
        }

        // Ctrl-C / SIGTERM: ask the trainer to stop between batches; it saves a checkpoint and `tunesmith` exits 130.
        let stop = StopFlag()
        let handlers = InterruptHandling.install { stop.set() }
        defer { handlers.forEach { $0.cancel() } }

        let launch = try DataParallelLaunch.start(batchParts: batchParts)
        o.dataParallel = launch.split
        let tty = isatty(StandardStream.error) != 0 && launch.isLeader
        var lastDraw = 0.0
        var samplesPerEpoch = 0
        let session = TrainingSession(options: o)
        let sharded = shards.map { ShardedTrainingSession(options: ShardedTrainingOptions(cache: URL(fileURLWithPath: $0), training: o, maxBatches: maxBatches)) }
        do {
            let summary = try launch.run { try sharded?.run(events: { event in
                guard launch.isLeader else { return }
                Self.report(event, epochs: o.epochs, tty: tty, lastDraw: &lastDraw)
            }, stop: stop) ?? session.run(events: { event in
                guard launch.isLeader else { return }  // rank 0 speaks for the job
                switch event {
                case .corpusLoaded(let songs, let failures):
                    for f in failures { StandardStream.write("warning: skipped \(f.message)\n", to: StandardStream.error) }
                    StandardStream.write("read \(songs) songs (\(failures.count) unreadable)\n", to: StandardStream.output)
                case .split(let ts, let vs, let tn, let vn):
                    samplesPerEpoch = tn
                    StandardStream.write("training on \(ts) songs (\(TrainingReport.grouped(Double(tn))) samples), validating on \(vs) songs (\(TrainingReport.grouped(Double(vn))) samples)\n", to: StandardStream.output)
                case .resumed(let e):
                    StandardStream.write("resuming after epoch \(e)\n", to: StandardStream.output)
                case .batch(let p):
                    guard tty else { return }
                    let now = Date().timeIntervalSince1970
                    if now - lastDraw > 0.2 || p.batch == p.batchCount {
                        lastDraw = now
                        StandardStream.write("\r\u{1B}[2K" + TrainingReport.progressBar(p, epochs: o.epochs, samplesPerEpoch: samplesPerEpoch), to: StandardStream.error)
                    }
                case .epoch(let r, let improved):
                    if tty { StandardStream.write("\r\u{1B}[2K", to: StandardStream.error) }
                    StandardStream.write(TrainingReport.epochLine(r, epochs: o.epochs, improved: improved) + "\n", to: StandardStream.output)
                case .earlyStop(let e, let best):
                    StandardStream.write("early stop after epoch \(e): no validation improvement since epoch \(best)\n", to: StandardStream.output)
                case .interrupted:
                    if tty { StandardStream.write("\r\u{1B}[2K", to: StandardStream.error) }
                }
            }, stop: stop) }
            guard launch.isLeader else { return }
            try Self.writeLossCurve(summary, overwrite: o.overwrite)
            let kept = shards == nil ? "; checkpoint \(summary.checkpoint.path)" : ""
            StandardStream.write("wrote \(summary.model.path) (best epoch \(summary.bestEpoch)), \(summary.lossCurve.path)\(kept)\n", to: StandardStream.output)
        } catch let e as TrainingSessionError where e.isInterruption {
            if tty { StandardStream.write("\r\u{1B}[2K", to: StandardStream.error) }
            throw e
        }
    }
}

extension Train {
    /// Prints an event of a run on a sharded corpus (rank 0).
    static func report(_ event: TrainingEvent, epochs: Int, tty: Bool, lastDraw: inout Double) {
        switch event {
        case .split(let songs, _, let samples, _):
            StandardStream.write("streaming \(TrainingReport.grouped(Double(songs))) songs (\(TrainingReport.grouped(Double(samples))) samples) from the sharded corpus\n", to: StandardStream.output)
        case .batch(let p):
            let now = Date().timeIntervalSince1970
            guard tty, now - lastDraw > 0.2 || p.batch == p.batchCount else { return }
            lastDraw = now
            StandardStream.write("\r\u{1B}[2K" + TrainingReport.progressBar(p, epochs: epochs, samplesPerEpoch: 0), to: StandardStream.error)
        case .epoch(let r, _):
            if tty { StandardStream.write("\r\u{1B}[2K", to: StandardStream.error) }
            StandardStream.write(TrainingReport.epochLine(r, epochs: epochs, improved: false) + "\n", to: StandardStream.output)
        default:
            break
        }
    }

    /// Draws a finished run's loss curve (Learning's numbers, Plotting's chart) to its SVG beside the model.
    static func writeLossCurve(_ summary: TrainingSummary, overwrite: Bool) throws {
        let curve = summary.curve
        let chart = LineChart.lossCurve(title: curve.title, training: curve.training.map { ($0.epoch, $0.loss) },
                                        validation: curve.validation.map { ($0.epoch, $0.loss) })
        try AtomicFileWriter(destination: summary.lossCurve, overwrite: overwrite).write(Array(chart.render().utf8))
    }
}
