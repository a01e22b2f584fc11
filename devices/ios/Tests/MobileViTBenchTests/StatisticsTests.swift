// Hand-computed expectations for the latency statistics. tests/devices/ios/test_swift_contract.py parses
// the samples and the expected numbers from this file and checks them against
// benchmarks/statistics.py, so the two implementations cannot drift apart unnoticed.

import XCTest
@testable import MobileViTBench

final class StatisticsTests: XCTestCase {
    func testTenSamples() throws {
        let samples: [Double] = [12.0, 10.0, 11.0, 15.0, 10.5, 13.0, 11.5, 30.0, 10.25, 12.5]
        let stats = try LatencyStats(samplesMs: samples)
        // sorted: 10.0 10.25 10.5 11.0 11.5 12.0 12.5 13.0 15.0 30.0
        XCTAssertEqual(stats.runs, 10)
        XCTAssertEqual(stats.medianMs, 11.75, accuracy: 1e-9)      // (11.5 + 12.0) / 2
        XCTAssertEqual(stats.p90Ms, 16.5, accuracy: 1e-9)          // position 8.1: 15 + 0.1 * (30 - 15)
        XCTAssertEqual(stats.minMs, 10.0, accuracy: 1e-9)
        XCTAssertEqual(stats.meanMs, 13.575, accuracy: 1e-9)       // 135.75 / 10
        XCTAssertEqual(stats.stdevMs, 5.962906170652025, accuracy: 1e-9)  // sqrt(320.00625 / 9)
    }

    func testOddCount() throws {
        let samples: [Double] = [4.0, 1.0, 3.0, 2.0, 5.0]
        let stats = try LatencyStats(samplesMs: samples)
        XCTAssertEqual(stats.runs, 5)
        XCTAssertEqual(stats.medianMs, 3.0, accuracy: 1e-9)
        XCTAssertEqual(stats.p90Ms, 4.6, accuracy: 1e-9)           // position 3.6: 4 + 0.6 * (5 - 4)
        XCTAssertEqual(stats.minMs, 1.0, accuracy: 1e-9)
        XCTAssertEqual(stats.meanMs, 3.0, accuracy: 1e-9)
        XCTAssertEqual(stats.stdevMs, 1.5811388300841898, accuracy: 1e-9)  // sqrt(10 / 4)
    }

    func testOneSample() throws {
        let samples: [Double] = [7.5]
        let stats = try LatencyStats(samplesMs: samples)
        XCTAssertEqual(stats.runs, 1)
        XCTAssertEqual(stats.medianMs, 7.5, accuracy: 1e-9)
        XCTAssertEqual(stats.p90Ms, 7.5, accuracy: 1e-9)
        XCTAssertEqual(stats.minMs, 7.5, accuracy: 1e-9)
        XCTAssertEqual(stats.meanMs, 7.5, accuracy: 1e-9)
        XCTAssertEqual(stats.stdevMs, 0.0, accuracy: 1e-9)
    }

    func testNoSamplesIsAnError() {
        XCTAssertThrowsError(try LatencyStats(samplesMs: []))
    }

    func testPercentileEnds() throws {
        let ordered: [Double] = [1.0, 2.0, 3.0, 4.0]
        XCTAssertEqual(try LatencyStats.percentile(ordered, 0), 1.0, accuracy: 1e-12)
        XCTAssertEqual(try LatencyStats.percentile(ordered, 50), 2.5, accuracy: 1e-12)
        XCTAssertEqual(try LatencyStats.percentile(ordered, 100), 4.0, accuracy: 1e-12)
        XCTAssertThrowsError(try LatencyStats.percentile(ordered, 101))
    }

    func testTimingStopsAtMinRunsOnceMinSecondsHavePassed() {
        var calls = 0
        let policy = TimingPolicy(warmupRuns: 2, minRuns: 5, minSeconds: 0, maxRuns: 100, maxSeconds: 60)
        let samples = policy.measure { calls += 1 }
        XCTAssertEqual(samples.count, 5)
        XCTAssertEqual(calls, 7)  // warm-up runs are not timed
    }

    func testTimingNeverExceedsMaxRuns() {
        let policy = TimingPolicy(warmupRuns: 0, minRuns: 10, minSeconds: 60, maxRuns: 3, maxSeconds: 60)
        let samples = policy.measure { }
        XCTAssertEqual(samples.count, 3)
        XCTAssertTrue(samples.allSatisfy { $0 >= 0 })
    }
}
