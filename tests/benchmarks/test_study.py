"""A reduced study, end to end: measurements, rows, report and plots (no timing assertions:
speed targets are reported by the study, not asserted in tests)."""

from __future__ import annotations

import json
import math

from benchmarks.study import run_study
from benchmarks.study_design import growth_exponent


def test_small_study_writes_rows_report_and_plots(tmp_path):
    out = tmp_path / "study"
    data = run_study(out, tmp_path / "artifacts", resolutions=(128,), runtimes=("torch-eager", "onnxruntime"),
                     threads=1, tokens=(64, 256, 1024), min_seconds=0.05,
                     pairs=(("mobilevit_v1_xxs", "mobilevit_v2_0.5"),))
    rows = json.loads((out / "rows.json").read_text())
    assert len(rows["models"]) == 4 and len(rows["attention"]) == 6
    assert {r["runtime"] for r in rows["hf_reference"]} == {"onnxruntime"}
    for ref in rows["hf_reference"]:  # ours is re-timed next to every working plain HF export
        assert ref["failure"] is not None or ref["ours_latency"]["median_ms"] > 0
    for block in {r["block"] for r in rows["attention"]}:
        assert math.isfinite(growth_exponent(rows["attention"], block))
    report = (out / "report.md").read_text()
    for heading in ("(a) Attention blocks alone", "(b) Whole models", "Against the paper's claim",
                    "(c) Distance to the machine's limit", "reference path"):
        assert heading in report
    assert (out / "attention_latency.png").stat().st_size > 1000
    assert (out / "speedup_vs_resolution.png").stat().st_size > 1000
    assert data["roof_gflops"]["1"] > 0
