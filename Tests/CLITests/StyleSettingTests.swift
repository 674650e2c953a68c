import Foundation
import MIDI
import TestSupport
import XCTest

/// `--style` (and the album key `style`) is checked against the model's style names with a one-line error.
final class StyleSettingTests: XCTestCase {
    private var work: URL!

    override func setUpWithError() throws {
        work = try TestPaths.temporaryFolder(self, prefix: "style-cli")
    }

    /// A style for the paper model (which has no style input) is refused naming the model, and no file is written.
    func testStyleForAModelWithoutStylesIsAOneLineError() throws {
        let out = work.appendingPathComponent("s.mid").path
        let r = try ToolRunner.run(["generate", "--model", TestPaths.paperModel.path, "--length", "20n", "--seed", "1",
                                    "--style", "folk", "-o", out])
        ToolRunner.assertCleanFailure(r, mentioning: "has no styles")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// An empty style name is refused by the setting itself (command line and album spec alike).
    func testEmptyStyleIsRefused() throws {
        let r = try ToolRunner.run(["generate", "--length", "20n", "--style", "", "-o", work.appendingPathComponent("e.mid").path])
        ToolRunner.assertCleanFailure(r, mentioning: "style")
    }

    /// `--help` lists the setting with its declared help.
    func testHelpListsStyle() throws {
        let r = try ToolRunner.run(["generate", "--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.output.contains("--style"), r.output)
    }
}
