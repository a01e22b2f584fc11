// Where the harness runs, described the way `devices/rows.py` describes every device: a name, the OS,
// the CPU (as far as the device says: its model identifier on a phone, the chip on a Mac) and the ABI.
// A phone's readable name ("iPhone 14 Pro") is not available to an app without UIKit, and an app may not
// read the owner's device name; the Python side substitutes the marketing name that devicectl reports.

import Foundation
#if canImport(Darwin)
import Darwin
#endif

public struct DeviceFacts: Equatable {
    /// `row["device"]["kind"]`: "ios" on an iPhone or iPad, "desktop" on a Mac.
    public var kind: String
    public var name: String
    public var os: String
    public var cpu: String?
    public var abi: String
    /// utsname's machine ("iPhone15,2"), or the Mac's hw.model ("Mac14,9").
    public var machine: String
    public var logicalCores: Int
    public var usableCores: Int

    public init(kind: String, name: String, os: String, cpu: String?, abi: String, machine: String,
                logicalCores: Int, usableCores: Int) {
        self.kind = kind
        self.name = name
        self.os = os
        self.cpu = cpu
        self.abi = abi
        self.machine = machine
        self.logicalCores = logicalCores
        self.usableCores = usableCores
    }

    public static func current() -> DeviceFacts {
        let info = ProcessInfo.processInfo
        let machine = machineIdentifier()
        let os = operatingSystem()
        let abi = architecture()
        #if os(macOS)
        let chip = sysctlString("machdep.cpu.brand_string")
        let model = sysctlString("hw.model") ?? machine
        let name = chip ?? model
        return DeviceFacts(kind: "desktop", name: name, os: os, cpu: chip ?? model, abi: abi, machine: model,
                           logicalCores: info.processorCount, usableCores: info.activeProcessorCount)
        #elseif targetEnvironment(simulator)
        let simulated = info.environment["SIMULATOR_MODEL_IDENTIFIER"] ?? machine
        return DeviceFacts(kind: "ios", name: "Simulator (\(simulated))", os: os, cpu: machine, abi: abi,
                           machine: simulated, logicalCores: info.processorCount,
                           usableCores: info.activeProcessorCount)
        #else
        return DeviceFacts(kind: "ios", name: machine, os: os, cpu: machine, abi: abi, machine: machine,
                           logicalCores: info.processorCount, usableCores: info.activeProcessorCount)
        #endif
    }

    /// "iOS 17.5", "iOS 17.5.1", "macOS 14.5" (iPadOS reports itself as iOS here, as devicectl does).
    public static func operatingSystem() -> String {
        let version = ProcessInfo.processInfo.operatingSystemVersion
        var text = "\(version.majorVersion).\(version.minorVersion)"
        if version.patchVersion > 0 {
            text += ".\(version.patchVersion)"
        }
        #if os(iOS)
        return "iOS \(text)"
        #elseif os(macOS)
        return "macOS \(text)"
        #else
        return text
        #endif
    }

    /// The architecture this code was compiled for: "arm64" on every iPhone that runs iOS 16.
    public static func architecture() -> String {
        #if arch(arm64)
        return "arm64"
        #elseif arch(x86_64)
        return "x86_64"
        #else
        return "unknown"
        #endif
    }

    /// utsname's machine field: "iPhone15,2" on a phone, "arm64" on an Apple-silicon Mac.
    public static func machineIdentifier() -> String {
        #if canImport(Darwin)
        var system = utsname()
        guard uname(&system) == 0 else { return "unknown" }
        let capacity = MemoryLayout.size(ofValue: system.machine)
        let text = withUnsafePointer(to: &system.machine) { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: capacity) { chars in
                String(cString: chars)
            }
        }
        return text.isEmpty ? "unknown" : text
        #else
        return "unknown"
        #endif
    }

    /// A string sysctl ("hw.model", "machdep.cpu.brand_string"), or nil.
    public static func sysctlString(_ name: String) -> String? {
        #if canImport(Darwin)
        var size = 0
        guard sysctlbyname(name, nil, &size, nil, 0) == 0, size > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: size)
        guard sysctlbyname(name, &buffer, &size, nil, 0) == 0 else { return nil }
        let text = buffer.withUnsafeBufferPointer { chars -> String in
            guard let base = chars.baseAddress else { return "" }
            return String(cString: base)
        }
        return text.isEmpty ? nil : text
        #else
        return nil
        #endif
    }
}
