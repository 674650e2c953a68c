import CFluidSynth

/// The synthesizer instances rendered by one thread, all sharing that group's own loaded copy of the SoundFont.
///
/// FluidSynth counts references to SoundFont samples with plain, non-atomic `++`/`--` (`fluid_sample_incr_ref`
/// / `fluid_sample_decr_ref` in `fluid_sfont.h`), and the render path itself drops references when a voice
/// finishes (`fluid_voice_stop`, called from `fluid_synth_check_finished_voices` during `fluid_synth_process`).
/// Synthesizers sharing one loaded SoundFont must therefore never render at the same time, so each group
/// (thread) loads its own copy and its instances use only that copy.
///
/// Thread safety (why `@unchecked Sendable` is sound): the engine adds instances only while no worker runs;
/// during a segment only the group's thread calls ``renderSegment()``; ``RenderWorker``'s semaphores order
/// the hand-overs (see ``SynthInstance``).
final class InstanceGroup: @unchecked Sendable {
    /// The synthesizer that loaded the group's SoundFont copy (its first instance).
    let owner: OpaquePointer
    /// The group's loaded SoundFont.
    let font: OpaquePointer
    /// The group's instances, in creation order.
    private(set) var members: [SynthInstance] = []
    /// Frames in the segment being rendered.
    var frames = 0

    /// A group whose first synthesizer `owner` has loaded `font`.
    init(owner: OpaquePointer, font: OpaquePointer) {
        self.owner = owner
        self.font = font
    }

    /// Adds an instance (its synthesizer uses ``font``).
    func add(_ instance: SynthInstance) { members.append(instance) }

    /// Renders every instance of the group for the current segment.
    func renderSegment() {
        for m in members { m.renderSegment(frames) }
    }
}
