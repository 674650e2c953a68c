import CFluidSynth
import Foundation
import Synchronization

/// The synthesizer instances rendered by one thread, all sharing that group's own loaded copy of the SoundFont.
///
/// FluidSynth counts references to SoundFont samples with plain, non-atomic `++`/`--` (`fluid_sample_incr_ref`
/// / `fluid_sample_decr_ref` in `fluid_sfont.h`), and the render path itself drops references when a voice
/// finishes (`fluid_voice_stop`, called from `fluid_synth_check_finished_voices` during `fluid_synth_process`).
/// Synthesizers sharing one loaded SoundFont must therefore never render at the same time, so each group
/// (thread) loads its own copy and its instances use only that copy.
///
/// Thread safety (why `@unchecked Sendable` is sound): the engine adds instances only while no worker runs;
/// during a segment only the thread that claimed the group (``claim(segment:)``) calls ``renderSegment()``;
/// the claim and ``RenderWorker``'s semaphores order the hand-overs (see ``SynthInstance``).
final class InstanceGroup: @unchecked Sendable {
    /// The SoundFont file loaded.
    let path: String
    /// The synthesizer that loaded the group's SoundFont copy (it holds the copy and is never rendered).
    let owner: OpaquePointer
    /// The owner's own FluidSynth settings (so the copy can outlive the engine that loaded it, see ``SoundFontShelf``).
    private let ownerSettings: OpaquePointer
    /// The group's loaded SoundFont.
    let font: OpaquePointer
    /// The group's instances, in creation order.
    private(set) var members: [SynthInstance] = []
    /// Frames in the segment being rendered.
    var frames = 0
    /// The segment (numbered from 1) that may be claimed now, and the last one claimed.
    private let opened = Atomic<Int>(0)
    private let claimed = Atomic<Int>(0)

    /// A group whose first synthesizer `owner` (made with `ownerSettings`, which the group now owns) has loaded `font`
    /// from `path`.
    private init(path: String, owner: OpaquePointer, ownerSettings: OpaquePointer, font: OpaquePointer) {
        self.path = path
        self.owner = owner
        self.ownerSettings = ownerSettings
        self.font = font
    }

    /// Loads a copy of the SoundFont at `path` into a new holder synthesizer (one voice: it never plays).
    static func load(path: String) -> Result<InstanceGroup, RenderError> {
        let madeSettings: OpaquePointer? = FluidLibrary.creating { new_fluid_settings() }
        guard let settings = madeSettings else { return .failure(.synthesisFailed(reason: "FluidSynth could not create its settings")) }
        fluid_settings_setint(settings, "synth.polyphony", 1)
        fluid_settings_setint(settings, "synth.reverb.active", 0)
        fluid_settings_setint(settings, "synth.chorus.active", 0)
        fluid_settings_setint(settings, "synth.threadsafe-api", 0)
        fluid_settings_setint(settings, "synth.lock-memory", 0)
        fluid_settings_setint(settings, "synth.dynamic-sample-loading", 0)
        let made: OpaquePointer? = FluidLibrary.creating { new_fluid_synth(settings) }
        guard let synth = made else {
            FluidLibrary.creating { delete_fluid_settings(settings) }
            return .failure(.synthesisFailed(reason: "FluidSynth could not create a synthesizer"))
        }
        let (id, messages) = FluidLibrary.collectingMessages { fluid_synth_sfload(synth, path, 1) }
        guard id != FLUID_FAILED, let font = fluid_synth_get_sfont_by_id(synth, id) else {
            FluidLibrary.creating {
                delete_fluid_synth(synth)
                delete_fluid_settings(settings)
            }
            let reason = messages.filter(\.isProblem).last?.text ?? "FluidSynth could not load it"
            return .failure(.soundFontInvalid(path: path, reason: reason))
        }
        return .success(InstanceGroup(path: path, owner: synth, ownerSettings: settings, font: font))
    }

    /// Deletes the instances' synthesizers, keeping the loaded SoundFont, and starts the segment count again: the
    /// group as loaded, for another engine (only once no thread renders the group).
    func releaseMembers() {
        FluidLibrary.creating {
            for m in members {
                fluid_synth_remove_sfont(m.synth, font)
                delete_fluid_synth(m.synth)
            }
        }
        members.removeAll()
        frames = 0
        opened.store(0, ordering: .releasing)
        claimed.store(0, ordering: .releasing)
    }

    /// Deletes the instances' synthesizers and the holder (only once no thread renders the group).
    func destroy() {
        releaseMembers()
        FluidLibrary.creating {
            delete_fluid_synth(owner)
            delete_fluid_settings(ownerSettings)
        }
    }

    /// Adds an instance (its synthesizer uses ``font``).
    func add(_ instance: SynthInstance) { members.append(instance) }

    /// Makes segment number `segment` (counting from 1, after ``frames`` and the plan are set) claimable.
    func open(segment: Int) { opened.store(segment, ordering: .releasing) }

    /// The segment opened last.
    var openSegment: Int { opened.load(ordering: .acquiring) }

    /// Claims the group's rendering of segment `segment`: true for exactly one caller per segment.
    func claim(segment: Int) -> Bool {
        var seen = claimed.load(ordering: .relaxed)
        while seen < segment {
            let (exchanged, original) = claimed.compareExchange(expected: seen, desired: segment, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            seen = original
        }
        return false
    }

    /// Renders every instance of the group for the current segment.
    func renderSegment() {
        for m in members { m.renderSegment(frames) }
    }
}

/// Loads one group's SoundFont copy on a short-lived thread, while the engine loads group 0's on the calling thread
/// (or holds a copy taken from a ``SoundFontShelf``, loaded already).
///
/// Thread safety (why `@unchecked Sendable` is sound): `result` is written once by the loading thread before
/// `done.signal()` and read only after `done.wait()` (happens-before); FluidSynth objects are made under
/// ``FluidLibrary/creationLock``.
final class GroupLoader: @unchecked Sendable {
    private var result: Result<InstanceGroup, RenderError>?
    private let done = DispatchSemaphore(value: 0)

    /// Starts loading the SoundFont at `path`.
    init(path: String) {
        let thread = Thread { [self] in
            self.result = InstanceGroup.load(path: path)
            self.done.signal()
        }
        thread.name = "tunesmith.sfload"
        thread.start()
    }

    /// A loader whose copy is already loaded (taken from a ``SoundFontShelf``).
    init(loaded group: InstanceGroup) {
        result = .success(group)
        done.signal()
    }

    /// Waits for the load (call once).
    func wait() -> Result<InstanceGroup, RenderError> {
        done.wait()
        return result ?? .failure(.synthesisFailed(reason: "the SoundFont copy was not loaded"))
    }
}
