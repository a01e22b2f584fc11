// How long to time: warm-up runs untimed, then at least `minRuns` timed runs and `minSeconds` of timing,
// at most `maxRuns` runs or `maxSeconds` — the loop of benchmarks/statistics.py `measure`, with the
// settings of benchmarks/harness.py DEFAULT_TIMING, which the Python side stages in template.json.

import Dispatch
import Foundation

/// `template["timing"]`.
public struct TimingPolicy: Codable, Equatable {
    public var warmupRuns: Int
    public var minRuns: Int
    public var minSeconds: Double
    public var maxRuns: Int
    public var maxSeconds: Double

    enum CodingKeys: String, CodingKey {
        case warmupRuns = "warmup_runs"
        case minRuns = "min_runs"
        case minSeconds = "min_seconds"
        case maxRuns = "max_runs"
        case maxSeconds = "max_seconds"
    }

    public init(warmupRuns: Int = 3, minRuns: Int = 10, minSeconds: Double = 1.0, maxRuns: Int = 1000,
                maxSeconds: Double = 15.0) {
        self.warmupRuns = warmupRuns
        self.minRuns = minRuns
        self.minSeconds = minSeconds
        self.maxRuns = maxRuns
        self.maxSeconds = maxSeconds
    }

    /// Latency samples (ms) of `body` after `warmupRuns` untimed calls.
    public func measure(_ body: () throws -> Void) rethrows -> [Double] {
        var warmed = 0
        while warmed < warmupRuns {
            try body()
            warmed += 1
        }
        var samples: [Double] = []
        let started = Stopwatch.now()
        while samples.count < maxRuns {
            let start = Stopwatch.now()
            try body()
            samples.append(Stopwatch.milliseconds(since: start))
            let elapsed = Stopwatch.milliseconds(since: started) / 1e3
            if (samples.count >= minRuns && elapsed >= minSeconds) || elapsed >= maxSeconds {
                break
            }
        }
        return samples
    }
}

/// A monotonic clock in nanoseconds (`DispatchTime`, mach_absolute_time on Apple platforms).
public enum Stopwatch {
    public static func now() -> UInt64 {
        return DispatchTime.now().uptimeNanoseconds
    }

    public static func milliseconds(since start: UInt64) -> Double {
        let end = DispatchTime.now().uptimeNanoseconds
        return Double(end &- start) / 1e6
    }
}
