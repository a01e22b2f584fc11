"""Choosing the iPhone or iPad from devicectl's JSON (``devicectl_sample.py`` says where its shape comes from)."""

from __future__ import annotations

import copy

import pytest

from devices.ios.devicectl import _devicectl_error, parse_devicectl, select_device
from devices.transports import DeviceNotFound
from tests.devices.ios.devicectl_sample import IPAD, IPHONE


def changed(devicectl: dict, index: int, properties: str, key: str, value: str) -> list:
    """The sample's devices with one property of one device changed."""
    payload = copy.deepcopy(devicectl)
    payload["result"]["devices"][index][properties][key] = value
    return parse_devicectl(payload)


def test_devicectl_json_is_read(devicectl):
    devices = parse_devicectl(devicectl)
    assert [d.udid for d in devices] == [IPHONE, IPAD], "the watch is not a benchmark target"
    phone = devices[0]
    assert (phone.model, phone.product_type, phone.os_version, phone.name) == \
        ("iPhone 14 Pro", "iPhone15,2", "17.5.1", "Jane's iPhone")
    assert phone.reachable and not devices[1].reachable
    assert parse_devicectl({}) == [] and parse_devicectl({"result": {"devices": "?"}}) == []


def test_the_one_connected_device_is_chosen(devicectl):
    devices = parse_devicectl(devicectl)
    assert select_device(devices).udid == IPHONE
    assert select_device(devices, "Jane's iPhone").udid == IPHONE
    assert select_device(devices, "5A1E7C2B-3D4F-4A6B-8C9D-0E1F2A3B4C5D").udid == IPHONE


def test_device_selection_errors_say_what_to_do(devicectl):
    devices = parse_devicectl(devicectl)
    with pytest.raises(DeviceNotFound, match="no iPhone or iPad.*Developer Mode"):
        select_device([])
    with pytest.raises(DeviceNotFound, match=f"device 1234 is not known to Xcode.*lists: {IPHONE}"):
        select_device(devices, "1234")
    with pytest.raises(DeviceNotFound, match=f"iPad Pro.*{IPAD}.*not reachable"):
        select_device(devices, IPAD)

    for index, properties, key, value, message in (
            (1, "connectionProperties", "tunnelState", "disconnected", "2 devices connected.*DEVICE=<udid>"),
            (0, "connectionProperties", "tunnelState", "unavailable",
             "2 devices are paired with this Mac but none is connected"),
            (0, "deviceProperties", "developerModeStatus", "disabled", "Developer Mode is disabled on iPhone 14 Pro"),
            (0, "connectionProperties", "pairingState", "unpaired", "not paired with this Mac.*Trust")):
        with pytest.raises(DeviceNotFound, match=message):
            select_device(changed(devicectl, index, properties, key, value))


def test_a_devicectl_error_is_read():
    payload = {"error": {"code": 1000, "domain": "com.apple.dt.CoreDeviceError",
                         "userInfo": {"NSLocalizedDescription": {"string": "The operation couldn't be completed."}}}}
    assert _devicectl_error(payload) == "The operation couldn't be completed."
    assert _devicectl_error({"result": {}}) is None
