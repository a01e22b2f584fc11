"""The Swift package in this directory, as the Python side names it: its paths and the contract of one run.

Every name here appears again in Swift (``Package.swift``, ``OnDeviceBenchmarkTests.swift``), where Python
cannot import it; ``tests/devices/ios/test_swift_contract.py`` reads the Swift sources and holds both to the
same values.
"""

from __future__ import annotations

from pathlib import Path

#: The Swift package: its name, test target and on-device test class (``Package.swift``,
#: ``Tests/MobileViTBenchTests/OnDeviceBenchmarkTests.swift``).
PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_NAME = "MobileViTBench"
TEST_TARGET = "MobileViTBenchTests"
TEST_CLASS = "OnDeviceBenchmarkTests"
#: Where a run's model and template go; the test target copies this directory into its bundle.
STAGED_DIR = PACKAGE_DIR / "Tests" / TEST_TARGET / "Staged"
STAGED_KEEP = ("README.md",)
STAGED_MODEL = "model.mlpackage"
STAGED_TEMPLATE = "template.json"
#: xcodebuild's build products, inside the package (gitignored) rather than in ~/Library.
DERIVED_DATA = PACKAGE_DIR / ".build" / "xcode"

#: What the on-device test prints before each row (JSON) and each failed compute-unit setting.
ROW_MARKER = "MOBILEVIT_ROW "
ERROR_MARKER = "MOBILEVIT_ERROR "
#: xcodebuild passes TEST_RUNNER_<NAME> to the test process as <NAME> (man xcodebuild).
COMPUTE_UNITS_ENV = "TEST_RUNNER_MOBILEVIT_COMPUTE_UNITS"
