"""``make export-*``: export one variant to Core ML, TFLite and/or ONNX, validated, with a summary.

    python -m export --format coreml --model mobilevit_v2_1.0 --weights mobilevitv2-1.0.pt
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import warnings

# The converters print progress bars and C++ logs of their own; ours is the one the user reads.
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("GLOG_minloglevel", "3")
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from export.errors import ExportError
from export.pipeline import export_artifact
from export.spec import DEFAULT_PRECISION, FORMATS, PRECISIONS, ExportRequest
from models.arguments import add_model_arguments, config_from_args
from models.errors import ModelError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m export", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Artifacts take RGB pixels; see README for each platform's input.")
    add_model_arguments(parser)
    parser.add_argument("--format", "-f", default="all", choices=(*FORMATS, "all"),
                        help="artifact format (default: all three)")
    parser.add_argument("--precision", "-p", choices=PRECISIONS, default=None,
                        help="fp32 or fp16 (default: fp16 for Core ML, fp32 for TFLite and ONNX)")
    parser.add_argument("--weights", "-w", type=Path, default=None,
                        help="local checkpoint (ml-cvnets .pt, HF folder/safetensors, timm .pth); "
                             "without it the model has RANDOM weights")
    parser.add_argument("--out", "-o", type=Path, default=Path("artifacts"), help="output directory (default: artifacts/)")
    parser.add_argument("--dynamic-batch", action="store_true", help="ONNX only: a dynamic batch axis")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random weights used without --weights")
    parser.add_argument("--coreml-target", default="iOS16", metavar="iOS16",
                        help="Core ML minimum deployment target (coremltools' ct.target name; ML Programs need iOS15+)")
    return parser


def _requests(args, config) -> list[ExportRequest]:
    formats = FORMATS if args.format == "all" else (args.format,)
    requests = []
    for fmt in formats:
        precision = args.precision or DEFAULT_PRECISION[fmt]
        if fmt == "onnx" and args.format == "all":
            precision = "fp32"  # ONNX is fp32 only; PRECISION applies to the formats that have it
        requests.append(ExportRequest(config=config, format=fmt, precision=precision, out_dir=args.out,
                                      weights=args.weights, seed=args.seed,
                                      extra={"coreml_target": args.coreml_target} if fmt == "coreml" else {},
                                      dynamic_batch=args.dynamic_batch and fmt == "onnx"))
    return requests


@contextlib.contextmanager
def _native_stderr_silenced():
    """Importing the converters prints native-library chatter (torchao kernels that need CUDA,
    Core ML's macOS-only proxies, absl). Hide it; an import that fails still raises normally."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _quiet_converters() -> None:
    with _native_stderr_silenced():
        import coremltools  # noqa: F401
        import litert_torch  # noqa: F401
        import onnxruntime  # noqa: F401
        from ai_edge_litert import interpreter  # noqa: F401
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    for name in ("coremltools", "torch.onnx", "onnxscript", "litert_torch", "absl", "torch._export"):
        logging.getLogger(name).setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _quiet_converters()
    # Not a terminal (CI logs, make | tee): do not squeeze the summary into 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    errors = Console(stderr=True, soft_wrap=True)
    try:
        config = config_from_args(args)
        requests = _requests(args, config)
    except (ModelError, ExportError) as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        return 2
    if args.weights is None:
        errors.print(
            "[bold yellow]WARNING: no --weights/WEIGHTS given: exporting RANDOM weights. The artifacts are "
            "correct conversions but classify nothing; their names end in -random.[/bold yellow]",
            highlight=False,
        )
    table = Table(title=f"{config.name} -> {args.out}/")
    for column in ("artifact", "size", "parity vs PyTorch", "time"):
        table.add_column(column)
    failed = 0
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True) as progress:
        for request in requests:
            task = progress.add_task(f"{request.format}: starting")
            try:
                entry = export_artifact(
                    request, step=lambda what, t=task, f=request.format: progress.update(t, description=f"{f}: {what}"))
            except (ModelError, ExportError) as exc:
                failed += 1
                errors.print(f"[red]error:[/red] {exc}", highlight=False)
                table.add_row(f"{request.stem} ({request.format})", "-", "[red]FAILED[/red]", "-")
                continue
            finally:
                progress.remove_task(task)
            parity = entry.parity
            if parity["status"] == "passed":
                figure = f"{parity['max_relative_error']:.1e} <= {parity['tolerance']:g} ({parity['runtime']})"
            else:
                figure = f"[yellow]structure only[/yellow] ({parity.get('reason', 'no runtime here')[:60]})"
            table.add_row(entry.file, f"{entry.size_bytes / 2**20:.1f} MiB", figure, f"{entry.export_seconds:.0f} s")
    console.print(table)
    console.print(f"manifest: {Path(args.out) / 'manifest.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
