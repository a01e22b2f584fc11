// The on-device run of `make bench-ios`. `python -m devices.ios` stages model.mlpackage and template.json
// in Staged/, runs `xcodebuild test ... -only-testing:MobileViTBenchTests/OnDeviceBenchmarkTests` on the
// phone and reads the rows back from the log: one line per row,
//
//     MOBILEVIT_ROW {"achieved_gflops":...}
//
// and one line per compute-unit setting that failed, `MOBILEVIT_ERROR <setting>: <message>`. Without a
// staged model (a plain `swift test`, CI) the test is skipped.
//
// Environment (through xcodebuild, as TEST_RUNNER_MOBILEVIT_COMPUTE_UNITS=...):
//     MOBILEVIT_COMPUTE_UNITS   "all" (default) or a comma list of CPU_ONLY, CPU_AND_GPU, CPU_AND_NE, ALL

import Foundation
import XCTest
@testable import MobileViTBench

final class OnDeviceBenchmarkTests: XCTestCase {
    static let rowMarker = "MOBILEVIT_ROW "
    static let errorMarker = "MOBILEVIT_ERROR "

    /// One line on stdout, flushed at once so it reaches xcodebuild's log even if the runner dies later.
    private func emit(_ line: String) {
        print(line)
        fflush(stdout)
    }

    private func stagedFile(_ name: String) -> URL? {
        guard let staged = Bundle.module.url(forResource: "Staged", withExtension: nil) else { return nil }
        let url = staged.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    func testBenchmarkStagedModel() throws {
        // A folder copy keeps the .mlpackage as it is; should a build ever compile it, take the .mlmodelc.
        guard let model = stagedFile("model.mlpackage") ?? stagedFile("model.mlmodelc"),
              let templateURL = stagedFile("template.json") else {
            throw XCTSkip("no model staged in Staged/ (python -m devices.ios stages one for a device run)")
        }
        #if canImport(CoreML)
        let template: RowTemplate
        do {
            template = try RowTemplate.load(from: templateURL)
        } catch {
            emit(OnDeviceBenchmarkTests.errorMarker + "template.json: \(describeError(error))")
            XCTFail("cannot read template.json: \(error)")
            return
        }
        let requested = ProcessInfo.processInfo.environment["MOBILEVIT_COMPUTE_UNITS"] ?? "all"
        let units: [ComputeUnitSetting]
        do {
            units = try ComputeUnitSetting.parseList(requested)
        } catch {
            emit(OnDeviceBenchmarkTests.errorMarker + describeError(error))
            XCTFail(describeError(error))
            return
        }
        #if os(iOS)
        let transport = "xcode"
        #else
        let transport = "local"
        #endif
        let benchmark = CoreMLBenchmark(modelURL: model, template: template, transport: transport,
                                        harness: "MobileViTBench (Swift, XCTest)")
        var measured = 0
        benchmark.run(units: units, onRow: { row in
            do {
                let line = try row.jsonLine()
                emit(OnDeviceBenchmarkTests.rowMarker + line)
                measured += 1
            } catch {
                emit(OnDeviceBenchmarkTests.errorMarker + "cannot encode the row: \(describeError(error))")
            }
        }, onFailure: { unit, message in
            emit(OnDeviceBenchmarkTests.errorMarker + "\(unit.rawValue): \(message)")
        })
        // Settings that failed are reported above and by the Python side; the test fails only when
        // nothing could be measured, so xcodebuild's status says whether rows came back.
        XCTAssertGreaterThan(measured, 0, "no compute-unit setting could be measured")
        #else
        throw XCTSkip("Core ML is not available on this platform")
        #endif
    }
}
