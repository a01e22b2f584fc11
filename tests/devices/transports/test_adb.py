"""Choosing an Android device, reading its properties, and the real adb client with no phone attached.

The ``adb devices -l`` and ``getprop`` texts below are in the formats those tools print (adb's
``transport.cpp`` state names; ``getprop``'s ``[key]: [value]`` lines), with values from public
device listings. The last tests run Debian's real ``adb`` against its own server on a private port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from devices.transports import DeviceError, DeviceNotFound
from devices.transports.adb import AdbTransport, android_facts, find_adb, parse_devices, parse_getprop, select_device

LISTING = """List of devices attached
R58M31ABCDE            device usb:1-1 product:beyond1lteeea model:SM_G973F device:beyond1 transport_id:3
emulator-5554          device product:sdk_gphone64_x86_64 model:sdk_gphone64_x86_64 device:emu64xa transport_id:1
0A011FDD4000XY         unauthorized usb:1-2 transport_id:4
192.168.1.20:5555      offline transport_id:5
9B081FFAZ001QZ         no permissions (missing udev rules? user is in the plugdev group); see [http://developer.android.com/tools/device.html] usb:1-3 transport_id:6

"""

GETPROP = """[ro.build.fingerprint]: [google/shiba/shiba:14/AP1A.240405.002/11480754:user/release-keys]
[ro.build.version.release]: [14]
[ro.build.version.sdk]: [34]
[ro.product.cpu.abi]: [arm64-v8a]
[ro.product.manufacturer]: [Google]
[ro.product.model]: [Pixel 8]
[ro.soc.manufacturer]: [Google]
[ro.soc.model]: [Tensor G3]
[ro.board.platform]: [zuma]
[persist.sys.timezone]: [Europe/Berlin]
"""


def test_device_listing_is_parsed_with_states_and_details():
    devices = parse_devices(LISTING)
    assert [(d.serial, d.state) for d in devices] == [
        ("R58M31ABCDE", "device"), ("emulator-5554", "device"), ("0A011FDD4000XY", "unauthorized"),
        ("192.168.1.20:5555", "offline"), ("9B081FFAZ001QZ", "no permissions")]
    assert devices[0].model == "SM G973F"


def test_the_only_usable_device_is_chosen_and_a_serial_picks_one():
    devices = parse_devices(LISTING)
    assert select_device(devices[:1]).serial == "R58M31ABCDE"
    assert select_device(devices, "emulator-5554").serial == "emulator-5554"


@pytest.mark.parametrize("serial, message", [
    (None, "5 devices attached .*choose one with SERIAL=.*usable: R58M31ABCDE, emulator-5554"),
    ("0A011FDD4000XY", "unauthorized: accept the 'Allow USB debugging\\?' prompt"),
    ("192.168.1.20:5555", "offline: reconnect"),
    ("9B081FFAZ001QZ", "no permissions: .*udev rule"),
    ("NOPE", "device NOPE is not attached; adb devices lists: R58M31ABCDE"),
])
def test_unusable_choices_say_why_and_what_to_do(serial, message):
    with pytest.raises(DeviceNotFound, match=message):
        select_device(parse_devices(LISTING), serial)


def test_no_device_at_all():
    with pytest.raises(DeviceNotFound, match="no Android device attached.*USB debugging"):
        select_device(parse_devices("List of devices attached\n\n"))


def test_device_facts_come_from_getprop():
    facts = android_facts(parse_getprop(GETPROP))
    assert facts == {"name": "Google Pixel 8", "os": "Android 14 (API 34)", "cpu": "Google Tensor G3",
                     "abi": "arm64-v8a", "build": "google/shiba/shiba:14/AP1A.240405.002/11480754:user/release-keys"}
    older = android_facts(parse_getprop(GETPROP.replace("[ro.soc.manufacturer]: [Google]\n", "")
                                        .replace("[ro.soc.model]: [Tensor G3]\n", "")))
    assert older["cpu"] == "zuma"  # before Android 12 there is no ro.soc.*: the board platform names the SoC


def test_a_missing_adb_says_where_to_get_it():
    with pytest.raises(DeviceError, match="adb not found.*platform-tools"):
        find_adb("/nonexistent/adb")


@pytest.fixture
def private_adb_server(monkeypatch):
    """Debian's real adb client with its server on a free port, killed afterwards."""
    if shutil.which("adb") is None:
        pytest.fail("adb is missing: the Android harness is tested with the real adb client; run `make setup-devices`")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", port)
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)
    yield port
    subprocess.run(["adb", "kill-server"], env={**os.environ, "ANDROID_ADB_SERVER_PORT": port}, capture_output=True,
                   timeout=30)


def test_real_adb_with_no_device_gives_the_clear_error(private_adb_server):
    with pytest.raises(DeviceNotFound, match="no Android device attached"):
        AdbTransport()


def test_real_adb_with_an_unknown_serial_names_it(private_adb_server):
    with pytest.raises(DeviceNotFound, match="device R58M31ABCDE is not attached; adb devices lists: none"):
        AdbTransport("R58M31ABCDE")


def test_bench_android_cli_without_a_phone_is_one_clear_line(private_adb_server, tmp_path):
    result = subprocess.run([sys.executable, "-m", "devices.android", "--model", "mobilevit_v2_0.5", "--out",
                             str(tmp_path / "results"), "--artifacts", str(tmp_path / "a")],
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "ANDROID_ADB_SERVER_PORT": private_adb_server})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no Android device attached" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "results").exists() and not (tmp_path / "a").exists()
