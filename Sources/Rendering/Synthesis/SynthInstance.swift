import CFluidSynth

/// One FluidSynth instance of the engine's pool: its plan for the current segment and its own output.
///
/// Each segment, the engine (on the calling thread) fills ``actions`` with the commands this instance plays,
/// at frame offsets into the segment; then one thread (the worker of the instance's ``group``) runs
/// ``renderSegment(_:)``, which renders the instance between its commands into ``left``/``right`` (the calling
/// thread renders it instead when the worker is late: see ``RenderWorker``).
/// The engine then reads the results (``writtenStart`` ..< ``writtenEnd``, ``voices``).
///
/// An instance is either dry (exact onsets; its synthesizer has reverb and chorus off) or the engine's one
/// effects instance (``effectsOnly``), which plays every note on its own 64-frame grid, as the FluidSynth CLI
/// does, and contributes only its reverb and chorus output.
///
/// Thread safety (why `@unchecked Sendable` is sound): every field is touched either by the engine while
/// no worker runs, or by exactly one worker during a segment; the engine hands over and takes back the
/// instances through the group's release/acquire claim (``InstanceGroup/open(segment:)``,
/// ``InstanceGroup/claim(segment:)``) and ``RenderWorker``'s `done` semaphore, which order all accesses
/// (happens-before), so no field is ever accessed concurrently.
/// The FluidSynth synthesizer is likewise only used by one thread at a time.
final class SynthInstance: @unchecked Sendable {
    /// One command at a frame offset into the segment: a synthesizer event, or a re-alignment of the block grid.
    struct Action {
        /// Frames from the segment start.
        var offset: Int
        /// True: drop the partial block buffered inside FluidSynth so the next block starts at `offset`.
        var realign: Bool
        /// The event (ignored for a re-alignment).
        var event: SynthEvent
    }

    /// FluidSynth's 64-frame block.
    static let block = 64

    /// The synthesizer.
    let synth: OpaquePointer
    /// The worker group (and SoundFont copy) the instance belongs to.
    let group: Int

    // Engine (planner) state.
    /// Whether the instance is being rendered (false once it has fallen silent and been retired).
    var active = true
    /// Bumped on retirement, so note-offs for keys struck before it do not reach a re-used instance.
    var generation = 0
    /// Absolute frame where the instance's block grid starts (valid while active).
    var origin = 0
    /// Whether the instance renders from the segment start.
    var activeAtStart = true
    /// This segment's commands, in the order they are applied.
    var actions: [Action] = []
    /// Index in ``actions`` of the last note-on or re-alignment (-1: none); after it the instance may stop early.
    var lastNoteAction = -1

    // Worker results.
    /// Frames pulled from the synthesizer since its grid was last aligned.
    private(set) var pulled = 0
    /// The segment frames written into ``left``/``right``: `writtenStart ..< writtenEnd`.
    private(set) var writtenStart = 0
    private(set) var writtenEnd = 0
    /// Voices sounding at the end of the segment.
    private(set) var voices = 0
    /// Frames synthesized this segment (work done).
    private(set) var framesRendered = 0

    /// The instance's output for the segment (planar).
    let left: UnsafeMutablePointer<Float>
    let right: UnsafeMutablePointer<Float>
    private let ptrs: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>
    private var rendering = false
    /// True for the effects instance: only its reverb and chorus output is kept, and it never stops early.
    let effectsOnly: Bool

    /// Wraps `synth` (owned by the engine) with output buffers of `capacity` frames.
    init(synth: OpaquePointer, group: Int, capacity: Int, effectsOnly: Bool = false) {
        self.synth = synth
        self.group = group
        self.effectsOnly = effectsOnly
        // A re-alignment may drop up to one block past the last frame.
        left = .allocate(capacity: capacity + Self.block)
        right = .allocate(capacity: capacity + Self.block)
        ptrs = .allocate(capacity: 2)
    }

    deinit {
        left.deallocate()
        right.deallocate()
        ptrs.deallocate()
    }

    /// Frames until the block boundary at or after absolute frame `frame` (0: a note-on there starts on time).
    func lateness(at frame: Int) -> Int {
        (Self.block - (frame - origin) % Self.block) % Self.block
    }

    /// Clears the plan at a segment start.
    func beginPlan() {
        actions.removeAll(keepingCapacity: true)
        activeAtStart = active
        lastNoteAction = -1
    }

    /// Plays this segment's actions and renders `frames` frames around them (a dry instance stops
    /// rendering once no voice sounds and no note is to come).
    func renderSegment(_ frames: Int) {
        rendering = activeAtStart
        writtenStart = 0
        writtenEnd = 0
        framesRendered = 0
        for index in actions.indices {
            let a = actions[index]
            if rendering && a.offset > writtenEnd {
                advance(to: a.offset, mayStop: !effectsOnly && index > lastNoteAction)
            }
            if a.realign {
                realign(at: a.offset)
            } else {
                send(a.event)
            }
        }
        if rendering { advance(to: frames, mayStop: !effectsOnly) }
        voices = Int(fluid_synth_get_active_voice_count(synth))
    }

    /// Renders up to segment offset `end`; with `mayStop`, in short steps that end once no voice sounds.
    private func advance(to end: Int, mayStop: Bool) {
        while writtenEnd < end {
            if mayStop && fluid_synth_get_active_voice_count(synth) == 0 {
                rendering = false
                return
            }
            let n = mayStop ? min(end - writtenEnd, 1024) : end - writtenEnd
            let l = left + writtenEnd, r = right + writtenEnd
            l.update(repeating: 0, count: n)
            r.update(repeating: 0, count: n)
            process(n, l, r)
            writtenEnd += n
        }
    }

    /// Drops what FluidSynth buffered past its last block, so its next block starts at `offset`.
    private func realign(at offset: Int) {
        let leftover = (Self.block - pulled % Self.block) % Self.block
        if leftover > 0 {
            // Scratch use of the output buffer: the real output from `offset` is cleared before it is written.
            process(leftover, left + offset, right + offset)
        }
        pulled = 0
        rendering = true
        writtenStart = offset
        writtenEnd = offset
    }

    /// Adds `n` frames of the synthesizer (dry; for the effects instance its reverb and chorus only) into `l`/`r`.
    private func process(_ n: Int, _ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>) {
        ptrs[0] = l
        ptrs[1] = r
        if effectsOnly {
            // Two effects buffers: FluidSynth adds reverb and chorus (effects channels 0 and 1) into them; no dry output.
            fluid_synth_process(synth, Int32(n), 2, ptrs, 0, nil)
        } else {
            fluid_synth_process(synth, Int32(n), 0, nil, 2, ptrs)
        }
        pulled += n
        framesRendered += n
    }

    /// Sends one event to the synthesizer.
    private func send(_ e: SynthEvent) {
        let ch = Int32(e.channel)
        switch e.kind {
        case .noteOn: fluid_synth_noteon(synth, ch, Int32(e.data1), Int32(e.data2))
        case .noteOff: fluid_synth_noteoff(synth, ch, Int32(e.data1))
        case .controlChange: fluid_synth_cc(synth, ch, Int32(e.data1), Int32(e.data2))
        case .programChange: fluid_synth_program_change(synth, ch, Int32(e.data1))
        case .pitchBend: fluid_synth_pitch_bend(synth, ch, Int32(e.data2))
        case .channelPressure: fluid_synth_channel_pressure(synth, ch, Int32(e.data2))
        case .keyPressure: fluid_synth_key_pressure(synth, ch, Int32(e.data1), Int32(e.data2))
        }
    }

    /// Sends a channel-state event right away (used to bring a new instance up to date).
    func sendNow(_ e: SynthEvent) { send(e) }
}
