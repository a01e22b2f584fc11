"""Time one model in one runtime, in a fresh process so its load time and peak memory are its own.

Each measurement runs in a spawned child: imports are done before the clock starts, the model is
loaded (``load_ms``), run once (``first_inference_ms``, which includes lazy initialisation such as
XNNPACK's weight packing), then timed per :mod:`benchmarks.statistics`. Memory, on Linux: the
kernel's peak-RSS mark is reset after imports (``/proc/self/clear_refs``), so ``peak_rss_mb`` is the
process's peak while the model lived and ``model_rss_mb`` that peak minus the RSS before loading.
Elsewhere ``ru_maxrss`` (peak over the whole process) stands in and ``model_rss_mb`` is omitted.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from benchmarks.errors import MeasurementError


@dataclass(frozen=True)
class Job:
    """What the child measures: an artifact file in a runtime, or a registry model in PyTorch."""

    runtime: str
    threads: int
    resolution: int
    input_layout: str  # NCHW, NHWC or image
    artifact: str | None = None
    model: str | None = None  # a registry name and its factors, for PyTorch eager
    factors: dict = field(default_factory=dict)
    timing: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)


def _open(job: Job):
    from runtimes.registry import get_runtime

    runtime = get_runtime(job.runtime)
    if runtime.format is None:  # PyTorch eager runs the zoo's network, built here in the child
        from models import create_model

        return runtime.open(create_model(job.model, **job.factors), threads=job.threads)
    threads = {} if job.threads is None else {"threads": job.threads}
    return runtime.open(job.artifact, **threads, **job.options)


def _sample_input(job: Job) -> np.ndarray:
    r = job.resolution
    rng = np.random.default_rng(0)
    if job.input_layout == "image":
        return rng.integers(0, 256, (1, r, r, 3), dtype=np.uint8)
    shape = (1, r, r, 3) if job.input_layout == "NHWC" else (1, 3, r, r)
    return rng.random(shape, dtype=np.float32)


def _proc_status_kb(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def run_job(job: Job) -> dict:
    """Executed in the child process."""
    from benchmarks.statistics import LatencyStats, measure
    from runtimes.registry import get_runtime

    get_runtime(job.runtime).import_libraries()  # neither the clock nor the memory mark counts imports
    exact = _reset_peak_rss() and _proc_status_kb("VmRSS") is not None
    baseline_kb = _proc_status_kb("VmRSS") if exact else None
    t0 = time.perf_counter()
    runtime = _open(job)
    load_ms = (time.perf_counter() - t0) * 1e3
    pixels = _sample_input(job)
    t0 = time.perf_counter()
    runtime.run(pixels)
    first_ms = (time.perf_counter() - t0) * 1e3
    samples = measure(lambda: runtime.run(pixels), **job.timing)
    peak_kb = _proc_status_kb("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "latency": LatencyStats.from_samples(samples).to_dict(),
        "load_ms": load_ms,
        "first_inference_ms": first_ms,
        "peak_rss_mb": peak_kb / 1024,
        "model_rss_mb": (peak_kb - baseline_kb) / 1024 if exact else None,
        "runtime_info": runtime.describe(),
    }


def measure_in_child(job: Job, timeout: float = 900) -> dict:
    """Run :func:`run_job` in a fresh interpreter (``python -m benchmarks.latency JOB``).

    A plain subprocess rather than ``multiprocessing``: a spawned worker re-imports the parent's
    main module (the converters, seconds of imports and hundreds of MB) before doing anything.
    """
    result = subprocess.run([sys.executable, "-m", "benchmarks.latency", json.dumps(dataclasses.asdict(job))],
                            capture_output=True, text=True, timeout=timeout)
    return read_child_result(result.returncode, result.stdout, result.stderr, f"{job.artifact or job.model} in "
                             f"{job.runtime}")


def read_child_result(returncode: int, stdout: str, stderr: str, what: str) -> dict:
    """The measurement a child printed (its last JSON line), or its error raised here as data said it."""
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    try:
        payload = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        payload = {}
    if returncode == 0 and "latency" in payload:
        return payload
    if payload.get("error") in ("RuntimeUnavailable", "UnknownRuntimeError"):
        from runtimes import RuntimeUnavailable

        raise RuntimeUnavailable(payload["message"])
    detail = payload.get("message") or (stderr.strip().splitlines() or ["no output"])[-1]
    raise MeasurementError(f"benchmark of {what} failed: {detail}")


def _child_main(argv: list[str]) -> int:
    job = Job(**json.loads(argv[0]))
    try:
        print(json.dumps(run_job(job)))
        return 0
    except Exception as exc:  # reported to the parent as data, not as a traceback to parse
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
        return 3


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
