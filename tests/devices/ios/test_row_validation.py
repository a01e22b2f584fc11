"""Rows from the phone are checked against the schema and the run before they are kept."""

from __future__ import annotations

import copy

import pytest

from benchmarks.results import RowError
from devices.ios.devicectl import parse_devicectl, select_device
from devices.ios.row_validation import collect_rows
from devices.ios.xcodebuild_log import parse_xcodebuild_output
from devices.transports import DeviceError
from tests.devices.ios.xcodebuild_sample import xcodebuild_log


def test_rows_are_validated_against_the_run_and_get_a_readable_name(example_row, devicectl):
    device = select_device(parse_devicectl(devicectl))
    template = {"run_id": example_row["runtime_info"]["run_id"]}
    rows, _ = parse_xcodebuild_output(xcodebuild_log([example_row], []))
    collected = collect_rows(rows, template, device)
    assert collected[0]["device"]["name"] == "iPhone 14 Pro"
    assert collected[0]["device"]["cpu"] == "iPhone15,2"

    with pytest.raises(DeviceError, match="belongs to another run.*stale"):
        collect_rows(copy.deepcopy(rows), {"run_id": "0" * 32}, device)
    broken = copy.deepcopy(rows)
    del broken[0]["latency"]
    with pytest.raises(RowError, match="lacks latency"):
        collect_rows(broken, template, device)
