import Foundation
import Synchronization

/// Memory for spooled mixes, handed from one render to the next.
///
/// A render keeps its whole mix in memory between its two passes (``AudioSpool``). Fresh memory costs the kernel a
/// page fault and a cleared page for every 4 KB the mix fills, about 3 % of an album's CPU time; a region that an
/// earlier render of the same process filled costs neither. An album, or one production's several outputs and
/// stems, shares one `MixMemory`: a spool takes its regions from it and gives them back when it is done. It keeps at
/// most ``capacity`` regions; the rest are unmapped.
public final class MixMemory: Sendable {
    /// The most regions kept for reuse (two per render running at once).
    public let capacity: Int
    private let kept = Mutex<[PlanarRegion]>([])

    /// Memory kept for up to `concurrentRenders` renders at a time.
    public init(concurrentRenders: Int = 2) {
        capacity = 2 * max(1, concurrentRenders)
    }

    /// A kept region of exactly `floats` floats, if there is one.
    func take(floats: Int) -> PlanarRegion? {
        kept.withLock { list in
            guard let i = list.firstIndex(where: { $0.floats == floats }) else { return nil }
            return list.remove(at: i)
        }
    }

    /// Keeps `region` for the next render (or lets it go when ``capacity`` regions are kept already).
    func give(_ region: PlanarRegion) {
        kept.withLock { list in
            if list.count < capacity { list.append(region) }
        }
    }

    /// How many regions are kept now.
    var keptRegions: Int { kept.withLock { $0.count } }
}

/// One channel of a spool's in-memory mix: `floats` 32-bit floats of anonymous memory, mapped at once as address space
/// only (the kernel supplies pages as the mix first fills them), so the mix is contiguous however long it grows.
/// Unmapped when released.
///
/// `@unchecked Sendable`: one spool at a time owns it; ``MixMemory`` hands it over under its lock.
final class PlanarRegion: @unchecked Sendable {
    /// The first float.
    let base: UnsafeMutablePointer<Float>
    /// Floats mapped.
    let floats: Int
    private let bytes: Int

    /// Maps the region; nil if the address space cannot be had (`errno` says why).
    init?(floats: Int) {
        self.floats = floats
        bytes = max(1, floats) * MemoryLayout<Float>.stride
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
        #else
        let flags = MAP_PRIVATE | MAP_ANON
        #endif
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, flags, -1, 0), p != MAP_FAILED else { return nil }
        base = p.bindMemory(to: Float.self, capacity: floats)
    }

    deinit { munmap(base, bytes) }
}
