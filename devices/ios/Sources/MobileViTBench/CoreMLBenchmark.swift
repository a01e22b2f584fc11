// Time a Core ML model once per compute-unit setting and make a result row of each measurement.
//
// The model (.mlpackage, or an already compiled .mlmodelc) is compiled once for this device into a
// temporary directory, which is removed afterwards. For each setting the compiled model is loaded with
// that MLModelConfiguration.computeUnits (load_ms includes Core ML's device-specific preparation, e.g.
// for the Neural Engine), predicted once (first_inference_ms), then timed per the template's policy on
// one fixed, deterministic 32BGRA image of the size the model's image input declares.

#if canImport(CoreML)
import CoreML
import CoreVideo
import Foundation

extension ComputeUnitSetting {
    public var mlComputeUnits: MLComputeUnits {
        switch self {
        case .cpuOnly:
            return .cpuOnly
        case .cpuAndGPU:
            return .cpuAndGPU
        case .cpuAndNeuralEngine:
            return .cpuAndNeuralEngine
        case .all:
            return .all
        }
    }
}

public enum BenchmarkError: Error, CustomStringConvertible {
    case schemaMismatch(template: Int, harness: Int)
    case modelMissing(String)
    case noImageInput(String)
    case pixelBuffer(Int32)

    public var description: String {
        switch self {
        case .schemaMismatch(let template, let harness):
            return "template.json is schema \(template) but this harness writes schema \(harness): "
                + "update devices/ios so both sides agree"
        case .modelMissing(let path):
            return "no model at \(path)"
        case .noImageInput(let inputs):
            return "the model has no image input (inputs: \(inputs)); the harness feeds an ImageType input"
        case .pixelBuffer(let status):
            return "CVPixelBufferCreate failed with status \(status)"
        }
    }
}

/// One line, for `MOBILEVIT_ERROR` and the CLI's stderr: the harness's own errors by their description,
/// Core ML's (NSError) by localized description, domain and code.
public func describeError(_ error: Error) -> String {
    var text: String
    if let own = error as? BenchmarkError {
        text = own.description
    } else if let own = error as? StatisticsError {
        text = own.description
    } else if let own = error as? ComputeUnitError {
        text = own.description
    } else {
        let nsError = error as NSError
        text = "\(nsError.localizedDescription) (\(nsError.domain) \(nsError.code))"
    }
    text = text.replacingOccurrences(of: "\r", with: " ")
    text = text.replacingOccurrences(of: "\n", with: " ")
    return text
}

/// The model ready to load: compiled for this device, and whether this harness made (and must remove) it.
public struct CompiledModel {
    public let url: URL
    public let compileMs: Double?
    public let temporary: Bool

    /// Compiles a .mlpackage/.mlmodel; an .mlmodelc is used as it is.
    public static func prepare(_ modelURL: URL) throws -> CompiledModel {
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw BenchmarkError.modelMissing(modelURL.path)
        }
        if modelURL.pathExtension == "mlmodelc" {
            return CompiledModel(url: modelURL, compileMs: nil, temporary: false)
        }
        let start = Stopwatch.now()
        let compiled = try compileSynchronously(modelURL)
        return CompiledModel(url: compiled, compileMs: Stopwatch.milliseconds(since: start), temporary: true)
    }

    /// Removes the compiled model if this harness compiled it (Core ML puts it in a temporary directory).
    public func cleanUp() {
        if temporary {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// MLModel.compileModel(at:), the synchronous form (deprecated in recent SDKs in favour of the async
    /// one, a warning only): XCTest runs this test on the main thread, where waiting for a completion
    /// handler could deadlock if Core ML delivered it on the main queue.
    private static func compileSynchronously(_ modelURL: URL) throws -> URL {
        return try MLModel.compileModel(at: modelURL)
    }
}

/// The input the harness feeds: a fixed image of the size the model declares.
struct ImageInput {
    let name: String
    let width: Int
    let height: Int
    let provider: MLFeatureProvider

    static func make(for model: MLModel, fallbackSize: Int) throws -> ImageInput {
        let inputs = model.modelDescription.inputDescriptionsByName
        let names = inputs.keys.sorted()
        var chosen: MLFeatureDescription? = nil
        for name in names {
            if let description = inputs[name], description.type == .image {
                chosen = description
                break
            }
        }
        guard let description = chosen else {
            throw BenchmarkError.noImageInput(names.joined(separator: ", "))
        }
        var width = fallbackSize
        var height = fallbackSize
        if let constraint = description.imageConstraint {
            width = constraint.pixelsWide
            height = constraint.pixelsHigh
        }
        let buffer = try makePixelBuffer(width: width, height: height)
        let value = MLFeatureValue(pixelBuffer: buffer)
        let provider = try MLDictionaryFeatureProvider(dictionary: [description.name: value])
        return ImageInput(name: description.name, width: width, height: height, provider: provider)
    }

    /// A 32BGRA buffer with a fixed pattern (same bytes on every run and device), IOSurface-backed so the
    /// GPU and the Neural Engine can read it without a copy.
    static func makePixelBuffer(width: Int, height: Int) throws -> CVPixelBuffer {
        let attributes: [String: Any] = [
            kCVPixelBufferIOSurfacePropertiesKey as String: [String: Any](),
            kCVPixelBufferCGImageCompatibilityKey as String: true,
            kCVPixelBufferCGBitmapContextCompatibilityKey as String: true,
        ]
        var created: CVPixelBuffer? = nil
        let status = CVPixelBufferCreate(kCFAllocatorDefault, width, height, kCVPixelFormatType_32BGRA,
                                         attributes as CFDictionary, &created)
        guard status == kCVReturnSuccess, let buffer = created else {
            throw BenchmarkError.pixelBuffer(status)
        }
        let flags = CVPixelBufferLockFlags(rawValue: 0)
        CVPixelBufferLockBaseAddress(buffer, flags)
        defer { CVPixelBufferUnlockBaseAddress(buffer, flags) }
        guard let base = CVPixelBufferGetBaseAddress(buffer) else {
            throw BenchmarkError.pixelBuffer(status)
        }
        let bytesPerRow = CVPixelBufferGetBytesPerRow(buffer)
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for y in 0..<height {
            let row = bytes + y * bytesPerRow
            for x in 0..<width {
                let pixel = row + x * 4
                pixel[0] = UInt8((x * 7 + y * 13) % 256)   // B
                pixel[1] = UInt8((x * 3 + y * 5) % 256)    // G
                pixel[2] = UInt8((x + y * 11) % 256)       // R
                pixel[3] = 255                             // A
            }
        }
        return buffer
    }
}

/// Runs the measurement for each compute-unit setting of one model.
public final class CoreMLBenchmark {
    public let modelURL: URL
    public let template: RowTemplate
    public let transport: String
    public let facts: DeviceFacts
    /// Who ran it, for `runtime_info.harness`.
    public let harness: String

    public init(modelURL: URL, template: RowTemplate, transport: String, harness: String,
                facts: DeviceFacts = DeviceFacts.current()) {
        self.modelURL = modelURL
        self.template = template
        self.transport = transport
        self.harness = harness
        self.facts = facts
    }

    /// Measures each setting in turn. Each row, or each setting's failure, is reported as soon as it is
    /// known; a failing setting (e.g. no Neural Engine) does not stop the others.
    public func run(units: [ComputeUnitSetting], onRow: (ResultRow) -> Void,
                    onFailure: (ComputeUnitSetting, String) -> Void) {
        if template.schemaVersion != ResultRow.currentSchemaVersion {
            let problem = BenchmarkError.schemaMismatch(template: template.schemaVersion,
                                                        harness: ResultRow.currentSchemaVersion)
            for unit in units {
                onFailure(unit, problem.description)
            }
            return
        }
        let compiled: CompiledModel
        do {
            compiled = try CompiledModel.prepare(modelURL)
        } catch {
            for unit in units {
                onFailure(unit, "cannot compile \(modelURL.lastPathComponent): \(describeError(error))")
            }
            return
        }
        defer { compiled.cleanUp() }
        for unit in units {
            do {
                let row = try autoreleasepool { () throws -> ResultRow in
                    try measure(unit, compiled: compiled)
                }
                onRow(row)
            } catch {
                onFailure(unit, describeError(error))
            }
        }
    }

    /// One row: load with `unit`, predict once, time per the template's policy.
    public func measure(_ unit: ComputeUnitSetting, compiled: CompiledModel) throws -> ResultRow {
        let configuration = MLModelConfiguration()
        configuration.computeUnits = unit.mlComputeUnits

        let before = MemoryFootprint.sample()
        let loadStart = Stopwatch.now()
        let model = try MLModel(contentsOf: compiled.url, configuration: configuration)
        let loadMs = Stopwatch.milliseconds(since: loadStart)
        let afterLoad = MemoryFootprint.sample()

        let input = try ImageInput.make(for: model, fallbackSize: template.resolution)
        let firstStart = Stopwatch.now()
        _ = try model.prediction(from: input.provider)
        let firstMs = Stopwatch.milliseconds(since: firstStart)
        let afterFirst = MemoryFootprint.sample()

        let samples = try template.timing.measure {
            _ = try model.prediction(from: input.provider)
        }
        let afterTiming = MemoryFootprint.sample()
        let latency = try LatencyStats(samplesMs: samples)

        var peakBytes: UInt64? = nil
        for sample in [afterLoad, afterFirst, afterTiming] {
            if let current = sample?.current {
                peakBytes = max(peakBytes ?? 0, current)
            }
        }
        var modelMb: Double? = nil
        if let loaded = afterLoad?.current, let baseline = before?.current {
            modelMb = MemoryFootprint.megabytes(loaded) - MemoryFootprint.megabytes(baseline)
        }
        var lifetimePeakMb: Double? = nil
        if let lifetime = afterTiming?.lifetimePeak {
            lifetimePeakMb = MemoryFootprint.megabytes(lifetime)
        }
        var peakMb: Double? = nil
        if let bytes = peakBytes {
            peakMb = MemoryFootprint.megabytes(bytes)
        }

        let info: [String: JSONValue] = [
            "runtime": .string("coreml"),
            "version": .string(facts.os),
            "compute_units": .string(unit.rawValue),
            "os": .string(facts.os),
            "machine": .string(facts.machine),
            "logical_cores": .number(Double(facts.logicalCores)),
            "memory_measure": .string(MemoryFootprint.measureDescription),
            "os_peak_footprint_mb": JSONValue.optionalNumber(lifetimePeakMb),
            "compile_ms": JSONValue.optionalNumber(compiled.compileMs),
            "input": .string("\(input.name) \(input.width)x\(input.height) 32BGRA"),
            "harness": .string(harness),
            "run_id": .string(template.runId),
        ]
        return ResultRow.make(template: template, computeUnits: unit, latency: latency, loadMs: loadMs,
                              firstInferenceMs: firstMs, peakRssMb: peakMb, modelRssMb: modelMb,
                              runtimeInfo: info, facts: facts, transport: transport)
    }
}
#endif
