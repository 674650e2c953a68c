import Foundation

/// A look-ahead true-peak limiter, expressed as a gain envelope: for each frame of a stereo stream it gives the
/// gain (0 ... 1) that keeps the stream's true peak (4x oversampled) at or below ``ceiling``, and exactly 1 wherever
/// the stream stays below it.
///
/// Stages per frame n: the required gain `ceiling / truePeak(n)` (capped at 1); held over the 12 frames the
/// interpolation of frame n touches (a sliding minimum); an exponential release (80 ms); a sliding minimum over the
/// attack window ahead, then a moving average over the same window, so the gain ramps down smoothly *before* a peak
/// and never exceeds what any frame requires. The envelope is a pure function of the input, so applying it to the mix
/// or to any part of the mix (stems) gives parts that still sum to the limited mix.
///
/// Push frames one at a time, or a block at a time (``push(left:right:count:scale:gains:)``, the fast way: no checks per
/// frame, and runs of quiet frames while idle skip the per-frame work); the gain of frame n comes out when frame
/// n + ``latency`` is pushed; ``flushGain()`` gives the last ones (as if silence followed).
///
/// The rings (detector history, the two sliding minima, the moving average) live in one allocation made at init and
/// owned by a private class; the limiter is a value all the same: a copy shares that storage until either copy is
/// pushed, which first takes a storage of its own (copy-on-write, one uniqueness check per call, not per frame).
public struct TruePeakLimiter: Sendable {
    /// The largest true peak allowed, linear (already including the safety margin).
    public let ceiling: Float
    /// Frames of look-ahead: the gain of frame n is known once frame n + latency has been pushed.
    public let latency: Int
    private let attack: Int
    /// Per frame, the factor by which the release shrinks the gain's shortfall below 1 (80 ms time constant).
    private let keep: Float
    private var detector: TruePeakDetector
    private var hold: SlidingMinimum
    private var ahead: SlidingMinimum
    /// 1 - the released gain, kept as the distance below 1 so the release can reach exactly 1 (a Float gain just
    /// below 1 stops moving once its step is under half an ulp).
    private var shortfall: Float = 0
    private var windowPosition = 0
    private var windowSum: Double
    /// 1 / attack: the moving average multiplies instead of dividing per frame.
    private let inverseAttack: Double
    /// Consecutive frames whose look-ahead minimum was exactly 1: from `attack` on, the moving average's ring holds
    /// only ones and its sum is set to exactly `attack` (no rounding drift), so the gain is exactly 1.
    private var onesInARow: Int
    /// The rings' memory (see ``LimiterStorage``).
    private var storage: LimiterStorage
    /// The safety margin below the ceiling, in dB (covers interpolation between the 4x points and gain changes).
    public static let marginDecibels = 0.2

    /// A limiter at `ceilingDBTP` dBTP for audio at `sampleRate` Hz (attack 2 ms, release 80 ms).
    public init(sampleRate: Int, ceilingDBTP: Double) {
        ceiling = Float(pow(10, (ceilingDBTP - Self.marginDecibels) / 20))
        detector = TruePeakDetector(relevantAbove: ceiling)
        attack = max(8, sampleRate / 500)
        keep = Float(exp(-1 / (0.08 * Double(sampleRate))))
        hold = SlidingMinimum(width: 12)
        ahead = SlidingMinimum(width: attack)
        storage = LimiterStorage(hold: hold, ahead: ahead, window: attack)
        windowSum = Double(attack)
        inverseAttack = 1 / Double(attack)
        onesInARow = attack
        // detector 6 + hold centring 5 + attack minimum (attack - 1) + average (0).
        latency = TruePeakDetector.latency + 5 + attack - 1
    }

    /// Takes a storage of its own if a copy of this limiter shares it (before any write).
    @inline(__always)
    private mutating func makeStorageUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Pushes one frame and returns the gain for the frame ``latency`` frames earlier (1 for the frames before the start).
    @inline(__always)
    public mutating func push(_ l: Float, _ r: Float) -> Float {
        makeStorageUnique()
        return step(l, r, storage.rings)
    }

    /// Pushes `count` frames, `left[k] * scale` and `right[k] * scale`, and writes the gain each push returns to
    /// `gains[k]`: exactly what `count` calls of ``push(_:_:)`` would return, in one call. While the limiter is idle,
    /// a run of quiet frames goes through ``pushQuietRun(_:_:_:)``'s single step (gains exactly 1).
    public mutating func push(left l: UnsafePointer<Float>, right r: UnsafePointer<Float>, count n: Int, scale: Float,
                              gains: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        makeStorageUnique()
        let rings = storage.rings
        let quiet = detector.quietLevel
        // The state as a local for the loop (kept in registers, not written back per frame), stored back at the end.
        var state = self
        var k = 0
        while k < n {
            if state.isIdle(rings) {
                var end = k
                while end < n, abs(l[end] * scale) <= quiet, abs(r[end] * scale) <= quiet { end += 1 }
                if end > k {
                    let tail = min(end - k, TruePeakDetector.taps)
                    state.quietRun(l + (end - tail), r + (end - tail), end - k, scale: scale, rings)
                    (gains + k).update(repeating: 1, count: end - k)
                    k = end
                    continue
                }
            }
            gains[k] = state.step(l[k] * scale, r[k] * scale, rings)
            k += 1
        }
        self = state
    }

    /// One frame through every stage (the per-frame path: the rings are `rings`, no checks).
    @inline(__always)
    private mutating func step(_ l: Float, _ r: Float, _ rings: LimiterStorage.Rings) -> Float {
        let peak = detector.push(l, r, ring: rings.history)
        let required: Float = peak > ceiling ? ceiling / peak : 1
        let held = hold.push(required, storage: rings.hold)
        // Release: the shortfall below 1 shrinks by `keep` per frame (recovering towards 1), never below what is held.
        shortfall = max(1 - held, shortfall * keep)
        // The release ends: within 1e-6 of 1 (-0.00001 dB) the gain is exactly 1 and the limiter may idle again.
        if shortfall < 1e-6 { shortfall = 0 }
        let released = 1 - shortfall
        let minimum = ahead.push(released, storage: rings.ahead)
        windowSum += Double(minimum) - Double(rings.window[windowPosition])
        rings.window[windowPosition] = minimum
        windowPosition = windowPosition + 1 == attack ? 0 : windowPosition + 1
        onesInARow = minimum == 1 ? onesInARow + 1 : 0
        if onesInARow >= attack {
            windowSum = Double(attack)
            return 1
        }
        return Float(min(1, windowSum * inverseAttack))
    }

    /// Whether the limiter is idle: every gain in its look-ahead is exactly 1 and no loud sample is in the detector's
    /// window. Quiet frames (see ``quietLevel``) pushed while idle each return exactly 1 and keep it idle.
    public var isIdle: Bool { isIdle(storage.rings) }

    @inline(__always)
    private func isIdle(_ rings: LimiterStorage.Rings) -> Bool {
        shortfall == 0 && onesInARow >= attack && detector.isQuiet && hold.isAllOnes && ahead.isAllOnes
    }

    /// The largest sample magnitude (after gain) of a quiet frame.
    public var quietLevel: Float { detector.quietLevel }

    /// Pushes a run of `n` quiet frames while idle, in one step: the same state as `n` calls of ``push(_:_:)`` (each of
    /// which would return 1). `l` and `r` point at the run's last min(n, 12) frames, oldest first.
    public mutating func pushQuietRun(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        makeStorageUnique()
        quietRun(l, r, n, scale: 1, storage.rings)
    }

    /// ``pushQuietRun(_:_:_:)`` of the frames `l[k] * scale`, `r[k] * scale` on `rings`.
    @inline(__always)
    private mutating func quietRun(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int, scale: Float,
                                   _ rings: LimiterStorage.Rings) {
        detector.pushQuietRun(lastLeft: l, lastRight: r, count: min(n, TruePeakDetector.taps), scale: scale,
                              ring: rings.history)
        hold.pushOnes(n, storage: rings.hold)
        ahead.pushOnes(n, storage: rings.ahead)
        // The moving average's ring holds ones only: its sum stays, its position moves on.
        windowPosition = (windowPosition + n) % attack
        onesInARow += n
    }

    /// Returns the gain of the next pending frame as if a silent frame were pushed (call ``latency`` times at the end).
    public mutating func flushGain() -> Float { push(0, 0) }
}

/// The memory of one ``TruePeakLimiter``'s rings, allocated once (zeroed, the moving average's ring all ones) and
/// freed with the last limiter holding it.
///
/// `@unchecked Sendable`: the memory is written only through a limiter whose reference to it is unique (the limiter
/// copies it first otherwise), so no two threads ever touch the same storage where one of them writes.
final class LimiterStorage: @unchecked Sendable {
    /// Typed views of the rings (valid while the storage lives).
    struct Rings {
        /// The detector's history, ``TruePeakDetector/ringCount`` frames.
        let history: UnsafeMutablePointer<SIMD8<Float>>
        /// The 12-frame hold's storage (``SlidingMinimum/storageCount`` floats).
        let hold: UnsafeMutablePointer<Float>
        /// The attack-window minimum's storage (``SlidingMinimum/storageCount`` floats).
        let ahead: UnsafeMutablePointer<Float>
        /// The moving average's ring (attack frames).
        let window: UnsafeMutablePointer<Float>
    }

    private let base: UnsafeMutableRawPointer
    private let bytes: Int
    private let hold: SlidingMinimum, ahead: SlidingMinimum, windowCount: Int
    /// The rings, carved from `base`.
    let rings: Rings

    /// Storage for the rings of a limiter whose sliding minima are `hold` and `ahead` and whose moving average spans
    /// `window` frames: the detector's history zero, the minima fresh, the moving average's ring all ones.
    init(hold: SlidingMinimum, ahead: SlidingMinimum, window: Int) {
        self.hold = hold
        self.ahead = ahead
        windowCount = window
        // The SIMD history first (largest alignment), then the Float rings.
        let historyBytes = TruePeakDetector.ringCount * MemoryLayout<SIMD8<Float>>.stride
        let floatCount = hold.storageCount + ahead.storageCount + window
        bytes = historyBytes + floatCount * MemoryLayout<Float>.stride
        base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<SIMD8<Float>>.alignment)
        let history = base.initializeMemory(as: SIMD8<Float>.self, repeating: SIMD8(), count: TruePeakDetector.ringCount)
        let floats = (base + historyBytes).bindMemory(to: Float.self, capacity: floatCount)
        rings = Rings(history: history, hold: floats, ahead: floats + hold.storageCount,
                      window: floats + hold.storageCount + ahead.storageCount)
        hold.initialize(rings.hold)
        ahead.initialize(rings.ahead)
        rings.window.initialize(repeating: 1, count: window)
    }

    /// A storage of the same sizes holding the same values.
    func copy() -> LimiterStorage {
        let other = LimiterStorage(hold: hold, ahead: ahead, window: windowCount)
        other.base.copyMemory(from: base, byteCount: bytes)
        return other
    }

    deinit { base.deallocate() }
}
