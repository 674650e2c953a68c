import Learning
import MIDI

/// The step-by-step generator: each step asks the model for the next frame, turns it into a note
/// (pitch rounded and clamped to 0 ... 127, velocity to 1 ... 127, time delta to 0 ... maxGap) and
/// feeds that note back as the newest context frame. Notes come out in playing order once their
/// duration is known (when the next later onset arrives), so a consumer sees each note one step late.
///
/// Context frames carry what richer input encodings read: the program of the output (or the primer's own),
/// and each note's duration in model seconds as the duration policy realises it, known once the next later
/// onset is drawn; the newest onset's notes, whose end is not known yet, carry the previous onset's duration.
///
/// A model with a rhythm head draws each time step and note length in beats itself: onsets then follow
/// its steps (an ``OnsetGrid`` still applies when given), each note lasts its own drawn length (times the
/// policy's articulation, capped at a time-limited piece's end) and context frames carry the time step,
/// length and position in the bar as the model reads them. The first onset keeps the bar position the
/// context left off at, so the output's bar lines match the model's sense of the metre.
///
/// Single-threaded and allocation-free per step; ``Generator`` makes one per run.
public struct GenerationEngine {
    /// The plan: tempo, metre, end, start context.
    public let plan: GenerationPlan
    private let options: GenerationOptions
    private var stepper: any NoteStepper
    private var generator: SeededGenerator
    private var window: [FeatureFrame]
    private var beats = 0.0
    private var currentTick = 0
    private var onsetsAtTick = 0
    private var started = false
    private var finished = false
    private var accepted = 0
    private var lastPitch: Double
    private var lastVelocity: Double
    private var lastDuration: Double
    private let program: Double
    private var pending: [Note] = []
    private var ready: [Note] = []
    private var readyIndex = 0
    private let maxTicksPerChordPush: Int
    /// The model draws time steps and lengths in beats (a rhythm head).
    private let drawsBeats: Bool
    /// Quarter-note beats per bar of the output's time signature.
    private let barBeats: Double
    /// Position in its bar (beats) of the last context frame, where a rhythm head's first step starts from.
    private let startPosition: Double

    /// Number of model steps taken so far.
    public private(set) var steps = 0

    /// Creates an engine at the first step of `plan`, with the random state the plan left (the model and options are
    /// checked by ``Generator``, which works the plan out once).
    init(model: TrainedModel, options: GenerationOptions, plan: GenerationPlan, generator g: SeededGenerator) {
        self.plan = plan
        self.options = options
        stepper = StepperFactory.make(model: model, sampling: options.sampling, timeNoise: options.onsetGrid == nil, style: options.style)
        generator = g
        program = Double(options.program)
        window = plan.context.map { f in
            var f = f
            if f.program == nil { f.program = Double(options.program) }
            return f
        }
        window.reserveCapacity(window.count + 1)
        lastDuration = plan.context.last?.duration ?? 0.5
        lastPitch = plan.context.last.map { $0.note.isFinite ? $0.note : 60 } ?? 60
        lastVelocity = plan.context.last.map { $0.velocity.isFinite ? $0.velocity : 80 } ?? 80
        pending.reserveCapacity(options.maxChordNotes)
        ready.reserveCapacity(options.maxChordNotes)
        drawsBeats = model.hasRhythmHead
        barBeats = Double(plan.timeSignature.numerator) * 4 / Double(plan.timeSignature.denominator)
        startPosition = plan.context.last?.barPosition ?? 0
        maxTicksPerChordPush = max(1, options.onsetGrid.map { Int(($0.beats * Double(options.ticksPerBeat)).rounded()) } ?? options.ticksPerBeat / 8)
    }

    /// The next note, or nil when the length is reached.
    public mutating func next() -> Note? {
        while readyIndex == ready.count {
            if finished { return nil }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            step()
        }
        let note = ready[readyIndex]
        readyIndex += 1
        return note
    }

    /// One model step: a frame, realised as a note (or the end of the piece).
    private mutating func step() {
        steps += 1
        let raw = window.withUnsafeBufferPointer { stepper.next(after: $0, generator: &generator) }
        let pitch = raw.note.isFinite ? min(127, max(0, raw.note.rounded())) : lastPitch.rounded()
        let velocity = raw.velocity.isFinite ? min(127, max(1, raw.velocity.rounded())) : lastVelocity.rounded()
        let delta = raw.timeDelta.isFinite ? min(options.maxGapSeconds, max(0, raw.timeDelta)) : 0
        lastPitch = pitch
        lastVelocity = velocity
        let tpb = Double(plan.ticksPerBeat)
        var onset = started ? beats + delta * plan.beatsPerModelSecond : 0
        if drawsBeats {
            let step = min(options.maxGapSeconds * plan.beatsPerModelSecond, max(0, raw.beatDelta ?? 0))
            if started {
                onset = beats + step
            } else {
                let p = startPosition + step
                onset = barBeats > 0 ? p - (p / barBeats).rounded(.down) * barBeats : 0
            }
        }
        if started, let grid = options.onsetGrid {
            let delta = drawsBeats ? onset - beats : delta * plan.beatsPerModelSecond
            let unit: Double? = options.sampling.temperature > 0 ? generator.nextUnit() : nil
            onset = beats + grid.steps(deltaBeats: delta, unit: unit) * grid.beats
        }
        var tick = Int((onset * tpb).rounded())
        if started && tick <= currentTick && onsetsAtTick >= options.maxChordNotes {
            tick = currentTick + maxTicksPerChordPush
            onset = Double(tick) / tpb
        }
        let realisedDelta = started ? (onset - beats) / plan.beatsPerModelSecond : delta
        var ownTicks = 0
        var frame = FeatureFrame(note: pitch, velocity: velocity, timeDelta: realisedDelta, duration: lastDuration, program: program)
        if drawsBeats {
            let length = max(1.0 / 24, raw.beatDuration ?? 1) * options.durations.articulation
            ownTicks = max(1, Int((length * tpb).rounded()))
            frame.duration = Double(ownTicks) / tpb / plan.beatsPerModelSecond
            frame.beatDelta = started ? onset - beats : raw.beatDelta ?? 0
            frame.beatDuration = Double(ownTicks) / tpb
            frame.barPosition = barBeats > 0 ? onset - (onset / barBeats).rounded(.down) * barBeats : 0
        } else if started && tick > currentTick {
            realiseDurations(gapTicks: tick - currentTick)
        }
        window.removeFirst()
        window.append(frame)
        beats = onset

        if let end = plan.endTick, tick >= end {
            flush(gap: end - currentTick, limit: end - currentTick)
            finished = true
            return
        }
        if !started || tick > currentTick {
            if started { flush(gap: tick - currentTick, limit: nil) }
            currentTick = tick
            onsetsAtTick = 0
            started = true
        }
        onsetsAtTick += 1
        let p = UInt8(pitch)
        if pending.contains(where: { $0.pitch == p }) { return }  // the same pitch twice at once sounds once
        pending.append(Note(pitch: p, velocity: UInt8(velocity), startTick: tick, durationTicks: ownTicks,
                            channel: options.channel, program: options.program))
        accepted += 1
        if let limit = plan.noteLimit, accepted >= limit {
            flush(gap: nil, limit: nil)
            finished = true
        }
    }

    /// The context frames of the current onset (the last `onsetsAtTick` frames) get the duration (model
    /// seconds) their notes will sound now that the next onset is `gapTicks` later.
    private mutating func realiseDurations(gapTicks: Int) {
        let ticks = options.durations.durationTicks(gapTicks: gapTicks, limitTicks: nil, ticksPerBeat: plan.ticksPerBeat)
        let seconds = Double(ticks) / Double(plan.ticksPerBeat) / plan.beatsPerModelSecond
        lastDuration = seconds
        let n = min(onsetsAtTick, window.count)
        for i in (window.count - n)..<window.count { window[i].duration = seconds }
    }

    /// Gives the notes of the current onset their durations (a rhythm head's notes keep their own, cut at
    /// the piece's end tick) and queues them in pitch order.
    private mutating func flush(gap: Int?, limit: Int?) {
        guard !pending.isEmpty else { return }
        let d = drawsBeats ? 0 : options.durations.durationTicks(gapTicks: gap, limitTicks: limit, ticksPerBeat: plan.ticksPerBeat)
        // Insertion sort by pitch: a chord holds at most maxChordNotes notes.
        for i in 1..<max(1, pending.count) {
            var j = i
            while j > 0 && pending[j - 1].pitch > pending[j].pitch { pending.swapAt(j - 1, j); j -= 1 }
        }
        for var n in pending {
            if drawsBeats {
                // The drawn length, cut at a time-limited piece's end.
                if let end = plan.endTick { n.durationTicks = max(1, min(n.durationTicks, end - n.startTick)) }
            } else {
                n.durationTicks = d
            }
            ready.append(n)
        }
        pending.removeAll(keepingCapacity: true)
    }
}
