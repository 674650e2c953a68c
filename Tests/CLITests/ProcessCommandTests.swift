import Foundation
import TestSupport
import XCTest

/// `tunesmith process` end to end: the key a scale stage imposes is reported and written as the user spelled it.
final class ProcessCommandTests: XCTestCase {
    /// `key=Eb` is reported as Eb (it once came back as "D# minor") and written with Eb minor's six flats;
    /// `key=D#` keeps its sharps.
    func testScaleKeyIsReportedAndWrittenAsSpelled() throws {
        let work = try TestPaths.temporaryFolder(self, prefix: "process-cli")
        let input = TestPaths.sampleCorpus.appendingPathComponent("chorales/bwv1.6.mid").path
        for (key, name, signature) in [("Eb", "Eb minor", "Ebm"), ("D#", "D# minor", "D#m")] {
            let out = work.appendingPathComponent("\(key).mid").path
            let r = try ToolRunner.run(["process", input, "--process", "scale:key=\(key),mode=minor", "-o", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.output.contains("(key \(name))"), r.output)
            let dump = try ToolRunner.run(["dump", out])
            XCTAssertEqual(dump.status, 0, dump.stderr)
            XCTAssertTrue(dump.output.contains("\"type\":\"key_signature\",\"key\":\"\(signature)\""), "key signature \(signature) expected")
        }
        let major = try ToolRunner.run(["process", input, "--process", "scale:key=Eb,mode=major", "-o", work.appendingPathComponent("major.mid").path])
        XCTAssertTrue(major.output.contains("(key Eb major)"), major.output)
    }
}
