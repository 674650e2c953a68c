import Album
import CSndFile
import Foundation
import Learning
import MIDI
import XCTest
import Support
import TestSupport

/// Shared helpers: a real (untrained, seeded) paper-architecture model written to a temporary folder,
/// album specs and readers for what an export wrote.
enum AlbumFixtures {
    /// Writes a paper-architecture model with seeded random weights and a scaler fitted on three chorales
    /// of the sample corpus to `folder/model.tsmodel`.
    static func writeModel(in folder: URL) throws -> URL {
        let chorales = TestPaths.midiFiles(in: TestPaths.sampleCorpus.appendingPathComponent("chorales")).prefix(3)
        XCTAssertEqual(chorales.count, 3, "three sample chorales")
        let songs = try chorales.map { try PaperFeatures.frames(of: Performance(contentsOf: $0)) }
        let record = try JSONDecoder().decode(TrainingRecord.self, from: Data("""
            {"corpus": "untrained (album tests)", "trainingSongs": 0, "validationSongs": 0, "trainingSamples": 0, "epochs": 0,
             "bestEpoch": 0, "seed": 7, "optimizer": "none", "learningRate": 0, "batchSize": 1, "history": [],
             "toolVersion": "\(TunesmithVersion.string)", "date": "2026-01-01"}
            """.utf8))
        let model = TrainedModel(network: Network<Float>(architecture: .paper, seed: 7), scaler: StandardScaler(fitting: songs),
                                 features: FeatureConfiguration(), loss: FeatureLoss(mode: .mse, noteScale: 1), training: record)
        let url = folder.appendingPathComponent("model.tsmodel")
        try model.write(to: url, overwrite: true)
        return url
    }

    /// A 3-track album spec (mid + flac + ogg, `length` each) in `folder/album.yaml`, using `folder/model.tsmodel`.
    static func writeSpec(in folder: URL, length: String = "6s", formats: String = "[mid, flac, ogg]", tracks: String? = nil,
                          extra: String = "") throws -> URL {
        _ = try writeModel(in: folder)
        let text = """
            album: Test Sketches
            artist: Album Tests
            genre: Generative
            comment: made by AlbumTests
            \(extra)
            settings:
              model: model.tsmodel
              length: \(length)
              tempo: 110
              formats: \(formats)
              processors: ["scale"]
            tracks:
            \(tracks ?? """
              - title: Opening
                seed: 7
              - title: "Middle: Part"
                tempo: 140
                program: 40
              - Closing
            """)

            """
        let url = folder.appendingPathComponent("album.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A libsndfile string tag of an audio file.
    static func tag(_ kind: Int32, of path: String) -> String? {
        var info = SF_INFO()
        guard let f = sf_open(path, Int32(SFM_READ), &info) else { return nil }
        defer { sf_close(f) }
        return sf_get_string(f, kind).map { String(cString: $0) }
    }

    /// Frames of an audio file (nil if libsndfile cannot open it).
    static func frames(of path: String) -> Int? {
        var info = SF_INFO()
        guard let f = sf_open(path, Int32(SFM_READ), &info) else { return nil }
        sf_close(f)
        return Int(info.frames)
    }

    /// File names in a folder (hidden ones too), sorted.
    static func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// File contents.
    static func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }
}
