"""make report: merging desktop and device rows, matched-pair speedups, plots, and its errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.report import latest, speedups, write_report
from benchmarks.results import append_rows, build_row
from models import get_config

DESKTOP = {"kind": "desktop", "name": "AMD EPYC", "os": "Linux 6", "cpu": "AMD EPYC", "abi": "x86_64",
           "transport": "local"}
PHONE = {"kind": "android", "name": "Google Pixel 8", "os": "Android 14 (API 34)", "cpu": "Google Tensor G3",
         "abi": "arm64-v8a", "transport": "adb"}


def _row(model, device, ms, runtime="onnxruntime", threads=2, median=True, when="2026-11-23T10:00:00+00:00",
         options=None):
    latency = {"runs": 20, "median_ms": ms if median else None, "p90_ms": None, "min_ms": ms * 0.9,
               "mean_ms": ms, "stdev_ms": 0.1}
    row = build_row(get_config(model), runtime=runtime, threads=threads, fmt="onnx", precision="fp32",
                    measured={"latency": latency}, device=device, environment={"cpu": device["cpu"]},
                    options=options)
    row["measured_at"] = when
    return row


@pytest.fixture
def rows():
    return [
        _row("mobilevit_v1_xxs", DESKTOP, 12.0, when="2026-11-22T10:00:00+00:00"),  # an older repeat
        _row("mobilevit_v1_xxs", DESKTOP, 10.0),
        _row("mobilevit_v2_0.5", DESKTOP, 8.0),
        _row("mobilevit_v2_0.5", DESKTOP, 5.0, threads=1),  # no v1 at 1 thread: no pair
        _row("mobilevit_v1_xxs", PHONE, 30.0, runtime="litert", threads=4, median=False,
             options={"delegate": "xnnpack"}),
        _row("mobilevit_v2_0.5", PHONE, 20.0, runtime="litert", threads=4, median=False,
             options={"delegate": "xnnpack"}),
    ]


def test_only_the_newest_repeat_is_kept(rows):
    kept, dropped = latest(rows)
    assert dropped == 1 and len(kept) == 5
    assert [r["latency"]["median_ms"] for r in kept if r["model"] == "mobilevit_v1_xxs" and r["device"] == DESKTOP] \
        == [10.0]


def test_speedups_pair_only_matched_models_under_one_setting(rows):
    pairs = speedups(latest(rows)[0])
    found = {(p["v1"]["device"]["name"], p["v1"]["threads"]): p["speedup"] for p in pairs}
    assert found == {("AMD EPYC", 2): pytest.approx(10.0 / 8.0), ("Google Pixel 8", 4): pytest.approx(30.0 / 20.0)}


def test_report_merges_files_and_draws_plots(rows, tmp_path):
    append_rows(tmp_path, "latency", [r for r in rows if r["device"] is DESKTOP])
    append_rows(tmp_path, "devices", [r for r in rows if r["device"] is PHONE])
    result = subprocess.run([sys.executable, "-m", "benchmarks.report", "--results", str(tmp_path / "latency.json"),
                             str(tmp_path / "devices.json"), "--out", str(tmp_path / "report")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "report" / "report.md").read_text()
    assert "(4 rows)" in text and "(2 rows)" in text and "1 older repeats left out" in text
    assert "| Google Pixel 8 | android | Android 14 (API 34) | Google Tensor G3 | arm64-v8a | adb | 2 |" in text
    assert "| 30.00 (mean) |" in text and "**1.50x**" in text and "**1.25x**" in text
    for png in ("latency_by_device.png", "speedup_by_device.png"):
        assert (tmp_path / "report" / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_without_pairs_says_what_to_measure(tmp_path):
    path = write_report({tmp_path / "x.json": [_row("mobilevit_v2_1.0", DESKTOP, 20.0)]}, tmp_path)
    assert "No matched pair" in path.read_text() and not (tmp_path / "speedup_by_device.png").exists()


def test_report_with_nothing_measured_is_a_clear_error(tmp_path):
    (tmp_path / "empty.json").write_text("[]")
    for arguments, message in ((["--results", str(tmp_path / "empty.json")], "no results to report yet"),
                               (["--results", str(tmp_path / "nope.json")], "no such results file")):
        result = subprocess.run([sys.executable, "-m", "benchmarks.report", *arguments, "--out", str(tmp_path)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_schema_1_desktop_files_still_report(rows, tmp_path):
    old = json.loads(json.dumps(rows[1]))
    del old["device"]
    old.update(schema_version=1, environment={"cpu": "AMD EPYC", "machine": "x86_64", "system": "Linux 6"})
    (tmp_path / "latency.json").write_text(json.dumps([old]))
    result = subprocess.run([sys.executable, "-m", "benchmarks.report", "--results", str(tmp_path / "latency.json"),
                             "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "| AMD EPYC | desktop |" in (tmp_path / "report.md").read_text()
