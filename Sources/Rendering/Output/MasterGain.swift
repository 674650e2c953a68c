/// The gain master processing applied to a mix, frame by frame, so that exactly the same gain can be applied to each
/// of the mix's stems: then the stems sum to the mix (up to float rounding) whatever the master chain did.
///
/// This is the one place stems meet the master chain: whatever gain stage the mix goes through (the peak limiter's
/// envelope, `peak=normalize`'s scale, a loudness gain) must be expressed here, computed on the mix, and applied with
/// ``apply(_:_:_:from:)`` to every stem.
public enum MasterGain: Sendable, Hashable {
    /// One gain for every frame (a normalisation; 1 = untouched).
    case constant(Float)
    /// A gain per frame from the start of the render (frames past the end get the last value, or 1 if empty).
    case perFrame([Float])

    /// The gain at a frame.
    public func gain(at frame: Int) -> Float {
        switch self {
        case .constant(let g): return g
        case .perFrame(let gains):
            guard !gains.isEmpty else { return 1 }
            return gains[min(frame, gains.count - 1)]
        }
    }

    /// Multiplies planar stereo frames, the first of which is frame `start` of the render, by the gain.
    public func apply(_ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>, _ n: Int, from start: Int) {
        switch self {
        case .constant(let g):
            if g == 1 { return }
            for k in 0..<n { l[k] *= g; r[k] *= g }
        case .perFrame(let gains):
            for k in 0..<n {
                let g = gains.isEmpty ? 1 : gains[min(start + k, gains.count - 1)]
                l[k] *= g
                r[k] *= g
            }
        }
    }
}
