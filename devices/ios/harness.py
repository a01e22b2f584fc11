"""Time a Core ML artifact on an iPhone or iPad with the Swift harness in this directory, and bring back rows.

The phone is reached the way Xcode reaches it: ``xcrun devicectl list devices`` finds it, ``xcodebuild
test`` builds the Swift package ``MobileViTBench`` (``Package.swift`` here) and runs its
``OnDeviceBenchmarkTests`` on it. The artifact and a row template (:func:`make_template`, the facts only
this side knows: MACs, sha256, host) are staged into the test target's ``Staged/`` resources for that one
run and removed afterwards, whatever happens. The test prints each row as one ``MOBILEVIT_ROW {json}``
line and each failed compute-unit setting as ``MOBILEVIT_ERROR message``; xcodebuild relays the test's
output, and :func:`parse_xcodebuild_output` reads it back.

Only macOS with Xcode 15 or newer can do any of this; elsewhere :func:`check_host` says so before anything
is exported.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import platform
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import DEFAULT_TIMING, ensure_artifact
from benchmarks.results import SCHEMA_VERSION, validate_row
from benchmarks.statistics import measure as python_measure
from devices.rows import host_record
from devices.transports import CommandTimeout, DeviceError, DeviceNotFound, DeviceUnreachable
from devices.transports.base import run_local
from export.manifest import atomic_write_text
from export.spec import DEFAULT_PRECISION
from models.config import MobileViTConfig
from models.counts import count
from runtimes.coreml_runtime import COMPUTE_UNITS

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

ROW_MARKER = "MOBILEVIT_ROW "
ERROR_MARKER = "MOBILEVIT_ERROR "
#: xcodebuild passes TEST_RUNNER_<NAME> to the test process as <NAME> (man xcodebuild).
COMPUTE_UNITS_ENV = "TEST_RUNNER_MOBILEVIT_COMPUTE_UNITS"

#: ``template["timing"]``: the settings of :func:`benchmarks.statistics.measure`.
TIMING_KEYS = ("warmup_runs", "min_runs", "min_seconds", "max_runs", "max_seconds")

MAC_ONLY = ("the iOS benchmark runs from a Mac: it builds the Swift harness in devices/ios with Xcode 15 or newer "
            "(xcodebuild, xcrun devicectl) and runs it on an iPhone or iPad connected to that Mac, with Developer "
            "Mode on (Settings > Privacy & Security > Developer Mode) and the Mac trusted")
MAC_WITHOUT_PHONE = "on a Mac without a phone, `make bench-coreml` times the same artifact in Core ML there"
SIGNING_HELP = ("xcodebuild must sign the test runner for the phone: pass your Apple development team, e.g. "
                "`make bench-ios DEVELOPMENT_TEAM=ABCDE12345` (the Team ID in Xcode > Settings > Accounts; a free "
                "Apple ID works), and trust the certificate on the phone if asked (Settings > General > VPN & "
                "Device Management)")

#: What a failed ``xcodebuild test`` log says, and what to do about it.
_LOG_HINTS = (
    (("requires a development team", "No Account for Team", "No profiles for", "No signing certificate",
      "Signing for", "Code Signing Error", "signing certificate"), SIGNING_HELP),
    (("Developer Mode",), "turn on Developer Mode on the device (Settings > Privacy & Security > Developer Mode; "
                          "it restarts), then retry"),
    (("is locked", "passcode", "Unlock"), "unlock the device and keep it awake until the test has started"),
    (("not been trusted", "Untrusted Developer", "invalid code signature", "profile has not been explicitly trusted"),
     "trust your developer certificate on the device: Settings > General > VPN & Device Management"),
    (("Unable to find a destination", "Ineligible destinations", "is not available", "Failed to prepare device"),
     "xcodebuild cannot use the device: check it is connected, unlocked and trusted, and that this Xcode supports "
     "its iOS version (Xcode > Settings > Platforms)"),
)


def check_host() -> None:
    """Refuse clearly where the harness cannot run: anywhere but macOS with Xcode's command-line tools."""
    system = platform.system()
    if system != "Darwin":
        raise DeviceError(f"{MAC_ONLY}; this is {system or 'an unknown system'}. {MAC_WITHOUT_PHONE[0].upper()}"
                          f"{MAC_WITHOUT_PHONE[1:]}.")
    missing = [tool for tool in ("xcodebuild", "xcrun") if shutil.which(tool) is None]
    if missing:
        raise DeviceError(f"{' and '.join(missing)} not found: {MAC_ONLY}. Install Xcode from the App Store and "
                          "select it with `sudo xcode-select -s /Applications/Xcode.app`; "
                          f"{MAC_WITHOUT_PHONE}.")


# --- the device ---------------------------------------------------------------------------------------


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


# --- what goes to the device and what comes back -------------------------------------------------------


def default_timing() -> dict:
    """The desktop harness's timing (``DEFAULT_TIMING``), completed with :func:`measure`'s own defaults."""
    defaults = {name: parameter.default for name, parameter in inspect.signature(python_measure).parameters.items()
                if parameter.default is not inspect.Parameter.empty}
    return {key: {**defaults, **DEFAULT_TIMING}[key] for key in TIMING_KEYS}


def make_template(config: MobileViTConfig, path: Path, entry: dict, timing: dict | None = None) -> dict:
    """The row template the Swift side completes (``RowTemplate`` in ResultRow.swift): everything about the
    artifact, the model and the host that the phone cannot know, and a fresh ``run_id`` the rows echo."""
    timing = {**default_timing(), **(timing or {})}
    unknown = set(timing) - set(TIMING_KEYS)
    if unknown:
        raise ValueError(f"unknown timing settings {', '.join(sorted(unknown))}; known: {', '.join(TIMING_KEYS)}")
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": uuid.uuid4().hex,
        "model": config.name,
        "mobilevit_version": config.version,
        "resolution": config.resolution,
        "format": "coreml",
        "precision": entry["precision"],
        "artifact": Path(path).name,
        "artifact_sha256": entry["sha256"],
        "random_weights": entry["random_weights"],
        "macs": count(config).macs,
        "timing": timing,
        "host": host_record(),
    }


def clear_staged(directory: Path = STAGED_DIR) -> None:
    """Remove everything staged for a run, keeping the committed README."""
    for item in Path(directory).iterdir():
        if item.name in STAGED_KEEP:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


@contextlib.contextmanager
def staged(model: Path, template: dict, directory: Path = STAGED_DIR) -> Iterator[Path]:
    """The model and its template in the test target's resources for the duration of one run; removed
    afterwards whatever happened (leftovers of an earlier, killed run are removed first)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DeviceError(f"{directory} is missing; restore it (`git checkout -- {directory}`): the Swift package "
                          "declares it as a resource of its test target")
    clear_staged(directory)
    try:
        model = Path(model)
        if model.is_dir():
            shutil.copytree(model, directory / STAGED_MODEL)
        else:
            raise DeviceError(f"{model} is not an .mlpackage directory")
        atomic_write_text(directory / STAGED_TEMPLATE, json.dumps(template, indent=1, sort_keys=True) + "\n")
        yield directory
    finally:
        clear_staged(directory)


def parse_xcodebuild_output(text: str) -> tuple[list[dict], list[str]]:
    """The rows (``MOBILEVIT_ROW {json}``) and the failures (``MOBILEVIT_ERROR message``) in an xcodebuild log.

    The marker may follow a prefix on its line; a marker followed by a quote is the Swift source quoted in a
    compiler message, not output. A line xcodebuild relays twice counts once.
    """
    rows: list[dict] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if ROW_MARKER in line:
            payload = line.split(ROW_MARKER, 1)[1].strip()
            if not payload.startswith("{") or payload in seen:
                continue
            seen.add(payload)
            try:
                row = json.loads(payload)
            except json.JSONDecodeError as exc:
                errors.append(f"a row line could not be read ({exc.msg} at character {exc.pos} of {len(payload)}; "
                              "the log may have cut it)")
                continue
            if isinstance(row, dict):
                rows.append(row)
            else:
                errors.append("a row line held JSON that is not an object")
        elif ERROR_MARKER in line:
            message = line.split(ERROR_MARKER, 1)[1].strip()
            if message and not message.startswith('"') and message not in errors:
                errors.append(message)
    return rows, errors


def explain_failure(log: str) -> str:
    """Advice for what a failed xcodebuild log shows (signing, Developer Mode, a locked or missing device)."""
    advice = [hint for needles, hint in _LOG_HINTS if any(needle in log for needle in needles)]
    return "; ".join(dict.fromkeys(advice))


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
        raise ValueError(f"compute units {compute_units!r}: choose one of {', '.join(COMPUTE_UNITS)} or all")
    check_host()
    step("looking for the device (xcrun devicectl list devices)")
    chosen = select_device(list_devices(), device)
    precision = precision or DEFAULT_PRECISION["coreml"]
    path, entry = ensure_artifact(config, "coreml", precision, artifacts, weights, step)
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
