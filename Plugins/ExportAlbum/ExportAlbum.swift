import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory export-album SPEC.yaml [-o DIR] [tunesmith album options]`:
/// renders an album spec with this package's own `tunesmith` tool, into `Albums/<spec name>` of the package
/// unless `-o` is given.
///
/// The tool is built in release configuration through the plugin API's package manager first (a debug build
/// generates and renders about 20 times slower), then run; a failed build stops the plugin with its log.
@main
struct ExportAlbum: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        guard let spec = arguments.first(where: { !$0.hasPrefix("-") }) else {
            throw PluginError("usage: swift package --allow-writing-to-package-directory export-album SPEC.yaml [-o DIR] [--jobs N] [--force]")
        }
        let root = context.package.directoryURL
        var args = arguments
        if !args.contains("-o") && !args.contains("--output") {
            let name = URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent
            let albums = root.appendingPathComponent("Albums")
            try FileManager.default.createDirectory(at: albums, withIntermediateDirectories: true)
            args += ["-o", albums.appendingPathComponent(name).path]
        }
        let tool = try releaseTool()
        let process = Process()
        process.executableURL = tool
        process.arguments = ["album"] + args
        process.currentDirectoryURL = root
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw PluginError("tunesmith album failed (exit status \(process.terminationStatus))")
        }
    }

    /// Builds the `tunesmith` product in release configuration and returns the executable's URL.
    private func releaseTool() throws -> URL {
        let parameters = PackageManager.BuildParameters(configuration: .release, logging: .concise, echoLogs: false)
        Diagnostics.progress("building tunesmith (release)...")
        let result = try packageManager.build(.product("tunesmith"), parameters: parameters)
        guard result.succeeded else {
            throw PluginError("building tunesmith in release failed:\n\(result.logText)")
        }
        guard let artifact = result.builtArtifacts.first(where: { $0.kind == .executable && $0.url.lastPathComponent == "tunesmith" }) else {
            let built = result.builtArtifacts.map(\.url.path).joined(separator: ", ")
            throw PluginError("the release build produced no tunesmith executable (built: \(built.isEmpty ? "nothing" : built))")
        }
        return artifact.url
    }
}

/// A one-line plugin failure.
struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
