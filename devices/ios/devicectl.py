"""Which iPhone or iPad to use: what ``xcrun devicectl list devices`` knows, and the choice among it.

devicectl (Xcode 15+) is how Xcode itself finds devices; its JSON is undocumented and its keys vary
between Xcode releases, so every key is read as optional. The choice refuses, with what to do, rather than
guess: an unknown name, several connected devices, a device not paired, without Developer Mode or away.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from devices.transports import DeviceError, DeviceNotFound, DeviceUnreachable
from devices.transports.base import run_local


@dataclass(frozen=True)
class AppleDevice:
    """One entry of ``xcrun devicectl list devices --json-output`` (``result.devices[]``)."""

    udid: str  # hardwareProperties.udid: what `xcodebuild -destination id=` takes
    identifier: str | None  # devicectl's own CoreDevice identifier
    name: str | None  # deviceProperties.name: what the owner called it
    model: str | None  # hardwareProperties.marketingName, e.g. "iPhone 14 Pro"
    product_type: str | None  # hardwareProperties.productType, e.g. "iPhone15,2"
    os_version: str | None  # deviceProperties.osVersionNumber
    tunnel_state: str | None  # connectionProperties.tunnelState: connected, disconnected, unavailable
    pairing_state: str | None  # connectionProperties.pairingState: paired, ...
    developer_mode: str | None  # deviceProperties.developerModeStatus: enabled, disabled

    @property
    def reachable(self) -> bool:
        """devicectl says "unavailable" of a paired device that is neither plugged in nor on the network;
        "disconnected" only means no tunnel is up yet (xcodebuild opens one)."""
        return self.tunnel_state != "unavailable"

    @property
    def label(self) -> str:
        what = self.model or self.name or "iOS device"
        return f"{what} ({self.udid})"


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_devicectl(payload: dict) -> list[AppleDevice]:
    """The iPhones and iPads in devicectl's JSON; watches, TVs, Vision Pros and Macs are left out.

    Keys devicectl does not write (they vary between Xcode releases) read as ``None``.
    """
    result = payload.get("result") if isinstance(payload, dict) else None
    entries = result.get("devices") if isinstance(result, dict) else None
    devices = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        hardware = entry.get("hardwareProperties") if isinstance(entry.get("hardwareProperties"), dict) else {}
        properties = entry.get("deviceProperties") if isinstance(entry.get("deviceProperties"), dict) else {}
        connection = entry.get("connectionProperties") if isinstance(entry.get("connectionProperties"), dict) else {}
        platform_name = _text(hardware.get("platform"))
        if platform_name not in (None, "iOS", "iPadOS") or _text(hardware.get("reality")) not in (None, "physical"):
            continue
        udid = _text(hardware.get("udid")) or _text(entry.get("identifier"))
        if udid is None:
            continue
        devices.append(AppleDevice(
            udid=udid, identifier=_text(entry.get("identifier")), name=_text(properties.get("name")),
            model=_text(hardware.get("marketingName")), product_type=_text(hardware.get("productType")),
            os_version=_text(properties.get("osVersionNumber")), tunnel_state=_text(connection.get("tunnelState")),
            pairing_state=_text(connection.get("pairingState")),
            developer_mode=_text(properties.get("developerModeStatus"))))
    return devices


def _listing(devices: list[AppleDevice]) -> str:
    return ", ".join(f"{d.udid} ({d.model or d.name or 'iOS device'}, {d.tunnel_state or 'state unknown'})"
                     for d in devices)


def select_device(devices: list[AppleDevice], wanted: str | None = None) -> AppleDevice:
    """The device to use, or a :class:`DeviceNotFound` that says why none can be.

    ``wanted`` may be the UDID, devicectl's identifier or the device's name. Without it, the one device
    devicectl can reach is chosen; paired devices that are away do not make the choice ambiguous.
    """
    listing = _listing(devices)
    if wanted:
        chosen = next((d for d in devices if wanted in (d.udid, d.identifier, d.name)), None)
        if chosen is None:
            raise DeviceNotFound(f"device {wanted} is not known to Xcode; `xcrun devicectl list devices` lists: "
                                 f"{listing or 'none'}")
    else:
        if not devices:
            raise DeviceNotFound("no iPhone or iPad known to Xcode (`xcrun devicectl list devices` lists none): "
                                 "connect one by USB, unlock it and tap Trust, and turn on Developer Mode "
                                 "(Settings > Privacy & Security > Developer Mode)")
        reachable = [d for d in devices if d.reachable]
        if len(reachable) > 1:
            raise DeviceNotFound(f"{len(reachable)} devices connected ({_listing(reachable)}): choose one with "
                                 "DEVICE=<udid>")
        if not reachable and len(devices) > 1:
            raise DeviceNotFound(f"{len(devices)} devices are paired with this Mac but none is connected "
                                 f"({listing}): connect one by USB and unlock it, or choose one with DEVICE=<udid>")
        chosen = reachable[0] if reachable else devices[0]
    if chosen.pairing_state not in (None, "paired"):
        raise DeviceNotFound(f"{chosen.label} is not paired with this Mac ({chosen.pairing_state}): connect it by "
                             "USB, unlock it and tap Trust")
    if chosen.developer_mode not in (None, "enabled"):
        raise DeviceNotFound(f"Developer Mode is {chosen.developer_mode} on {chosen.label}: turn it on in Settings > "
                             "Privacy & Security > Developer Mode (the device restarts), then retry")
    if not chosen.reachable:
        raise DeviceNotFound(f"{chosen.label} is not reachable (devicectl: {chosen.tunnel_state}): connect it by USB "
                             "or to the Mac's network, unlock it, then retry")
    return chosen


def _devicectl_error(payload: dict) -> str | None:
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return None
    info = error.get("userInfo") if isinstance(error.get("userInfo"), dict) else {}
    description = info.get("NSLocalizedDescription")
    if isinstance(description, dict):
        description = description.get("string")
    return _text(description) or f"{error.get('domain', 'error')} {error.get('code', '')}".strip()


def list_devices(timeout: float = 60) -> list[AppleDevice]:
    """``xcrun devicectl list devices``: its JSON goes to a temporary file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="mobilevit-devicectl-") as directory:
        output = Path(directory) / "devices.json"
        try:
            code, out, err, _ = run_local(["xcrun", "devicectl", "list", "devices", "--json-output", str(output)],
                                          timeout)
        except subprocess.TimeoutExpired:
            raise DeviceUnreachable(f"`xcrun devicectl list devices` did not answer in {timeout:.0f} s; reconnect "
                                    "the device or restart Xcode's device service (quit Xcode, retry)") from None
        text = (err + "\n" + out).strip()
        if not output.exists():
            if "unable to find utility" in text or ("devicectl" in text and "not found" in text):
                raise DeviceError("xcrun cannot find devicectl, which comes with Xcode 15 or newer: install it and "
                                  "select it with `sudo xcode-select -s /Applications/Xcode.app`")
            last = text.splitlines()[-1] if text else f"exit status {code}"
            raise DeviceError(f"`xcrun devicectl list devices` failed: {last}")
        try:
            payload = json.loads(output.read_text())
        except json.JSONDecodeError as exc:
            raise DeviceError(f"`xcrun devicectl list devices` wrote unreadable JSON ({exc})") from None
    problem = _devicectl_error(payload)
    if problem and not isinstance(payload.get("result"), dict):
        raise DeviceError(f"`xcrun devicectl list devices` failed: {problem}")
    return parse_devicectl(payload)
