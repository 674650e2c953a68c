import Foundation

/// Runs an installed FFmpeg tool (ffmpeg, ffprobe): the meters and readers that are not ours, which tests check our
/// files against. Tests skip those checks when the tool is absent.
enum FFmpegTool {
    /// The tool's output when it is installed (standard error for ffmpeg, whose filters log there; standard output
    /// for ffprobe), nil when it is not.
    static func output(of tool: String, _ arguments: [String]) throws -> String? {
        guard let path = ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        let toStandardError = tool == "ffmpeg"
        if toStandardError {
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
        } else {
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
