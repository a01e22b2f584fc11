"""The Android harness's flow (push, chmod, run per thread count and delegate, parse, rows, cleanup).

No phone exists here, so the flow runs over the local transport with a stand-in ``benchmark_model``:
a shell script that checks the model it is given was really pushed (and answers like the real
tool's "model not found" output if not), records its argv, and prints a benchmark_model output
from ``tests/fixtures/benchmark_model``. What is real: files, processes, timeouts, cleanup,
parsing and rows; what is not: the phone and the timings, which are the fixtures'.
"""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from benchmarks.results import validate_row
from devices.android.harness import bench_android, binary_abi, check_binary
from devices.transports import CommandTimeout, DeviceError
from devices.transports.local import LocalTransport
from models import get_config

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "benchmark_model"
FAST = {"warmup_runs": 1, "min_runs": 3, "min_seconds": 0.1}


def stand_in(directory: Path, cpu_output: str = "litert_xnnpack.txt", gpu_output: str = "litert_gpu.txt",
             before: str = "") -> Path:
    """A benchmark_model stand-in that replays fixture outputs (see the module docstring)."""
    for name in (cpu_output, gpu_output, "litert_model_not_found.txt"):
        if not (directory / name).exists():
            shutil.copy(FIXTURES / name, directory / name)
    script = directory / "benchmark_model"
    script.write_text(f"""#!/bin/sh
{before}
echo "$@" >> {directory}/argv.log
output={directory}/{cpu_output}
for a in "$@"; do
  case "$a" in
    --graph=*) graph="${{a#--graph=}}" ;;
    --use_gpu=true) output={directory}/{gpu_output} ;;
  esac
done
[ -f "$graph" ] || {{ cat {directory}/litert_model_not_found.txt >&2; exit 1; }}
cat "$output"
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    return tmp_path_factory.mktemp("artifacts")


@pytest.fixture
def device(tmp_path):
    """The device's storage: the harness's working directory goes here and must be gone afterwards."""
    root = tmp_path / "device_tmp"
    root.mkdir()
    return root


def test_rows_per_thread_count_and_gpu(artifacts, device, tmp_path):
    config = get_config("mobilevit_v2_0.5", resolution=128)
    binary = stand_in(tmp_path)
    rows = bench_android(LocalTransport(str(device)), config, binary, artifacts, threads=[1, 4], gpu=True,
                         timing=FAST)
    assert [(r["runtime_options"]["delegate"], r["threads"]) for r in rows] == [("xnnpack", 1), ("xnnpack", 4),
                                                                                ("gpu", 4)]
    for row in rows:
        validate_row(row)
        assert row["device"]["kind"] == "android" and row["format"] == "tflite" and row["runtime"] == "litert"
    # litert_xnnpack.txt: "count=33 ... avg=30472.5 ... median=30159", "Overall peak ... monitoring: 103.547"
    xnnpack = rows[0]
    assert xnnpack["latency"]["runs"] == 33
    assert xnnpack["latency"]["mean_ms"] == pytest.approx(30.4725)
    assert xnnpack["latency"]["median_ms"] == pytest.approx(30.159)
    assert xnnpack["peak_rss_mb"] == pytest.approx(103.547)
    # litert_gpu.txt: "Inference (avg): 12022", full delegation
    assert rows[2]["latency"]["mean_ms"] == pytest.approx(12.022)
    assert rows[2]["runtime_info"]["delegate_coverage"] == "complete"
    calls = (tmp_path / "argv.log").read_text().splitlines()
    assert ["--num_threads=1" in c and "--use_xnnpack=true" in c for c in calls] == [True, False, False]
    assert "--use_gpu=true" in calls[2] and "--warmup_runs=1" in calls[0] and "--min_secs=0.1" in calls[0]
    assert list(device.iterdir()) == [], "everything pushed must be removed"


def test_a_gpu_that_took_nothing_gives_no_gpu_row(artifacts, device, tmp_path):
    text = (FIXTURES / "litert_gpu.txt").read_text().replace(
        "Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.",
        "GPU acceleration is unsupported on this platform.")
    (tmp_path / "no_gpu.txt").write_text(text)
    config = get_config("mobilevit_v2_0.5", resolution=128)
    steps = []
    rows = bench_android(LocalTransport(str(device)), config, stand_in(tmp_path, gpu_output="no_gpu.txt"),
                         artifacts, threads=[2], gpu=True, timing=FAST, step=steps.append)
    assert [r["runtime_options"]["delegate"] for r in rows] == ["xnnpack"]
    assert any("skipped the GPU row" in s and "unsupported" in s for s in steps)


def test_a_failed_delegate_is_reported_with_the_tools_words_and_cleaned_up(artifacts, device, tmp_path):
    config = get_config("mobilevit_v2_0.5", resolution=128)
    binary = stand_in(tmp_path, gpu_output="litert_gpu_delegate_failed.txt")
    with pytest.raises(DeviceError, match="Failed to apply GPU delegate"):
        bench_android(LocalTransport(str(device)), config, binary, artifacts, threads=[1], gpu=True, timing=FAST)
    assert list(device.iterdir()) == []


def test_a_run_past_its_timeout_is_stopped_and_cleaned_up(artifacts, device, tmp_path):
    config = get_config("mobilevit_v2_0.5", resolution=128)
    binary = stand_in(tmp_path, before="sleep 30")
    with pytest.raises(CommandTimeout, match="within 1 s"):
        bench_android(LocalTransport(str(device)), config, binary, artifacts, threads=[1], timing=FAST, timeout=1)
    assert list(device.iterdir()) == []


def test_a_binary_the_device_cannot_execute_is_named(artifacts, device, tmp_path):
    junk = tmp_path / "benchmark_model"
    junk.write_bytes(b"\x00not a program\x00" * 10)
    junk.chmod(0o755)
    config = get_config("mobilevit_v2_0.5", resolution=128)
    with pytest.raises(DeviceError, match="does not run there.*built for"):
        bench_android(LocalTransport(str(device)), config, junk, artifacts, threads=[1], timing=FAST)
    assert list(device.iterdir()) == []


def test_the_binary_is_checked_before_anything_is_pushed(tmp_path):
    with pytest.raises(DeviceError, match="no benchmark_model binary given.*ai.google.dev"):
        check_binary(None, "arm64-v8a")
    with pytest.raises(DeviceError, match="does not exist"):
        check_binary(tmp_path / "missing", "arm64-v8a")
    real_elf = Path(shutil.which("true"))  # this machine's own ELF executable
    assert binary_abi(real_elf) in ("x86_64", "arm64-v8a")
    other = "arm64-v8a" if binary_abi(real_elf) == "x86_64" else "x86_64"
    with pytest.raises(DeviceError, match=f"built for {binary_abi(real_elf)}, the device is {other}"):
        check_binary(real_elf, other)
    assert check_binary(real_elf, binary_abi(real_elf)) == real_elf
