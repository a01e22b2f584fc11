"""The scheme that runs the package's tests, and the xcodebuild command that runs them on one device."""

from __future__ import annotations

import pytest

from devices.ios.xcodebuild import choose_scheme, xcodebuild_command
from devices.transports import DeviceError
from tests.devices.ios.devicectl_sample import IPHONE


def test_the_scheme_is_the_packages():
    assert choose_scheme({"workspace": {"name": "ios", "schemes": ["MobileViTBench"]}}) == "MobileViTBench"
    assert choose_scheme({"workspace": {"schemes": ["MobileViTBench", "MobileViTBench-Package", "x"]}}) \
        == "MobileViTBench-Package"
    with pytest.raises(DeviceError, match="lists no MobileViTBench scheme.*schemes: Other"):
        choose_scheme({"workspace": {"schemes": ["Other"]}})


def test_the_xcodebuild_command():
    command = xcodebuild_command("MobileViTBench", IPHONE, team="ABCDE12345")
    assert command[:4] == ["xcodebuild", "test", "-scheme", "MobileViTBench"]
    assert f"id={IPHONE}" in command and "-only-testing:MobileViTBenchTests/OnDeviceBenchmarkTests" in command
    assert command[-1] == "DEVELOPMENT_TEAM=ABCDE12345"
    assert not any(part.startswith("DEVELOPMENT_TEAM") for part in xcodebuild_command("S", IPHONE))
