// swift-tools-version:5.9
//
// The on-device half of `make bench-ios`: a library that times a compiled Core ML model per compute-unit
// setting and emits result rows in the schema of benchmarks/results.py, and the XCTest target that runs it
// on a phone (`xcodebuild test`). One library product and one test target on purpose: Xcode then makes a
// single scheme named after the package that builds and runs the tests for an iOS destination. The macOS
// command-line tool lives in its own package (CLI/), because Xcode cannot build a SwiftPM executable for
// iphoneos and would fail the whole scheme.

import PackageDescription

let package = Package(
    name: "MobileViTBench",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "MobileViTBench", targets: ["MobileViTBench"]),
    ],
    targets: [
        .target(
            name: "MobileViTBench",
            path: "Sources/MobileViTBench"
        ),
        .testTarget(
            name: "MobileViTBenchTests",
            dependencies: ["MobileViTBench"],
            path: "Tests/MobileViTBenchTests",
            resources: [
                // The row both languages agree on (tests/devices/ios holds the Python side to it).
                .copy("Fixtures"),
                // model.mlpackage and template.json, put here by `python -m devices.ios` for one run and
                // removed afterwards; only README.md is committed.
                .copy("Staged"),
            ]
        ),
    ]
)
