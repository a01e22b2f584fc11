"""``make bench``: latency of one variant in one or more runtimes and thread counts.

    python -m benchmarks.bench --model mobilevit_v2_1.0 --runtime onnxruntime --threads 1,2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.harness import RoofCache, benchmark
from benchmarks.results import append_rows, cell
from export.formats import PRECISIONS
from models.arguments import add_model_arguments, config_from_args
from models.command_line import EXIT_OK, command_parser, output_console, run_command
from runtimes.coreml_runtime import COMPUTE_UNITS
from runtimes.registry import RUNTIMES, timed_runtimes


def available_runtimes() -> list[str]:
    return [name for name in timed_runtimes() if RUNTIMES[name].available_here()]


def thread_counts(text: str) -> list[int]:
    try:
        values = [int(t) for t in text.split(",") if t]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated thread counts, got {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"thread counts must be >= 1, got {text!r}")
    return values


def render(rows: list[dict], console: Console) -> None:
    """The rows as a table; a device's tool may not report every figure (shown as -)."""
    table = Table(title="latency (batch 1)")
    for column in ("device", "model", "runtime", "threads", "median ms", "mean ms", "p90 ms", "min ms", "runs",
                   "load ms", "first ms", "peak RSS MB", "GFLOP/s", "of roof"):
        table.add_column(column, justify="right")
    for row in rows:
        lat = row["latency"]
        options = ", ".join(f"{v}" for v in row["runtime_options"].values())
        table.add_row(row["device"]["name"], row["model"],
                      f"{row['runtime']} ({row['precision']}{', ' + options if options else ''})",
                      cell(row["threads"], "d"), cell(lat["median_ms"], ".2f"), cell(lat["mean_ms"], ".2f"),
                      cell(lat["p90_ms"], ".2f"), cell(lat["min_ms"], ".2f"), cell(lat["runs"], "d"),
                      cell(row["load_ms"], ".0f"), cell(row["first_inference_ms"], ".1f"),
                      cell(row["peak_rss_mb"], ".0f"), cell(row["achieved_gflops"], ".1f"),
                      cell(row["fraction_of_roof"], ".0%"))
    console.print(table)


def add_artifact_arguments(parser: argparse.ArgumentParser, results_name: str) -> None:
    """Which artifact to time and where rows go: shared with the device harnesses (``devices.cli``)."""
    parser.add_argument("--precision", choices=PRECISIONS, default=None,
                        help="artifact precision (default: the format's export default)")
    parser.add_argument("--weights", type=Path, default=None, help="checkpoint for the artifact (default: random)")
    parser.add_argument("--artifacts", type=Path, default=Path("artifacts"),
                        help="where artifacts are found or exported (default artifacts/)")
    parser.add_argument("--out", type=Path, default=Path("results"), help="results directory (default results/)")
    parser.add_argument("--name", default=results_name,
                        help=f"results file name (default {results_name} -> {results_name}.json/.csv)")


def _bench(args) -> int:
    console = output_console(180)
    config = config_from_args(args)
    runtimes = available_runtimes() if args.runtime == "all" else [args.runtime]
    ort_options = {"optimization": args.ort_optimization} if args.ort_optimization else None
    units = COMPUTE_UNITS if args.compute_units == "all" else [args.compute_units]
    plan = [(runtime, None, {"compute_units": unit}) for runtime in runtimes if runtime == "coreml" for unit in units]
    plan += [(runtime, threads, ort_options if runtime == "onnxruntime" else None)
             for runtime in runtimes if runtime != "coreml" for threads in args.threads]
    roof, rows = RoofCache(), []
    for runtime, threads, options in plan:
        rows.append(benchmark(config, runtime, threads, args.artifacts, precision=args.precision,
                              weights=args.weights, timing={"min_seconds": args.min_seconds},
                              roof=roof if threads else None, options=options,
                              step=lambda what: console.print(f"[dim]{what}[/dim]")))
    render(rows, console)
    path = append_rows(args.out, args.name, rows)
    console.print(f"results: {path} (+ .csv)")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("benchmarks.bench", __doc__)
    add_model_arguments(parser)
    parser.add_argument("--runtime", "-r", default="onnxruntime", choices=(*timed_runtimes(), "all"),
                        help="runtime to time (default onnxruntime); 'all' = every runtime available here")
    parser.add_argument("--threads", type=thread_counts, default=[1, 2], help="thread counts to sweep (default 1,2)")
    add_artifact_arguments(parser, results_name="latency")
    parser.add_argument("--min-seconds", type=float, default=1.0, help="minimum timed seconds per measurement")
    parser.add_argument("--ort-optimization", choices=("disable", "basic", "extended", "all"), default=None,
                        help="onnxruntime graph optimisation level (default all)")
    parser.add_argument("--compute-units", choices=(*COMPUTE_UNITS, "all"), default="CPU_ONLY",
                        help="Core ML compute units (macOS; default CPU_ONLY; 'all' = each of the four in turn); "
                             "Core ML rows have no thread count")
    args = parser.parse_args(argv)
    return run_command(lambda: _bench(args), interrupted="no rows were written")


if __name__ == "__main__":
    sys.exit(main())
