"""The whole of `make bench-ios` where it can run without a Mac: it refuses clearly off macOS, before anything
is exported, and refuses compute units it does not know. The steps it is made of are tested in the files named
after them (``test_devicectl.py``, ``test_staging.py``, ``test_xcodebuild_log.py`` ...)."""

from __future__ import annotations

import platform

import pytest

from devices.ios.__main__ import main
from devices.ios.harness import bench_ios
from devices.transports import DeviceError


@pytest.fixture
def on_linux(monkeypatch):
    """The Linux branch, also when the suite runs on a Mac."""
    monkeypatch.setattr(platform, "system", lambda: "Linux")


def test_off_macos_the_harness_says_what_it_needs_before_exporting(on_linux, small_config, tmp_path):
    artifacts = tmp_path / "artifacts"
    with pytest.raises(DeviceError) as error:
        bench_ios(small_config, artifacts)
    message = str(error.value)
    for needed in ("Mac", "Xcode 15", "xcodebuild", "devicectl", "Developer Mode", "make bench-coreml", "Linux"):
        assert needed in message
    assert not artifacts.exists(), "nothing is exported where the harness cannot run"


def test_off_macos_the_command_fails_cleanly(on_linux, tmp_path, capsys, staged_names):
    code = main(["--model", "mobilevit_v2_0.5", "--res", "128", "--artifacts", str(tmp_path / "artifacts"),
                 "--out", str(tmp_path / "results")])
    assert code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Xcode 15" in err and "Traceback" not in err
    assert not (tmp_path / "artifacts").exists() and not (tmp_path / "results").exists()
    assert staged_names() == ["README.md"]


def test_unknown_compute_units_are_refused(tmp_path, small_config):
    with pytest.raises(DeviceError, match="compute units 'NPU'"):
        bench_ios(small_config, tmp_path, compute_units="NPU")
