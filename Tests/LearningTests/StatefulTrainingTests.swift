import Foundation
import TestSupport
import XCTest
@testable import Learning

/// Stateful training (truncated back-propagation through time over whole songs): exact truncated gradients against
/// finite differences, state carried between chunks equal to one long pass and to the batch-1 stepper, every note a
/// target once per epoch, reproducible and resumable runs.
final class StatefulTrainingTests: XCTestCase {
    /// Two stacked LSTMs returning sequences and a dense head on every step: the stateful shape.
    func architecture(chunk: Int, inputWidth: Int = 3, output: Int = 3) -> Architecture {
        var a = Architecture(name: "stateful", lookBack: chunk, inputWidth: inputWidth, layers: [
            .lstm(units: 5, returnSequences: true), .lstm(units: 4, returnSequences: true), .dense(units: output, activation: .linear),
        ])
        a.stateful = true
        return a
    }

    /// Runs songs of the given frame counts (time-major rows `input[t][row]`) through `worker` chunk by chunk, as the
    /// trainer does (rows sorted longest first, songs that end leave the batch); returns each chunk's output rows.
    func runChunks<T: NeuralScalar>(_ worker: NetworkWorker<T>, parameters: [T], songs: [[T]], width: Int, chunk: Int) -> [[T]] {
        let lengths = songs.map { $0.count / width }
        var outputs: [[T]] = []
        var c = 0
        while c * chunk < lengths[0] {
            let from = c * chunk
            let active = lengths.prefix { $0 > from }.count
            if c == 0 { worker.resetState(batch: active) } else { worker.carryState(keeping: active) }
            let steps = min(chunk, lengths[0] - from)
            for t in 0..<steps {
                for r in 0..<active {
                    for f in 0..<width {
                        worker.input[(t * active + r) * width + f] = from + t < lengths[r] ? songs[r][(from + t) * width + f] : 0
                    }
                }
            }
            parameters.withUnsafeBufferPointer { worker.forwardChunk(parameters: $0.baseAddress!, batch: active, steps: steps, dropout: nil) }
            let ow = worker.architecture.outputWidth
            outputs.append(Array(UnsafeBufferPointer(start: worker.output, count: steps * active * ow)))
            c += 1
        }
        return outputs
    }

    /// The gradient of a chunk's loss, with the state it starts from held fixed (the truncation), matches central
    /// finite differences in double precision; rows of a song that ends inside the chunk count only up to its end.
    func testTruncatedGradientMatchesFiniteDifferences() {
        let chunk = 4, batch = 3, width = 3
        let arch = architecture(chunk: chunk)
        var g = SeededGenerator(seed: 11)
        var net = Network<Double>(architecture: arch, generator: &g)
        for i in net.parameters.indices { net.parameters[i] += 0.1 * (g.nextUnit() - 0.5) }
        let base = net.parameters
        let worker = NetworkWorker<Double>(architecture: arch, maxBatch: batch)
        // Chunk 1: 3 songs of 4 steps; chunk 2: two songs go on, for 4 and 2 more steps.
        let first = (0..<(chunk * batch * width)).map { _ in g.nextNormal() }
        let second = (0..<(chunk * 2 * width)).map { _ in g.nextNormal() }
        let targets = (0..<(chunk * 2 * width)).map { _ in g.nextNormal() }
        let loss = FeatureLoss(mode: .musical, noteScale: 4)
        let valid = [4, 2]

        func secondChunk(_ params: [Double], gradient: Bool) -> Double {
            worker.resetState(batch: batch)
            for i in 0..<first.count { worker.input[i] = first[i] }
            base.withUnsafeBufferPointer { worker.forwardChunk(parameters: $0.baseAddress!, batch: batch, steps: chunk, dropout: nil) }
            worker.carryState(keeping: 2)
            for i in 0..<second.count { worker.input[i] = second[i]; worker.target[i] = targets[i] }
            return params.withUnsafeBufferPointer { p in
                worker.forwardChunk(parameters: p.baseAddress!, batch: 2, steps: chunk, dropout: nil)
                let l = Trainer.chunkLoss(loss, worker: worker, targets: valid, steps: chunk, width: width, normalizer: 6, gradient: gradient)
                if gradient {
                    worker.zeroGradients()
                    worker.backwardChunk(parameters: p.baseAddress!, batch: 2, steps: chunk)
                }
                return l.total
            }
        }
        _ = secondChunk(base, gradient: true)
        let analytic = (0..<net.parameterCount).map { worker.gradients[$0] }
        XCTAssertGreaterThan(analytic.map(abs).max()!, 1e-4, "the gradient is not trivially zero")
        var worst = 0.0, worstName = ""
        let h = 1e-6
        for t in net.layout.tensors {
            for k in 0..<t.count {
                let i = t.offset + k
                var plus = base, minus = base
                plus[i] += h; minus[i] -= h
                let numeric = (secondChunk(plus, gradient: false) - secondChunk(minus, gradient: false)) / (2 * h)
                let err = abs(numeric - analytic[i]) / max(1e-3, abs(numeric) + abs(analytic[i]))
                if err > worst { worst = err; worstName = "\(t.name)[\(k)] numeric \(numeric) analytic \(analytic[i])" }
            }
        }
        XCTAssertLessThan(worst, 1e-5, "worst gradient mismatch: \(worstName)")
    }

    /// With a chunk as long as the song, truncated BPTT is full BPTT: the gradient of the whole song's loss matches
    /// finite differences through every step.
    func testWholeSongGradientMatchesFiniteDifferences() {
        let steps = 6, width = 3
        let arch = architecture(chunk: steps)
        var g = SeededGenerator(seed: 3)
        let net = Network<Double>(architecture: arch, generator: &g)
        let worker = NetworkWorker<Double>(architecture: arch, maxBatch: 2)
        let input = (0..<(steps * 2 * width)).map { _ in g.nextNormal() }
        let target = (0..<(steps * 2 * width)).map { _ in g.nextNormal() }
        let loss = FeatureLoss(mode: .mse, noteScale: 1)
        func run(_ params: [Double], gradient: Bool) -> Double {
            worker.resetState(batch: 2)
            for i in 0..<input.count { worker.input[i] = input[i]; worker.target[i] = target[i] }
            return params.withUnsafeBufferPointer { p in
                worker.forwardChunk(parameters: p.baseAddress!, batch: 2, steps: steps, dropout: nil)
                let l = Trainer.chunkLoss(loss, worker: worker, targets: [6, 5], steps: steps, width: width, normalizer: 11, gradient: gradient)
                if gradient { worker.zeroGradients(); worker.backwardChunk(parameters: p.baseAddress!, batch: 2, steps: steps) }
                return l.total
            }
        }
        _ = run(net.parameters, gradient: true)
        let analytic = (0..<net.parameterCount).map { worker.gradients[$0] }
        var worst = 0.0
        for i in 0..<net.parameterCount {
            var plus = net.parameters, minus = net.parameters
            plus[i] += 1e-6; minus[i] -= 1e-6
            let numeric = (run(plus, gradient: false) - run(minus, gradient: false)) / 2e-6
            worst = max(worst, abs(numeric - analytic[i]) / max(1e-3, abs(numeric) + abs(analytic[i])))
        }
        XCTAssertLessThan(worst, 1e-5)
    }

    /// State carried from chunk to chunk gives the outputs of one pass over the whole song, and those of the batch-1
    /// stepper fed one note at a time (what generation does with a stateful model).
    func testStateCarriesAcrossChunks() {
        let width = 3
        let long = architecture(chunk: 12), short = architecture(chunk: 5)
        let net = Network<Float>(architecture: long, seed: 4)
        var g = SeededGenerator(seed: 8)
        let songs: [[Float]] = [12, 9, 3].map { n in (0..<(n * width)).map { _ in Float(g.nextNormal()) } }
        let whole = runChunks(NetworkWorker<Float>(architecture: long, maxBatch: 3), parameters: net.parameters, songs: songs, width: width, chunk: 12)[0]
        let chunks = runChunks(NetworkWorker<Float>(architecture: short, maxBatch: 3), parameters: net.parameters, songs: songs, width: width, chunk: 5)
        let ow = long.outputWidth
        let lengths = [12, 9, 3]
        let stepper = NetworkStepper(network: net)
        for (r, n) in lengths.enumerated() {
            stepper.reset()
            for t in 0..<n {
                let expected = Array(whole[((t * 3) + r) * ow..<((t * 3) + r + 1) * ow])
                let c = t / 5, tt = t % 5
                let active = lengths.prefix { $0 > c * 5 }.count
                let got = Array(chunks[c][((tt * active) + r) * ow..<((tt * active) + r + 1) * ow])
                let stepped = stepper.step(Array(songs[r][(t * width)..<((t + 1) * width)]))
                for j in 0..<ow {
                    XCTAssertEqual(got[j], expected[j], accuracy: 1e-5, "song \(r) step \(t)")
                    XCTAssertEqual(stepped[j], expected[j], accuracy: 1e-4, "stepper, song \(r) step \(t)")
                }
            }
        }
    }

    /// Songs for trainer tests: random walks of pitches with a style each.
    func songs(_ count: Int, seed: UInt64) -> SongList {
        var g = SeededGenerator(seed: seed)
        var list: [CorpusSong] = []
        for s in 0..<count {
            var p = 60.0
            let n = 5 + Int(g.next() % 60)
            let frames = (0..<n).map { i -> FeatureFrame in
                p = min(80, max(40, p + Double(Int(g.next() % 5) - 2)))
                var f = FeatureFrame(note: p, velocity: 80, timeDelta: 0.25, duration: 0.25, program: 0)
                f.beatDelta = 0.5; f.beatDuration = 0.5; f.barPosition = Double(i % 8) / 2
                return f
            }
            list.append(CorpusSong(path: "/c/\(s % 2 == 0 ? "folk" : "chorales")/\(s).mid", frames: frames))
        }
        return SongList(songs: list, styles: (0..<count).map { $0 % 2 })
    }

    func trainer(chunk: Int, features: FeatureConfiguration, scaler: StandardScaler, threads: Int, seed: UInt64 = 2) -> Trainer {
        let arch = ArchitecturePreset.stateful.architecture(.init(layers: 1, units: 8, lookBack: chunk), timing: .regression)
        var a = arch
        a.inputWidth = features.inputWidth
        let net = Network<Float>(architecture: a, seed: seed)
        let t = Trainer(network: net, optimizer: Optimizer(kind: .adam, learningRate: 0.01, parameterCount: net.parameterCount),
                        loss: .categorical(noteMean: scaler.mean[0], noteScale: scaler.scale[0]), batchSize: 8,
                        noteScaler: (scaler.mean[0], scaler.scale[0]), threads: threads)
        t.dropout = 0.2
        t.dropoutSeed = seed
        return t
    }

    /// Every note after a song's first is a target exactly once per epoch, for any chunk length; the loss falls;
    /// the same seed gives the same weights, bit for bit.
    func testEveryNoteOnceLossFallsAndRunsRepeat() throws {
        let data = songs(40, seed: 1)
        let features = FeatureConfiguration(includeDrums: false, encoding: InputEncoding(styles: ["chorales", "folk"]))
        let scaler = StandardScaler(fitting: data.songs.map(\.frames))
        func run(chunk: Int, threads: Int, epochs: Int) throws -> ([Float], [Double]) {
            let t = trainer(chunk: chunk, features: features, scaler: scaler, threads: threads)
            var g = SeededGenerator(seed: 5)
            var losses: [Double] = []
            for e in 1...epochs {
                let r = try t.trainStatefulEpoch(data, features: features, scaler: scaler, augmentation: SongAugmentation(transpose: 3),
                                                 epoch: e, generator: &g)
                losses.append(r!.loss.total)
            }
            return (t.network.parameters, losses)
        }
        let (a, losses) = try run(chunk: 7, threads: 2, epochs: 4)
        XCTAssertLessThan(losses.last!, losses.first!, "training loss should fall: \(losses)")
        let (b, _) = try run(chunk: 7, threads: 2, epochs: 4)
        XCTAssertEqual(a, b, "the same seed gives the same weights")
        for chunk in [1, 3, 16, 100] {
            let t = trainer(chunk: chunk, features: features, scaler: scaler, threads: 2)
            var g = SeededGenerator(seed: 5)
            var last: BatchProgress?
            _ = try t.trainStatefulEpoch(data, features: features, scaler: scaler, augmentation: .none, epoch: 1, generator: &g,
                                         progress: { last = $0 })
            XCTAssertEqual(last?.samples, data.targetCount, "chunk \(chunk): every note after a song's first is a target once")
            XCTAssertEqual(last?.batch, last?.batchCount)
        }
        let eval = try trainer(chunk: 7, features: features, scaler: scaler, threads: 2).evaluateStateful(data, features: features, scaler: scaler)
        XCTAssertEqual(eval.samples, data.targetCount, "every note after a song's first is scored once")
    }

    /// A stateful batch is split between workers of 4 songs or more (a windowed one of 8 windows or more): a batch of 8
    /// songs trains on 2 workers with 2 threads, on 1 with 1 thread; each split gives its own weights, the same every run.
    func testStatefulBatchOfEightSplitsBetweenTwoWorkers() throws {
        let data = songs(24, seed: 6)
        let features = FeatureConfiguration(includeDrums: false, encoding: InputEncoding(styles: ["chorales", "folk"]))
        let scaler = StandardScaler(fitting: data.songs.map(\.frames))
        func run(threads: Int) throws -> (workers: Int, weights: [Float]) {
            let t = trainer(chunk: 5, features: features, scaler: scaler, threads: threads)
            var g = SeededGenerator(seed: 5)
            _ = try t.trainStatefulEpoch(data, features: features, scaler: scaler, augmentation: .none, epoch: 1, generator: &g)
            return (t.workers.count, t.network.parameters)
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        XCTAssertEqual(one.workers, 1)
        XCTAssertEqual(two.workers, 2)
        XCTAssertEqual(try run(threads: 2).weights, two.weights, "the same split gives the same weights")
        XCTAssertNotEqual(one.weights, two.weights, "the gradient sums of another split round differently")
        let windowed = Trainer(network: Network<Float>(architecture: ArchitecturePreset.categorical.architecture(.init(layers: 1, units: 8, lookBack: 4)), seed: 1),
                               optimizer: Optimizer(kind: .adam, learningRate: 0.01, parameterCount: 10), loss: .categorical(noteMean: 60, noteScale: 10),
                               batchSize: 8, noteScaler: (60, 10), threads: 2)
        XCTAssertEqual(windowed.workers.count, 1, "8 windows stay on one worker")
    }

    /// Long songs cut into segments keep every note after a song's first a target exactly once per epoch: segments
    /// are at most the limit long, consecutive segments share one note, and their frames put together are the song's.
    func testSegmentsKeepEveryTargetOnce() throws {
        let data = songs(40, seed: 3)
        let cut = SegmentedSongs(data, maxLength: 9)
        XCTAssertGreaterThan(cut.count, data.count, "some of the songs are longer than 9 notes")
        XCTAssertEqual(cut.targetCount, data.targetCount)
        var rebuilt: [[Double]] = Array(repeating: [], count: data.count)
        var song = 0
        for i in 0..<cut.count {
            XCTAssertLessThanOrEqual(cut.length(i), 9)
            XCTAssertGreaterThanOrEqual(cut.length(i), 2)
            let frames = try cut.frames(i).map(\.note)
            while rebuilt[song].count == data.length(song) { song += 1 }
            XCTAssertEqual(cut.style(i), data.style(song))
            rebuilt[song] += rebuilt[song].isEmpty ? frames : Array(frames.dropFirst())
        }
        for s in 0..<data.count { XCTAssertEqual(rebuilt[s], try data.frames(s).map(\.note), "song \(s) put back together") }
        let features = FeatureConfiguration(includeDrums: false, encoding: InputEncoding(styles: ["chorales", "folk"]))
        let scaler = StandardScaler(fitting: data.songs.map(\.frames))
        var g = SeededGenerator(seed: 5)
        var last: BatchProgress?
        _ = try trainer(chunk: 4, features: features, scaler: scaler, threads: 2)
            .trainStatefulEpoch(cut, features: features, scaler: scaler, augmentation: .none, epoch: 1, generator: &g, progress: { last = $0 })
        XCTAssertEqual(last?.samples, data.targetCount, "every note after a song's first is a target once")
    }

    /// The stateful evaluation scores what the batch-1 stepper predicts note by note.
    func testStatefulEvaluationMatchesTheStepper() throws {
        let data = songs(6, seed: 4)
        let features = FeatureConfiguration(includeDrums: false, encoding: InputEncoding(styles: ["chorales", "folk"]))
        let scaler = StandardScaler(fitting: data.songs.map(\.frames))
        let t = trainer(chunk: 5, features: features, scaler: scaler, threads: 1)
        let eval = try t.evaluateStateful(data, features: features, scaler: scaler)
        let model = TrainedModel(network: t.network, scaler: scaler, features: features, loss: t.loss,
                                 training: TrainingRecord(corpus: "", trainingSongs: 0, validationSongs: 0, trainingSamples: 0, epochs: 0, bestEpoch: 0,
                                                          seed: 1, optimizer: "adam", learningRate: 0.01, batchSize: 8, history: [], toolVersion: "", date: ""))
        XCTAssertTrue(model.isStateful)
        XCTAssertEqual(model.styles, ["chorales", "folk"])
        let r = NextNoteEvaluation.evaluate(.regression(model), songs: data.songs, styles: data.styles, workers: 1)
        XCTAssertEqual(r.notes, eval.samples)
        XCTAssertEqual(r.top1, eval.noteAccuracy, accuracy: 1e-9)
        XCTAssertEqual(r.pitchLoss!, eval.loss.note, accuracy: 1e-4)
    }

    /// A stateful model with styles is written as format 3 and reads back the same; windowed models keep formats 1 and 2.
    func testModelFileVersions() throws {
        func model(_ preset: ArchitecturePreset, styles: [String]) -> TrainedModel {
            var e = preset.encoding(timing: .categorical)
            e?.styles = styles
            let features = FeatureConfiguration(includeDrums: false, encoding: e)
            var a = preset.architecture(.init(layers: 1, units: 4, lookBack: 4), timing: preset == .paper ? .regression : .categorical)
            a.inputWidth = features.inputWidth
            let scaler = StandardScaler(mean: [60, 80, 0.2], scale: [10, 10, 0.2])
            let loss: FeatureLoss = preset == .paper ? FeatureLoss(mode: .musical, noteScale: 10)
                : .categorical(noteMean: 60, noteScale: 10, rhythm: RhythmHead(velocityMean: 80, velocityScale: 10, metreIndex: e!.metreIndex))
            return TrainedModel(network: Network(architecture: a, seed: 1), scaler: scaler, features: features, loss: loss,
                                training: TrainingRecord(corpus: "", trainingSongs: 0, validationSongs: 0, trainingSamples: 0, epochs: 0, bestEpoch: 0,
                                                         seed: 1, optimizer: "adam", learningRate: 0.01, batchSize: 8, history: [], toolVersion: "", date: ""))
        }
        let stateful = try model(.stateful, styles: ["chorales", "folk", "games"]).encoded()
        XCTAssertEqual(stateful[8], 3)
        let (header, blobs) = try ModelFile.decode(stateful, path: "s")
        let back = try TrainedModel.model(header: header, weights: blobs["weights"], path: "s")
        XCTAssertTrue(back.isStateful)
        XCTAssertEqual(back.styles, ["chorales", "folk", "games"])
        XCTAssertEqual(back.styleIndex(named: "Folk"), 1)
        XCTAssertEqual(try model(.deep, styles: []).encoded()[8], 2)
        XCTAssertEqual(try model(.paper, styles: []).encoded()[8], 1)
        // The committed models (formats 1 and 2) still load and step.
        for url in [TestPaths.paperModel, TestPaths.defaultModel] where FileManager.default.fileExists(atPath: url.path) {
            let m = try TrainedModel(contentsOf: url)
            let p = m.makePredictor()
            let f = FeatureFrame(note: 60, velocity: 80, timeDelta: 0.25, duration: 0.5, program: 0)
            XCTAssertTrue(p.predict(Array(repeating: f, count: p.lookBack)).note.isFinite)
        }
    }

    /// A style one-hot closes the encoded row; nil or an unknown index leaves it zero; old encodings decode without styles.
    func testStyleBlockEncoding() throws {
        let e = InputEncoding(metre: true, styles: ["chorales", "folk", "game"])
        XCTAssertEqual(e.width, InputEncoding(metre: true).width + 3)
        let scaler = StandardScaler(mean: [60, 80, 0.3], scale: [10, 10, 0.3])
        var row = [Float](repeating: 9, count: e.width)
        let f = FeatureFrame(note: 62, velocity: 80, timeDelta: 0.25, duration: 0.5, program: 0)
        row.withUnsafeMutableBufferPointer { e.encode(f, scaler: scaler, style: 2, into: $0.baseAddress!) }
        XCTAssertEqual(Array(row[e.styleIndex...]), [0, 0, 1])
        row.withUnsafeMutableBufferPointer { e.encode(f, scaler: scaler, style: nil, into: $0.baseAddress!) }
        XCTAssertEqual(Array(row[e.styleIndex...]), [0, 0, 0])
        let old = try JSONDecoder().decode(InputEncoding.self, from: Data(#"{"pitchClasses":true,"duration":true,"program":true,"metre":true}"#.utf8))
        XCTAssertEqual(old.styles, [])
        let json = String(decoding: try JSONEncoder().encode(InputEncoding(metre: true)), as: UTF8.self)
        XCTAssertFalse(json.contains("styles"), "files without styles are written as before")
        XCTAssertEqual(StyleNames.folder(of: "/c/folk/a/b.mid", corpus: URL(fileURLWithPath: "/c")), "folk")
        XCTAssertNil(StyleNames.folder(of: "/c/b.mid", corpus: URL(fileURLWithPath: "/c")))
        let names = ["chorales", "folk", "games"]
        XCTAssertEqual(StyleNames.index(of: "chorale", in: names), 0, "singular folder, plural style")
        XCTAssertEqual(StyleNames.index(of: "Games", in: names), 2)
        XCTAssertEqual(StyleNames.index(of: "folks", in: names), 1)
        XCTAssertNil(StyleNames.index(of: "jazz", in: names))
        XCTAssertNil(StyleNames.index(of: "s", in: names))
        XCTAssertEqual(StyleNames.style(of: "/c/Chorale/x.mid", corpus: URL(fileURLWithPath: "/c"), in: names), 0)
    }

    /// The key block closes the row after the styles: one 1 at the note's MIDI key (clamped to 0 ... 127), and it
    /// moves with a transposition; encodings without it decode and encode as before.
    func testKeyBlockEncoding() throws {
        let e = InputEncoding(metre: true, styles: ["chorales", "folk"], pitchOneHot: true)
        XCTAssertEqual(e.width, InputEncoding(metre: true, styles: ["chorales", "folk"]).width + 128)
        XCTAssertEqual(e.pitchIndex, e.styleIndex + 2)
        let scaler = StandardScaler(mean: [60, 80, 0.3], scale: [10, 10, 0.3])
        var row = [Float](repeating: 9, count: e.width)
        for (note, key) in [(62.0, 62), (61.6, 62), (-3.0, 0), (140.0, 127)] {
            let f = FeatureFrame(note: note, velocity: 80, timeDelta: 0.25, duration: 0.5, program: 0)
            row.withUnsafeMutableBufferPointer { e.encode(f, scaler: scaler, style: 1, into: $0.baseAddress!) }
            let block = Array(row[e.pitchIndex...])
            XCTAssertEqual(block.count, 128)
            XCTAssertEqual(block.firstIndex(of: 1), key, "note \(note)")
            XCTAssertEqual(block.reduce(0, +), 1, "note \(note): one key set")
            XCTAssertEqual(Array(row[e.styleIndex..<e.pitchIndex]), [0, 1], "the style block is unchanged")
        }
        let decoded = try JSONDecoder().decode(InputEncoding.self, from: JSONEncoder().encode(e))
        XCTAssertEqual(decoded, e)
        let old = try JSONDecoder().decode(InputEncoding.self, from: Data(#"{"pitchClasses":true,"duration":true,"program":true,"metre":true}"#.utf8))
        XCTAssertFalse(old.pitchOneHot)
        let json = String(decoding: try JSONEncoder().encode(InputEncoding(metre: true)), as: UTF8.self)
        XCTAssertFalse(json.contains("pitchOneHot"), "files without the key block are written as before")
    }
}

/// Stateful runs of `TrainingSession` on a small two-style corpus: resumed runs continue exactly, the cache lists the
/// corpus's songs and split, the model records its styles.
final class StatefulSessionTests: XCTestCase {
    /// A corpus of 10 songs of Samples/Corpus in two style folders.
    func corpus() throws -> URL {
        let dir = try TestPaths.temporaryFolder(self)
        for style in ["chorales", "folk"] {
            let files = TestPaths.midiFiles(in: TestPaths.sampleCorpus.appendingPathComponent(style)).prefix(5)
            let target = dir.appendingPathComponent("corpus/\(style)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for f in files { try FileManager.default.copyItem(at: f, to: target.appendingPathComponent(f.lastPathComponent)) }
        }
        return dir
    }

    func options(_ dir: URL, output: String, epochs: Int, cache: Bool) -> TrainingOptions {
        var o = TrainingOptions(corpus: dir.appendingPathComponent("corpus"), output: dir.appendingPathComponent(output))
        o.features = FeatureConfiguration(includeDrums: false, encoding: ArchitecturePreset.stateful.encoding(timing: .categorical))
        o.architecture = ArchitecturePreset.stateful.architecture(.init(layers: 1, units: 8, lookBack: 8), timing: .categorical)
        o.epochs = epochs
        o.batchSize = 4
        o.learningRate = 0.003
        o.validation = 0.2
        o.dropout = 0.1
        o.styles = true
        o.transpose = 3
        o.threads = 2
        o.overwrite = true
        o.patience = nil
        if cache { o.cache = dir.appendingPathComponent("songs.tscache") }
        return o
    }

    func testResumedRunContinuesExactlyAndCacheMatchesCorpus() throws {
        let dir = try corpus()
        let straight = try TrainingSession(options: options(dir, output: "a.tsmodel", epochs: 3, cache: true)).run(events: { _ in }, stop: StopFlag())
        let first = try TrainingSession(options: options(dir, output: "b.tsmodel", epochs: 2, cache: true)).run(events: { _ in }, stop: StopFlag())
        var resumed = options(dir, output: "b.tsmodel", epochs: 3, cache: true)
        resumed.resume = first.checkpoint
        _ = try TrainingSession(options: resumed).run(events: { _ in }, stop: StopFlag())
        let a = try TrainedModel(contentsOf: straight.model), b = try TrainedModel(contentsOf: dir.appendingPathComponent("b.tsmodel"))
        XCTAssertEqual(a.network.parameters, b.network.parameters, "a resumed run ends with the same weights")
        XCTAssertEqual(a.training.history.map(\.training), b.training.history.map(\.training))
        XCTAssertTrue(a.isStateful)
        XCTAssertEqual(a.styles, ["chorales", "folk"])
        XCTAssertEqual(a.training.transpose, 3)
        // The cache lists the corpus's songs in the same order, frames equal to Float32 precision.
        let cache = try SongCache(url: dir.appendingPathComponent("songs.tscache"))
        let corpus = try Corpus(folder: dir.appendingPathComponent("corpus"), configuration: FeatureConfiguration(includeDrums: false, encoding: InputEncoding(metre: true)))
        XCTAssertEqual(cache.index.songs.map(\.path), corpus.songs.map(\.path))
        for (i, song) in corpus.songs.enumerated() {
            let frames = try cache.frames(i)
            XCTAssertEqual(frames.count, song.frames.count)
            for (x, y) in zip(frames, song.frames) {
                XCTAssertEqual(x.note, y.note)
                XCTAssertEqual(x.timeDelta, y.timeDelta, accuracy: 1e-6 * max(1, y.timeDelta))
                XCTAssertEqual(x.barPosition ?? -1, y.barPosition ?? -1, accuracy: 1e-4)
            }
        }
        // A stateful model trained in memory on the same songs and split equals the cached run up to the frames' rounding.
        let memory = try TrainingSession(options: options(dir, output: "c.tsmodel", epochs: 1, cache: false)).run(events: { _ in }, stop: StopFlag())
        let c = try TrainedModel(contentsOf: memory.model)
        XCTAssertEqual(c.training.trainingSongs, a.training.trainingSongs)
        XCTAssertEqual(c.training.trainingSamples, a.training.trainingSamples)
    }

    /// Segments, the pitch monitor and a decaying learning rate survive a resume exactly; the kept epoch is the one with
    /// the lowest validation pitch loss.
    func testSegmentsPitchMonitorAndDecayResumeExactly() throws {
        let dir = try corpus()
        func opts(_ output: String, epochs: Int) -> TrainingOptions {
            var o = options(dir, output: output, epochs: epochs, cache: true)
            o.segment = 20
            o.monitor = .pitch
            o.learningRateDecay = 0.8
            return o
        }
        let straight = try TrainingSession(options: opts("a.tsmodel", epochs: 4)).run(events: { _ in }, stop: StopFlag())
        let first = try TrainingSession(options: opts("b.tsmodel", epochs: 2)).run(events: { _ in }, stop: StopFlag())
        var resumed = options(dir, output: "b.tsmodel", epochs: 4, cache: true)  // segment, monitor and decay come from the checkpoint
        resumed.resume = first.checkpoint
        let second = try TrainingSession(options: resumed).run(events: { _ in }, stop: StopFlag())
        let a = try TrainedModel(contentsOf: straight.model), b = try TrainedModel(contentsOf: dir.appendingPathComponent("b.tsmodel"))
        XCTAssertEqual(a.network.parameters, b.network.parameters, "a resumed run ends with the same weights")
        XCTAssertEqual(straight.history.map(\.validation), second.history.map(\.validation))
        let pitch = straight.history.map { $0.validation!.note }
        XCTAssertEqual(straight.bestEpoch, straight.history[pitch.firstIndex(of: pitch.min()!)!].epoch, "best epoch by pitch loss: \(pitch)")
        var byAccuracy = opts("d.tsmodel", epochs: 4)
        byAccuracy.monitor = .accuracy
        let d = try TrainingSession(options: byAccuracy).run(events: { _ in }, stop: StopFlag())
        XCTAssertEqual(d.history.map(\.validation), straight.history.map(\.validation), "the monitor does not change the run")
        let accuracy = d.history.map { $0.validationAccuracy! }
        XCTAssertEqual(d.bestEpoch, d.history[accuracy.firstIndex(of: accuracy.max()!)!].epoch, "best epoch by accuracy: \(accuracy)")
        // The decay changes the run from the second epoch on: the first epochs agree, the second's losses differ.
        var constant = opts("c.tsmodel", epochs: 2)
        constant.learningRateDecay = 1
        let c = try TrainingSession(options: constant).run(events: { _ in }, stop: StopFlag())
        XCTAssertEqual(c.history[0].training, first.history[0].training)
        XCTAssertNotEqual(c.history[1].training, first.history[1].training)
    }

    func testCorruptCacheIsAClearError() throws {
        let dir = try TestPaths.temporaryFolder(self)
        let bad = dir.appendingPathComponent("bad.tscache")
        try Data("TSCACHE\nnot really".utf8).write(to: bad)
        XCTAssertThrowsError(try SongCache(url: bad)) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("bad.tscache") ?? false, "\(error)")
        }
    }
}
