"""Benchmark results are data: one row per (model, runtime, threads, device), with its environment.

Rows are appended to ``<out>/<name>.json`` (a list, the source of truth) and mirrored to
``<out>/<name>.csv`` (flat columns, for spreadsheets). Desktop runs and every device harness
(``devices/``) write the same row, so one report can put a phone next to a laptop; reports and
plots are generated from these files alone.
"""

from __future__ import annotations

import csv
import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.errors import BenchmarkError
from export.manifest import ManifestEntry, atomic_write_text
from models.config import MobileViTConfig
from models.counts import count

#: 2 added ``device``: rows now come from phones and boards as well as from this machine.
SCHEMA_VERSION = 2

#: Every row has these keys; ``tests/benchmarks`` holds the harnesses (and the Swift one) to them.
ROW_KEYS = (
    "schema_version", "model", "mobilevit_version", "resolution", "format", "precision", "runtime",
    "threads", "runtime_options", "artifact", "artifact_sha256", "random_weights", "batch", "latency",
    "load_ms", "first_inference_ms", "peak_rss_mb", "model_rss_mb", "macs", "achieved_gflops",
    "roof_gflops", "fraction_of_roof", "runtime_info", "device", "environment", "measured_at",
)

#: ``row["latency"]``: what a device's tool does not report is ``None`` (older benchmark_model builds print
#: no median, none prints a p90).
LATENCY_KEYS = ("runs", "median_ms", "p90_ms", "min_ms", "mean_ms", "stdev_ms")

#: ``row["device"]``: where the model ran, as a report groups it.
DEVICE_KEYS = ("kind", "name", "os", "cpu", "abi", "transport")
DEVICE_KINDS = ("desktop", "linux-board", "android", "ios")

CSV_COLUMNS = (
    "device", "model", "resolution", "format", "precision", "runtime", "threads", "runtime_options",
    "median_ms", "mean_ms", "p90_ms", "min_ms", "runs", "load_ms", "first_inference_ms", "peak_rss_mb", "macs",
    "achieved_gflops", "fraction_of_roof", "cpu", "os", "artifact_sha256", "measured_at",
)


class RowError(BenchmarkError, ValueError):
    """A result row that does not follow the schema (names the row and what is wrong)."""


def validate_row(row: dict) -> None:
    missing = [key for key in ROW_KEYS if key not in row]
    if missing:
        raise RowError(f"benchmark row for {row.get('model', '?')} lacks {', '.join(missing)}")
    for name, keys in (("latency", LATENCY_KEYS), ("device", DEVICE_KEYS)):
        value = row[name]
        lacking = [key for key in keys if not isinstance(value, dict) or key not in value]
        if lacking:
            raise RowError(f"benchmark row for {row['model']}: {name} lacks {', '.join(lacking)}")
    if row["device"]["kind"] not in DEVICE_KINDS:
        raise RowError(f"benchmark row for {row['model']}: device kind {row['device']['kind']!r} is not one of "
                       f"{', '.join(DEVICE_KINDS)}")
    if headline_ms(row) is None:
        raise RowError(f"benchmark row for {row['model']} has neither a median nor a mean latency")


def headline_ms(row: dict) -> float | None:
    """The latency a report shows: the median where measured, else the mean (all benchmark_model prints)."""
    latency = row["latency"]
    return latency.get("median_ms") if latency.get("median_ms") is not None else latency.get("mean_ms")


def cell(value, spec: str) -> str:
    """A figure as tables show it: ``-`` where the measuring tool did not report it."""
    return "-" if value is None else format(value, spec)


def desktop_device(environment: dict) -> dict:
    """This machine, described like a device, for rows measured here."""
    return {"kind": "desktop", "name": environment["cpu"], "os": environment["system"],
            "cpu": environment["cpu"], "abi": environment["machine"], "transport": "local"}


def upgrade_row(row: dict) -> dict:
    """Schema 1 rows (desktop only, before devices) read as schema 2."""
    if (row.get("schema_version") or 1) >= 2:
        return row
    env = row["environment"]
    latency = {key: row["latency"].get(key) for key in LATENCY_KEYS}
    return {**row, "schema_version": SCHEMA_VERSION, "latency": latency,
            "device": desktop_device({"machine": None, "system": None, **env})}


def build_row(
    config: MobileViTConfig,
    *,
    runtime: str,
    threads: int | None,
    fmt: str,
    precision: str,
    measured: dict,
    device: dict,
    environment: dict,
    entry: ManifestEntry | None = None,
    artifact: str | None = None,
    random_weights: bool = True,
    options: dict | None = None,
    roof_gflops: float | None = None,
) -> dict:
    """One row from a measurement (``latency``, ``load_ms``, ``first_inference_ms``, memory, runtime info).

    ``entry`` is the artifact's manifest entry; MACs are counted from the model, so every harness
    derives achieved GFLOP/s the same way.
    """
    latency = {key: measured["latency"].get(key) for key in LATENCY_KEYS}
    macs = count(config).macs
    row = {
        "schema_version": SCHEMA_VERSION,
        "model": config.name,
        "mobilevit_version": config.version,
        "resolution": config.resolution,
        "format": fmt,
        "precision": precision,
        "runtime": runtime,
        "threads": threads,
        "runtime_options": options or {},
        "artifact": artifact,
        "artifact_sha256": entry.sha256 if entry else None,
        "random_weights": entry.random_weights if entry else random_weights,
        "batch": 1,
        "latency": latency,
        "load_ms": measured.get("load_ms"),
        "first_inference_ms": measured.get("first_inference_ms"),
        "peak_rss_mb": measured.get("peak_rss_mb"),
        "model_rss_mb": measured.get("model_rss_mb"),
        "macs": macs,
        "achieved_gflops": None,
        "roof_gflops": roof_gflops,
        "fraction_of_roof": None,
        "runtime_info": measured.get("runtime_info") or {},
        "device": device,
        "environment": environment,
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    row["achieved_gflops"] = 2 * macs / (headline_ms(row) / 1e3) / 1e9
    row["fraction_of_roof"] = row["achieved_gflops"] / roof_gflops if roof_gflops else None
    validate_row(row)
    return row


def _flat(row: dict) -> dict:
    flat = {key: row.get(key) for key in CSV_COLUMNS}
    flat.update({key: row["latency"][key] for key in ("median_ms", "mean_ms", "p90_ms", "min_ms", "runs")})
    flat.update(device=row["device"]["name"], cpu=row["device"]["cpu"], os=row["device"]["os"],
                runtime_options=json.dumps(row["runtime_options"], sort_keys=True) if row["runtime_options"] else "")
    return flat


def load_rows(path: Path) -> list[dict]:
    """The rows of one results file, upgraded to the current schema; a clear error for a foreign file."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise RowError(f"{path} is not a results file (invalid JSON: {exc})") from None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise RowError(f"{path} is not a results file (expected a JSON list of rows)")
    return [upgrade_row(row) for row in rows]


def append_rows(out_dir: Path, name: str, rows: list[dict]) -> Path:
    """Add ``rows`` to ``out_dir/name.json`` and rewrite the CSV mirror; returns the JSON path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for row in rows:
        validate_row(row)
    json_path = out_dir / f"{name}.json"
    all_rows = load_rows(json_path) + rows
    atomic_write_text(json_path, json.dumps(all_rows, indent=1, sort_keys=True) + "\n")
    with tempfile.TemporaryFile("w+", newline="") as buffer:
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in all_rows:
            writer.writerow(_flat(row))
        buffer.seek(0)
        lines = buffer.read()
    atomic_write_text(out_dir / f"{name}.csv", lines)
    return json_path
