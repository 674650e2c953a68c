import CFluidSynth
import Foundation
import MIDI

/// Drives libfluidsynth offline with sample-accurate event timing.
///
/// FluidSynth renders in fixed 64-frame blocks and starts a note only at a block boundary, so
/// one synthesizer snaps onsets to a 64-frame grid. This engine keeps a small pool of
/// synthesizer instances sharing one loaded SoundFont; a note starts on an instance whose
/// block grid meets the note's frame exactly (an idle instance is re-aligned, a new one is made
/// when needed). Channel state (programs, controllers, bends) goes to every instance; a note-off
/// goes to the instances holding that key. Instances that fall silent stop being rendered.
/// The output is the sum of the instances, so it equals a single synthesizer's sound with exact onsets.
final class FluidSynthEngine {
    private let settings: SynthesisSettings
    private let fluidSettings: OpaquePointer
    private var members: [Member] = []
    private var font: OpaquePointer?
    private var controlLog: [SynthEvent] = []
    /// Per channel*128+key: the (member, generation) pairs holding the key.
    private var holders: [[(Int, Int)]] = Array(repeating: [], count: 16 * 128)
    private var currentProgram = [UInt8](repeating: 0, count: 16)

    private static let block = 64
    /// Frames rendered per step.
    static let chunk = 4096
    private let mixL: UnsafeMutablePointer<Float>
    private let mixR: UnsafeMutablePointer<Float>
    private let scratchL: UnsafeMutablePointer<Float>
    private let scratchR: UnsafeMutablePointer<Float>
    private let ptrs: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>
    private let idleThreshold: Float = 1e-6
    private let idleFrames = 2048
    private let hasEffects: Bool
    /// Instance-frames rendered (sum over instances of frames each rendered): the synthesis work done.
    private(set) var instanceFrames = 0
    /// Instances created.
    var instanceCount: Int { members.count }

    private struct Member {
        var synth: OpaquePointer
        var pulled = 0
        var active = true
        var generation = 0
        var quietFrames = 0
    }

    /// Creates the engine and loads the SoundFont once; throws if FluidSynth refuses it.
    init(settings: SynthesisSettings) throws(RenderError) {
        self.settings = settings
        self.hasEffects = settings.reverb || settings.chorus
        mixL = .allocate(capacity: Self.chunk)
        mixR = .allocate(capacity: Self.chunk)
        scratchL = .allocate(capacity: Self.chunk)
        scratchR = .allocate(capacity: Self.chunk)
        ptrs = .allocate(capacity: 2)
        let s: OpaquePointer? = FluidLibrary.creating { new_fluid_settings() }
        guard let s else {
            Self.free([mixL, mixR, scratchL, scratchR]); ptrs.deallocate()
            throw .synthesisFailed(reason: "FluidSynth could not create its settings")
        }
        fluidSettings = s
        fluid_settings_setnum(s, "synth.sample-rate", Double(settings.sampleRate))
        fluid_settings_setnum(s, "synth.gain", settings.gain)
        fluid_settings_setint(s, "synth.polyphony", Int32(settings.polyphony))
        fluid_settings_setint(s, "synth.reverb.active", settings.reverb ? 1 : 0)
        fluid_settings_setint(s, "synth.chorus.active", settings.chorus ? 1 : 0)
        fluid_settings_setint(s, "synth.threadsafe-api", 0)
        fluid_settings_setint(s, "synth.cpu-cores", 1)
        fluid_settings_setint(s, "synth.lock-memory", 0)
        fluid_settings_setint(s, "synth.dynamic-sample-loading", 0)

        let first = try makeSynth()
        let (id, messages) = FluidLibrary.collectingMessages { fluid_synth_sfload(first, settings.soundFontPath, 1) }
        if id == FLUID_FAILED {
            FluidLibrary.creating { delete_fluid_synth(first) }
            let reason = messages.filter(\.isProblem).last?.text ?? "FluidSynth could not load it"
            throw .soundFontInvalid(path: settings.soundFontPath, reason: reason)
        }
        font = fluid_synth_get_sfont_by_id(first, id)
        members.append(Member(synth: first))
    }

    deinit {
        // Instances other than the first share the first one's SoundFont: detach before deleting.
        FluidLibrary.creating {
            for m in members.dropFirst() {
                if let font { fluid_synth_remove_sfont(m.synth, font) }
                delete_fluid_synth(m.synth)
            }
            if let first = members.first { delete_fluid_synth(first.synth) }
            delete_fluid_settings(fluidSettings)
        }
        Self.free([mixL, mixR, scratchL, scratchR])
        ptrs.deallocate()
    }

    private static func free(_ buffers: [UnsafeMutablePointer<Float>]) {
        for b in buffers { b.deallocate() }
    }

    private func makeSynth() throws(RenderError) -> OpaquePointer {
        let synth: OpaquePointer? = FluidLibrary.creating { new_fluid_synth(fluidSettings) }
        guard let synth else { throw .synthesisFailed(reason: "FluidSynth could not create a synthesizer") }
        return synth
    }

    /// Renders the schedule, handing each block of output (planar left/right, frame count) to `sink`.
    /// Returns the frames rendered in total.
    func render(
        _ schedule: SynthSchedule,
        sink: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void
    ) throws -> Int {
        var position = 0
        var i = 0
        let events = schedule.events
        while i < events.count {
            let f = events[i].frame
            if f > position {
                try advance(f - position, sink: sink)
                position = f
            }
            while i < events.count && events[i].frame == f {
                try apply(events[i])
                i += 1
            }
        }
        // Release tail: until a block is below the silence level, at most tailMax seconds.
        let threshold = Float(pow10(settings.silenceDecibels / 20))
        let tailLimit = position + Int((settings.tailMaxSeconds * Double(settings.sampleRate)).rounded())
        let step = 512
        while position < tailLimit {
            let n = min(step, tailLimit - position)
            renderChunk(n)
            var peak: Float = 0
            for k in 0..<n { peak = max(peak, abs(mixL[k]), abs(mixR[k])) }
            if peak < threshold { break }
            try sink(mixL, mixR, n)
            position += n
        }
        return position
    }

    private func pow10(_ x: Double) -> Double { pow(10, x) }

    /// Renders `frames` frames of every active instance into the output.
    private func advance(_ frames: Int, sink: (UnsafePointer<Float>, UnsafePointer<Float>, Int) throws -> Void) throws {
        var left = frames
        while left > 0 {
            let n = min(left, Self.chunk)
            renderChunk(n)
            try sink(mixL, mixR, n)
            left -= n
        }
    }

    /// Renders `n` (<= chunk) frames of the active instances, summed into mixL/mixR.
    private func renderChunk(_ n: Int) {
        mixL.update(repeating: 0, count: n)
        mixR.update(repeating: 0, count: n)
        for index in members.indices where members[index].active {
            let synth = members[index].synth
            if fluid_synth_get_active_voice_count(synth) > 0 {
                process(synth, n, into: mixL, mixR)
                members[index].quietFrames = 0
            } else {
                // No voices: only effects tails remain; render apart to see when it falls silent.
                scratchL.update(repeating: 0, count: n)
                scratchR.update(repeating: 0, count: n)
                process(synth, n, into: scratchL, scratchR)
                var peak: Float = 0
                for k in 0..<n {
                    mixL[k] += scratchL[k]
                    mixR[k] += scratchR[k]
                    peak = max(peak, abs(scratchL[k]), abs(scratchR[k]))
                }
                if peak < idleThreshold {
                    members[index].quietFrames += n
                    // With effects there may be a tail still to come out of the delay lines.
                    if members[index].quietFrames >= (hasEffects ? idleFrames : 0) {
                        members[index].active = false
                        members[index].generation += 1
                    }
                } else {
                    members[index].quietFrames = 0
                }
            }
            members[index].pulled += n
            instanceFrames += n
        }
    }

    /// Adds `n` frames of `synth` (dry + effects) into the two buffers.
    private func process(_ synth: OpaquePointer, _ n: Int, into l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>) {
        ptrs[0] = l
        ptrs[1] = r
        // Without reverb and chorus there is no effects output to mix.
        fluid_synth_process(synth, Int32(n), hasEffects ? 2 : 0, hasEffects ? ptrs : nil, 2, ptrs)
    }

    /// Frames until the instance's next block boundary (0 when a note-on now starts exactly now).
    private func lateness(_ m: Member) -> Int { (Self.block - m.pulled % Self.block) % Self.block }

    /// Picks (or makes) the instance on which a note-on at the current frame starts on time.
    private func memberForOnset() throws(RenderError) -> Int {
        let tolerance = settings.onsetToleranceFrames
        var best = -1
        var bestLate = Int.max
        for (i, m) in members.enumerated() where m.active {
            let late = lateness(m)
            if late == 0 { return i }
            if late < bestLate { best = i; bestLate = late }
        }
        if best >= 0 && bestLate <= tolerance { return best }
        if let idle = members.firstIndex(where: { !$0.active }) {
            // Drop what it buffered past its last block so its next block starts now.
            let leftover = lateness(members[idle])
            if leftover > 0 {
                scratchL.update(repeating: 0, count: leftover)
                scratchR.update(repeating: 0, count: leftover)
                process(members[idle].synth, leftover, into: scratchL, scratchR)
            }
            members[idle].pulled = 0
            members[idle].active = true
            members[idle].quietFrames = 0
            return idle
        }
        if members.count < max(1, settings.maxInstances) {
            let synth = try makeSynth()
            if let font { fluid_synth_add_sfont(synth, font) }
            for e in controlLog { send(e, to: synth) }
            members.append(Member(synth: synth))
            return members.count - 1
        }
        return best
    }

    private func apply(_ e: SynthEvent) throws(RenderError) {
        let ch = Int32(e.channel)
        let key = Int(e.channel) * 128 + Int(e.data1)
        switch e.kind {
        case .noteOn:
            if currentProgram[Int(e.channel)] != e.program {
                try apply(SynthEvent(frame: e.frame, rank: 1, kind: .programChange, channel: e.channel,
                                     data1: e.program, data2: 0, program: e.program, sequence: e.sequence))
            }
            let target = try memberForOnset()
            // One synthesizer releases a sounding key when it is struck again; do the same across instances.
            for (m, gen) in holders[key] where m != target && members[m].generation == gen {
                fluid_synth_noteoff(members[m].synth, ch, Int32(e.data1))
            }
            fluid_synth_noteon(members[target].synth, ch, Int32(e.data1), Int32(e.data2))
            holders[key] = [(target, members[target].generation)]
        case .noteOff:
            for (m, gen) in holders[key] where members[m].generation == gen {
                fluid_synth_noteoff(members[m].synth, ch, Int32(e.data1))
            }
            holders[key].removeAll(keepingCapacity: true)
        default:
            if e.kind == .programChange { currentProgram[Int(e.channel)] = e.data1 }
            controlLog.append(e)
            for m in members { send(e, to: m.synth) }
        }
    }

    /// Sends a channel-state command to one instance.
    private func send(_ e: SynthEvent, to synth: OpaquePointer) {
        let ch = Int32(e.channel)
        switch e.kind {
        case .controlChange: fluid_synth_cc(synth, ch, Int32(e.data1), Int32(e.data2))
        case .programChange: fluid_synth_program_change(synth, ch, Int32(e.data1))
        case .pitchBend: fluid_synth_pitch_bend(synth, ch, Int32(e.data2))
        case .channelPressure: fluid_synth_channel_pressure(synth, ch, Int32(e.data2))
        case .keyPressure: fluid_synth_key_pressure(synth, ch, Int32(e.data1), Int32(e.data2))
        case .noteOn, .noteOff: break
        }
    }
}
