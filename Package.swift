// swift-tools-version: 6.0
// Tunesmith: learn from MIDI with an LSTM, generate, post-process and render music.
import PackageDescription

// Learning's element-wise LSTM kernels vectorise to AVX2/FMA on x86-64 (x86-64-v3: Haswell, Zen and later); so do
// Rendering's per-sample loops (true-peak meter, limiter, quantisation).
#if arch(x86_64)
let learningSwiftSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
let learningSwiftSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "Tunesmith",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tunesmith", targets: ["tunesmith"]),
        .library(name: "MIDI", targets: ["MIDI"]),
        .library(name: "Music", targets: ["Music"]),
        .library(name: "Learning", targets: ["Learning"]),
        .library(name: "Generation", targets: ["Generation"]),
        .library(name: "Processing", targets: ["Processing"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "Rendering", targets: ["Rendering"]),
        .library(name: "Production", targets: ["Production"]),
        .library(name: "Album", targets: ["Album"]),
        .library(name: "Support", targets: ["Support"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System-library shims (module maps only) for the C libraries Debian ships.
        .systemLibrary(
            name: "CFluidSynth",
            pkgConfig: "fluidsynth",
            providers: [.apt(["libfluidsynth-dev"])]
        ),
        .systemLibrary(
            name: "CSndFile",
            pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]
        ),
        .systemLibrary(
            name: "CEBUR128",
            pkgConfig: "libebur128",
            providers: [.apt(["libebur128-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // Library modules, one per concern, lowest first.
        // Infrastructure every module may use: atomic file writing, file errors, standard streams, signals, version, SHA-256
        // (libcrypto's, which uses the CPU's SHA instructions where it has them).
        .target(name: "Support", dependencies: ["CCrypto"], swiftSettings: learningSwiftSettings),
        .target(name: "MIDI", dependencies: ["Support"]),
        .target(name: "Music", dependencies: ["MIDI"]),
        // Learning draws nothing: the loss curve is numbers here (LossCurve) and an SVG only in the tool (Plotting).
        .target(name: "Learning", dependencies: ["MIDI", "Support", "CBLAS"], swiftSettings: learningSwiftSettings),
        .target(
            name: "Generation", dependencies: ["Learning", "MIDI", "Support"],
            resources: [.copy("Resources")],  // copies of Samples/Models/*.tsmodel (Samples/Models/sync-resources.sh)
            swiftSettings: learningSwiftSettings
        ),
        .target(name: "Processing", dependencies: ["MIDI", "Music", "Support"]),
        .target(name: "Plotting", dependencies: ["MIDI", "Music"]),
        .target(
            name: "Rendering", dependencies: ["MIDI", "Support", "CFluidSynth", "CSndFile", "CEBUR128"],
            resources: [.copy("Resources/TunesmithGM.sf2")],  // the bundled SoundFont (Soundfonts/ links to it)
            swiftSettings: learningSwiftSettings
        ),
        // The production path: one request (generation settings or a file, processors, outputs) to files.
        .target(name: "Production", dependencies: ["Support", "MIDI", "Learning", "Generation", "Processing", "Rendering"]),
        .target(
            name: "Album",
            dependencies: [
                "Support", "MIDI", "Music", "Processing", "Rendering", "Production", "Plotting",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The command-line tool: argument parsing only, one file per subcommand.
        .executableTarget(
            name: "tunesmith",
            dependencies: [
                "Support", "MIDI", "Music", "Learning", "Generation", "Processing", "Rendering", "Production", "Album", "Plotting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // SwiftPM command plugin: `swift package --allow-writing-to-package-directory export-album SPEC.yaml`.
        .plugin(
            name: "ExportAlbum",
            capability: .command(
                intent: .custom(verb: "export-album", description: "Render an album spec with the package's tunesmith tool"),
                permissions: [.writeToPackageDirectory(reason: "writes the rendered album into the package folder (Albums/)")]
            )
            // No tool dependency: the plugin builds the tunesmith product in release through the package manager.
        ),

        // Helpers shared by the test targets only (package paths, the corpus with its Samples/Corpus fallback, the committed
        // models, scratch folders, TUNESMITH_NO_SHARED=1 to hide ../shared).
        .target(name: "TestSupport", dependencies: ["Support"], path: "Tests/TestSupport"),

        // One test target per module, plus end-to-end tests of the built tool.
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        .testTarget(name: "MIDITests", dependencies: ["MIDI", "Support", "TestSupport"]),
        .testTarget(name: "MusicTests", dependencies: ["Music", "MIDI", "TestSupport"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "MIDI", "Support", "TestSupport"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Learning", "MIDI", "Music", "Processing", "TestSupport"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "MIDI", "Music", "TestSupport"]),
        .testTarget(name: "ProcessingTests", dependencies: ["Processing", "MIDI", "Music", "Support", "TestSupport"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "MIDI", "Support", "CSndFile", "CEBUR128", "TestSupport"]),
        .testTarget(name: "ProductionTests", dependencies: ["Production", "Generation", "Learning", "Processing", "Rendering", "MIDI", "Support", "TestSupport"]),
        .testTarget(name: "AlbumTests", dependencies: ["Album", "MIDI", "Support", "Learning", "Rendering", "CSndFile", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["MIDI", "Support", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Data-parallel training over MPI (`mpirun -np N tunesmith train ...`), only in builds made with TUNESMITH_MPI=1
// (needs Open MPI: Debian's libopenmpi-dev). Without it nothing here is built and `train` runs in one process.
if Context.environment["TUNESMITH_MPI"] == "1" {
    package.targets += [
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        // The GradientReducer of Learning's trainer over MPI_COMM_WORLD (MPI_Allreduce), and the MPI session.
        .target(name: "MPITraining", dependencies: ["Learning", "CMPI"]),
    ]
    if let tool = package.targets.first(where: { $0.name == "tunesmith" }) {
        tool.dependencies.append("MPITraining")
        tool.swiftSettings = (tool.swiftSettings ?? []) + [.define("TUNESMITH_MPI")]
    }
}
