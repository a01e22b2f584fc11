"""Time an artifact on a Linux board: push it with the runner, run it per thread count, bring back rows.

The board's working directory is removed whatever happens (timeout, runner failure, Ctrl-C); if
the link itself is gone, the error names the directory left behind.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

from benchmarks.errors import MeasurementError
from benchmarks.harness import DEFAULT_TIMING
from benchmarks.latency import Job, read_child_result
from benchmarks.results import build_row
from devices.board.runner import BOARD_RUNTIMES, build_runner
from devices.rows import device_environment, device_record
from devices.transports import DeviceError, Transport
from export.formats import make_request
from export.reuse import ensure_artifact
from models.config import MobileViTConfig
from runtimes import RuntimeUnavailable, get_runtime

RUNNER_NAME = "mobilevit_runner.pyz"


def check_python(transport: Transport, python: str) -> str:
    """The board's Python version, or an error that says how to get one the runner can use."""
    probe = transport.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], timeout=60)
    if probe.returncode == 127 or "not found" in probe.stderr:
        raise DeviceError(f"{transport.label}: {python} not found; install Python 3.9+ there or pass "
                          "REMOTE_PYTHON=/path/to/python")
    if not probe.ok:
        raise DeviceError(f"{transport.label}: {python} does not run: {probe.tail(2)}")
    version = probe.stdout.strip().splitlines()[-1]
    if tuple(int(v) for v in version.split(".")[:2]) < (3, 9):
        raise DeviceError(f"{transport.label}: {python} is Python {version}; the runner needs 3.9 or newer")
    return version


def bench_board(
    transport: Transport,
    config: MobileViTConfig,
    runtime: str,
    threads: list[int],
    artifacts: Path,
    *,
    precision: str | None = None,
    weights: Path | None = None,
    python: str = "python3",
    timing: dict | None = None,
    timeout: float = 900,
    step=lambda _: None,
) -> list[dict]:
    """One row per thread count for ``config`` in ``runtime`` on the board behind ``transport``."""
    if runtime not in BOARD_RUNTIMES:
        raise DeviceError(f"runtime {runtime!r} cannot run on a board; choose one of {', '.join(BOARD_RUNTIMES)}")
    request = make_request(config, get_runtime(runtime).format, artifacts, precision, weights=weights)
    step(f"connecting to {transport.label}")
    facts = transport.describe()
    remote_python = check_python(transport, python)
    path, entry = ensure_artifact(request, step)
    rows = []
    with tempfile.TemporaryDirectory() as local, transport.workspace() as remote:
        runner = build_runner(Path(local) / RUNNER_NAME)
        step(f"pushing {path.name} ({path.stat().st_size / 1e6:.1f} MB) and the runner to {transport.label}:{remote}")
        transport.push(path, f"{remote}/{path.name}")
        transport.push(runner, f"{remote}/{RUNNER_NAME}")
        for count in threads:
            step(f"timing {config.name} in {runtime} on {count} thread(s) on {transport.label}")
            job = Job(runtime, count, config.resolution, entry.input_layout, artifact=path.name,
                      timing={**DEFAULT_TIMING, **(timing or {})})
            result = transport.run([python, RUNNER_NAME, json.dumps(dataclasses.asdict(job))], timeout, cwd=remote)
            try:
                measured = read_child_result(result.returncode, result.stdout, result.stderr,
                                             f"{path.name} in {runtime} on {transport.label}")
            except RuntimeUnavailable as exc:
                raise DeviceError(f"{transport.label}: {exc} (for {python} there)") from None
            except MeasurementError as exc:
                hint = (f"; install it there for {python}" if "No module named" in str(exc) else "")
                raise DeviceError(f"{exc}{hint}") from None
            info = measured["runtime_info"]
            rows.append(build_row(
                config, runtime=runtime, threads=count, fmt=request.format, precision=request.precision,
                measured=measured,
                device=device_record("linux-board", facts, transport.kind),
                environment=device_environment(facts, {runtime: info.get("version")}, remote_python,
                                               info.get("logical_cores")),
                entry=entry, artifact=path.name))
    return rows
