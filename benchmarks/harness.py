"""Benchmark a variant in a runtime: get (or export) its validated artifact, time it, make rows."""

from __future__ import annotations

from pathlib import Path

from benchmarks.environment import describe_environment
from benchmarks.latency import Job, measure_in_child
from benchmarks.results import build_row, desktop_device
from benchmarks.roof import matmul_roof_gflops
from export.formats import make_request
from export.reuse import ensure_artifact
from models.config import MobileViTConfig
from runtimes.registry import get_runtime

#: Default timing: enough for a stable median on a 2-core machine without dragging sweeps out.
DEFAULT_TIMING = {"warmup_runs": 3, "min_runs": 10, "min_seconds": 1.0, "max_seconds": 15.0}


class RoofCache:
    """Measures the matmul roof once per thread count per run."""

    def __init__(self) -> None:
        self._values: dict[int, float] = {}

    def __call__(self, threads: int) -> float:
        if threads not in self._values:
            self._values[threads] = matmul_roof_gflops(threads)
        return self._values[threads]

    def measured(self) -> dict[str, float]:
        return {str(threads): value for threads, value in self._values.items()}


def _eager_job(config: MobileViTConfig, threads: int | None, timing: dict) -> Job:
    """PyTorch eager builds the network in the child from its registry name and factors."""
    base = config.name.split("@")[0]
    factors = {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.factors().items()
               if v is not None and k != "width"}
    if config.version == 2:
        factors["width"] = config.width
    return Job("torch-eager", threads, config.resolution, "NCHW", model=base, factors=factors, timing=timing)


def benchmark(
    config: MobileViTConfig,
    runtime: str,
    threads: int | None,
    artifacts: Path,
    precision: str | None = None,
    weights: Path | None = None,
    timing: dict | None = None,
    roof: RoofCache | None = None,
    options: dict | None = None,
    step=lambda _: None,
) -> dict:
    """One result row (see :data:`benchmarks.results.ROW_KEYS`)."""
    runtime_entry = get_runtime(runtime)
    runtime_entry.import_libraries()  # a runtime that cannot exist here refuses before anything is exported
    timing = {**DEFAULT_TIMING, **(timing or {})}
    fmt, entry, path = runtime_entry.format, None, None
    if fmt is None:
        precision, job = "fp32", _eager_job(config, threads, timing)
    else:
        request = make_request(config, fmt, artifacts, precision, weights=weights)
        precision = request.precision
        path, entry = ensure_artifact(request, step)
        job = Job(runtime, threads, config.resolution, entry.input_layout, artifact=str(path), timing=timing,
                  options=options or {})
    setting = f"on {threads} thread(s)" if threads else ", ".join(str(v) for v in (options or {}).values())
    step(f"timing {config.name} in {runtime} {setting}".rstrip())
    measured = measure_in_child(job)
    environment = describe_environment()
    return build_row(config, runtime=runtime, threads=threads, fmt=fmt or "pytorch", precision=precision,
                     measured=measured, device=desktop_device(environment), environment=environment, entry=entry,
                     artifact=path.name if path else None, random_weights=weights is None, options=options,
                     roof_gflops=roof(threads) if roof is not None else None)
