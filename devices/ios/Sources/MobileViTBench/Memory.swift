// Memory as iOS itself counts it: the task's physical footprint (task_vm_info.phys_footprint), the
// number Xcode's memory gauge shows and jetsam acts on. Resident size would miss compressed pages and
// count shared ones.

import Foundation
#if canImport(Darwin)
import Darwin
#endif

public struct FootprintSample: Equatable {
    /// phys_footprint now, in bytes.
    public var current: UInt64
    /// The process's high-water footprint (ledger_phys_footprint_peak), bytes; nil where the kernel has none.
    public var lifetimePeak: UInt64?
}

public enum MemoryFootprint {
    /// What `peak_rss_mb` and `model_rss_mb` mean in rows from this harness (`runtime_info.memory_measure`).
    public static let measureDescription =
        "phys_footprint (task_vm_info), MiB: peak_rss_mb = the largest footprint sampled after load, after the "
        + "first prediction and after the timed runs; model_rss_mb = footprint after load minus before; "
        + "os_peak_footprint_mb = the process's lifetime high-water mark (includes earlier compute units)"

    public static func sample() -> FootprintSample? {
        #if canImport(Darwin)
        var info = task_vm_info_data_t()
        var count = mach_msg_type_number_t(MemoryLayout<task_vm_info_data_t>.size / MemoryLayout<integer_t>.size)
        let status: kern_return_t = withUnsafeMutablePointer(to: &info) { pointer in
            pointer.withMemoryRebound(to: integer_t.self, capacity: Int(count)) { raw in
                task_info(mach_task_self_, task_flavor_t(TASK_VM_INFO), raw, &count)
            }
        }
        guard status == KERN_SUCCESS else { return nil }
        let peak: UInt64? = info.ledger_phys_footprint_peak > 0 ? UInt64(info.ledger_phys_footprint_peak) : nil
        return FootprintSample(current: UInt64(info.phys_footprint), lifetimePeak: peak)
        #else
        return nil
        #endif
    }

    public static func megabytes(_ bytes: UInt64) -> Double {
        return Double(bytes) / 1_048_576
    }
}
