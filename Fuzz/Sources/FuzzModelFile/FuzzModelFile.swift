import CLibFuzzer
import Foundation
import Learning

/// Where each input is written for `TrainedModel(contentsOf:)` (a RAM-backed folder when there is one).
private let scratchPath: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return folder + "/tunesmith-fuzz-model-\(getpid()).tsmodel"
}()

/// CRC-32 (zlib polynomial), so inputs can be given a valid checksum and reach the header parser.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
}

private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * UInt32($0))) } }
private func le64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

/// Wraps the input in a well-formed envelope: if it is already a model file, only its checksum is
/// repaired; otherwise it is split at its first 0 byte into JSON header text and weight bytes.
private func envelope(_ input: [UInt8]) -> [UInt8] {
    if input.count >= 20, Array(input[0..<8]) == ModelFile.magic {
        var body = Array(input.dropLast(4))
        body += le32(crc32(body))
        return body
    }
    let split = input.firstIndex(of: 0) ?? input.count
    let json = Array(input[..<split])
    var blob = Array(input[min(split + 1, input.count)...])
    blob.removeLast(blob.count % 4)
    var out = ModelFile.magic + le32(1) + le32(UInt32(json.count)) + json + le64(UInt64(blob.count)) + blob
    out += le32(crc32(out))
    return out
}

/// libFuzzer entry point: model file bytes (as given when the first byte is even, else with a
/// repaired envelope and checksum) must load or throw a ModelFileError, never crash; a loaded
/// model must encode and load back, and its predictor must be constructible.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let bytes = data[0] & 1 == 0 ? input : envelope(input)
    guard FileManager.default.createFile(atPath: scratchPath, contents: Data(bytes)) else { fatalError("cannot write \(scratchPath)") }
    defer { unlink(scratchPath) }
    guard let model = try? TrainedModel(contentsOf: URL(fileURLWithPath: scratchPath)) else { return 0 }
    _ = model.layerSummary
    _ = model.makePredictor()
    do {
        let encoded = try model.encoded()
        _ = FileManager.default.createFile(atPath: scratchPath, contents: Data(encoded))
        let again = try TrainedModel(contentsOf: URL(fileURLWithPath: scratchPath))
        precondition(again.network.parameters == model.network.parameters, "weights changed in an encode/load round trip")
    } catch {
        fatalError("a loaded model does not encode and load back: \(error)")
    }
    return 0
}

/// Runs libFuzzer (SwiftPM renames an executable's main, so libFuzzer's own main is not used).
@main
enum FuzzModelFileMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            guard let data else { return 0 }
            return fuzzModelFile(data, size)
        })
    }
}
