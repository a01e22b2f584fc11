"""What the device commands share: model and artifact options, progress lines, and errors without tracebacks."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench import add_artifact_arguments, render, thread_counts
from benchmarks.results import append_rows
from models.arguments import add_model_arguments
from models.command_line import EXIT_OK, output_console, run_command

__all__ = ["add_common_arguments", "run"]

#: Device rows go beside the desktop's ``results/latency.json``; ``make report`` merges both.
DEFAULT_RESULTS_NAME = "devices"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Model, artifact and results options, and how each device measurement is bounded."""
    parser.add_argument("--threads", type=thread_counts, default=[1, 4],
                        help="CPU thread counts (default 1,4: one core, and a phone's big cores)")
    parser.add_argument("--min-seconds", type=float, default=1.0, help="minimum timed seconds per measurement")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one measurement may take on the device")
    add_model_arguments(parser)
    add_artifact_arguments(parser, results_name=DEFAULT_RESULTS_NAME)


def run(measure: Callable[[Callable[[str], None]], list[dict]], out: Path, name: str) -> int:
    """Run a harness, print its rows and append them to ``out/name.json``; errors become one clear line."""
    console = output_console(180)

    def body() -> int:
        rows = measure(lambda what: console.print(f"[dim]{what}[/dim]", highlight=False))
        render(rows, console)
        path = append_rows(out, name, rows)
        console.print(f"results: {path} (+ .csv)")
        return EXIT_OK

    return run_command(body, interrupted="device files were removed where the link allowed")
