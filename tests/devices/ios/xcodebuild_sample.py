"""An ``xcodebuild test`` log as Xcode 15 prints it for a package test on a device, around the test's own lines.

The compiler warning quotes the Swift source's markers, the way a real build's log does, so a reader must tell
the test's output from its source.
"""

from __future__ import annotations

import json

from devices.ios.swift_package import ERROR_MARKER, ROW_MARKER
from tests.devices.ios.devicectl_sample import IPHONE


def xcodebuild_log(rows: list[dict], errors: list[str]) -> str:
    """What `xcodebuild test` prints around the test's own lines (Xcode 15, a package test on a device)."""
    lines = [
        "Command line invocation:",
        "    /Applications/Xcode.app/Contents/Developer/usr/bin/xcodebuild test -scheme MobileViTBench "
        f"-destination id={IPHONE} -only-testing:MobileViTBenchTests/OnDeviceBenchmarkTests",
        "Resolve Package Graph",
        "CompileSwift normal arm64 /Users/jane/mobilevit-deploy/devices/ios/Sources/MobileViTBench/ResultRow.swift",
        "/Users/jane/mobilevit-deploy/devices/ios/Tests/MobileViTBenchTests/OnDeviceBenchmarkTests.swift:17:16: "
        "warning: static property 'rowMarker' is never mutated",
        '    static let rowMarker = "MOBILEVIT_ROW "',
        '    static let errorMarker = "MOBILEVIT_ERROR "',
        "               ^",
        "CodeSign /Users/jane/mobilevit-deploy/devices/ios/.build/xcode/Build/Products/Debug-iphoneos/"
        "MobileViTBenchTests.xctest",
        "2026-11-23 18:39:51.117 xcodebuild[4242:98765]  IDETestOperationsObserverDebug: Writing diagnostic log",
        "Test Suite 'Selected tests' started at 2026-11-23 18:39:58.120.",
        "Test Case '-[MobileViTBenchTests.OnDeviceBenchmarkTests testBenchmarkStagedModel]' started.",
    ]
    for row in rows:
        lines.append(ROW_MARKER + json.dumps(row, separators=(",", ":"), sort_keys=True))
    for message in errors:
        lines.append(ERROR_MARKER + message)
    lines += [
        "Test Case '-[MobileViTBenchTests.OnDeviceBenchmarkTests testBenchmarkStagedModel]' passed (41.207 seconds).",
        "Test Suite 'Selected tests' passed at 2026-11-23 18:40:39.331.",
        "** TEST SUCCEEDED **",
    ]
    return "\n".join(lines) + "\n"
