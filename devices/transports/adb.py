"""Android phones through the ``adb`` client (platform-tools, or Debian's ``adb`` package).

A device is chosen the way Android engineers expect: the only one attached, or ``SERIAL``
(``ANDROID_SERIAL`` also works); anything else is an error that says what ``adb devices`` shows and
what to do about it. ``adb shell`` returns the remote exit status (shell protocol, Android 7+).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devices.transports.base import (
    LINK_GRACE_S,
    CommandResult,
    DeviceError,
    DeviceNotFound,
    DeviceUnreachable,
    ShellTransport,
    TransferError,
    run_local,
)

#: What ``adb devices`` says of a device that is attached but cannot be used, and what to do.
_UNUSABLE = {
    "unauthorized": "accept the 'Allow USB debugging?' prompt on the phone (unlock it first), then retry",
    "offline": "reconnect the cable or run `adb kill-server`; the phone did not answer adb",
    "no permissions": "the USB device is not accessible to this user: add a udev rule for Android devices "
                      "(or run `adb kill-server` and start it as a user with access)",
    "authorizing": "the phone is still authorising this computer; retry in a few seconds",
    "recovery": "the phone is in recovery mode; boot it normally",
    "bootloader": "the phone is in the bootloader; boot it normally",
    "sideload": "the phone is in sideload mode; boot it normally",
}

#: adb's own messages when the link, not the command, failed (a command's "not found" is not one).
_LINK_ERRORS = ("error: device", "error: closed", "error: no devices", "adb: device offline", "error: protocol fault",
                "adb: error: failed to get feature set")

#: Where an app-less benchmark may write on any Android device (world-writable, executable).
DEVICE_TMP = "/data/local/tmp"


@dataclass(frozen=True)
class AttachedDevice:
    serial: str
    state: str
    details: dict

    @property
    def model(self) -> str:
        return self.details.get("model", "").replace("_", " ")


def parse_devices(text: str) -> list[AttachedDevice]:
    """``adb devices -l`` output, e.g. ``R58M123  device usb:1-1 product:x model:SM_G973F device:beyond1``."""
    devices = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("List of devices", "*")) or "\t" not in line and "  " not in line:
            continue
        serial, rest = line.split(None, 1)
        state = next((s for s in ("no permissions", *_UNUSABLE, "device") if rest.startswith(s)), rest.split()[0])
        details = dict(part.split(":", 1) for part in rest[len(state):].split() if ":" in part)
        devices.append(AttachedDevice(serial, state, details))
    return devices


def find_adb(adb: str | None = None) -> str:
    adb = adb or os.environ.get("ADB") or "adb"
    path = shutil.which(adb)
    if path is None:
        raise DeviceError(f"adb not found ({adb!r}): install Android SDK platform-tools "
                          "(https://developer.android.com/tools/releases/platform-tools) or Debian's `adb` "
                          "package, or pass ADB=/path/to/adb")
    return path


def select_device(devices: list[AttachedDevice], serial: str | None = None) -> AttachedDevice:
    """The device to use, or a :class:`DeviceNotFound` that says why none can be."""
    listing = ", ".join(f"{d.serial} ({d.model or d.state})" for d in devices)
    if serial:
        chosen = next((d for d in devices if d.serial == serial), None)
        if chosen is None:
            raise DeviceNotFound(f"device {serial} is not attached; adb devices lists: {listing or 'none'}")
    else:
        if not devices:
            raise DeviceNotFound("no Android device attached (`adb devices` lists none): connect a phone by USB "
                                 "with USB debugging enabled (Settings > Developer options), or `adb connect "
                                 "HOST:PORT` for wireless debugging")
        usable = [d for d in devices if d.state == "device"]
        if len(devices) > 1:
            raise DeviceNotFound(f"{len(devices)} devices attached ({listing}): choose one with SERIAL=<serial>"
                                 + (f" (usable: {', '.join(d.serial for d in usable)})" if usable else ""))
        chosen = devices[0]
    if chosen.state != "device":
        advice = _UNUSABLE.get(chosen.state, "check `adb devices`")
        raise DeviceNotFound(f"device {chosen.serial} is {chosen.state}: {advice}")
    return chosen


def list_devices(adb: str, timeout: float = 30) -> list[AttachedDevice]:
    try:
        code, out, err, _ = run_local([adb, "devices", "-l"], timeout)
    except subprocess.TimeoutExpired:
        raise DeviceUnreachable(f"`adb devices` did not answer in {timeout:.0f} s; try `adb kill-server`") from None
    if code != 0:
        raise DeviceError(f"`adb devices` failed: {(err or out).strip().splitlines()[-1:]}")
    return parse_devices(out)


class AdbTransport(ShellTransport):
    kind = "adb"

    def __init__(self, serial: str | None = None, adb: str | None = None) -> None:
        self._adb = find_adb(adb)
        device = select_device(list_devices(self._adb), serial or os.environ.get("ANDROID_SERIAL"))
        self.serial, self.label = device.serial, f"{device.model or 'Android device'} ({device.serial})"

    def temp_root(self) -> str:
        return DEVICE_TMP

    def _adb_call(self, args: Sequence[str], timeout: float) -> CommandResult:
        argv = [self._adb, "-s", self.serial, *args]
        try:
            code, out, err, seconds = run_local(argv, timeout + LINK_GRACE_S)
        except subprocess.TimeoutExpired:
            raise DeviceUnreachable(f"{self.label}: adb got no answer for {timeout + LINK_GRACE_S:.0f} s; "
                                    "the phone may have been disconnected") from None
        link_errors = [line for line in (err + out).splitlines() if line.strip().startswith(_LINK_ERRORS)]
        if code != 0 and link_errors:
            raise DeviceUnreachable(f"{self.label}: the phone went away ({link_errors[-1].strip()}); reconnect it "
                                    "and check `adb devices`")
        return CommandResult(shlex.join(args), code, out, err, seconds)

    def _shell(self, command: str, timeout: float) -> CommandResult:
        return self._adb_call(["shell", command], timeout)

    def push(self, local: Path, remote: str) -> None:
        result = self._adb_call(["push", str(local), remote], timeout=600)
        if not result.ok:
            message = result.tail(1)
            hint = " (the phone is out of storage: free some space)" if "No space left" in message else ""
            raise TransferError(f"{self.label}: push of {Path(local).name} failed: {message}{hint}")

    def getprop(self) -> dict[str, str]:
        """Every system property (``getprop`` prints ``[key]: [value]`` lines)."""
        result = self.run(["getprop"], timeout=30)
        return parse_getprop(result.stdout)

    def describe(self) -> dict:
        return android_facts(self.getprop())


def parse_getprop(text: str) -> dict[str, str]:
    props = {}
    for line in text.splitlines():
        if line.startswith("[") and "]: [" in line:
            key, value = line.split("]: [", 1)
            props[key[1:]] = value.rstrip().removesuffix("]")
    return props


def android_facts(props: dict[str, str]) -> dict:
    """Model, SoC, Android version and ABI from system properties (SoC keys differ by vendor and release)."""
    soc = " ".join(p for p in (props.get("ro.soc.manufacturer"), props.get("ro.soc.model")) if p) or \
        props.get("ro.board.platform") or props.get("ro.hardware") or None
    name = " ".join(p for p in (props.get("ro.product.manufacturer"), props.get("ro.product.model")) if p)
    release, sdk = props.get("ro.build.version.release"), props.get("ro.build.version.sdk")
    return {"name": name or props.get("ro.product.device") or None,
            "os": f"Android {release} (API {sdk})" if release else None,
            "cpu": soc, "abi": props.get("ro.product.cpu.abi") or None,
            "build": props.get("ro.build.fingerprint") or None}
