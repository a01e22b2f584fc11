"""Short real benchmark runs: a real artifact in a real runtime, in a child process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.harness import RoofCache, benchmark
from benchmarks.results import ROW_KEYS, validate_row
from export.metadata import artifact_sha256
from models import count, get_config

FAST = {"warmup_runs": 1, "min_runs": 3, "min_seconds": 0.05}


@pytest.mark.parametrize("runtime", ["onnxruntime", "litert", "torch-eager"])
def test_benchmark_row_is_complete_and_consistent(runtime, tmp_path):
    config = get_config("mobilevit_v2_0.5", resolution=128)
    row = benchmark(config, runtime, 1, tmp_path, timing=FAST, roof=RoofCache())
    validate_row(row)
    assert set(row) == set(ROW_KEYS)
    latency = row["latency"]
    assert latency["runs"] >= 3
    assert 0 < latency["min_ms"] <= latency["median_ms"] <= latency["p90_ms"]
    assert row["macs"] == count(config).macs
    assert row["achieved_gflops"] == pytest.approx(2 * row["macs"] / (latency["median_ms"] / 1e3) / 1e9)
    assert row["roof_gflops"] > 0 and row["fraction_of_roof"] > 0
    assert row["peak_rss_mb"] > 0 and row["load_ms"] > 0 and row["first_inference_ms"] > 0
    assert row["environment"]["cpu"] and row["environment"]["versions"]["torch"]
    if runtime != "torch-eager":
        assert row["artifact_sha256"] == artifact_sha256(tmp_path / row["artifact"])
        assert row["runtime_info"]["threads"] == 1


def test_second_benchmark_reuses_the_validated_artifact(tmp_path):
    config = get_config("mobilevit_v2_0.5", resolution=128)
    steps = []
    benchmark(config, "onnxruntime", 1, tmp_path, timing=FAST, step=steps.append)
    benchmark(config, "onnxruntime", 1, tmp_path, timing=FAST, step=steps.append)
    assert sum(s.startswith("exporting") for s in steps) == 1


def test_bench_cli_prints_a_table_and_writes_results(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--model", "mobilevit_v1_xxs", "--res", "128", "--runtime",
         "torch-eager", "--threads", "1", "--out", str(tmp_path / "results"), "--artifacts", str(tmp_path / "a"),
         "--min-seconds", "0.05"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "median ms" in result.stdout and "torch-eager" in result.stdout
    assert (tmp_path / "results" / "latency.json").exists() and (tmp_path / "results" / "latency.csv").exists()


def test_bench_cli_rejects_unknown_model_with_the_known_ones(tmp_path):
    result = subprocess.run([sys.executable, "-m", "benchmarks.bench", "--model", "resnet50"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 2 and "mobilevit_v2_1.0" in result.stderr and "Traceback" not in result.stderr


def test_core_ml_off_macos_is_refused_before_anything_is_exported(tmp_path):
    import platform

    if platform.system() == "Darwin":
        pytest.skip("Core ML prediction exists here")
    from runtimes import RuntimeUnavailable

    with pytest.raises(RuntimeUnavailable, match="needs macOS"):
        benchmark(get_config("mobilevit_v2_0.5", resolution=128), "coreml", None, tmp_path / "artifacts")
    assert not (tmp_path / "artifacts").exists()
