"""The Swift harness and the Python side agree on the row schema, the template, the statistics and the names.

No Swift compiler runs here (Linux): these tests read the Swift sources the way the compiler would
see the schema (CodingKeys, stored properties, what ``encode(to:)`` writes) and hold them to
``benchmarks.results``, ``benchmarks.statistics``, ``runtimes.coreml_runtime``,
``devices.ios.swift_package`` and ``devices.ios.row_template``. ``Fixtures/example_row.json``, the row as
the Swift encoder writes it, is the contract both languages are tested against.
"""

from __future__ import annotations

import inspect
import json
import math
import re
from datetime import datetime, timezone

import pytest

from benchmarks.results import DEVICE_KEYS, LATENCY_KEYS, ROW_KEYS, SCHEMA_VERSION, validate_row
from benchmarks.statistics import LatencyStats, measure
from devices.ios import swift_package as package
from devices.ios.row_template import TIMING_KEYS, default_timing, make_template
from devices.rows import device_environment
from models import count, get_config
from runtimes.coreml_runtime import COMPUTE_UNITS
from tests.devices.ios import swift_source as swift

FIXTURE = swift.TESTS / "Fixtures" / "example_row.json"
#: Every struct of the schema, and what the Python side says its JSON keys are.
SCHEMA_STRUCTS = ("ResultRow", "LatencyStats", "DeviceRecord", "EnvironmentRecord", "RowTemplate", "TimingPolicy")


@pytest.fixture(scope="module")
def library() -> str:
    return swift.library_text()


@pytest.fixture(scope="module")
def fixture_row() -> dict:
    return json.loads(FIXTURE.read_text())


def keys_of(library: str, struct: str) -> list[str]:
    return swift.coding_keys(swift.block(library, "struct", struct))


# --- the row schema ------------------------------------------------------------------------------------


def test_result_row_keys_are_the_python_row_keys(library):
    assert keys_of(library, "ResultRow") == list(ROW_KEYS)


def test_latency_and_device_keys(library):
    assert keys_of(library, "LatencyStats") == list(LATENCY_KEYS)
    assert keys_of(library, "DeviceRecord") == list(DEVICE_KEYS)


def test_environment_keys_are_what_every_device_harness_writes(library):
    assert keys_of(library, "EnvironmentRecord") == list(device_environment({}, {}))


def test_schema_version(library):
    match = re.search(r"static let currentSchemaVersion = (\d+)", library)
    assert match and int(match.group(1)) == SCHEMA_VERSION


@pytest.mark.parametrize("struct", SCHEMA_STRUCTS)
def test_every_property_is_coded_and_every_key_written(library, struct):
    """Each stored property has a JSON name, and ``encode(to:)`` writes every key, nil ones as null: the
    synthesized encoder would omit nil optionals and the Python side requires every key."""
    body = swift.block(library, "struct", struct)
    cases = swift.coding_cases(body)
    assert swift.stored_properties(body) == list(cases), f"{struct}: properties and CodingKeys differ"
    if "func encode(to encoder: Encoder)" in body:
        assert swift.encoded_cases(body) == list(cases), f"{struct}: encode(to:) does not write every key in order"
    else:
        optionals = re.findall(r"^    public var (\w+): [^=\n]*\?\s*$", body, re.MULTILINE)
        assert optionals == [], f"{struct} relies on the synthesized encoder but has optionals {optionals}"


def test_template_keys_match_make_template(library, small_config, coreml_export):
    path, entry = coreml_export
    template = make_template(small_config, path, entry)
    assert keys_of(library, "RowTemplate") == list(template)
    assert keys_of(library, "TimingPolicy") == list(template["timing"]) == list(TIMING_KEYS)
    assert list(template["host"]) == list(device_environment({}, {})["host"])


def test_timing_defaults_agree(library):
    """TimingPolicy's default arguments are the desktop harness's DEFAULT_TIMING, completed by measure()."""
    init = re.search(r"public init\(warmupRuns: Int = (\S+), minRuns: Int = (\S+), minSeconds: Double = (\S+),"
                     r"\s*maxRuns: Int = (\S+),\s*maxSeconds: Double = ([^)]+)\)", library)
    assert init, "TimingPolicy.init with defaults not found"
    swift_defaults = dict(zip(TIMING_KEYS, (swift.number(v.rstrip(",")) for v in init.groups())))
    assert swift_defaults == default_timing()
    assert set(TIMING_KEYS) == set(inspect.signature(measure).parameters) - {"fn"}


def test_swift_timing_loop_mirrors_python(library):
    """The stopping rule of TimingPolicy.measure is the one in benchmarks.statistics.measure."""
    loop = swift.block(swift.read(swift.SOURCES / "Timing.swift"), "func", "measure(_")
    assert "while samples.count < maxRuns" in loop
    assert "(samples.count >= minRuns && elapsed >= minSeconds) || elapsed >= maxSeconds" in loop
    python = inspect.getsource(measure)
    assert "while len(samples) < max_runs" in python
    assert "(len(samples) >= min_runs and elapsed >= min_seconds) or elapsed >= max_seconds" in python


# --- names shared by both sides ------------------------------------------------------------------------


def test_compute_unit_names_are_the_python_names(library):
    coremltools = pytest.importorskip("coremltools")
    raw = swift.enum_raw_values(library, "ComputeUnitSetting")
    assert tuple(raw.values()) == COMPUTE_UNITS
    for name in raw.values():
        assert hasattr(coremltools.ComputeUnit, name), f"{name} is not a coremltools ComputeUnit"
    mapping = dict(re.findall(r"case \.(\w+):\s*return \.(\w+)", swift.block(library, "var", "mlComputeUnits")))
    assert mapping == {"cpuOnly": "cpuOnly", "cpuAndGPU": "cpuAndGPU", "cpuAndNeuralEngine": "cpuAndNeuralEngine",
                       "all": "all"}


def test_the_on_device_test_is_what_the_harness_runs():
    source = swift.read(swift.TESTS / "OnDeviceBenchmarkTests.swift")
    assert re.search(rf"final class {package.TEST_CLASS}: XCTestCase", source)
    assert "func testBenchmarkStagedModel() throws" in source
    assert swift.string_constant(source, "rowMarker") == package.ROW_MARKER
    assert swift.string_constant(source, "errorMarker") == package.ERROR_MARKER
    assert f'"{package.STAGED_MODEL}"' in source and f'"{package.STAGED_TEMPLATE}"' in source
    assert f'environment["{package.COMPUTE_UNITS_ENV.removeprefix("TEST_RUNNER_")}"]' in source


def test_package_manifest_declares_what_the_harness_expects():
    manifest = swift.read(package.PACKAGE_DIR / "Package.swift")
    assert manifest.startswith("// swift-tools-version:5.9")
    assert f'name: "{package.PACKAGE_NAME}"' in manifest
    assert ".iOS(.v16)" in manifest and ".macOS(.v13)" in manifest
    assert f'name: "{package.TEST_TARGET}"' in manifest
    assert '.copy("Fixtures")' in manifest and '.copy("Staged")' in manifest
    # Xcode cannot build a SwiftPM executable for iphoneos; the CLI lives in its own package.
    assert "executableTarget" not in manifest and ".executable(" not in manifest
    cli = swift.read(package.PACKAGE_DIR / "CLI" / "Package.swift")
    assert '.package(path: "..")' in cli
    assert f'.product(name: "{package.PACKAGE_NAME}", package: "{package.PACKAGE_DIR.name}")' in cli
    assert package.STAGED_DIR.is_dir() and (package.STAGED_DIR / "README.md").is_file()


# --- statistics ----------------------------------------------------------------------------------------


def swift_statistics_cases() -> list[tuple[str, list[float], dict[str, float]]]:
    """(test name, samples, expected field -> value) from StatisticsTests.swift."""
    source = swift.read(swift.TESTS / "StatisticsTests.swift")
    names = swift.coding_cases(swift.block(swift.library_text(), "struct", "LatencyStats"))
    cases = []
    for match in re.finditer(r"func (test\w+)\(\) throws \{(.*?)\n    \}", source, re.DOTALL):
        body = match.group(2)
        samples = re.search(r"let samples: \[Double\] = \[([^\]]*)\]", body)
        if samples is None or "LatencyStats(samplesMs: samples)" not in body:
            continue
        expected = {names[field]: swift.number(value)
                    for field, value in re.findall(r"XCTAssertEqual\(stats\.(\w+), ([-\d._e]+)", body)}
        cases.append((match.group(1), [swift.number(v) for v in samples.group(1).split(",")], expected))
    return cases


def test_swift_statistics_cases_are_found():
    cases = swift_statistics_cases()
    assert len(cases) >= 3
    for _, _, expected in cases:
        assert set(expected) == set(LATENCY_KEYS), "every statistic is asserted"


@pytest.mark.parametrize("name, samples, expected", swift_statistics_cases(),
                         ids=[case[0] for case in swift_statistics_cases()])
def test_swift_statistics_expectations_are_pythons(name, samples, expected):
    python = LatencyStats.from_samples(samples).to_dict()
    for key, value in expected.items():
        assert python[key] == pytest.approx(value, abs=1e-9), f"{name}: {key}"


def test_swift_percentile_expectations_are_pythons():
    from benchmarks.statistics import percentile

    source = swift.read(swift.TESTS / "StatisticsTests.swift")
    body = re.search(r"func testPercentileEnds\(\) throws \{(.*?)\n    \}", source, re.DOTALL).group(1)
    ordered = [swift.number(v) for v in re.search(r"let ordered: \[Double\] = \[([^\]]*)\]", body).group(1).split(",")]
    checks = re.findall(r"XCTAssertEqual\(try LatencyStats\.percentile\(ordered, (\d+)\), ([-\d.]+)", body)
    assert len(checks) == 3
    for q, value in checks:
        assert percentile(ordered, float(q)) == pytest.approx(float(value), abs=1e-12)


# --- the fixture row -----------------------------------------------------------------------------------


def test_fixture_is_a_valid_row(fixture_row):
    validate_row(fixture_row)
    assert list(fixture_row) == sorted(ROW_KEYS) and set(fixture_row) == set(ROW_KEYS)
    assert set(fixture_row["latency"]) == set(LATENCY_KEYS)
    assert set(fixture_row["device"]) == set(DEVICE_KEYS)
    assert set(fixture_row["environment"]) == set(device_environment({}, {}))
    assert fixture_row["schema_version"] == SCHEMA_VERSION


def test_fixture_numbers_are_consistent(fixture_row):
    row = fixture_row
    assert row["format"] == row["runtime"] == "coreml" and row["threads"] is None and row["batch"] == 1
    assert row["macs"] == count(get_config(row["model"], resolution=row["resolution"])).macs
    expected = 2 * row["macs"] / (row["latency"]["median_ms"] / 1e3) / 1e9
    assert math.isclose(row["achieved_gflops"], expected, rel_tol=1e-12)
    lat = row["latency"]
    assert lat["min_ms"] <= lat["median_ms"] <= lat["p90_ms"] and lat["runs"] >= 10 and lat["stdev_ms"] >= 0
    assert row["runtime_options"]["compute_units"] in COMPUTE_UNITS
    assert row["runtime_info"]["compute_units"] == row["runtime_options"]["compute_units"]
    assert row["runtime_info"]["runtime"] == "coreml"
    assert row["peak_rss_mb"] >= row["model_rss_mb"] > 0
    assert row["device"]["kind"] == "ios" and row["device"]["transport"] == "xcode"
    assert row["environment"]["versions"]["coreml-os"] == row["device"]["os"]
    measured = datetime.fromisoformat(row["measured_at"])
    assert measured.tzinfo == timezone.utc and measured.isoformat(timespec="seconds") == row["measured_at"]


def test_fixture_strings_are_the_swift_sides(library, fixture_row):
    info = fixture_row["runtime_info"]
    assert info["memory_measure"] == swift.string_constant(library, "measureDescription")
    tests = swift.read(swift.TESTS / "OnDeviceBenchmarkTests.swift")
    assert f'harness: "{info["harness"]}"' in tests
    measure_row = swift.block(swift.read(swift.SOURCES / "CoreMLBenchmark.swift"), "func", "measure(_")
    assert set(info) == set(re.findall(r'^\s*"(\w+)": ', measure_row, re.MULTILINE))


def test_fixture_is_in_the_swift_encoders_form(fixture_row):
    """Pretty-printed with sorted keys, the way JSONEncoder([.prettyPrinted, .sortedKeys]) writes it."""
    rendered = json.dumps(fixture_row, indent=2, sort_keys=True, separators=(",", " : "), ensure_ascii=False) + "\n"
    assert FIXTURE.read_text() == rendered
