"""Time a Core ML artifact on an iPhone or iPad with the Swift harness in this directory, and bring back rows.

The phone is reached the way Xcode reaches it, and :func:`bench_ios` reads in that order:
:mod:`~devices.ios.mac_host` refuses anywhere but a Mac with Xcode 15+, before anything is exported;
:mod:`~devices.ios.devicectl` finds the phone (``xcrun devicectl list devices``); the artifact and a row
template (:mod:`~devices.ios.row_template`, the facts only this side knows: MACs, sha256, host) are
:mod:`~devices.ios.staging` staged into the test target's ``Staged/`` resources for that one run and removed
afterwards, whatever happens; :mod:`~devices.ios.xcodebuild` builds the Swift package ``MobileViTBench``
and runs its ``OnDeviceBenchmarkTests`` on the phone; :mod:`~devices.ios.xcodebuild_log` reads the rows
(``MOBILEVIT_ROW {json}``) and failures (``MOBILEVIT_ERROR message``) back out of xcodebuild's log, and
:mod:`~devices.ios.row_validation` keeps only rows that fit the schema and this run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from devices.ios.devicectl import list_devices, select_device
from devices.ios.mac_host import check_host
from devices.ios.row_template import make_template
from devices.ios.row_validation import collect_rows
from devices.ios.staging import staged
from devices.ios.swift_package import COMPUTE_UNITS_ENV, PACKAGE_DIR
from devices.ios.xcodebuild import choose_scheme, list_schemes, xcodebuild_command
from devices.ios.xcodebuild_log import explain_failure, parse_xcodebuild_output
from devices.transports import CommandTimeout, DeviceError
from devices.transports.base import run_local
from export.formats import make_request
from export.reuse import ensure_artifact
from models.config import MobileViTConfig
from runtimes.coreml_runtime import COMPUTE_UNITS


def bench_ios(
    config: MobileViTConfig,
    artifacts: Path,
    *,
    device: str | None = None,
    precision: str | None = None,
    weights: Path | None = None,
    compute_units: str = "all",
    team: str | None = None,
    timing: dict | None = None,
    timeout: float = 1800,
    step: Callable[[str], None] = lambda _: None,
) -> list[dict]:
    """One row per compute-unit setting for ``config``'s Core ML artifact on a connected iPhone or iPad."""
    if compute_units != "all" and compute_units not in COMPUTE_UNITS:
        raise DeviceError(f"compute units {compute_units!r}: choose one of {', '.join(COMPUTE_UNITS)} or all")
    check_host()
    step("looking for the device (xcrun devicectl list devices)")
    chosen = select_device(list_devices(), device)
    path, entry = ensure_artifact(make_request(config, "coreml", artifacts, precision, weights=weights), step)
    template = make_template(config, path, entry, timing)
    step(f"resolving the Swift package in {PACKAGE_DIR}")
    scheme = choose_scheme(list_schemes())
    team = team or os.environ.get("DEVELOPMENT_TEAM") or None
    command = ["env", f"{COMPUTE_UNITS_ENV}={compute_units}", *xcodebuild_command(scheme, chosen.udid, team)]
    with staged(path, template):
        step(f"building the harness and timing {path.name} on {chosen.label} ({compute_units} compute units; "
             "the first build takes a few minutes)")
        try:
            code, out, err, _ = run_local(command, timeout, cwd=str(PACKAGE_DIR))
        except subprocess.TimeoutExpired:
            raise CommandTimeout(f"xcodebuild test on {chosen.label} did not finish within {timeout:.0f} s and was "
                                 "stopped; the staged model was removed") from None
    log = out + "\n" + err
    rows, errors = parse_xcodebuild_output(log)
    if not rows:
        advice = explain_failure(log) or ("see the log below" if code else "the test printed no rows: check that "
                                          "the device ran OnDeviceBenchmarkTests")
        failures = "".join(f"\n  {message}" for message in errors)
        tail = "\n".join(log.strip().splitlines()[-15:]) or "(no output)"
        raise DeviceError(f"no rows came back from {chosen.label} (xcodebuild exited {code}): {advice}."
                          + (f"\nThe harness reported:{failures}" if failures else "")
                          + f"\nLast lines of the xcodebuild log:\n{tail}")
    for message in errors:
        step(f"warning: not measured on {chosen.label}: {message}")
    return collect_rows(rows, template, chosen)
