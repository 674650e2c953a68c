import Foundation
import MIDI
@testable import Rendering
import TestSupport
import XCTest

/// The render's spooled mix and the block energies it is measured by: a mix kept in memory and one spilled to disk
/// replay the same frames; an album gated from the blocks metered while writing equals libebur128 metering the files.
final class AudioSpoolTests: XCTestCase {
    /// A deterministic stereo test signal: two sines and a little noise, `frames` long.
    private func signal(_ frames: Int, seed: UInt64 = 1) -> (left: [Float], right: [Float]) {
        var state = seed
        var l = [Float](repeating: 0, count: frames), r = l
        for k in 0..<frames {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) * 0.01
            l[k] = 0.3 * sin(Float(k) * 0.0627) + noise
            r[k] = 0.2 * sin(Float(k) * 0.0311) - noise
        }
        return (l, r)
    }

    private func replayed(_ spool: AudioSpool) throws -> (left: [Float], right: [Float]) {
        var l: [Float] = [], r: [Float] = []
        try spool.replay(block: 7_000) { lp, rp, n in
            l.append(contentsOf: UnsafeBufferPointer(start: lp, count: n))
            r.append(contentsOf: UnsafeBufferPointer(start: rp, count: n))
        }
        return (l, r)
    }

    func testMemoryAndSpilledSpoolsReplayTheSameFrames() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "spool")
        let (l, r) = signal(300_001)
        let inMemory = AudioSpool(folder: dir, reportingAs: "mix")
        let spilled = AudioSpool(folder: dir, reportingAs: "mix", memoryLimitFrames: 100_000)
        var start = 0
        try RenderTestSupport.withPlanar(l, r) { lp, rp in
            for n in [1, 4_095, 65_536, 100_000, 130_369] {
                try inMemory.append(lp + start, rp + start, n)
                try spilled.append(lp + start, rp + start, n)
                start += n
            }
        }
        XCTAssertEqual(start, l.count)
        XCTAssertFalse(inMemory.isOnDisk)
        XCTAssertTrue(spilled.isOnDisk, "past its memory limit the spool moves to a file")
        for spool in [inMemory, spilled] {
            XCTAssertEqual(spool.frames, l.count)
            let back = try replayed(spool)
            XCTAssertEqual(back.left, l)
            XCTAssertEqual(back.right, r)
            XCTAssertEqual(try replayed(spool).left, l, "a spool replays again from the start")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".tunesmith-mix") }
        XCTAssertEqual(leftovers, [], "the spilled file is unlinked as soon as it is open")
    }

    /// Frames written where ``AudioSpool/memory(at:count:)`` says and then appended are kept without a copy, beside
    /// copied ones; past the memory limit it names no memory and the spool spills as before: the same frames replay.
    func testFramesWrittenInPlaceReplayLikeCopiedOnes() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "spool-in-place")
        let (l, r) = signal(250_000, seed: 3)
        let spool = AudioSpool(folder: dir, reportingAs: "mix", memoryLimitFrames: 120_000)
        var start = 0
        var placed = 0
        try RenderTestSupport.withPlanar(l, r) { lp, rp in
            for (k, n) in [16_384, 16_384, 5_000, 16_384, 50_000, 16_384, 16_384, 113_080].enumerated() {
                if k != 2, let (ml, mr) = spool.memory(at: start, count: n) {
                    // Written in place, as the engine renders a segment, then handed over.
                    ml.update(from: lp + start, count: n)
                    mr.update(from: rp + start, count: n)
                    try spool.append(ml, mr, n)
                    placed += n
                } else {
                    try spool.append(lp + start, rp + start, n)
                }
                start += n
            }
        }
        XCTAssertEqual(start, l.count)
        XCTAssertEqual(placed, 16_384 * 3 + 50_000, "in place while the frames fit in memory (but for the copied one)")
        XCTAssertNil(spool.memory(at: start, count: 1), "past the limit no memory is named")
        XCTAssertTrue(spool.isOnDisk)
        let back = try replayed(spool)
        XCTAssertTrue(back.left == l && back.right == r, "the frames replay as they were given")
    }

    func testSharedMixMemoryIsReusedAndReplaysOnlyTheNewMix() throws {
        let dir = try TestPaths.temporaryFolder(self, prefix: "spool-memory")
        let memory = MixMemory(concurrentRenders: 1)
        let first = signal(200_000, seed: 1), second = signal(50_000, seed: 2)
        do {
            let spool = AudioSpool(folder: dir, reportingAs: "mix", memory: memory)
            try RenderTestSupport.withPlanar(first.left, first.right) { try spool.append($0, $1, first.left.count) }
            XCTAssertEqual(memory.keptRegions, 0, "a spool holds its regions while it lives")
        }
        XCTAssertEqual(memory.keptRegions, 2, "a finished spool gives both channels back")
        let spool = AudioSpool(folder: dir, reportingAs: "mix", memory: memory)
        try RenderTestSupport.withPlanar(second.left, second.right) { try spool.append($0, $1, second.left.count) }
        XCTAssertEqual(memory.keptRegions, 0, "the next spool takes the kept regions")
        let back = try replayed(spool)
        XCTAssertEqual(back.left, second.left, "a reused region replays the new mix only, none of the old one")
        XCTAssertEqual(back.right, second.right)

        let small = MixMemory(concurrentRenders: 1)
        do {
            let three = (0..<3).map { _ in AudioSpool(folder: dir, reportingAs: "mix", memory: small) }
            for s in three { try RenderTestSupport.withPlanar(second.left, second.right) { try s.append($0, $1, 10) } }
        }
        XCTAssertEqual(small.keptRegions, small.capacity, "three spools at once give back six regions; two are kept")
    }

    func testBlockGatingEqualsLibebur128() throws {
        let rate = 44_100
        // Three pieces at different levels (one mostly under the relative gate) and one silent.
        let pieces: [(gain: Float, frames: Int)] = [(1, 5 * rate + 1_234), (0.05, 7 * rate), (0.5, 3 * rate + 17), (0, 2 * rate)]
        var meters: [LoudnessMeter] = []
        // libebur128 fed the same audio, one state per piece, gated together by ebur128_loudness_global_multiple.
        var references: [LibEBUR128Reference] = []
        for (i, piece) in pieces.enumerated() {
            var (l, r) = signal(piece.frames, seed: UInt64(i + 3))
            for k in l.indices { l[k] *= piece.gain; r[k] *= piece.gain }
            let reference = try LibEBUR128Reference(sampleRate: rate)
            reference.add(l, r)
            references.append(reference)
            let meter = try LoudnessMeter(sampleRate: rate, truePeak: false)
            RenderTestSupport.withPlanar(l, r) { lp, rp in
                var k = 0
                while k < l.count {
                    let n = min(3_000, l.count - k)
                    meter.add(lp + k, rp + k, n)
                    k += n
                }
            }
            XCTAssertEqual(meter.blockEnergyList.count, piece.frames / (rate / 10), "one energy per complete 100 ms block")
            let alone = reference.integrated
            if piece.gain > 0 {
                XCTAssertEqual(meter.measurement().integrated, alone, accuracy: 1e-4, "each piece as libebur128 reads it")
            } else {
                XCTAssertEqual(meter.measurement().integrated, -.infinity, "silence has no loudness")
                XCTAssertEqual(alone, -.infinity, "libebur128 agrees")
            }
            meters.append(meter)
        }
        let ours = LoudnessMeter.integrated(ofBlocks: meters.map(\.blockEnergyList))
        let libebur128 = LibEBUR128Reference.integrated(of: references)
        XCTAssertEqual(LoudnessMeter.integrated(of: meters), ours)
        XCTAssertTrue(ours.isFinite)
        XCTAssertEqual(ours, libebur128, accuracy: 1e-4, "gating the recorded blocks is libebur128's global_multiple")
        // The quiet piece is gated out: the album is louder than the plain power mean of every block.
        let all = meters.flatMap(\.blockEnergyList)
        XCTAssertGreaterThan(ours, 10 * log10(all.reduce(0, +) / Double(all.count)) - 0.691 + 0.5)
    }
}
