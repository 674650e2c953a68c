import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory export-album SPEC.yaml [-o DIR] [tunesmith album options]`:
/// renders an album spec with this package's own `tunesmith` tool, into `Albums/<spec name>` of the package
/// unless `-o` is given.
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
        let tool = try context.tool(named: "tunesmith")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["album"] + args
        process.currentDirectoryURL = root
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw PluginError("tunesmith album failed (exit status \(process.terminationStatus))")
        }
    }
}

/// A one-line plugin failure.
struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
