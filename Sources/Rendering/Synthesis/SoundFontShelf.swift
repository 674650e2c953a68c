import Foundation
import Synchronization

/// Loaded SoundFont copies handed from one render to the next.
///
/// Each synthesis thread of a render needs its own loaded copy of the SoundFont (``InstanceGroup``); loading one
/// parses the file and reads its samples into fresh memory, about 5-15 ms and a thousand page faults for the bundled
/// font. Renders that follow one another in one process (an album's tracks, a production's outputs and stems) share a
/// shelf: an engine takes its copies from it and puts them back when it is done, so a 4-track album loads the font
/// twice (once per job) instead of four times. A copy is used by one engine at a time, as FluidSynth requires (see
/// ``InstanceGroup``), and sounds the same whichever render loaded it: the loaded data is never changed by rendering.
/// The shelf keeps at most ``capacity`` copies; the rest, and all of them when the shelf goes, are deleted.
public final class SoundFontShelf: Sendable {
    /// The most copies kept (two per render running at once: one per synthesis thread of a two-thread render).
    public let capacity: Int
    private let kept = Mutex<[InstanceGroup]>([])

    /// A shelf for up to `concurrentRenders` renders at a time.
    public init(concurrentRenders: Int = 2) {
        capacity = 2 * max(1, concurrentRenders)
    }

    deinit {
        for group in kept.withLock({ $0 }) { group.destroy() }
    }

    /// A kept copy of the SoundFont at `path`, if there is one.
    func take(path: String) -> InstanceGroup? {
        kept.withLock { list in
            guard let i = list.firstIndex(where: { $0.path == path }) else { return nil }
            return list.remove(at: i)
        }
    }

    /// Keeps `group` (whose instances are gone) for the next render, or deletes it when ``capacity`` copies are kept.
    func give(_ group: InstanceGroup) {
        let keptIt = kept.withLock { list -> Bool in
            guard list.count < capacity else { return false }
            list.append(group)
            return true
        }
        if !keptIt { group.destroy() }
    }

    /// How many copies are kept now.
    var keptCopies: Int { kept.withLock { $0.count } }
}
