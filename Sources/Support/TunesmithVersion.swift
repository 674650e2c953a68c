/// The version of Tunesmith, recorded in model files, album manifests and `tunesmith --version`.
public enum TunesmithVersion {
    /// Semantic version of this build of Tunesmith.
    public static let string = "0.1.0"
}
