import Foundation

/// Finds the model `tunesmith generate` uses when none is given, from any working directory.
///
/// Looks for `default.tsmodel`, then `paper.tsmodel`, first in the Generation module's resources
/// (`Tunesmith_Generation.resources/Resources/` beside the executable, where SwiftPM puts them),
/// then in the package's `Samples/Models/` (when running from a source checkout).
public enum DefaultModel {
    /// Model file names in order of preference.
    public static let names = ["default.tsmodel", "paper.tsmodel"]

    /// Folders searched, in order.
    public static var folders: [String] {
        var folders: [String] = []
        if let exe = executableFolder {
            folders.append(exe + "/Tunesmith_Generation.resources/Resources")
            folders.append(exe + "/Tunesmith_Generation.bundle/Resources")
            folders.append(exe + "/Tunesmith_Generation.bundle/Contents/Resources/Resources")
        }
        folders.append(packageRoot.appendingPathComponent("Samples/Models").path)
        return folders
    }

    /// The package root of this source checkout (Sources/Generation/DefaultModel.swift -> ../..).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The default model's location: the first name of ``names`` found in any of ``folders``.
    public static func locate() throws(GenerationError) -> URL {
        let folders = self.folders
        for name in names {
            for folder in folders {
                let path = folder + "/" + name
                if FileManager.default.isReadableFile(atPath: path) { return URL(fileURLWithPath: path) }
            }
        }
        throw .noDefaultModel(searched: names.map { "Samples/Models/" + $0 })
    }

    private static var executableFolder: String? {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: exe).deletingLastPathComponent().path
        }
        return Bundle.main.executableURL?.deletingLastPathComponent().path
    }
}
