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
/// Push frames one at a time; the gain of frame n comes out when frame n + ``latency`` is pushed; ``flushGain()``
/// gives the last ones (as if silence followed).
public struct TruePeakLimiter: Sendable {
    /// The largest true peak allowed, linear (already including the safety margin).
    public let ceiling: Float
    /// Frames of look-ahead: the gain of frame n is known once frame n + latency has been pushed.
    public let latency: Int
    private let attack: Int
    private let release: Float
    private var detector: TruePeakDetector
    private var hold: SlidingMinimum
    private var ahead: SlidingMinimum
    private var released: Float = 1
    private var window: [Float]
    private var windowPosition = 0
    private var windowSum: Double
    /// 1 / attack: the moving average multiplies instead of dividing per frame.
    private let inverseAttack: Double
    /// Consecutive frames whose look-ahead minimum was exactly 1: from `attack` on, the moving average's ring holds
    /// only ones and its sum is set to exactly `attack` (no rounding drift), so the gain is exactly 1.
    private var onesInARow: Int
    /// The safety margin below the ceiling, in dB (covers interpolation between the 4x points and gain changes).
    public static let marginDecibels = 0.2

    /// A limiter at `ceilingDBTP` dBTP for audio at `sampleRate` Hz (attack 2 ms, release 80 ms).
    public init(sampleRate: Int, ceilingDBTP: Double) {
        ceiling = Float(pow(10, (ceilingDBTP - Self.marginDecibels) / 20))
        detector = TruePeakDetector(relevantAbove: ceiling)
        attack = max(8, sampleRate / 500)
        release = Float(1 - exp(-1 / (0.08 * Double(sampleRate))))
        hold = SlidingMinimum(width: 12)
        ahead = SlidingMinimum(width: attack)
        window = [Float](repeating: 1, count: attack)
        windowSum = Double(attack)
        inverseAttack = 1 / Double(attack)
        onesInARow = attack
        // detector 6 + hold centring 5 + attack minimum (attack - 1) + average (0).
        latency = TruePeakDetector.latency + 5 + attack - 1
    }

    /// Pushes one frame and returns the gain for the frame ``latency`` frames earlier (1 for the frames before the start).
    @inline(__always)
    public mutating func push(_ l: Float, _ r: Float) -> Float {
        let peak = detector.push(l, r)
        let required: Float = peak > ceiling ? ceiling / peak : 1
        let held = hold.push(required)
        // Release: recover towards 1, never above what is held.
        released = min(held, released + (1 - released) * release)
        // The release ends: within 1e-6 of 1 (-0.00001 dB) it is 1 (else float rounding would leave it just below).
        if released > 1 - 1e-6 { released = 1 }
        let minimum = ahead.push(released)
        windowSum += Double(minimum) - Double(window[windowPosition])
        window[windowPosition] = minimum
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
    public var isIdle: Bool {
        released == 1 && onesInARow >= attack && detector.isQuiet && hold.isAllOnes && ahead.isAllOnes
    }

    /// The largest sample magnitude (after gain) of a quiet frame.
    public var quietLevel: Float { detector.quietLevel }

    /// Pushes a run of `n` quiet frames while idle, in one step: the same state as `n` calls of ``push(_:_:)`` (each of
    /// which would return 1). `l` and `r` point at the run's last min(n, 12) frames, oldest first.
    public mutating func pushQuietRun(_ l: UnsafePointer<Float>, _ r: UnsafePointer<Float>, _ n: Int) {
        guard n > 0 else { return }
        detector.pushQuietRun(lastLeft: l, lastRight: r, count: min(n, 12))
        hold.pushOnes(n)
        ahead.pushOnes(n)
        // The moving average's ring holds ones only: its sum stays, its position moves on.
        windowPosition = (windowPosition + n) % attack
        onesInARow += n
    }

    /// Returns the gain of the next pending frame as if a silent frame were pushed (call ``latency`` times at the end).
    public mutating func flushGain() -> Float { push(0, 0) }
}
