"""The Python half of `make bench-ios`, tested where it can run without a Mac: reading rows out of an
xcodebuild log, choosing a device from devicectl's JSON, staging and always unstaging the model, and
refusing clearly off macOS before anything is exported.

``devicectl_list_devices.json`` is a sample of ``xcrun devicectl list devices --json-output FILE``
(Xcode 15+). devicectl's JSON is not documented by Apple; its shape here (``result.devices[]`` with
``identifier``, ``hardwareProperties.{udid, marketingName, productType, platform, reality}``,
``deviceProperties.{name, osVersionNumber, developerModeStatus}``, ``connectionProperties.{pairingState,
tunnelState}``) follows the type definitions that tools parsing it maintain: Expo CLI's
``packages/@expo/cli/src/start/platforms/ios/devicectl.ts`` and the sweetpad VS Code extension's
``src/common/xcode/devicectl.ts``. The values are invented.
"""

from __future__ import annotations

import copy
import json
import platform
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.results import RowError
from devices.ios import harness
from devices.ios.__main__ import main
from devices.transports import DeviceError, DeviceNotFound
from export.metadata import artifact_sha256

HERE = Path(__file__).parent
FIXTURE_ROW = harness.PACKAGE_DIR / "Tests" / "MobileViTBenchTests" / "Fixtures" / "example_row.json"
IPHONE = "00008120-001A2B3C4D5E6F70"
IPAD = "00008103-000E1D2C3B4A5968"


@pytest.fixture
def devicectl() -> dict:
    return json.loads((HERE / "devicectl_list_devices.json").read_text())


@pytest.fixture
def example_row() -> dict:
    return json.loads(FIXTURE_ROW.read_text())


def xcodebuild_log(rows: list[dict], errors: list[str]) -> str:
    """What `xcodebuild test` prints around the test's own lines (Xcode 15, a package test on a device)."""
    lines = [
        "Command line invocation:",
        "    /Applications/Xcode.app/Contents/Developer/usr/bin/xcodebuild test -scheme MobileViTBench "
        f"-destination id={IPHONE} -only-testing:MobileViTBenchTests/OnDeviceBenchmarkTests",
        "Resolve Package Graph",
        "CompileSwift normal arm64 /Users/jane/mobilevit-deploy/devices/ios/Sources/MobileViTBench/ResultRow.swift",
        "/Users/jane/mobilevit-deploy/devices/ios/Tests/MobileViTBenchTests/OnDeviceBenchmarkTests.swift:17:16: "
        "warning: static property 'rowMarker' is never mutated",
        '    static let rowMarker = "MOBILEVIT_ROW "',
        '    static let errorMarker = "MOBILEVIT_ERROR "',
        "               ^",
        "CodeSign /Users/jane/mobilevit-deploy/devices/ios/.build/xcode/Build/Products/Debug-iphoneos/"
        "MobileViTBenchTests.xctest",
        "2026-11-23 18:39:51.117 xcodebuild[4242:98765]  IDETestOperationsObserverDebug: Writing diagnostic log",
        "Test Suite 'Selected tests' started at 2026-11-23 18:39:58.120.",
        "Test Case '-[MobileViTBenchTests.OnDeviceBenchmarkTests testBenchmarkStagedModel]' started.",
    ]
    for row in rows:
        lines.append(harness.ROW_MARKER + json.dumps(row, separators=(",", ":"), sort_keys=True))
    for message in errors:
        lines.append(harness.ERROR_MARKER + message)
    lines += [
        "Test Case '-[MobileViTBenchTests.OnDeviceBenchmarkTests testBenchmarkStagedModel]' passed (41.207 seconds).",
        "Test Suite 'Selected tests' passed at 2026-11-23 18:40:39.331.",
        "** TEST SUCCEEDED **",
    ]
    return "\n".join(lines) + "\n"


def variant(row: dict, units: str, median: float) -> dict:
    other = copy.deepcopy(row)
    other["runtime_options"]["compute_units"] = other["runtime_info"]["compute_units"] = units
    other["latency"]["median_ms"] = median
    other["achieved_gflops"] = 2 * other["macs"] / (median / 1e3) / 1e9
    return other


# --- reading the log ------------------------------------------------------------------------------------


def test_rows_and_errors_come_out_of_the_xcodebuild_log(example_row):
    cpu = variant(example_row, "CPU_ONLY", 14.2)
    ne_error = "CPU_AND_GPU: Failed to build the model execution plan (com.apple.CoreML 0)"
    log = xcodebuild_log([example_row, cpu], [ne_error])
    rows, errors = harness.parse_xcodebuild_output(log)
    assert rows == [example_row, cpu]
    assert errors == [ne_error]


def test_a_relayed_twice_line_counts_once_and_a_cut_line_is_reported(example_row):
    line = harness.ROW_MARKER + json.dumps(example_row, separators=(",", ":"))
    log = "\n".join([line, "2026-11-23 18:40:01.5 xctest[77:88] " + line, line[: len(line) // 2]])
    rows, errors = harness.parse_xcodebuild_output(log)
    assert rows == [example_row]
    assert len(errors) == 1 and "could not be read" in errors[0]


def test_a_log_without_markers_has_nothing():
    assert harness.parse_xcodebuild_output(xcodebuild_log([], [])) == ([], [])


def test_rows_are_validated_against_the_run_and_get_a_readable_name(example_row, devicectl):
    device = harness.select_device(harness.parse_devicectl(devicectl))
    template = {"run_id": example_row["runtime_info"]["run_id"]}
    rows, _ = harness.parse_xcodebuild_output(xcodebuild_log([example_row], []))
    collected = harness.collect_rows(rows, template, device)
    assert collected[0]["device"]["name"] == "iPhone 14 Pro"
    assert collected[0]["device"]["cpu"] == "iPhone15,2"

    with pytest.raises(DeviceError, match="belongs to another run.*stale"):
        harness.collect_rows(copy.deepcopy(rows), {"run_id": "0" * 32}, device)
    broken = copy.deepcopy(rows)
    del broken[0]["latency"]
    with pytest.raises(RowError, match="lacks latency"):
        harness.collect_rows(broken, template, device)


def test_failed_logs_are_explained():
    signing = ('error: Signing for "MobileViTBenchTests" requires a development team. Select a development team '
               "in the Signing & Capabilities editor. (in target 'MobileViTBenchTests' from project 'MobileViTBench')")
    assert "DEVELOPMENT_TEAM=" in harness.explain_failure(signing)
    assert "Developer Mode" in harness.explain_failure("error: Developer Mode disabled on the device")
    missing = "xcodebuild: error: Unable to find a destination matching the provided destination specifier"
    assert "cannot use the device" in harness.explain_failure(missing)
    assert harness.explain_failure(xcodebuild_log([], [])) == "", "a build's own CodeSign step is not a signing error"


# --- the device -----------------------------------------------------------------------------------------


def test_devicectl_json_is_read(devicectl):
    devices = harness.parse_devicectl(devicectl)
    assert [d.udid for d in devices] == [IPHONE, IPAD], "the watch is not a benchmark target"
    phone = devices[0]
    assert (phone.model, phone.product_type, phone.os_version, phone.name) == \
        ("iPhone 14 Pro", "iPhone15,2", "17.5.1", "Jane's iPhone")
    assert phone.reachable and not devices[1].reachable
    assert harness.parse_devicectl({}) == [] and harness.parse_devicectl({"result": {"devices": "?"}}) == []


def test_the_one_connected_device_is_chosen(devicectl):
    devices = harness.parse_devicectl(devicectl)
    assert harness.select_device(devices).udid == IPHONE
    assert harness.select_device(devices, "Jane's iPhone").udid == IPHONE
    assert harness.select_device(devices, "5A1E7C2B-3D4F-4A6B-8C9D-0E1F2A3B4C5D").udid == IPHONE


def test_device_selection_errors_say_what_to_do(devicectl):
    devices = harness.parse_devicectl(devicectl)
    with pytest.raises(DeviceNotFound, match="no iPhone or iPad.*Developer Mode"):
        harness.select_device([])
    with pytest.raises(DeviceNotFound, match=f"device 1234 is not known to Xcode.*lists: {IPHONE}"):
        harness.select_device(devices, "1234")
    with pytest.raises(DeviceNotFound, match=f"iPad Pro.*{IPAD}.*not reachable"):
        harness.select_device(devices, IPAD)

    both = copy.deepcopy(devicectl)
    both["result"]["devices"][1]["connectionProperties"]["tunnelState"] = "disconnected"
    with pytest.raises(DeviceNotFound, match="2 devices connected.*DEVICE=<udid>"):
        harness.select_device(harness.parse_devicectl(both))

    away = copy.deepcopy(devicectl)
    away["result"]["devices"][0]["connectionProperties"]["tunnelState"] = "unavailable"
    with pytest.raises(DeviceNotFound, match="2 devices are paired with this Mac but none is connected"):
        harness.select_device(harness.parse_devicectl(away))

    locked_down = copy.deepcopy(devicectl)
    locked_down["result"]["devices"][0]["deviceProperties"]["developerModeStatus"] = "disabled"
    with pytest.raises(DeviceNotFound, match="Developer Mode is disabled on iPhone 14 Pro"):
        harness.select_device(harness.parse_devicectl(locked_down))

    untrusted = copy.deepcopy(devicectl)
    untrusted["result"]["devices"][0]["connectionProperties"]["pairingState"] = "unpaired"
    with pytest.raises(DeviceNotFound, match="not paired with this Mac.*Trust"):
        harness.select_device(harness.parse_devicectl(untrusted))


def test_a_devicectl_error_is_read():
    payload = {"error": {"code": 1000, "domain": "com.apple.dt.CoreDeviceError",
                         "userInfo": {"NSLocalizedDescription": {"string": "The operation couldn't be completed."}}}}
    assert harness._devicectl_error(payload) == "The operation couldn't be completed."
    assert harness._devicectl_error({"result": {}}) is None


def test_the_scheme_is_the_packages():
    assert harness.choose_scheme({"workspace": {"name": "ios", "schemes": ["MobileViTBench"]}}) == "MobileViTBench"
    assert harness.choose_scheme({"workspace": {"schemes": ["MobileViTBench", "MobileViTBench-Package", "x"]}}) \
        == "MobileViTBench-Package"
    with pytest.raises(DeviceError, match="lists no MobileViTBench scheme.*schemes: Other"):
        harness.choose_scheme({"workspace": {"schemes": ["Other"]}})


def test_the_xcodebuild_command():
    command = harness.xcodebuild_command("MobileViTBench", IPHONE, team="ABCDE12345")
    assert command[:4] == ["xcodebuild", "test", "-scheme", "MobileViTBench"]
    assert f"id={IPHONE}" in command and "-only-testing:MobileViTBenchTests/OnDeviceBenchmarkTests" in command
    assert command[-1] == "DEVELOPMENT_TEAM=ABCDE12345"
    assert not any(part.startswith("DEVELOPMENT_TEAM") for part in harness.xcodebuild_command("S", IPHONE))


# --- staging --------------------------------------------------------------------------------------------


def staged_names() -> list[str]:
    return sorted(p.name for p in harness.STAGED_DIR.iterdir())


def test_staging_puts_the_model_in_the_test_resources_and_always_removes_it(small_config, coreml_export):
    path, entry = coreml_export
    template = harness.make_template(small_config, path, entry)
    assert staged_names() == ["README.md"]
    with pytest.raises(DeviceError, match="xcodebuild failed"), harness.staged(path, template) as directory:
        assert directory == harness.STAGED_DIR
        assert staged_names() == ["README.md", "model.mlpackage", "template.json"]
        assert artifact_sha256(directory / "model.mlpackage") == entry["sha256"]
        assert json.loads((directory / "template.json").read_text()) == template
        raise DeviceError("xcodebuild failed")  # what a failed run raises inside the block
    assert staged_names() == ["README.md"]


def test_leftovers_of_a_killed_run_are_removed_first(small_config, coreml_export):
    path, entry = coreml_export
    (harness.STAGED_DIR / "model.mlpackage").mkdir()
    (harness.STAGED_DIR / "model.mlpackage" / "stale").write_text("from a run that was killed")
    (harness.STAGED_DIR / "template.json").write_text("{}")
    try:
        with harness.staged(path, harness.make_template(small_config, path, entry)) as directory:
            assert not (directory / "model.mlpackage" / "stale").exists()
    finally:
        harness.clear_staged()
    assert staged_names() == ["README.md"]


def test_staging_needs_the_resource_directory(tmp_path, small_config, coreml_export):
    path, _ = coreml_export
    with pytest.raises(DeviceError, match="is missing; restore it"), harness.staged(path, {}, tmp_path / "Staged"):
        pass


def test_staged_files_are_ignored_by_git_and_the_readme_is_not():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=harness.PACKAGE_DIR, capture_output=True,
                          text=True, check=False)
    if root.returncode != 0:
        pytest.skip("not a git checkout")
    staged = harness.STAGED_DIR.relative_to(root.stdout.strip())
    ignored = subprocess.run(["git", "check-ignore", "--no-index", f"{staged}/model.mlpackage",
                              f"{staged}/template.json"], cwd=root.stdout.strip(), capture_output=True, text=True,
                             check=False)
    assert ignored.stdout.split() == [f"{staged}/model.mlpackage", f"{staged}/template.json"]
    readme = subprocess.run(["git", "check-ignore", "--no-index", f"{staged}/README.md"], cwd=root.stdout.strip(),
                            check=False)
    assert readme.returncode == 1, "README.md must stay committed so the resource directory exists"


# --- off macOS ------------------------------------------------------------------------------------------


@pytest.fixture
def on_linux(monkeypatch):
    """The Linux branch, also when the suite runs on a Mac."""
    monkeypatch.setattr(platform, "system", lambda: "Linux")


def test_off_macos_the_harness_says_what_it_needs_before_exporting(on_linux, small_config, tmp_path):
    artifacts = tmp_path / "artifacts"
    with pytest.raises(DeviceError) as error:
        harness.bench_ios(small_config, artifacts)
    message = str(error.value)
    for needed in ("Mac", "Xcode 15", "xcodebuild", "devicectl", "Developer Mode", "make bench-coreml", "Linux"):
        assert needed in message
    assert not artifacts.exists(), "nothing is exported where the harness cannot run"


def test_off_macos_the_command_fails_cleanly(on_linux, tmp_path, capsys):
    code = main(["--model", "mobilevit_v2_0.5", "--res", "128", "--artifacts", str(tmp_path / "artifacts"),
                 "--out", str(tmp_path / "results")])
    assert code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Xcode 15" in err and "Traceback" not in err
    assert not (tmp_path / "artifacts").exists() and not (tmp_path / "results").exists()
    assert staged_names() == ["README.md"]


def test_unknown_compute_units_are_refused(tmp_path, small_config):
    with pytest.raises(ValueError, match="compute units 'NPU'"):
        harness.bench_ios(small_config, tmp_path, compute_units="NPU")
