"""The row template: what the Python side knows about a run that the phone cannot, staged as template.json.

The Swift side (``RowTemplate`` in ``Sources/MobileViTBench/ResultRow.swift``) completes it with what it
measured into a row of ``benchmarks.results``' schema. The MACs, the artifact's sha256, the host and the
timing settings come from here so a phone's row says the same things a desktop row says, in the same words;
the fresh ``run_id`` lets the rows that come back be told from a stale build's.
"""

from __future__ import annotations

import inspect
import uuid
from pathlib import Path

from benchmarks.harness import DEFAULT_TIMING
from benchmarks.results import SCHEMA_VERSION
from benchmarks.statistics import measure as python_measure
from devices.rows import host_record
from devices.transports import DeviceError
from export.manifest import ManifestEntry
from models.config import MobileViTConfig
from models.counts import count

#: ``template["timing"]``: the settings of :func:`benchmarks.statistics.measure`.
TIMING_KEYS = ("warmup_runs", "min_runs", "min_seconds", "max_runs", "max_seconds")


def default_timing() -> dict:
    """The desktop harness's timing (``DEFAULT_TIMING``), completed with :func:`measure`'s own defaults."""
    defaults = {name: parameter.default for name, parameter in inspect.signature(python_measure).parameters.items()
                if parameter.default is not inspect.Parameter.empty}
    return {key: {**defaults, **DEFAULT_TIMING}[key] for key in TIMING_KEYS}


def make_template(config: MobileViTConfig, path: Path, entry: ManifestEntry, timing: dict | None = None) -> dict:
    """The row template the Swift side completes (``RowTemplate`` in ResultRow.swift): everything about the
    artifact, the model and the host that the phone cannot know, and a fresh ``run_id`` the rows echo."""
    timing = {**default_timing(), **(timing or {})}
    unknown = set(timing) - set(TIMING_KEYS)
    if unknown:
        raise DeviceError(f"unknown timing settings {', '.join(sorted(unknown))}; known: {', '.join(TIMING_KEYS)}")
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": uuid.uuid4().hex,
        "model": config.name,
        "mobilevit_version": config.version,
        "resolution": config.resolution,
        "format": "coreml",
        "precision": entry.precision,
        "artifact": Path(path).name,
        "artifact_sha256": entry.sha256,
        "random_weights": entry.random_weights,
        "macs": count(config).macs,
        "timing": timing,
        "host": host_record(),
    }
