// The fixture row (Fixtures/example_row.json) is the contract between the two languages:
// tests/devices/ios checks it against benchmarks/results.py, and this test checks that the Swift
// types read it and write it back with exactly the same keys, nulls included.

import Foundation
import XCTest
@testable import MobileViTBench

final class RowSchemaTests: XCTestCase {
    private func fixtureURL() throws -> URL {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw XCTSkip("the Fixtures resource directory is not in the test bundle")
        }
        return fixtures.appendingPathComponent("example_row.json")
    }

    /// Every key path in a JSON value ("latency.median_ms"), so nested objects are compared too.
    private func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        guard let object = value as? [String: Any] else { return [] }
        var paths = Set<String>()
        for (key, child) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            paths.insert(path)
            paths.formUnion(keyPaths(child, prefix: path))
        }
        return paths
    }

    func testFixtureRoundTripsWithTheSameKeys() throws {
        let data = try Data(contentsOf: try fixtureURL())
        let row = try JSONDecoder().decode(ResultRow.self, from: data)
        let encoded = try JSONEncoder().encode(row)

        let original = try JSONSerialization.jsonObject(with: data)
        let rewritten = try JSONSerialization.jsonObject(with: encoded)
        XCTAssertEqual(keyPaths(rewritten), keyPaths(original))

        let again = try JSONDecoder().decode(ResultRow.self, from: encoded)
        XCTAssertEqual(again, row)
    }

    func testFixtureIsACoreMLRowFromThisHarness() throws {
        let data = try Data(contentsOf: try fixtureURL())
        let row = try JSONDecoder().decode(ResultRow.self, from: data)
        XCTAssertEqual(row.schemaVersion, ResultRow.currentSchemaVersion)
        XCTAssertEqual(row.runtime, "coreml")
        XCTAssertNil(row.threads)
        XCTAssertNotNil(ComputeUnitSetting(rawValue: row.runtimeOptions["compute_units"] ?? ""))
        XCTAssertEqual(row.achievedGflops, ResultRow.gflops(macs: row.macs, medianMs: row.latency.medianMs),
                       accuracy: 1e-6)
    }

    func testNullsAreWrittenNotOmitted() throws {
        let data = try Data(contentsOf: try fixtureURL())
        var row = try JSONDecoder().decode(ResultRow.self, from: data)
        row.modelRssMb = nil
        row.device.cpu = nil
        let line = try row.jsonLine()
        XCTAssertTrue(line.contains("\"model_rss_mb\":null"), line)
        XCTAssertTrue(line.contains("\"roof_gflops\":null"), line)
        XCTAssertTrue(line.contains("\"threads\":null"), line)
        XCTAssertTrue(line.contains("\"cpu\":null"), line)
        XCTAssertFalse(line.contains("\n"))
    }

    func testTimestampIsPythonsIsoformat() {
        let date = Date(timeIntervalSince1970: 1_795_459_200)  // 2026-11-23T18:40:00Z
        XCTAssertEqual(ResultRow.isoTimestamp(date), "2026-11-23T18:40:00+00:00")
    }

    func testComputeUnitLists() throws {
        XCTAssertEqual(try ComputeUnitSetting.parseList("all"), ComputeUnitSetting.allCases)
        XCTAssertEqual(try ComputeUnitSetting.parseList("ALL"), [.all])
        XCTAssertEqual(try ComputeUnitSetting.parseList("CPU_ONLY,CPU_AND_NE"), [.cpuOnly, .cpuAndNeuralEngine])
        XCTAssertThrowsError(try ComputeUnitSetting.parseList("NEURAL_ENGINE"))
    }
}
