import CFluidSynth
import CSndFile
import CEBUR128

/// The versions of the C libraries Tunesmith renders through, as they report them at run time.
public enum LibraryVersions {
    /// libfluidsynth's version, e.g. "2.3.1".
    public static var fluidSynth: String {
        var major: Int32 = 0, minor: Int32 = 0, micro: Int32 = 0
        fluid_version(&major, &minor, &micro)
        return "\(major).\(minor).\(micro)"
    }

    /// libsndfile's version string, e.g. "libsndfile-1.2.0".
    public static var sndFile: String {
        String(cString: sf_version_string())
    }

    /// libebur128's version, e.g. "1.2.6".
    public static var ebur128: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        ebur128_get_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
