"""Benchmark a variant in a runtime: find (or export) its validated artifact, time it, make rows."""

from __future__ import annotations

from pathlib import Path

from benchmarks.environment import describe_environment
from benchmarks.latency import RUNTIME_FORMATS, Job, measure_in_child
from benchmarks.results import build_row, desktop_device
from benchmarks.roof import matmul_roof_gflops
from export.manifest import Manifest
from export.metadata import artifact_sha256
from export.pipeline import EXPORTERS, export_artifact
from export.spec import DEFAULT_PRECISION, ExportRequest
from models.config import MobileViTConfig
from runtimes.coreml_runtime import require_macos

#: Default timing: enough for a stable median on a 2-core machine without dragging sweeps out.
DEFAULT_TIMING = {"warmup_runs": 3, "min_runs": 10, "min_seconds": 1.0, "max_seconds": 15.0}


def ensure_artifact(config: MobileViTConfig, fmt: str, precision: str, artifacts: Path,
                    weights: Path | None = None, step=lambda _: None) -> tuple[Path, dict]:
    """The validated artifact for ``config`` from ``artifacts/manifest.json``, exported if absent."""
    request = ExportRequest(config=config, format=fmt, precision=precision, out_dir=artifacts, weights=weights)
    file = request.stem + EXPORTERS[fmt].suffix
    entry = Manifest(artifacts).get(file)
    path = Path(artifacts) / file
    if entry is None or not path.exists() or artifact_sha256(path) != entry["sha256"]:
        step(f"exporting {file}")
        entry = export_artifact(request).to_dict()
    return path, entry


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
    if runtime not in RUNTIME_FORMATS:
        raise ValueError(f"unknown runtime {runtime!r}; known: {', '.join(RUNTIME_FORMATS)}")
    fmt = RUNTIME_FORMATS[runtime]
    if runtime == "coreml":
        require_macos()
    timing = {**DEFAULT_TIMING, **(timing or {})}
    if fmt is None:
        precision, entry, path = "fp32", None, None
        base = config.name.split("@")[0]
        factors = {k: (list(v) if isinstance(v, tuple) else v) for k, v in config.factors().items()
                   if v is not None and k != "width"}
        if config.version == 2:
            factors["width"] = config.width
        job = Job(runtime, threads, config.resolution, "NCHW", model=base, factors=factors, timing=timing)
    else:
        precision = precision or DEFAULT_PRECISION[fmt]
        path, entry = ensure_artifact(config, fmt, precision, artifacts, weights, step)
        job = Job(runtime, threads, config.resolution, entry["io"]["input"]["layout"], artifact=str(path),
                  timing=timing, options=options or {})
    setting = f"on {threads} thread(s)" if threads else ", ".join(str(v) for v in (options or {}).values())
    step(f"timing {config.name} in {runtime} {setting}".rstrip())
    measured = measure_in_child(job)
    environment = describe_environment()
    return build_row(config, runtime=runtime, threads=threads, fmt=fmt or "pytorch", precision=precision,
                     measured=measured, device=desktop_device(environment), environment=environment, entry=entry,
                     artifact=path.name if path else None, random_weights=weights is None, options=options,
                     roof_gflops=roof(threads) if roof is not None else None)
