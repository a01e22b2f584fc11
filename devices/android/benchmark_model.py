"""Command line and output of LiteRT's C++ ``benchmark_model`` (``tflite/tools/benchmark``).

On a phone the numbers that count are the ones Google's own tool prints: it is what LiteRT
reports in its docs and bug threads, and it runs the interpreter without Java, an app or our
Python in the way. This module only builds its argv and reads its text; pushing the binary and
the model and running it is the transport's job.

The formats below are the ones the tool's source prints (``benchmark_model.cc``,
``tsl/util/stats_calculator.h``); ``tests/fixtures/benchmark_model/NOTES.md`` says which source
and versions each fixture follows. Pass the whole output, stdout and stderr together: the tool
logs INFO to stdout and ERROR to stderr, and the runtime's own messages go to stderr.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from models.errors import MobileViTDeployError

#: Delegates :func:`command` can ask for.
DELEGATES = ("xnnpack", "gpu")

# The summary ``BenchmarkLoggingListener::OnBenchmarkEnd`` prints. Doubles come from a default
# ``std::ostream`` (6 significant digits), so slow runs read ``2.54514e+06``; no warm-up run reads
# ``nan``.
_NUMBER = r"[-+]?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
_TIMINGS = re.compile(
    rf"Inference timings in us: Init: (?P<init>{_NUMBER}), First inference: (?P<first>{_NUMBER}), "
    rf"Warmup \(avg\): (?P<warmup>{_NUMBER}), Inference \(avg\): (?P<avg>{_NUMBER})")
# ``Stat::OutputToStream``: every field, or ``count=N curr=X`` when all runs took the same time (then
# ``(all same)`` if N > 1); newer LiteRT (``StatWithPercentiles``) appends p5/median/p95.
_STATS = re.compile(
    rf"\bcount=(?P<count>\d+)"
    rf"(?: first=(?P<first>{_NUMBER}) curr=(?P<curr>{_NUMBER}) min=(?P<min>{_NUMBER}) max=(?P<max>{_NUMBER})"
    rf" avg=(?P<avg>{_NUMBER}) std=(?P<std>{_NUMBER})"
    rf"| curr=(?P<same>{_NUMBER})(?:\(all same\))?)?"
    rf"(?: p5=(?P<p5>{_NUMBER}) median=(?P<median>{_NUMBER}) p95=(?P<p95>{_NUMBER}))?")
# Current name, then the one before it (TF 2.4 era); both are deltas from the tool's start.
_MEMORY = re.compile(
    rf"(?:Memory footprint delta from the start of the tool|Peak memory footprint) \(MB\): "
    rf"init=(?P<init>{_NUMBER}) overall=(?P<overall>{_NUMBER})")
# ``BenchmarkTfLiteModel::Init`` says how much of the graph an explicitly applied delegate took; the GPU
# provider says when the build has no GPU support (and then times the CPU without complaint).
_COVERAGE = re.compile(r"(?:Explicitly applied \S+ delegate, and|Though \S+ delegate is explicitly applied,) the model "
                       r"graph will (?:be )?(?P<extent>completely|partially|not) (?:be )?executed by the delegate"
                       r"(?: w/ (?P<kernels>\d+) delegate kernels)?")
_NO_GPU = "GPU acceleration is unsupported on this platform"
_PEAK = re.compile(rf"Overall peak memory footprint \(MB\) via periodic monitoring: (?P<peak>{_NUMBER})")
# The tool's and the runtime's errors: ``ERROR:``/``FATAL:`` in builds after TF 2.5; the tool's own are bare
# in older ones (``Failed to mmap model …``, ``Benchmarking failed.``).
_ERROR = re.compile(r"^\s*(?:ERROR|FATAL):|^(?!\s*(?:INFO|WARN|WARNING|VERBOSE):).*"
                    r"(?:Failed to |failed to |Could not |Benchmarking failed|Disallowed CPU fallback)")
_FAILED = "Benchmarking failed."


class BenchmarkOutputError(MobileViTDeployError):
    """benchmark_model gave no usable timings; the message quotes its own error lines."""


class BenchmarkArgumentError(MobileViTDeployError, ValueError):
    """Settings benchmark_model cannot be run with (names the setting and the rule)."""


@dataclass(frozen=True)
class BenchmarkModelResult:
    """One benchmark_model run, in milliseconds and megabytes.

    The spread fields are the tool's, not ours: ``stdev_ms`` is its population standard deviation
    truncated to whole microseconds, and ``p5_ms``/``median_ms``/``p95_ms`` (LiteRT builds that
    print them; ``None`` otherwise) are the sorted runs' element ``n*p//100``, so the median is the
    upper one for an even count, not an interpolated one. The memory fields are deltas from the
    tool's own start (``init`` after loading, ``overall`` after the runs); ``peak_memory_mb`` is
    the resident peak a monitor thread sampled, printed only when asked for and supported.
    """

    init_ms: float | None
    first_inference_ms: float | None
    warmup_avg_ms: float | None
    inference_avg_ms: float
    runs: int
    min_ms: float | None
    max_ms: float | None
    stdev_ms: float | None
    p5_ms: float | None
    median_ms: float | None
    p95_ms: float | None
    init_memory_mb: float | None
    overall_memory_mb: float | None
    peak_memory_mb: float | None
    #: How much of the graph the explicitly applied delegate took: ``complete``, ``partial (N kernels)``,
    #: ``none``, ``unsupported`` (a binary built without GPU support), or ``None`` if the tool said nothing.
    delegate_coverage: str | None = None

    def latency(self) -> dict:
        """``benchmarks.statistics.LatencyStats`` keys (``None`` where the tool is silent), plus ``max_ms``."""
        return {"runs": self.runs, "median_ms": self.median_ms, "p90_ms": None, "min_ms": self.min_ms,
                "mean_ms": self.inference_avg_ms, "stdev_ms": self.stdev_ms, "max_ms": self.max_ms}


def command(binary: str, graph: str, threads: int, delegate: str = "xnnpack", *, warmup_runs: int = 3,
            num_runs: int = 10, min_secs: float = 1.0, max_secs: float = 20.0) -> list[str]:
    """The argv that benchmarks ``graph`` (a path on the device) with ``threads`` CPU threads.

    The run limits default to ``benchmarks.statistics.measure``'s, so a phone row is timed like a
    desktop one: at least ``num_runs`` runs and ``min_secs``, stopping after ``max_secs`` (a limit
    the tool applies to the warm-up and to the timed runs separately; it also warms up for at least
    its own 0.5 s).

    ``--use_xnnpack`` is always given explicitly: once it is set, the tool builds the interpreter
    without LiteRT's default delegates, so nothing is applied behind our back. For ``gpu`` that
    matters: in builds where XNNPACK is the default CPU path, a model with a signature (ours have
    ``serving_default``) gets the default XNNPACK delegate when the tool asks for its signature
    runner, *before* the GPU delegate is applied, which then sees only the nodes XNNPACK refused.
    With ``--use_xnnpack=false`` the GPU takes what it can and the rest runs on the built-in CPU
    kernels with ``threads`` threads.

    ``--report_peak_memory_footprint=true`` costs a sampling thread, but without it the tool prints
    no peak. Binaries that predate the flag leave unknown flags alone (older ones silently, newer
    ones with ``Unconsumed cmdline flags``) and run anyway, just without the peak line.
    """
    if delegate not in DELEGATES:
        raise BenchmarkArgumentError(f"unknown delegate {delegate!r}; benchmark_model runs: {', '.join(DELEGATES)}")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise BenchmarkArgumentError(f"threads must be an integer >= 1, not {threads!r}")
    if warmup_runs < 0 or num_runs < 1:
        raise BenchmarkArgumentError(f"need warmup_runs >= 0 and num_runs >= 1, not {warmup_runs} and {num_runs}")
    if not (0 <= min_secs < math.inf and 0 < max_secs < math.inf):
        raise BenchmarkArgumentError(f"need finite min_secs >= 0 and max_secs > 0, not {min_secs} and {max_secs}")
    backend = ["--use_xnnpack=true"] if delegate == "xnnpack" else ["--use_xnnpack=false", "--use_gpu=true"]
    return [binary, f"--graph={graph}", f"--num_threads={threads}", *backend,
            f"--warmup_runs={warmup_runs}", f"--num_runs={num_runs}",
            f"--min_secs={float(min_secs)}", f"--max_secs={float(max_secs)}",
            "--report_peak_memory_footprint=true"]


def parse_output(text: str) -> BenchmarkModelResult:
    """The result in benchmark_model's ``text``, or :class:`BenchmarkOutputError` quoting its errors.

    The timed runs' statistics are the last ``count=`` line before the summary: the tool prints the
    warm-up's line, then the timed runs', then ``Inference timings in us``; op profiling, when on,
    prints its own ``count=`` lines only after the summary.
    """
    lines = text.splitlines()
    errors = [line.strip() for line in lines if _ERROR.search(line)]
    summary_at = next((i for i in range(len(lines) - 1, -1, -1) if _TIMINGS.search(lines[i])), None)
    if summary_at is None or any(_FAILED in line for line in errors):
        raise BenchmarkOutputError(_failure_message(lines, errors, summary_at is not None))
    timings = _TIMINGS.search(lines[summary_at])
    stats = next((m for line in reversed(lines[:summary_at]) if (m := _STATS.search(line))), None)
    if stats is None:
        raise BenchmarkOutputError("benchmark_model printed its summary but no `count=` line for the timed "
                                   "runs; pass its whole output, not a filtered part")
    inference_avg = _number(timings["avg"])
    runs = int(stats["count"])
    if runs == 0 or inference_avg is None:
        raise BenchmarkOutputError("benchmark_model timed no runs (`count=0`): was it given --dry_run or "
                                   "--num_runs=0 --min_secs=0?")
    if stats["same"] is not None:
        low = high = mean = _number(stats["same"])
        spread = 0.0
    else:
        low, high, mean, spread = (_number(stats[key]) for key in ("min", "max", "avg", "std"))
    if mean is not None and not math.isclose(mean, inference_avg, rel_tol=1e-5):
        raise BenchmarkOutputError(f"the last `count=` line before the summary has avg={mean}, the summary "
                                   f"Inference (avg)={inference_avg}: the output is out of order or mixed")
    warmup_avg = _number(timings["warmup"])
    memory = _last(_MEMORY, lines)
    peak = _last(_PEAK, lines)
    return BenchmarkModelResult(
        init_ms=_ms(_number(timings["init"])),
        # With no warm-up run the tool prints first=0 and a nan average.
        first_inference_ms=_ms(_number(timings["first"])) if warmup_avg is not None else None,
        warmup_avg_ms=_ms(warmup_avg),
        inference_avg_ms=inference_avg / 1e3,
        runs=runs,
        min_ms=_ms(low), max_ms=_ms(high), stdev_ms=_ms(spread),
        p5_ms=_ms(_number(stats["p5"])), median_ms=_ms(_number(stats["median"])), p95_ms=_ms(_number(stats["p95"])),
        init_memory_mb=_number(memory["init"]) if memory else None,
        overall_memory_mb=_number(memory["overall"]) if memory else None,
        peak_memory_mb=_number(peak["peak"]) if peak else None,
        delegate_coverage=_coverage(lines),
    )


def _coverage(lines: list[str]) -> str | None:
    if any(_NO_GPU in line for line in lines):
        return "unsupported"
    found = _last(_COVERAGE, lines)
    if found is None:
        return None
    extent = {"completely": "complete", "partially": "partial", "not": "none"}[found["extent"]]
    return f"partial ({found['kernels']} kernels)" if extent == "partial" and found["kernels"] else extent


def _failure_message(lines: list[str], errors: list[str], had_summary: bool) -> str:
    if errors:
        quoted = "\n".join(f"  {line}" for line in errors[-8:])
        head = ("benchmark_model ran but reported a failure, so its timings are not valid:" if had_summary
                else "benchmark_model failed before timing anything:")
        return f"{head}\n{quoted}\n{_hint(errors)}"
    if any("Average inference timings in us" in line for line in lines):
        return ("this benchmark_model is older than the `Inference timings in us: Init: …, First inference: …` "
                "summary (TF 1.x prints `Average inference timings in us`); use a TF 2.x or LiteRT build")
    tail = "\n".join(f"  {line}" for line in [line for line in lines if line.strip()][-5:]) or "  (no output)"
    return ("benchmark_model printed no `Inference timings in us` line and no error line: the output was cut "
            f"short (a timeout, a crash) or is not benchmark_model's. It ends with:\n{tail}")


def _hint(errors: list[str]) -> str:
    text = "\n".join(errors)
    if re.search(r"Could not open|Failed to mmap model|Failed to load model|not a valid Flatbuffer", text):
        return ("Hint: the model is missing or unreadable at that path on the device; check the path passed as "
                "--graph and that the push succeeded.")
    if "delegate" in text:
        return ("Hint: the delegate could not take this model (the lines above name the op); benchmark it with "
                "delegate='xnnpack', or change the export so that op is one the delegate supports.")
    return "Hint: the lines above are benchmark_model's own; run it by hand with the same argv to see everything."


def _last(pattern: re.Pattern, lines: list[str]) -> re.Match | None:
    return next((m for line in reversed(lines) if (m := pattern.search(line))), None)


def _number(token: str | None) -> float | None:
    """A printed number; ``None`` where absent or ``nan`` (an empty statistic)."""
    if token is None:
        return None
    value = float(token)
    return None if math.isnan(value) else value


def _ms(us: float | None) -> float | None:
    return None if us is None else us / 1e3
