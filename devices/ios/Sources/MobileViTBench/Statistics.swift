// Latency statistics exactly as benchmarks/statistics.py computes them (LatencyStats.from_samples):
// median (mean of the two middle samples for an even count), p90 by linear interpolation between
// closest ranks (NumPy's default), minimum, mean, and the sample standard deviation (n - 1; 0 for a
// single sample). tests/devices/ios/test_swift_contract.py checks the expectations in
// StatisticsTests.swift against the Python implementation.

import Foundation

public enum StatisticsError: Error, CustomStringConvertible {
    case noSamples
    case percentileOutOfRange(Double)

    public var description: String {
        switch self {
        case .noSamples:
            return "no latency samples"
        case .percentileOutOfRange(let q):
            return "percentile \(q) outside [0, 100]"
        }
    }
}

/// `row["latency"]` (`benchmarks.results.LATENCY_KEYS`), in milliseconds.
public struct LatencyStats: Codable, Equatable {
    public var runs: Int
    public var medianMs: Double
    public var p90Ms: Double
    public var minMs: Double
    public var meanMs: Double
    public var stdevMs: Double

    enum CodingKeys: String, CodingKey {
        case runs = "runs"
        case medianMs = "median_ms"
        case p90Ms = "p90_ms"
        case minMs = "min_ms"
        case meanMs = "mean_ms"
        case stdevMs = "stdev_ms"
    }

    public init(runs: Int, medianMs: Double, p90Ms: Double, minMs: Double, meanMs: Double, stdevMs: Double) {
        self.runs = runs
        self.medianMs = medianMs
        self.p90Ms = p90Ms
        self.minMs = minMs
        self.meanMs = meanMs
        self.stdevMs = stdevMs
    }

    /// Statistics of latency samples in milliseconds (any order).
    public init(samplesMs: [Double]) throws {
        guard !samplesMs.isEmpty else { throw StatisticsError.noSamples }
        let ordered = samplesMs.sorted()
        let count = ordered.count
        let median: Double
        if count % 2 == 1 {
            median = ordered[count / 2]
        } else {
            median = (ordered[count / 2 - 1] + ordered[count / 2]) / 2
        }
        let mean = ordered.reduce(0.0, +) / Double(count)
        var stdev = 0.0
        if count > 1 {
            var squares = 0.0
            for value in ordered {
                squares += (value - mean) * (value - mean)
            }
            stdev = (squares / Double(count - 1)).squareRoot()
        }
        let p90 = try LatencyStats.percentile(ordered, 90)
        self.init(runs: count, medianMs: median, p90Ms: p90, minMs: ordered[0], meanMs: mean, stdevMs: stdev)
    }

    /// Linear-interpolated percentile of sorted samples (NumPy's default method), q in [0, 100].
    public static func percentile(_ ordered: [Double], _ q: Double) throws -> Double {
        guard q >= 0 && q <= 100 else { throw StatisticsError.percentileOutOfRange(q) }
        guard !ordered.isEmpty else { throw StatisticsError.noSamples }
        let position = Double(ordered.count - 1) * q / 100
        let low = Int(position)
        let high = min(low + 1, ordered.count - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - Double(low))
    }
}
