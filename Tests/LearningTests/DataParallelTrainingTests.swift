import Foundation
import Support
import TestSupport
import XCTest
@testable import Learning

/// Data-parallel training's determinism without MPI: the fixed-point gradient sum is exact and
/// order-independent, and a batch split into fixed parts trains bit-identical weights whether one process
/// computes every part or 2 or 4 "processes" (threads of this test, joined by ``ThreadGroup``'s collectives)
/// share them. Tests/Cluster/mpi-train.sh checks the same over real MPI ranks.
final class DataParallelTrainingTests: XCTestCase {
    func testFixedPointSumIsExactAndIndependentOfLeafOrder() throws {
        var g = SplitMix64(seed: 3)
        let count = 1_003
        let leaves: [[Float]] = (0..<4).map { _ in
            (0..<count).map { _ in Float(Int64(bitPattern: g.next()) % 1_000_000) * 1e-7 }
        }
        func sum(_ order: [Int]) throws -> (values: [Float], norm2: Float) {
            var fixed = FixedPointGradientSum(count: count, parts: 4)
            var out = [Float](repeating: .nan, count: count)
            let pointers = order.map { i in leaves[i].withUnsafeBufferPointer { UnsafePointer($0.baseAddress!) } }
            let norm = try withExtendedLifetime(leaves) {
                try out.withUnsafeMutableBufferPointer { try fixed.sum(leaves: pointers, reducer: SingleProcessReducer(), into: $0.baseAddress!) }
            }
            return (out, try XCTUnwrap(norm))
        }
        let a = try sum([0, 1, 2, 3]), b = try sum([3, 1, 0, 2])
        XCTAssertEqual(a.values.map(\.bitPattern), b.values.map(\.bitPattern))
        XCTAssertEqual(a.norm2.bitPattern, b.norm2.bitPattern)
        // Each element is the exact sum rounded once to Float (every input is far above the 2^-37 grid).
        for i in 0..<count {
            let exact = leaves.reduce(0.0) { $0 + Double($1[i]) }
            XCTAssertEqual(a.values[i], Float(exact), "element \(i)")
        }
        XCTAssertEqual(Double(a.norm2), a.values.reduce(0.0) { $0 + Double($1) * Double($1) }, accuracy: Double(a.norm2) * 1e-5)
    }

    func testNonFiniteGradientIsReportedAndZeroGradientSumsToZero() throws {
        var fixed = FixedPointGradientSum(count: 3, parts: 2)
        var out = [Float](repeating: 1, count: 3)
        let bad: [Float] = [1, .nan, 2], zero: [Float] = [0, 0, 0]
        let norm = try bad.withUnsafeBufferPointer { b in
            try out.withUnsafeMutableBufferPointer { try fixed.sum(leaves: [b.baseAddress!], reducer: SingleProcessReducer(), into: $0.baseAddress!) }
        }
        XCTAssertNil(norm)
        let zeroNorm = try zero.withUnsafeBufferPointer { z in
            try out.withUnsafeMutableBufferPointer { try fixed.sum(leaves: [z.baseAddress!, z.baseAddress!], reducer: SingleProcessReducer(), into: $0.baseAddress!) }
        }
        XCTAssertEqual(zeroNorm, 0)
        XCTAssertEqual(out, [0, 0, 0])
    }

    func testMoreProcessesThanPartsIsRefused() {
        let group = ThreadGroup(size: 4)
        XCTAssertThrowsError(try DataParallelism(reducer: group.rank(0), parts: 2)) { error in
            XCTAssertEqual("\(error)", "4 processes but the batch has only 2 parts: raise --batch-parts to at least 4")
        }
        XCTAssertThrowsError(try DataParallelism(reducer: SingleProcessReducer(), parts: 0))
    }

    /// One, two and four processes (threads) training the same split give the same weights, bit for bit,
    /// with dropout on and a last batch that does not fill its parts evenly.
    func testOneTwoAndFourProcessesTrainBitIdenticalWeights() throws {
        let corpus = try Corpus(folder: TestPaths.corpus.appendingPathComponent("chorales"), limit: 3)
        let scaler = StandardScaler(fitting: corpus.songs.map(\.frames))
        let data = WindowedDataset(songs: corpus.songs.map { scaler.transform($0.frames) }, lookBack: Architecture.paper.lookBack)
        XCTAssertNotEqual(data.count % 29, 0, "the last batch should be partial")
        let reference = try Self.train(data: data, scaler: scaler, processes: 1)
        for n in [2, 4] {
            let weights = try Self.train(data: data, scaler: scaler, processes: n)
            XCTAssertEqual(weights.count, n)
            for (rank, w) in weights.enumerated() {
                XCTAssertEqual(w.map(\.bitPattern), reference[0].map(\.bitPattern), "\(n) processes, rank \(rank)")
            }
        }
        // The split matters (so the comparison above can fail): 2 parts train other weights than 4.
        let twoParts = try Self.train(data: data, scaler: scaler, processes: 1, parts: 2)
        XCTAssertNotEqual(twoParts[0], reference[0])
    }

    /// Trains an epoch with the batch in `parts` parts over `processes` threads; returns each one's weights.
    static func train(data: WindowedDataset, scaler: StandardScaler, processes: Int, parts: Int = 4) throws -> [[Float]] {
        let group = ThreadGroup(size: processes)
        let results = ResultBox(count: processes)
        let threads = (0..<processes).map { rank in
            Thread {
                do {
                    let reducer: any GradientReducer = processes == 1 ? SingleProcessReducer() : group.rank(rank)
                    let net = Network<Float>(architecture: .paper, seed: 9)
                    let trainer = Trainer(network: net, optimizer: Optimizer(kind: .adam, learningRate: 0.003, parameterCount: net.parameterCount),
                                          loss: FeatureLoss(mode: .musical, noteScale: scaler.scale[0]), batchSize: 29,
                                          noteScaler: (scaler.mean[0], scaler.scale[0]), threads: 2,
                                          dataParallel: try DataParallelism(reducer: reducer, parts: parts))
                    trainer.dropout = 0.2
                    trainer.dropoutSeed = 9
                    var g = SeededGenerator(seed: 9)
                    for e in 1...1 { _ = try trainer.trainEpoch(data, epoch: e, generator: &g) }
                    results.set(rank, .success(trainer.network.parameters))
                } catch {
                    results.set(rank, .failure(error))
                }
            }
        }
        threads.forEach { $0.start() }
        return try results.wait().map { try $0.get() }
    }
}

/// Results of the test's threads, waited for together.
final class ResultBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [Result<[Float], any Error>?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<[Float], any Error>) {
        condition.lock(); values[i] = r; condition.broadcast(); condition.unlock()
    }

    func wait() -> [Result<[Float], any Error>] {
        condition.lock(); defer { condition.unlock() }
        while values.contains(where: { $0 == nil }) { condition.wait() }
        return values.map { $0! }
    }
}

/// Processes simulated by threads of one process: each collective waits for every rank, combines the ranks'
/// buffers in rank order and hands every rank the result (a real implementation of ``GradientReducer``'s
/// contract, for testing the trainer's split without an MPI launcher).
final class ThreadGroup: @unchecked Sendable {
    let size: Int
    private let condition = NSCondition()
    private var arrived = 0, generation = 0
    private var buffers: [[Double]]
    private var intBuffers: [[Int64]]

    init(size: Int) {
        self.size = size
        buffers = Array(repeating: [], count: size)
        intBuffers = Array(repeating: [], count: size)
    }

    func rank(_ r: Int) -> Rank { Rank(group: self, rank: r) }

    /// Waits until every rank has called it (a reusable barrier).
    private func barrier() {
        condition.lock(); defer { condition.unlock() }
        let g = generation
        arrived += 1
        if arrived == size {
            arrived = 0; generation += 1; condition.broadcast()
        } else {
            while generation == g { condition.wait() }
        }
    }

    fileprivate func allreduce(rank: Int, _ values: UnsafeMutableBufferPointer<Double>, _ op: (Double, Double) -> Double) {
        condition.lock(); buffers[rank] = Array(values); condition.unlock()
        barrier()
        condition.lock()
        for i in values.indices { values[i] = buffers.dropFirst().reduce(buffers[0][i]) { op($0, $1[i]) } }
        condition.unlock()
        barrier()
    }

    fileprivate func allreduce(rank: Int, _ values: UnsafeMutableBufferPointer<Int64>) {
        condition.lock(); intBuffers[rank] = Array(values); condition.unlock()
        barrier()
        condition.lock()
        for i in values.indices { values[i] = intBuffers.dropFirst().reduce(intBuffers[0][i]) { $0 &+ $1[i] } }
        condition.unlock()
        barrier()
    }

    /// One rank of the group.
    struct Rank: GradientReducer {
        let group: ThreadGroup
        let rank: Int
        var processCount: Int { group.size }
        func sum(_ values: UnsafeMutableBufferPointer<Int64>) { group.allreduce(rank: rank, values) }
        func maximum(_ values: UnsafeMutableBufferPointer<Double>) { group.allreduce(rank: rank, values) { Swift.max($0, $1) } }
        func gather(_ values: UnsafeMutableBufferPointer<Double>) { group.allreduce(rank: rank, values, +) }
    }
}
