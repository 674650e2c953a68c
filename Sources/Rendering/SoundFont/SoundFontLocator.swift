import Foundation

/// Finds SoundFonts: the bundled TunesmithGM.sf2 and the ones installed on the system.
public enum SoundFontLocator {
    /// File name of the bundled SoundFont.
    public static let bundledName = "TunesmithGM.sf2"

    /// Folders searched for system SoundFonts (Debian/Ubuntu, Fedora/Arch, Homebrew, the user's).
    public static var systemFolders: [String] {
        var folders = ["/usr/share/sounds/sf2", "/usr/share/soundfonts", "/usr/share/sounds/sf3",
                       "/usr/local/share/soundfonts", "/usr/share/sounds/sf2/default", "/opt/homebrew/share/soundfonts"]
        if let home = ProcessInfo.processInfo.environment["HOME"] {
            folders.append(home + "/.local/share/soundfonts")
        }
        return folders
    }

    /// The bundled SoundFont's path: the Rendering module's resource bundle next to the executable,
    /// else the package's `Soundfonts/` folder (when running from a build tree); nil if neither exists.
    public static var bundledPath: String? {
        var candidates: [String] = []
        if let exe = executableFolder {
            candidates.append(exe + "/Tunesmith_Rendering.resources/" + bundledName)
            candidates.append(exe + "/Tunesmith_Rendering.bundle/" + bundledName)
            candidates.append(exe + "/Tunesmith_Rendering.bundle/Contents/Resources/" + bundledName)
        }
        // Sources/Rendering/SoundFont/SoundFontLocator.swift -> package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent("Soundfonts/" + bundledName).path)
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// SF2/SF3 files in the system folders, sorted, without duplicates (symlinks resolved).
    public static func systemSoundFonts() -> [String] {
        var seen = Set<String>()
        var found: [String] = []
        for folder in systemFolders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where name.lowercased().hasSuffix(".sf2") || name.lowercased().hasSuffix(".sf3") {
                let path = folder + "/" + name
                let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                if seen.insert(real).inserted { found.append(path) }
            }
        }
        return found
    }

    /// Short names `--soundfont` takes besides a path: `gm` is Debian's FluidR3_GM (package fluid-soundfont-gm),
    /// `bundled` the bundled TunesmithGM.
    public static let aliases = ["gm", "bundled"]

    /// Where Debian's fluid-soundfont-gm installs FluidR3_GM.
    public static let fluidR3Paths = ["/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/soundfonts/FluidR3_GM.sf2"]

    /// FluidR3_GM's path when installed.
    public static var fluidR3Path: String? {
        fluidR3Paths.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The SoundFont to use: `requested` if given (a path checked to exist and be readable, or an alias: `gm`,
    /// `bundled`), else the bundled one.
    public static func resolve(_ requested: String?) throws(RenderError) -> String {
        guard let path = requested, path != "bundled" || FileManager.default.fileExists(atPath: path) else {
            guard let bundled = bundledPath else { throw .noSoundFont }
            return bundled
        }
        if path == "gm" && !FileManager.default.fileExists(atPath: path) {
            guard let gm = fluidR3Path else {
                throw .soundFontMissing(path: "gm (FluidR3_GM.sf2: install Debian's fluid-soundfont-gm package)")
            }
            return gm
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .soundFontMissing(path: path) }
        if isDir.boolValue { throw .soundFontUnreadable(path: path, reason: "is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .soundFontUnreadable(path: path, reason: "permission denied")
        }
        try SF2Structure.validate(path)
        return path
    }

    private static var executableFolder: String? {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return Bundle.main.executableURL?.deletingLastPathComponent().path
        }
        return URL(fileURLWithPath: exe).deletingLastPathComponent().path
    }
}
