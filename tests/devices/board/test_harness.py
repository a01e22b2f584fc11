"""The board harness end to end: a real artifact, the real runner, over real SSH to loopback.

The "board" is this machine behind an OpenSSH server the tests start; its Python is the project's
own, which has NumPy, onnxruntime and ai-edge-litert, as a prepared Raspberry Pi would.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import zipfile

import pytest

from benchmarks.results import ROW_KEYS, validate_row
from devices.board.harness import bench_board
from devices.board.runner import MODULES, REPLACED, build_runner
from devices.transports import CommandTimeout, DeviceError
from export.metadata import artifact_sha256
from models import count, get_config

FAST = {"warmup_runs": 1, "min_runs": 3, "min_seconds": 0.05}


@pytest.fixture(scope="module")
def config():
    return get_config("mobilevit_v2_0.5", resolution=128)


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    """One export per format for the module: the harness finds it in the manifest instead of re-exporting."""
    return tmp_path_factory.mktemp("artifacts")


@pytest.mark.parametrize("runtime", ["onnxruntime", "litert"])
def test_rows_come_back_from_the_board(loopback_board, config, runtime, artifacts, tmp_path):
    remote_tmp = tmp_path / "board_tmp"
    remote_tmp.mkdir()
    transport = loopback_board.transport(remote_tmp=str(remote_tmp))
    rows = bench_board(transport, config, runtime, [1, 2], artifacts, python=sys.executable,
                       timing=FAST)
    assert [row["threads"] for row in rows] == [1, 2]
    for row in rows:
        validate_row(row)
        assert set(row) == set(ROW_KEYS)
        assert row["device"]["kind"] == "linux-board" and row["device"]["transport"] == "ssh"
        assert row["runtime_info"]["runtime"] == runtime and row["runtime_info"]["threads"] == row["threads"]
        assert row["artifact_sha256"] == artifact_sha256(artifacts / row["artifact"])
        assert row["latency"]["runs"] >= 3 and 0 < row["latency"]["min_ms"] <= row["latency"]["median_ms"]
        assert row["macs"] == count(config).macs and row["peak_rss_mb"] > 0
        assert row["environment"]["versions"][runtime] and row["environment"]["host"]["cpu"]
    assert list(remote_tmp.iterdir()) == [], "the board's working directory must be removed"


def test_a_board_python_without_the_runtime_is_a_clear_error_and_leaves_nothing(loopback_board, config, artifacts,
                                                                               tmp_path):
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    remote_tmp = tmp_path / "board_tmp"
    remote_tmp.mkdir()
    transport = loopback_board.transport(remote_tmp=str(remote_tmp))
    with pytest.raises(DeviceError, match="numpy.*install it there"):
        bench_board(transport, config, "onnxruntime", [1], artifacts, python=str(bare / "bin/python"),
                    timing=FAST)
    assert list(remote_tmp.iterdir()) == []


def test_a_missing_board_python_is_named(loopback_board, config, artifacts, tmp_path):
    with pytest.raises(DeviceError, match="/opt/nowhere/python3 not found.*REMOTE_PYTHON"):
        bench_board(loopback_board.transport(), config, "onnxruntime", [1], artifacts,
                    python="/opt/nowhere/python3")


def test_a_measurement_past_its_timeout_is_stopped_and_cleaned_up(loopback_board, config, artifacts, tmp_path):
    remote_tmp = tmp_path / "board_tmp"
    remote_tmp.mkdir()
    transport = loopback_board.transport(remote_tmp=str(remote_tmp))
    with pytest.raises(CommandTimeout):
        bench_board(transport, config, "onnxruntime", [1], artifacts, python=sys.executable,
                    timing={"min_seconds": 60, "max_seconds": 60, "max_runs": 10**9}, timeout=3)
    assert list(remote_tmp.iterdir()) == []


def test_core_ml_is_refused_for_a_board(loopback_board, config, tmp_path):
    with pytest.raises(DeviceError, match="onnxruntime, litert"):
        bench_board(loopback_board.transport(), config, "coreml", [1], tmp_path)


def test_the_runner_is_reproducible_and_carries_only_the_measurement_code(tmp_path):
    first, second = build_runner(tmp_path / "a.pyz"), build_runner(tmp_path / "b.pyz")
    assert first.read_bytes() == second.read_bytes()
    names = set(zipfile.ZipFile(first).namelist())
    assert names == {"__main__.py", *MODULES, *REPLACED}


def test_the_runner_measures_on_a_python_without_torch(tmp_path):
    """A board has NumPy and its runtime only: the runner must not import torch or the converters."""
    from benchmarks.latency import Job
    from export.formats import make_request
    from export.reuse import ensure_artifact

    path, entry = ensure_artifact(make_request(get_config("mobilevit_v1_xxs", resolution=128), "onnx", tmp_path))
    runner = build_runner(tmp_path / "runner.pyz")
    job = Job("onnxruntime", 1, 128, entry.input_layout, artifact=str(path),
              timing={"warmup_runs": 1, "min_runs": 2, "min_seconds": 0.01})
    blocked = "import sys; [sys.modules.__setitem__(m, None) for m in ('torch', 'coremltools', 'litert_torch')]; "
    script = blocked + f"sys.argv = ['runner', {json.dumps(json.dumps(dataclasses.asdict(job)))}]; " + \
        f"sys.path.insert(0, {str(runner)!r}); import runpy; runpy.run_path({str(runner)!r}, run_name='__main__')"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["latency"]["runs"] >= 2


def test_bench_ssh_cli_appends_device_rows(loopback_board, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "devices.board", *loopback_board.cli_arguments(), "--python", sys.executable,
         "--model", "mobilevit_v1_xxs", "--res", "128", "--runtime", "onnxruntime", "--threads", "1",
         "--min-seconds", "0.05", "--artifacts", str(tmp_path / "a"), "--out", str(tmp_path / "results")],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "median ms" in result.stdout
    rows = json.loads((tmp_path / "results" / "devices.json").read_text())
    assert len(rows) == 1 and rows[0]["device"]["kind"] == "linux-board"


def test_bench_ssh_cli_unreachable_host_is_one_clear_line(loopback_board, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "devices.board", "--host", loopback_board.host, "--port", "1", "--model",
         "mobilevit_v1_xxs", "--res", "128", "--artifacts", str(tmp_path / "a"), "--out", str(tmp_path / "r")],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 2 and "Connection refused" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()
