"""Benchmark results are data: one row per (model, runtime, threads), with its environment.

Rows are appended to ``<out>/<name>.json`` (a list, the source of truth) and mirrored to
``<out>/<name>.csv`` (flat columns, for spreadsheets). Reports and plots are generated from them.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from export.manifest import atomic_write_text

SCHEMA_VERSION = 1

#: Every row has these keys; ``tests/benchmarks`` holds the harness to them.
ROW_KEYS = (
    "schema_version", "model", "mobilevit_version", "resolution", "format", "precision", "runtime",
    "threads", "runtime_options", "artifact", "artifact_sha256", "random_weights", "batch", "latency",
    "load_ms", "first_inference_ms", "peak_rss_mb", "model_rss_mb", "macs", "achieved_gflops",
    "roof_gflops", "fraction_of_roof", "runtime_info", "environment", "measured_at",
)

CSV_COLUMNS = (
    "model", "resolution", "format", "precision", "runtime", "threads", "median_ms", "p90_ms", "min_ms",
    "runs", "load_ms", "first_inference_ms", "peak_rss_mb", "macs", "achieved_gflops", "fraction_of_roof",
    "cpu", "artifact_sha256", "measured_at",
)


def validate_row(row: dict) -> None:
    missing = [key for key in ROW_KEYS if key not in row]
    if missing:
        raise ValueError(f"benchmark row lacks {', '.join(missing)}")


def _flat(row: dict) -> dict:
    flat = {key: row.get(key) for key in CSV_COLUMNS}
    flat.update({k: row["latency"][k] for k in ("median_ms", "p90_ms", "min_ms", "runs")})
    flat["cpu"] = row["environment"]["cpu"]
    return flat


def load_rows(path: Path) -> list[dict]:
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else []


def append_rows(out_dir: Path, name: str, rows: list[dict]) -> Path:
    """Add ``rows`` to ``out_dir/name.json`` and rewrite the CSV mirror; returns the JSON path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for row in rows:
        validate_row(row)
    json_path = out_dir / f"{name}.json"
    all_rows = load_rows(json_path) + rows
    atomic_write_text(json_path, json.dumps(all_rows, indent=1, sort_keys=True) + "\n")
    lines = []
    with tempfile.TemporaryFile("w+", newline="") as buffer:
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in all_rows:
            writer.writerow(_flat(row))
        buffer.seek(0)
        lines = buffer.read()
    atomic_write_text(out_dir / f"{name}.csv", lines)
    return json_path
