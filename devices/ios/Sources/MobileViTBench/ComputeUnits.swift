// The four Core ML compute-unit settings, under the names the Python side uses
// (runtimes/coreml_runtime.py COMPUTE_UNITS, `row["runtime_options"]["compute_units"]`).

import Foundation

public enum ComputeUnitSetting: String, CaseIterable, Codable {
    case cpuOnly = "CPU_ONLY"
    case cpuAndGPU = "CPU_AND_GPU"
    case cpuAndNeuralEngine = "CPU_AND_NE"
    case all = "ALL"

    /// "all" (lower case) is every setting in turn; otherwise a comma-separated list of the names above.
    public static func parseList(_ text: String) throws -> [ComputeUnitSetting] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "all" {
            return ComputeUnitSetting.allCases
        }
        var units: [ComputeUnitSetting] = []
        for part in trimmed.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let unit = ComputeUnitSetting(rawValue: name) else {
                let known = ComputeUnitSetting.allCases.map { $0.rawValue }.joined(separator: ", ")
                throw ComputeUnitError.unknown(name: name, known: known)
            }
            if !units.contains(unit) {
                units.append(unit)
            }
        }
        return units
    }
}

public enum ComputeUnitError: Error, CustomStringConvertible {
    case unknown(name: String, known: String)

    public var description: String {
        switch self {
        case .unknown(let name, let known):
            return "unknown compute units \(name); known: \(known), or all"
        }
    }
}
