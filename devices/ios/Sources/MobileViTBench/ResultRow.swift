// One benchmark result row, in the JSON schema of benchmarks/results.py (ROW_KEYS, LATENCY_KEYS,
// DEVICE_KEYS, SCHEMA_VERSION). Every key is spelled out in a CodingKeys enum and every key is written,
// `null` included: the synthesized encoder would leave out nil optionals, and the Python side requires
// each key to be present. tests/devices/ios/test_swift_contract.py reads these enums and compares them
// with the Python constants.

import Foundation

/// A JSON value, for the free-form objects of a row (`runtime_info`, `environment.host`).
public enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null:
            try container.encodeNil()
        case .bool(let value):
            try container.encode(value)
        case .number(let value):
            try container.encode(value)
        case .string(let value):
            try container.encode(value)
        case .array(let value):
            try container.encode(value)
        case .object(let value):
            try container.encode(value)
        }
    }

    /// `.number`, or `.null` for nil.
    public static func optionalNumber(_ value: Double?) -> JSONValue {
        guard let value = value else { return .null }
        return .number(value)
    }

    /// `.string`, or `.null` for nil.
    public static func optionalString(_ value: String?) -> JSONValue {
        guard let value = value else { return .null }
        return .string(value)
    }
}

/// The facts the Python side knows about an artifact, staged beside it as template.json
/// (`devices.ios.row_template.make_template`). A row is this template plus what was measured here.
public struct RowTemplate: Codable, Equatable {
    public var schemaVersion: Int
    public var runId: String
    public var model: String
    public var mobilevitVersion: Int
    public var resolution: Int
    public var format: String
    public var precision: String
    public var artifact: String
    public var artifactSha256: String
    public var randomWeights: Bool
    public var macs: Int
    public var timing: TimingPolicy
    public var host: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case runId = "run_id"
        case model = "model"
        case mobilevitVersion = "mobilevit_version"
        case resolution = "resolution"
        case format = "format"
        case precision = "precision"
        case artifact = "artifact"
        case artifactSha256 = "artifact_sha256"
        case randomWeights = "random_weights"
        case macs = "macs"
        case timing = "timing"
        case host = "host"
    }

    public init(schemaVersion: Int, runId: String, model: String, mobilevitVersion: Int, resolution: Int,
                format: String, precision: String, artifact: String, artifactSha256: String, randomWeights: Bool,
                macs: Int, timing: TimingPolicy, host: [String: JSONValue]) {
        self.schemaVersion = schemaVersion
        self.runId = runId
        self.model = model
        self.mobilevitVersion = mobilevitVersion
        self.resolution = resolution
        self.format = format
        self.precision = precision
        self.artifact = artifact
        self.artifactSha256 = artifactSha256
        self.randomWeights = randomWeights
        self.macs = macs
        self.timing = timing
        self.host = host
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(runId, forKey: .runId)
        try container.encode(model, forKey: .model)
        try container.encode(mobilevitVersion, forKey: .mobilevitVersion)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(format, forKey: .format)
        try container.encode(precision, forKey: .precision)
        try container.encode(artifact, forKey: .artifact)
        try container.encode(artifactSha256, forKey: .artifactSha256)
        try container.encode(randomWeights, forKey: .randomWeights)
        try container.encode(macs, forKey: .macs)
        try container.encode(timing, forKey: .timing)
        try container.encode(host, forKey: .host)
    }

    public static func load(from url: URL) throws -> RowTemplate {
        let data = try Data(contentsOf: url)
        return try JSONDecoder().decode(RowTemplate.self, from: data)
    }
}

/// `row["device"]`: where the model ran (`benchmarks.results.DEVICE_KEYS`).
public struct DeviceRecord: Codable, Equatable {
    public var kind: String
    public var name: String
    public var os: String?
    public var cpu: String?
    public var abi: String?
    public var transport: String

    enum CodingKeys: String, CodingKey {
        case kind = "kind"
        case name = "name"
        case os = "os"
        case cpu = "cpu"
        case abi = "abi"
        case transport = "transport"
    }

    public init(kind: String, name: String, os: String?, cpu: String?, abi: String?, transport: String) {
        self.kind = kind
        self.name = name
        self.os = os
        self.cpu = cpu
        self.abi = abi
        self.transport = transport
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encode(os, forKey: .os)
        try container.encode(cpu, forKey: .cpu)
        try container.encode(abi, forKey: .abi)
        try container.encode(transport, forKey: .transport)
    }
}

/// `row["environment"]`, as `devices.rows.device_environment` builds it for every device harness.
public struct EnvironmentRecord: Codable, Equatable {
    public var cpu: String?
    public var logicalCores: Int?
    public var usableCores: Int?
    public var machine: String?
    public var system: String?
    public var python: String?
    public var versions: [String: String]
    public var host: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case cpu = "cpu"
        case logicalCores = "logical_cores"
        case usableCores = "usable_cores"
        case machine = "machine"
        case system = "system"
        case python = "python"
        case versions = "versions"
        case host = "host"
    }

    public init(cpu: String?, logicalCores: Int?, usableCores: Int?, machine: String?, system: String?,
                python: String?, versions: [String: String], host: [String: JSONValue]) {
        self.cpu = cpu
        self.logicalCores = logicalCores
        self.usableCores = usableCores
        self.machine = machine
        self.system = system
        self.python = python
        self.versions = versions
        self.host = host
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cpu, forKey: .cpu)
        try container.encode(logicalCores, forKey: .logicalCores)
        try container.encode(usableCores, forKey: .usableCores)
        try container.encode(machine, forKey: .machine)
        try container.encode(system, forKey: .system)
        try container.encode(python, forKey: .python)
        try container.encode(versions, forKey: .versions)
        try container.encode(host, forKey: .host)
    }
}

/// One measurement of one model under one compute-unit setting (`benchmarks.results.ROW_KEYS`).
public struct ResultRow: Codable, Equatable {
    /// `benchmarks.results.SCHEMA_VERSION`: the row layout this harness writes.
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    public var model: String
    public var mobilevitVersion: Int
    public var resolution: Int
    public var format: String
    public var precision: String
    public var runtime: String
    public var threads: Int?
    public var runtimeOptions: [String: String]
    public var artifact: String
    public var artifactSha256: String
    public var randomWeights: Bool
    public var batch: Int
    public var latency: LatencyStats
    public var loadMs: Double
    public var firstInferenceMs: Double
    public var peakRssMb: Double?
    public var modelRssMb: Double?
    public var macs: Int
    public var achievedGflops: Double
    public var roofGflops: Double?
    public var fractionOfRoof: Double?
    public var runtimeInfo: [String: JSONValue]
    public var device: DeviceRecord
    public var environment: EnvironmentRecord
    public var measuredAt: String

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case model = "model"
        case mobilevitVersion = "mobilevit_version"
        case resolution = "resolution"
        case format = "format"
        case precision = "precision"
        case runtime = "runtime"
        case threads = "threads"
        case runtimeOptions = "runtime_options"
        case artifact = "artifact"
        case artifactSha256 = "artifact_sha256"
        case randomWeights = "random_weights"
        case batch = "batch"
        case latency = "latency"
        case loadMs = "load_ms"
        case firstInferenceMs = "first_inference_ms"
        case peakRssMb = "peak_rss_mb"
        case modelRssMb = "model_rss_mb"
        case macs = "macs"
        case achievedGflops = "achieved_gflops"
        case roofGflops = "roof_gflops"
        case fractionOfRoof = "fraction_of_roof"
        case runtimeInfo = "runtime_info"
        case device = "device"
        case environment = "environment"
        case measuredAt = "measured_at"
    }

    public init(schemaVersion: Int, model: String, mobilevitVersion: Int, resolution: Int, format: String,
                precision: String, runtime: String, threads: Int?, runtimeOptions: [String: String],
                artifact: String, artifactSha256: String, randomWeights: Bool, batch: Int, latency: LatencyStats,
                loadMs: Double, firstInferenceMs: Double, peakRssMb: Double?, modelRssMb: Double?, macs: Int,
                achievedGflops: Double, roofGflops: Double?, fractionOfRoof: Double?,
                runtimeInfo: [String: JSONValue], device: DeviceRecord, environment: EnvironmentRecord,
                measuredAt: String) {
        self.schemaVersion = schemaVersion
        self.model = model
        self.mobilevitVersion = mobilevitVersion
        self.resolution = resolution
        self.format = format
        self.precision = precision
        self.runtime = runtime
        self.threads = threads
        self.runtimeOptions = runtimeOptions
        self.artifact = artifact
        self.artifactSha256 = artifactSha256
        self.randomWeights = randomWeights
        self.batch = batch
        self.latency = latency
        self.loadMs = loadMs
        self.firstInferenceMs = firstInferenceMs
        self.peakRssMb = peakRssMb
        self.modelRssMb = modelRssMb
        self.macs = macs
        self.achievedGflops = achievedGflops
        self.roofGflops = roofGflops
        self.fractionOfRoof = fractionOfRoof
        self.runtimeInfo = runtimeInfo
        self.device = device
        self.environment = environment
        self.measuredAt = measuredAt
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(model, forKey: .model)
        try container.encode(mobilevitVersion, forKey: .mobilevitVersion)
        try container.encode(resolution, forKey: .resolution)
        try container.encode(format, forKey: .format)
        try container.encode(precision, forKey: .precision)
        try container.encode(runtime, forKey: .runtime)
        try container.encode(threads, forKey: .threads)
        try container.encode(runtimeOptions, forKey: .runtimeOptions)
        try container.encode(artifact, forKey: .artifact)
        try container.encode(artifactSha256, forKey: .artifactSha256)
        try container.encode(randomWeights, forKey: .randomWeights)
        try container.encode(batch, forKey: .batch)
        try container.encode(latency, forKey: .latency)
        try container.encode(loadMs, forKey: .loadMs)
        try container.encode(firstInferenceMs, forKey: .firstInferenceMs)
        try container.encode(peakRssMb, forKey: .peakRssMb)
        try container.encode(modelRssMb, forKey: .modelRssMb)
        try container.encode(macs, forKey: .macs)
        try container.encode(achievedGflops, forKey: .achievedGflops)
        try container.encode(roofGflops, forKey: .roofGflops)
        try container.encode(fractionOfRoof, forKey: .fractionOfRoof)
        try container.encode(runtimeInfo, forKey: .runtimeInfo)
        try container.encode(device, forKey: .device)
        try container.encode(environment, forKey: .environment)
        try container.encode(measuredAt, forKey: .measuredAt)
    }

    /// GFLOP/s at the median latency, one multiply-add counted as two operations, exactly as
    /// `benchmarks.results.build_row` derives it: 2 * macs / (median_ms / 1000) / 1e9.
    public static func gflops(macs: Int, medianMs: Double) -> Double {
        guard medianMs > 0 else { return 0 }
        return 2 * Double(macs) / (medianMs / 1e3) / 1e9
    }

    /// ISO 8601 in UTC to the second, as Python's `datetime.now(timezone.utc).isoformat(timespec="seconds")`:
    /// "2026-11-23T18:40:00+00:00".
    public static func isoTimestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'+00:00'"
        return formatter.string(from: date)
    }

    /// A Core ML row from the staged template and what was measured on this device.
    public static func make(template: RowTemplate, computeUnits: ComputeUnitSetting, latency: LatencyStats,
                            loadMs: Double, firstInferenceMs: Double, peakRssMb: Double?, modelRssMb: Double?,
                            runtimeInfo: [String: JSONValue], facts: DeviceFacts, transport: String,
                            measuredAt: Date = Date()) -> ResultRow {
        let device = DeviceRecord(kind: facts.kind, name: facts.name, os: facts.os, cpu: facts.cpu,
                                  abi: facts.abi, transport: transport)
        let environment = EnvironmentRecord(cpu: facts.cpu ?? facts.name, logicalCores: facts.logicalCores,
                                            usableCores: facts.usableCores, machine: facts.abi,
                                            system: facts.os, python: nil, versions: ["coreml-os": facts.os],
                                            host: template.host)
        return ResultRow(
            schemaVersion: ResultRow.currentSchemaVersion,
            model: template.model,
            mobilevitVersion: template.mobilevitVersion,
            resolution: template.resolution,
            format: template.format,
            precision: template.precision,
            runtime: "coreml",
            threads: nil,
            runtimeOptions: ["compute_units": computeUnits.rawValue],
            artifact: template.artifact,
            artifactSha256: template.artifactSha256,
            randomWeights: template.randomWeights,
            batch: 1,
            latency: latency,
            loadMs: loadMs,
            firstInferenceMs: firstInferenceMs,
            peakRssMb: peakRssMb,
            modelRssMb: modelRssMb,
            macs: template.macs,
            achievedGflops: ResultRow.gflops(macs: template.macs, medianMs: latency.medianMs),
            roofGflops: nil,
            fractionOfRoof: nil,
            runtimeInfo: runtimeInfo,
            device: device,
            environment: environment,
            measuredAt: ResultRow.isoTimestamp(measuredAt)
        )
    }

    /// One line of compact JSON with sorted keys: what `MOBILEVIT_ROW` lines carry.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON list of rows, pretty-printed with sorted keys: what `mobilevit-bench --out` writes.
    public static func jsonDocument(_ rows: [ResultRow]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(rows)
    }
}
