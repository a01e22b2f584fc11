// swift-tools-version:5.9
//
// `mobilevit-bench`: the same measurement as the on-device tests, as a macOS command-line tool.
//
//     swift run --package-path devices/ios/CLI -c release mobilevit-bench \
//         --model artifacts/M.mlpackage --template template.json --out rows.json [--compute-units all]
//
// A separate package so that the iOS test scheme of the parent package has no executable in it (Xcode
// cannot build a SwiftPM executable for iphoneos). The parent is a path dependency: its package identity
// is the name of its directory, "ios".

import PackageDescription

let package = Package(
    name: "MobileViTBenchCLI",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mobilevit-bench", targets: ["mobilevit-bench"]),
    ],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "mobilevit-bench",
            dependencies: [.product(name: "MobileViTBench", package: "ios")],
            path: "Sources/mobilevit-bench"
        ),
    ]
)
