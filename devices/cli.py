"""What the device commands share: model and artifact options, progress lines, and errors without tracebacks."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from rich.console import Console  # noqa: E402

from benchmarks.bench import add_artifact_arguments, render, thread_counts  # noqa: E402
from benchmarks.results import RowError, append_rows  # noqa: E402
from devices.transports import DeviceError  # noqa: E402
from export.errors import ExportError  # noqa: E402
from models.arguments import add_model_arguments  # noqa: E402
from models.errors import ModelError  # noqa: E402
from runtimes import RuntimeUnavailable  # noqa: E402

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
    console = Console() if sys.stdout.isatty() else Console(width=180)
    errors = Console(stderr=True, soft_wrap=True)
    try:
        rows = measure(lambda what: console.print(f"[dim]{what}[/dim]", highlight=False))
    except (DeviceError, ModelError, ExportError, RuntimeUnavailable, RowError, ValueError) as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        return 2
    except KeyboardInterrupt:
        errors.print("[red]interrupted[/red]: device files were removed where the link allowed")
        return 130
    render(rows, console)
    path = append_rows(out, name, rows)
    console.print(f"results: {path} (+ .csv)")
    return 0
