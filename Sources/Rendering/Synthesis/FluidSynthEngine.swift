import CFluidSynth
import Foundation
import MIDI

/// Drives libfluidsynth offline with sample-accurate event timing, on one or more threads.
///
/// FluidSynth renders in fixed 64-frame blocks and starts a note only at a block boundary, so
/// one synthesizer snaps onsets to a 64-frame grid. This engine keeps a small pool of
/// synthesizer instances; a note starts on an instance whose block grid meets the note's frame
/// exactly (an idle instance is re-aligned, a new one is made when needed). Channel state
/// (programs, controllers, bends) goes to every instance; a note-off goes to the instances holding
/// that key. Instances that fall silent stop being rendered and are retired at the segment end.
///
/// The music is rendered in segments of up to ``segment`` frames: the engine plans each instance's
/// commands for the segment (on the calling thread), then the instances are rendered, split into
/// ``InstanceGroup``s of which each has its own thread and its own loaded copy of the SoundFont
/// (the calling thread renders group 0, a ``RenderWorker`` each other group, and the calling thread takes back
/// any group whose worker is late: it has not started when group 0 is done); each instance writes its
/// own buffer, and the buffers are summed in instance order. Which thread renders an instance does not
/// change what it plays, so the output is bit-identical for any thread count.
///
/// Reverb and chorus: the exact-onset instances are always dry. With effects on, one more instance (the
/// effects instance, on the last thread's group) plays every note like a single FluidSynth and contributes
/// only its reverb and chorus output: the effects get the same input as in one synthesizer (its onsets on
/// FluidSynth's own 64-frame grid, like the fluidsynth CLI's), and run once instead of once per instance.
final class FluidSynthEngine {
    private let settings: SynthesisSettings
    /// FluidSynth settings of the dry instances (reverb and chorus off) and, with effects, of the effects instance.
    private let drySettings: OpaquePointer
    private let wetSettings: OpaquePointer?
    private var members: [SynthInstance] = []
    private var effectsInstance: SynthInstance?
    private var groups: [InstanceGroup?]
    private var workers: [RenderWorker] = []
    /// SoundFont copies of the groups: taken from the shelf, or (groups 1...) loading in the background (nil once taken).
    private var loaders: [GroupLoader?]
    /// Where loaded SoundFont copies come from and go back to (nil: loaded for this engine alone).
    private let shelf: SoundFontShelf?
    private var controlLog: [SynthEvent] = []
    /// Per channel*128+key: the (member, generation) pairs holding the key.
    private var holders: [[(Int, Int)]] = Array(repeating: [], count: 16 * 128)
    private var currentProgram = [UInt8](repeating: 0, count: 16)
    private let threadCount: Int
    /// Segments rendered so far (the number of the last one opened to the groups).
    private var segmentNumber = 0

    /// Frames per segment (events are planned and threads meet once per segment): 0.37 s at 44.1 kHz. 4,096 made
    /// 1,300 hand-overs a 2-minute render, 0.1 CPU-s of futex waits and context switches (a sixth of the render).
    static let segment = 16_384
    /// The engine's own output buffers, and the ones the current segment is summed into.
    private let ownL: UnsafeMutablePointer<Float>
    private let ownR: UnsafeMutablePointer<Float>
    private var mixL: UnsafeMutablePointer<Float>
    private var mixR: UnsafeMutablePointer<Float>
    private let hasEffects: Bool
    /// Instance-frames rendered (sum over instances of frames each rendered): the synthesis work done.
    private(set) var instanceFrames = 0
    /// Exact-onset instances created (not counting the effects instance).
    var instanceCount: Int { members.count }
    /// Threads rendering (groups in use).
    var threadsUsed: Int { groups.compactMap { $0 }.count }

    /// Creates the engine and loads the SoundFont once (or takes loaded copies from `shelf`, and puts them back when
    /// done); throws if FluidSynth refuses it.
    init(settings: SynthesisSettings, shelf: SoundFontShelf? = nil) throws(RenderError) {
        self.settings = settings
        self.shelf = shelf
        self.hasEffects = settings.reverb || settings.chorus
        self.threadCount = max(1, settings.threads)
        groups = Array(repeating: nil, count: max(1, settings.threads))
        ownL = .allocate(capacity: Self.segment)
        ownR = .allocate(capacity: Self.segment)
        mixL = ownL
        mixR = ownR
        guard let dry = Self.makeSettings(settings, effects: false) else {
            ownL.deallocate(); ownR.deallocate()
            throw .synthesisFailed(reason: "FluidSynth could not create its settings")
        }
        drySettings = dry
        wetSettings = hasEffects ? Self.makeSettings(settings, effects: true) : nil
        // The groups' SoundFont copies: from the shelf where it has them, else group 0's below on this thread and the
        // others' meanwhile on their own threads.
        loaders = (0..<threadCount).map { g in
            if let kept = shelf?.take(path: settings.soundFontPath) { return GroupLoader(loaded: kept) }
            return g == 0 ? nil : GroupLoader(path: settings.soundFontPath)
        }
        // The first instance and group; the SoundFont is checked here, before any output exists.
        _ = try addInstance(origin: 0)
        if hasEffects {
            guard let wetSettings else { throw .synthesisFailed(reason: "FluidSynth could not create its settings") }
            effectsInstance = try makeInstance(group: threadCount - 1, fluidSettings: wetSettings, effectsOnly: true)
        }
    }

    private static func makeSettings(_ settings: SynthesisSettings, effects: Bool) -> OpaquePointer? {
        let made: OpaquePointer? = FluidLibrary.creating { new_fluid_settings() }
        guard let s = made else { return nil }
        fluid_settings_setnum(s, "synth.sample-rate", Double(settings.sampleRate))
        fluid_settings_setnum(s, "synth.gain", settings.gain)
        fluid_settings_setint(s, "synth.polyphony", Int32(settings.polyphony))
        fluid_settings_setint(s, "synth.reverb.active", effects && settings.reverb ? 1 : 0)
        fluid_settings_setint(s, "synth.chorus.active", effects && settings.chorus ? 1 : 0)
        fluid_settings_setint(s, "synth.threadsafe-api", 0)
        fluid_settings_setint(s, "synth.cpu-cores", 1)
        fluid_settings_setint(s, "synth.lock-memory", 0)
        fluid_settings_setint(s, "synth.dynamic-sample-loading", 0)
        return s
    }

    deinit {
        for w in workers { w.stop() }
        for case let l? in loaders {
            if case .success(let g) = l.wait() { putAway(g) }
        }
        for case let g? in groups { putAway(g) }
        FluidLibrary.creating {
            delete_fluid_settings(drySettings)
            if let wetSettings { delete_fluid_settings(wetSettings) }
        }
        ownL.deallocate()
        ownR.deallocate()
    }

    /// A group no longer used: back on the shelf without its instances, or deleted when there is none.
    private func putAway(_ group: InstanceGroup) {
        guard let shelf else { return group.destroy() }
        group.releaseMembers()
        shelf.give(group)
    }

    /// The group for exact-onset instance number `index`: groups are dealt in a snake order (0 1 1 0 0 1 ...),
    /// since earlier instances take more notes; with effects on (and several threads) the last group is left
    /// to the effects instance, which plays every note.
    private func groupIndex(forInstance index: Int) -> Int {
        let n = hasEffects && threadCount > 1 ? threadCount - 1 : threadCount
        let p = index % (2 * n)
        return p < n ? p : 2 * n - 1 - p
    }

    /// Makes an exact-onset instance whose block grid starts at absolute frame `origin` (only while no worker runs).
    private func addInstance(origin: Int) throws(RenderError) -> SynthInstance {
        let instance = try makeInstance(group: groupIndex(forInstance: members.count), fluidSettings: drySettings, effectsOnly: false)
        instance.origin = origin
        members.append(instance)
        return instance
    }

    /// Makes a synthesizer in group `g` (loading the group's SoundFont copy if it is the group's first),
    /// brought up to date with the channel state so far.
    private func makeInstance(group g: Int, fluidSettings: OpaquePointer, effectsOnly: Bool) throws(RenderError) -> SynthInstance {
        let made: OpaquePointer? = FluidLibrary.creating { new_fluid_synth(fluidSettings) }
        guard let synth = made else { throw .synthesisFailed(reason: "FluidSynth could not create a synthesizer") }
        let group: InstanceGroup
        if let existing = groups[g] {
            group = existing
        } else {
            // The group's own copy of the SoundFont: loaded here for group 0, in the background for the others.
            let loaded: Result<InstanceGroup, RenderError>
            if let loader = loaders[g] {
                loaders[g] = nil
                loaded = loader.wait()
            } else {
                loaded = InstanceGroup.load(path: settings.soundFontPath)
            }
            switch loaded {
            case .success(let made): group = made
            case .failure(let error):
                FluidLibrary.creating { delete_fluid_synth(synth) }
                throw error
            }
            groups[g] = group
            if g > 0 { workers.append(RenderWorker(group: group)) }
        }
        fluid_synth_add_sfont(synth, group.font)
        let instance = SynthInstance(synth: synth, group: g, capacity: Self.segment, effectsOnly: effectsOnly)
        for e in controlLog { instance.sendNow(e) }
        group.add(instance)
        return instance
    }

    /// Renders the schedule, handing each block of output (planar left/right, frame count) to `sink`,
    /// in order. The sink runs on its own thread (``SinkPipeline``), one segment behind synthesis, and is released
    /// before this returns: metering and spooling overlap synthesis whenever a core is free (a render on its own, or
    /// the last track of an album). `target`, given the frames rendered so far and a segment's frame count, may name
    /// memory to render that segment into (planar left/right, valid until the sink has had it; nil: the pipeline's own
    /// buffers): a render that keeps its whole mix (``AudioSpool``) has it synthesized where it is kept, not copied there.
    /// Returns the frames rendered in total.
    func render(
        _ schedule: SynthSchedule,
        target: ((Int, Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)?)? = nil,
        sink: @escaping (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void
    ) throws -> Int {
        let pipeline = SinkPipeline(capacity: Self.segment, sink: sink)
        defer {
            // On an early exit (an error), stop the sink thread; its own error, if any, is already thrown.
            try? pipeline.finish()
            mixL = ownL
            mixR = ownR
        }
        var position = 0
        func next(_ n: Int) throws { (mixL, mixR) = try pipeline.next(into: target?(position, n)) }
        func emit(_ n: Int) { pipeline.emit(n) }
        let events = schedule.events
        let last = schedule.endFrame
        var i = 0
        while position < last {
            let n = min(Self.segment, last - position)
            try plan(events, from: &i, segmentStart: position, frames: n)
            try next(n)
            renderSegment(n)
            emit(n)
            position += n
        }
        // Release tail: until a 512-frame step is below the silence level, at most tailMax seconds.
        let threshold = Float(Foundation.pow(10, settings.silenceDecibels / 20))
        let tailLimit = position + Int((settings.tailMaxSeconds * Double(settings.sampleRate)).rounded())
        let step = 512
        var first = true
        while position < tailLimit || first {
            let n = max(0, min(Self.segment, tailLimit - position))
            try plan(events, from: &i, segmentStart: position, frames: n)
            first = false
            if n == 0 { break }
            try next(n)
            renderSegment(n)
            var k = 0
            let outL = mixL, outR = mixR
            while k < n {
                let m = min(step, n - k)
                if SamplePeak.largest(outL + k, outR + k, count: m) < threshold { break }
                k += m
            }
            emit(k)
            position += k
            if k < n { break }
        }
        try pipeline.finish()
        return position
    }

    /// Plans the events before `segmentStart + frames` (all remaining ones when `frames` is 0) as instance actions.
    private func plan(_ events: [SynthEvent], from i: inout Int, segmentStart: Int, frames: Int) throws(RenderError) {
        for m in members { m.beginPlan() }
        effectsInstance?.beginPlan()
        let end = segmentStart + frames
        while i < events.count && (events[i].frame < end || frames == 0) {
            try apply(events[i], offset: events[i].frame - segmentStart)
            i += 1
        }
    }

    /// Renders the planned segment on every group's thread, sums the instances in order into mixL/mixR,
    /// and retires the instances that fell silent.
    private func renderSegment(_ n: Int) {
        segmentNumber += 1
        for case let g? in groups {
            g.frames = n
            g.open(segment: segmentNumber)
        }
        for w in workers { w.begin() }
        groups[0]?.renderSegment()
        // A worker that has not started by now is late (its core is busy): render its group here instead.
        var takenBack: UInt64 = 0
        for (k, w) in workers.enumerated() where w.group.claim(segment: segmentNumber) {
            w.group.renderSegment()
            takenBack |= 1 << UInt64(k)
        }
        for (k, w) in workers.enumerated() where takenBack & (1 << UInt64(k)) == 0 { w.finish() }
        var filled = false
        for m in members {
            add(m, n, filled: &filled)
            // A dry instance without voices is silent: retire it (it may be re-aligned for a later note).
            if m.active && m.voices == 0 {
                m.active = false
                m.generation += 1
            }
        }
        if let effectsInstance { add(effectsInstance, n, filled: &filled) }
        if !filled {
            mixL.update(repeating: 0, count: n)
            mixR.update(repeating: 0, count: n)
        }
    }

    /// Adds an instance's output for the segment into mixL/mixR; the first instance with output (`filled` false)
    /// is copied in, with silence around the frames it wrote, instead of clearing the mix and adding.
    private func add(_ m: SynthInstance, _ n: Int, filled: inout Bool) {
        let s = m.writtenStart, e = min(m.writtenEnd, n)
        if e > s {
            let l = m.left, r = m.right, outL = mixL, outR = mixR
            if filled {
                for k in s..<e {
                    outL[k] += l[k]
                    outR[k] += r[k]
                }
            } else {
                outL.update(repeating: 0, count: s)
                outR.update(repeating: 0, count: s)
                (outL + s).update(from: l + s, count: e - s)
                (outR + s).update(from: r + s, count: e - s)
                (outL + e).update(repeating: 0, count: n - e)
                (outR + e).update(repeating: 0, count: n - e)
                filled = true
            }
        }
        instanceFrames += m.framesRendered
    }

    /// Picks (or makes) the instance on which a note-on at absolute frame `frame` starts on time.
    private func memberForOnset(frame: Int, offset: Int) throws(RenderError) -> Int {
        let tolerance = settings.onsetToleranceFrames
        var best = -1
        var bestLate = Int.max
        for (i, m) in members.enumerated() where m.active {
            let late = m.lateness(at: frame)
            if late == 0 { return i }
            if late < bestLate { best = i; bestLate = late }
        }
        if best >= 0 && bestLate <= tolerance { return best }
        if let idle = members.firstIndex(where: { !$0.active }) {
            let m = members[idle]
            m.actions.append(.init(offset: offset, realign: true, event: Self.placeholder))
            m.origin = frame
            m.active = true
            return idle
        }
        if members.count < max(1, settings.maxInstances) {
            let m = try addInstance(origin: frame)
            m.activeAtStart = false
            m.actions.append(.init(offset: offset, realign: true, event: Self.placeholder))
            return members.count - 1
        }
        return best
    }

    private static let placeholder = SynthEvent(frame: 0, rank: 0, kind: .noteOff, channel: 0, data1: 0, data2: 0, program: 0, sequence: 0)

    /// Plans one event at segment offset `offset`.
    private func apply(_ e: SynthEvent, offset: Int) throws(RenderError) {
        let key = Int(e.channel) * 128 + Int(e.data1)
        switch e.kind {
        case .noteOn:
            if currentProgram[Int(e.channel)] != e.program {
                try apply(SynthEvent(frame: e.frame, rank: 1, kind: .programChange, channel: e.channel,
                                     data1: e.program, data2: 0, program: e.program, sequence: e.sequence), offset: offset)
            }
            let target = try memberForOnset(frame: e.frame, offset: offset)
            // One synthesizer releases a sounding key when it is struck again; do the same across instances.
            var off = e
            off.kind = .noteOff
            off.data2 = 0
            for (m, gen) in holders[key] where m != target && members[m].generation == gen {
                members[m].actions.append(.init(offset: offset, realign: false, event: off))
            }
            let t = members[target]
            t.actions.append(.init(offset: offset, realign: false, event: e))
            t.lastNoteAction = t.actions.count - 1
            holders[key].removeAll(keepingCapacity: true)
            holders[key].append((target, t.generation))
            effectsInstance?.actions.append(.init(offset: offset, realign: false, event: e))
        case .noteOff:
            for (m, gen) in holders[key] where members[m].generation == gen {
                members[m].actions.append(.init(offset: offset, realign: false, event: e))
            }
            holders[key].removeAll(keepingCapacity: true)
            effectsInstance?.actions.append(.init(offset: offset, realign: false, event: e))
        default:
            if e.kind == .programChange { currentProgram[Int(e.channel)] = e.data1 }
            controlLog.append(e)
            for m in members { m.actions.append(.init(offset: offset, realign: false, event: e)) }
            effectsInstance?.actions.append(.init(offset: offset, realign: false, event: e))
        }
    }
}
