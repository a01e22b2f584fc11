"""``xcodebuild`` on the Swift package: which scheme runs its tests, and the command that runs them on a device.

Xcode generates the package's schemes itself, so the scheme's name is read from ``xcodebuild -list`` rather
than assumed; the test run is limited to the on-device test class and builds into the package's own
derived-data directory.
"""

from __future__ import annotations

import json
import subprocess

from devices.ios.swift_package import DERIVED_DATA, PACKAGE_DIR, PACKAGE_NAME, TEST_CLASS, TEST_TARGET
from devices.transports import CommandTimeout, DeviceError
from devices.transports.base import run_local


def choose_scheme(listing: dict) -> str:
    """The scheme that runs the package's tests, from ``xcodebuild -list -json``: Xcode names it after the
    package (``MobileViTBench``), or ``MobileViTBench-Package`` when a package has several products."""
    container = (listing.get("workspace") or listing.get("project")) if isinstance(listing, dict) else None
    schemes = container.get("schemes") if isinstance(container, dict) else None
    schemes = [s for s in schemes if isinstance(s, str)] if isinstance(schemes, list) else []
    for candidate in (f"{PACKAGE_NAME}-Package", PACKAGE_NAME):
        if candidate in schemes:
            return candidate
    raise DeviceError(f"xcodebuild lists no {PACKAGE_NAME} scheme in {PACKAGE_DIR} (schemes: "
                      f"{', '.join(schemes) or 'none'}); open Package.swift in Xcode once to check it resolves")


def list_schemes(timeout: float = 600) -> dict:
    try:
        code, out, err, _ = run_local(["xcodebuild", "-list", "-json"], timeout, cwd=str(PACKAGE_DIR))
    except subprocess.TimeoutExpired:
        raise CommandTimeout(f"`xcodebuild -list` in {PACKAGE_DIR} did not finish within {timeout:.0f} s") from None
    start = out.find("{")
    try:
        listing = json.loads(out[start:]) if code == 0 and start >= 0 else None
    except json.JSONDecodeError:
        listing = None
    if not isinstance(listing, dict):
        tail = "\n".join((err + "\n" + out).strip().splitlines()[-8:]) or f"exit status {code}"
        raise DeviceError(f"`xcodebuild -list` cannot read the Swift package in {PACKAGE_DIR}:\n{tail}")
    return listing


def xcodebuild_command(scheme: str, udid: str, team: str | None = None) -> list[str]:
    command = ["xcodebuild", "test", "-scheme", scheme, "-destination", f"id={udid}",
               f"-only-testing:{TEST_TARGET}/{TEST_CLASS}", "-derivedDataPath", str(DERIVED_DATA),
               "-allowProvisioningUpdates"]
    if team:
        command.append(f"DEVELOPMENT_TEAM={team}")
    return command
