/// Zero-mean, unit-variance standardisation of each feature (as scikit-learn's `StandardScaler`:
/// population standard deviation, scale 1 for a constant feature). Fitted on training songs only.
public struct StandardScaler: Sendable, Hashable, Codable {
    /// Per-feature mean [note, velocity, time delta].
    public var mean: [Double]
    /// Per-feature scale (standard deviation).
    public var scale: [Double]

    /// Creates a scaler from known statistics.
    public init(mean: [Double], scale: [Double]) {
        self.mean = mean
        self.scale = scale
    }

    /// Fits the scaler to every frame of `songs`.
    public init(fitting songs: [[FeatureFrame]]) {
        var n = 0.0
        var sum = [0.0, 0.0, 0.0], sq = [0.0, 0.0, 0.0]
        for song in songs {
            for f in song {
                let v = [f.note, f.velocity, f.timeDelta]
                for i in 0..<3 { sum[i] += v[i]; sq[i] += v[i] * v[i] }
                n += 1
            }
        }
        let m = (0..<3).map { n > 0 ? sum[$0] / n : 0 }
        let s = (0..<3).map { i -> Double in
            let variance = n > 0 ? max(0, sq[i] / n - m[i] * m[i]) : 0
            let sd = variance.squareRoot()
            return sd > 1e-12 ? sd : 1
        }
        self.init(mean: m, scale: s)
    }

    /// The standardised values of a frame.
    @inline(__always)
    public func transform(_ f: FeatureFrame) -> (Float, Float, Float) {
        (Float((f.note - mean[0]) / scale[0]), Float((f.velocity - mean[1]) / scale[1]), Float((f.timeDelta - mean[2]) / scale[2]))
    }

    /// A song's frames standardised and flattened (3 values per frame).
    public func transform(_ frames: [FeatureFrame]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(frames.count * 3)
        for f in frames {
            let (a, b, c) = transform(f)
            out.append(a); out.append(b); out.append(c)
        }
        return out
    }

    /// A frame from standardised values.
    @inline(__always)
    public func inverse(_ a: Float, _ b: Float, _ c: Float) -> FeatureFrame {
        FeatureFrame(note: Double(a) * scale[0] + mean[0], velocity: Double(b) * scale[1] + mean[1], timeDelta: Double(c) * scale[2] + mean[2])
    }
}
