// mobilevit-bench: time a Core ML model on this Mac per compute-unit setting and write the rows as a
// JSON list (the schema of benchmarks/results.py), atomically.
//
//     mobilevit-bench --model M.mlpackage --template template.json --out rows.json [--compute-units all]
//
// template.json is what `devices.ios.row_template.make_template` writes. Exit status: 0 when every setting was
// measured, 1 when some failed (the others are still written), 2 for usage errors or when none could be
// measured (nothing is written then).

import Foundation
import MobileViTBench

let usage = """
    usage: mobilevit-bench --model M.mlpackage --template T.json --out rows.json [--compute-units all|NAME,...]
      --compute-units   all (default: each setting in turn) or a comma list of CPU_ONLY, CPU_AND_GPU, CPU_AND_NE, ALL
    """

func complain(_ message: String) -> Int32 {
    FileHandle.standardError.write(Data("mobilevit-bench: \(message)\n".utf8))
    return 2
}

/// `--key value` pairs; nil (after printing why) for anything else.
func parseArguments(_ arguments: [String]) -> [String: String]? {
    var options: [String: String] = [:]
    var index = 0
    while index < arguments.count {
        let key = arguments[index]
        if key == "-h" || key == "--help" {
            print(usage)
            return nil
        }
        if !["--model", "--template", "--out", "--compute-units"].contains(key) {
            _ = complain("unknown argument \(key)\n\(usage)")
            return nil
        }
        if index + 1 >= arguments.count {
            _ = complain("\(key) needs a value\n\(usage)")
            return nil
        }
        options[key] = arguments[index + 1]
        index += 2
    }
    return options
}

func runCommand(_ arguments: [String]) -> Int32 {
    #if canImport(CoreML)
    guard let options = parseArguments(arguments) else {
        return arguments.contains("-h") || arguments.contains("--help") ? 0 : 2
    }
    guard let modelPath = options["--model"], let templatePath = options["--template"],
          let outPath = options["--out"] else {
        return complain("--model, --template and --out are required\n\(usage)")
    }
    let units: [ComputeUnitSetting]
    do {
        units = try ComputeUnitSetting.parseList(options["--compute-units"] ?? "all")
    } catch {
        return complain(describeError(error))
    }
    let template: RowTemplate
    do {
        template = try RowTemplate.load(from: URL(fileURLWithPath: templatePath))
    } catch {
        return complain("cannot read the template \(templatePath): \(error)")
    }

    let benchmark = CoreMLBenchmark(modelURL: URL(fileURLWithPath: modelPath), template: template,
                                    transport: "local", harness: "mobilevit-bench (Swift CLI)")
    var rows: [ResultRow] = []
    var failures = 0
    benchmark.run(units: units, onRow: { row in
        rows.append(row)
        let median = String(format: "%.2f", row.latency.medianMs)
        let setting = row.runtimeOptions["compute_units"] ?? "?"
        print("\(setting): median \(median) ms over \(row.latency.runs) runs")
    }, onFailure: { unit, message in
        failures += 1
        FileHandle.standardError.write(Data("mobilevit-bench: \(unit.rawValue) failed: \(message)\n".utf8))
    })

    if rows.isEmpty {
        return complain("no compute-unit setting could be measured; nothing written")
    }
    do {
        let data = try ResultRow.jsonDocument(rows)
        // .atomic writes a temporary file beside the destination, then renames it into place.
        try data.write(to: URL(fileURLWithPath: outPath), options: .atomic)
    } catch {
        return complain("cannot write \(outPath): \(error)")
    }
    print("wrote \(rows.count) row(s) to \(outPath)")
    return failures == 0 ? 0 : 1
    #else
    return complain("Core ML is not available on this platform; run mobilevit-bench on macOS 13 or newer")
    #endif
}

exit(runCommand(Array(CommandLine.arguments.dropFirst())))
