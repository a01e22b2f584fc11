"""Rows from the phone are accepted only when they fit the results schema and belong to this run.

A row from a stale build (Xcode reusing resources of an earlier run) would otherwise be recorded as this
artifact's latency; the ``run_id`` the template carried tells them apart.
"""

from __future__ import annotations

from benchmarks.results import validate_row
from devices.ios.devicectl import AppleDevice
from devices.ios.swift_package import DERIVED_DATA
from devices.transports import DeviceError


def collect_rows(rows: list[dict], template: dict, device: AppleDevice) -> list[dict]:
    """Rows from the device, checked against the schema and against this run; the device's readable name
    (devicectl's marketing name) replaces its model identifier, which stays in ``device.cpu``."""
    for row in rows:
        validate_row(row)
        run_id = (row.get("runtime_info") or {}).get("run_id")
        if run_id != template["run_id"]:
            raise DeviceError(f"a row from {device.label} belongs to another run ({run_id}, expected "
                              f"{template['run_id']}): Xcode copied stale resources; delete {DERIVED_DATA} and retry")
        if device.model:
            row["device"]["name"] = device.model
    return rows
