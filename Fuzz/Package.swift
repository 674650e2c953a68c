// swift-tools-version: 6.0
// libFuzzer targets for Tunesmith's readers and parsers. A separate package so the main package's
// `swift build` / `swift test` never see the sanitizer flags. Build and run with ../Scripts/fuzz.
import PackageDescription

let package = Package(
    name: "TunesmithFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Tunesmith", path: ".."),
    ],
    targets: [
        // The declaration of libFuzzer's LLVMFuzzerRunDriver (defined by the -sanitize=fuzzer runtime).
        .target(name: "CLibFuzzer"),
        // bytes -> MIDIFile -> event dump -> Performance -> MIDIFile -> bytes, with round-trip checks.
        .executableTarget(
            name: "FuzzMIDIReader",
            dependencies: ["CLibFuzzer", .product(name: "MIDI", package: "Tunesmith")]
        ),
        // text -> pipeline file / processor specs -> processors -> run over a small performance.
        .executableTarget(
            name: "FuzzProcessorSpec",
            dependencies: [
                "CLibFuzzer",
                .product(name: "Processing", package: "Tunesmith"),
                .product(name: "MIDI", package: "Tunesmith"),
            ]
        ),
        // model file bytes (raw, or with a repaired envelope and checksum) -> TrainedModel -> bytes -> TrainedModel.
        .executableTarget(
            name: "FuzzModelFile",
            dependencies: ["CLibFuzzer", .product(name: "Learning", package: "Tunesmith")]
        ),
        // album spec text (YAML or JSON) -> AlbumSpec, or an AlbumSpecError.
        .executableTarget(
            name: "FuzzAlbumSpec",
            dependencies: ["CLibFuzzer", .product(name: "Album", package: "Tunesmith")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
