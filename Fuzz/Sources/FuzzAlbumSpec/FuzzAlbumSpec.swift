import Album
import CLibFuzzer
import Foundation

/// The folder relative paths in a fuzzed spec resolve against (it need not exist).
private let baseFolder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tunesmith-fuzz-album")

/// libFuzzer entry point: any text as an album spec (YAML or JSON) must parse or throw an
/// AlbumSpecError, never crash, hang or allocate without bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAlbumSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parser = AlbumSpecParser()
    guard let spec = try? parser.parse(text, path: "fuzz.yaml", baseFolder: baseFolder) else { return 0 }
    _ = String(describing: spec)
    return 0
}

/// Runs libFuzzer (SwiftPM renames an executable's main, so libFuzzer's own main is not used).
@main
enum FuzzAlbumSpecMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzzAlbumSpec(data, size)
        })
    }
}
