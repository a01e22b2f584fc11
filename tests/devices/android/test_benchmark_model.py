"""benchmark_model's argv and output, against outputs in the formats its source prints.

Expected numbers are read off the fixture text by hand (µs / 1000 = ms); NOTES.md beside the
fixtures says which source lines each one follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.statistics import LatencyStats
from devices.android.benchmark_model import (
    DELEGATES,
    BenchmarkOutputError,
    command,
    parse_output,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "benchmark_model"
BINARY, GRAPH = "/data/local/tmp/benchmark_model", "/data/local/tmp/mobilevit_v2_1.0.tflite"


def read(name: str) -> str:
    return (FIXTURES / name).read_text()


# --- parsing: one test per fixture, every field -------------------------------------------------

def test_tflite_2_4_output_without_percentiles_or_peak():
    result = parse_output(read("tflite_2_4_xnnpack.txt"))
    # "count=83 first=11897 curr=11722 min=11442 max=12694 avg=12138.7 std=253" (the second count= line)
    assert result.runs == 83
    assert result.inference_avg_ms == pytest.approx(12.1387)
    assert (result.min_ms, result.max_ms, result.stdev_ms) == pytest.approx((11.442, 12.694, 0.253))
    # "Inference timings in us: Init: 48317, First inference: 29811, Warmup (avg): 13173.5, ..."
    assert (result.init_ms, result.first_inference_ms, result.warmup_avg_ms) == pytest.approx((48.317, 29.811, 13.1735))
    assert (result.p5_ms, result.median_ms, result.p95_ms) == (None, None, None)
    # "Peak memory footprint (MB): init=9.37109 overall=38.6211" (the TF 2.4 name of the delta line)
    assert (result.init_memory_mb, result.overall_memory_mb) == pytest.approx((9.37109, 38.6211))
    assert result.peak_memory_mb is None


def test_litert_output_with_percentiles_and_peak_memory():
    result = parse_output(read("litert_xnnpack.txt"))
    # "count=33 first=30066 curr=28821 min=28211 max=34837 avg=30472.5 std=1516 p5=28821 median=30159 p95=34505"
    assert result.runs == 33  # not the warm-up's count=15
    assert result.inference_avg_ms == pytest.approx(30.4725)
    assert (result.min_ms, result.max_ms, result.stdev_ms) == pytest.approx((28.211, 34.837, 1.516))
    assert (result.p5_ms, result.median_ms, result.p95_ms) == pytest.approx((28.821, 30.159, 34.505))
    assert (result.init_ms, result.first_inference_ms, result.warmup_avg_ms) == pytest.approx((71.843, 61.234, 33.6919))
    # "Memory footprint delta ... init=21.6602 overall=70.2188", "... via periodic monitoring: 103.547"
    assert (result.init_memory_mb, result.overall_memory_mb) == pytest.approx((21.6602, 70.2188))
    assert result.peak_memory_mb == pytest.approx(103.547)


def test_slow_model_averages_in_scientific_notation_and_runs_cut_by_max_secs():
    result = parse_output(read("litert_xnnpack_slow.txt"))
    # "count=8 ... avg=2.54514e+06 std=20735 p5=2514715 median=2541938 p95=2585493": 8 < --num_runs=10
    assert result.runs == 8
    assert result.inference_avg_ms == pytest.approx(2545.14)
    assert result.warmup_avg_ms == pytest.approx(2742.41)  # "Warmup (avg): 2.74241e+06"
    assert result.first_inference_ms == pytest.approx(3104.877)
    assert (result.min_ms, result.max_ms, result.stdev_ms) == pytest.approx((2514.715, 2585.493, 20.735))
    assert (result.p5_ms, result.median_ms, result.p95_ms) == pytest.approx((2514.715, 2541.938, 2585.493))
    assert (result.init_ms, result.init_memory_mb, result.overall_memory_mb, result.peak_memory_mb) == \
        pytest.approx((178.425, 27.3125, 612.387, 640.961))


def test_gpu_delegate_run():
    result = parse_output(read("litert_gpu.txt"))
    # "count=84 first=11711 curr=11999 min=11020 max=13301 avg=12022 std=363 p5=11457 median=12029 p95=12546"
    assert (result.runs, result.inference_avg_ms) == (84, pytest.approx(12.022))
    assert (result.min_ms, result.max_ms, result.stdev_ms) == pytest.approx((11.02, 13.301, 0.363))
    assert (result.p5_ms, result.median_ms, result.p95_ms) == pytest.approx((11.457, 12.029, 12.546))
    # The GPU's init includes compiling its kernels: "Init: 1461092", and "Initialized session in 1461.09ms."
    assert (result.init_ms, result.first_inference_ms, result.warmup_avg_ms) == \
        pytest.approx((1461.092, 48.211, 13.3374))
    assert (result.init_memory_mb, result.overall_memory_mb, result.peak_memory_mb) == \
        pytest.approx((152.816, 163.34, 171.289))


def test_latency_has_the_project_latency_keys_with_none_where_the_tool_is_silent():
    keys = set(LatencyStats.__dataclass_fields__) | {"max_ms"}
    litert = parse_output(read("litert_xnnpack.txt")).latency()
    assert set(litert) == keys
    assert litert == {"runs": 33, "median_ms": pytest.approx(30.159), "p90_ms": None, "min_ms": pytest.approx(28.211),
                      "mean_ms": pytest.approx(30.4725), "stdev_ms": pytest.approx(1.516),
                      "max_ms": pytest.approx(34.837)}
    old = parse_output(read("tflite_2_4_xnnpack.txt")).latency()
    assert set(old) == keys
    assert (old["median_ms"], old["p90_ms"], old["mean_ms"]) == (None, None, pytest.approx(12.1387))


def test_android_app_logcat_lines():
    # Published output of the benchmark APK (tensorflow/tensorflow#56301, TF 2.9): logcat prefixes, no percentiles.
    text = (
        "05-30 15:16:44.858  3380  3380 I tflite  : Running benchmark for at least 1 iterations and at least 0.5 "
        "seconds but terminate if exceeding 150 seconds.\n"
        "05-30 15:16:45.362  3380  3380 I tflite  : count=40 first=32942 curr=12594 min=11340 max=32942 "
        "avg=12581.9 std=3331\n"
        "05-30 15:16:45.362  3380  3380 I tflite  : Running benchmark for at least 50 iterations and at least 1 "
        "seconds but terminate if exceeding 150 seconds.\n"
        "05-30 15:16:46.365  3380  3380 I tflite  : count=75 first=12840 curr=11853 min=11787 max=13649 "
        "avg=12167.6 std=325\n"
        "05-30 15:16:46.366  3380  3380 I tflite  : Inference timings in us: Init: 126059, First inference: "
        "32942, Warmup (avg): 12581.9, Inference (avg): 12167.6\n")
    result = parse_output(text)
    assert (result.runs, result.inference_avg_ms, result.max_ms) == (75, pytest.approx(12.1676), pytest.approx(13.649))
    assert (result.init_memory_mb, result.peak_memory_mb) == (None, None)


def test_single_run_and_all_same_statistics():
    # Stat::OutputToStream prints only count and curr when min == max ("(all same)" when count > 1).
    text = ("INFO: count=1 curr=1381510\n\n"
            "INFO: count=3 curr=1200000(all same)\n\n"
            "INFO: Inference timings in us: Init: 9340, First inference: 1381510, Warmup (avg): 1.38151e+06, "
            "Inference (avg): 1.2e+06\n")
    result = parse_output(text)
    assert (result.runs, result.min_ms, result.max_ms, result.stdev_ms) == (3, 1200.0, 1200.0, 0.0)
    assert (result.inference_avg_ms, result.first_inference_ms) == (1200.0, pytest.approx(1381.51))


def test_no_warmup_run_gives_no_first_inference():
    text = ("INFO: count=0 p5=0 median=0 p95=0\n\n"
            "INFO: count=10 first=100 curr=100 min=90 max=110 avg=100 std=6 p5=90 median=100 p95=110\n\n"
            "INFO: Inference timings in us: Init: 500, First inference: 0, Warmup (avg): -nan, Inference (avg): 100\n")
    result = parse_output(text)
    assert (result.runs, result.first_inference_ms, result.warmup_avg_ms) == (10, None, None)


# --- failures ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "quoted", "hint"), [
    ("litert_model_not_found.txt", "ERROR: Failed to load model /data/local/tmp/mobilevit_v2_1.0.tflite", "--graph"),
    ("tflite_2_4_model_not_found.txt", "Failed to mmap model /data/local/tmp/mobilevit_xxs.tflite", "--graph"),
    ("litert_gpu_delegate_failed.txt", "ERROR: Failed to apply GPU delegate.", "delegate='xnnpack'"),
])
def test_failures_raise_with_the_tools_own_error_lines(name, quoted, hint):
    with pytest.raises(BenchmarkOutputError) as caught:
        parse_output(read(name))
    message = str(caught.value)
    assert quoted in message and "Benchmarking failed." in message and hint in message


def test_delegate_failure_names_the_op():
    with pytest.raises(BenchmarkOutputError, match="TfLiteGpuDelegate Init: BATCH_MATMUL"):
        parse_output(read("litert_gpu_delegate_failed.txt"))


def test_timings_of_a_run_that_failed_are_refused():
    # A failed Invoke in the timed runs still prints the summary; main() then says "Benchmarking failed."
    text = read("litert_xnnpack.txt") + ("ERROR: Node number 12 (CONV_2D) failed to invoke.\n"
                                         "ERROR: Benchmarking failed.\n")
    with pytest.raises(BenchmarkOutputError, match="failed to invoke"):
        parse_output(text)


def test_the_warmup_line_is_never_taken_for_the_timed_runs():
    # Without the timed runs' count= line, the last one before the summary is the warm-up's: its avg differs.
    text = "\n".join(line for line in read("litert_xnnpack.txt").splitlines() if "count=33" not in line)
    with pytest.raises(BenchmarkOutputError, match="out of order"):
        parse_output(text)


def test_cut_short_output_says_so_and_shows_its_end():
    text = "\n".join(read("litert_xnnpack.txt").splitlines()[:24])  # killed during the timed runs
    with pytest.raises(BenchmarkOutputError, match="cut") as caught:
        parse_output(text)
    assert "Running benchmark for at least 10 iterations" in str(caught.value)


def test_filtered_output_without_statistics_is_refused():
    summary = next(line for line in read("litert_gpu.txt").splitlines() if "Inference timings" in line)
    with pytest.raises(BenchmarkOutputError, match="count="):
        parse_output(summary)


def test_dry_run_is_refused():
    text = ("INFO: count=0 p5=0 median=0 p95=0\n\nINFO: count=0 p5=0 median=0 p95=0\n\n"
            "INFO: Inference timings in us: Init: 500, First inference: 0, Warmup (avg): -nan, Inference (avg): -nan\n")
    with pytest.raises(BenchmarkOutputError, match="no runs"):
        parse_output(text)


def test_tf1_summary_is_recognised_as_too_old():
    # r1.13 output quoted in tensorflow/tensorflow#25904.
    text = ("count=50 first=105224 curr=151561 min=87415 max=197387 avg=116375 std=28964\n"
            "Average inference timings in us: Warmup: 4.38533e+06, Init: 31021, no stats: 116375\n")
    with pytest.raises(BenchmarkOutputError, match="older"):
        parse_output(text)


# --- command -------------------------------------------------------------------------------------

RUN_FLAGS = ["--warmup_runs=3", "--num_runs=10", "--min_secs=1.0", "--max_secs=20.0",
             "--report_peak_memory_footprint=true"]


@pytest.mark.parametrize("threads", [1, 4])
def test_xnnpack_command(threads):
    assert command(BINARY, GRAPH, threads) == [
        BINARY, f"--graph={GRAPH}", f"--num_threads={threads}", "--use_xnnpack=true", *RUN_FLAGS]


def test_gpu_command_turns_the_default_xnnpack_off():
    assert command(BINARY, GRAPH, 4, "gpu") == [
        BINARY, f"--graph={GRAPH}", "--num_threads=4", "--use_xnnpack=false", "--use_gpu=true", *RUN_FLAGS]


def test_run_limits_are_passed_through():
    argv = command(BINARY, GRAPH, 2, warmup_runs=0, num_runs=50, min_secs=2, max_secs=150)
    assert argv[-5:] == ["--warmup_runs=0", "--num_runs=50", "--min_secs=2.0", "--max_secs=150.0",
                         "--report_peak_memory_footprint=true"]


def test_every_flag_is_one_benchmark_model_defines():
    # Flag names from BenchmarkModel/BenchmarkTfLiteModel::GetFlags and the XNNPACK/GPU delegate providers.
    known = {"graph", "num_threads", "use_xnnpack", "use_gpu", "warmup_runs", "num_runs", "min_secs", "max_secs",
             "report_peak_memory_footprint"}
    for delegate in DELEGATES:
        names = {arg[2:].split("=", 1)[0] for arg in command(BINARY, GRAPH, 4, delegate)[1:]}
        assert names <= known


def test_unknown_delegate_names_the_known_ones():
    with pytest.raises(ValueError, match="xnnpack, gpu"):
        command(BINARY, GRAPH, 4, "nnapi")


@pytest.mark.parametrize("threads", [0, -1, 2.0, True])
def test_threads_must_be_a_positive_integer(threads):
    with pytest.raises(ValueError, match="threads"):
        command(BINARY, GRAPH, threads)


@pytest.mark.parametrize("limits", [{"num_runs": 0}, {"warmup_runs": -1}, {"max_secs": 0}, {"min_secs": float("inf")}])
def test_impossible_run_limits_are_refused(limits):
    with pytest.raises(ValueError):
        command(BINARY, GRAPH, 4, **limits)


# --- how much of the graph the GPU delegate took ------------------------------------------------

def test_full_gpu_delegation_is_read():
    assert parse_output(read("litert_gpu.txt")).delegate_coverage == "complete"


def test_partial_and_absent_gpu_delegation_are_read():
    full = "Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate."
    text = read("litert_gpu.txt")
    assert full in text
    partial = ("Explicitly applied GPU delegate, and the model graph will be partially executed by the delegate "
               "w/ 7 delegate kernels.")
    assert parse_output(text.replace(full, partial)).delegate_coverage == "partial (7 kernels)"
    none = "Though GPU delegate is explicitly applied, the model graph will not be executed by the delegate."
    assert parse_output(text.replace(full, none)).delegate_coverage == "none"
    unsupported = text.replace(full, "WARN: GPU acceleration is unsupported on this platform.")
    assert parse_output(unsupported).delegate_coverage == "unsupported"
    assert parse_output(read("litert_xnnpack.txt")).delegate_coverage in (None, "complete")
