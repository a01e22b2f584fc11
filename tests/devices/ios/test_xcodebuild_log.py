"""Reading the test's rows and failures out of an xcodebuild log, and advice for a log that has none."""

from __future__ import annotations

import copy
import json

from devices.ios.swift_package import ROW_MARKER
from devices.ios.xcodebuild_log import explain_failure, parse_xcodebuild_output
from tests.devices.ios.xcodebuild_sample import xcodebuild_log


def variant(row: dict, units: str, median: float) -> dict:
    other = copy.deepcopy(row)
    other["runtime_options"]["compute_units"] = other["runtime_info"]["compute_units"] = units
    other["latency"]["median_ms"] = median
    other["achieved_gflops"] = 2 * other["macs"] / (median / 1e3) / 1e9
    return other


def test_rows_and_errors_come_out_of_the_xcodebuild_log(example_row):
    cpu = variant(example_row, "CPU_ONLY", 14.2)
    ne_error = "CPU_AND_GPU: Failed to build the model execution plan (com.apple.CoreML 0)"
    log = xcodebuild_log([example_row, cpu], [ne_error])
    rows, errors = parse_xcodebuild_output(log)
    assert rows == [example_row, cpu]
    assert errors == [ne_error]


def test_a_relayed_twice_line_counts_once_and_a_cut_line_is_reported(example_row):
    line = ROW_MARKER + json.dumps(example_row, separators=(",", ":"))
    log = "\n".join([line, "2026-11-23 18:40:01.5 xctest[77:88] " + line, line[: len(line) // 2]])
    rows, errors = parse_xcodebuild_output(log)
    assert rows == [example_row]
    assert len(errors) == 1 and "could not be read" in errors[0]


def test_a_log_without_markers_has_nothing():
    assert parse_xcodebuild_output(xcodebuild_log([], [])) == ([], [])


def test_failed_logs_are_explained():
    signing = ('error: Signing for "MobileViTBenchTests" requires a development team. Select a development team '
               "in the Signing & Capabilities editor. (in target 'MobileViTBenchTests' from project 'MobileViTBench')")
    assert "DEVELOPMENT_TEAM=" in explain_failure(signing)
    assert "Developer Mode" in explain_failure("error: Developer Mode disabled on the device")
    missing = "xcodebuild: error: Unable to find a destination matching the provided destination specifier"
    assert "cannot use the device" in explain_failure(missing)
    assert explain_failure(xcodebuild_log([], [])) == "", "a build's own CodeSign step is not a signing error"
