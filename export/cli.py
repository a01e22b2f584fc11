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
from pathlib import Path

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from export.formats import EXPORTERS, FORMATS, PRECISIONS, contract_for
from export.pipeline import export_artifact
from export.spec import ExportRequest
from models.arguments import add_model_arguments, config_from_args
from models.command_line import (EXIT_FAILED, EXIT_OK, command_parser, error_console, output_console, print_error,
                                 run_command)
from models.errors import MobileViTDeployError


def _parser() -> argparse.ArgumentParser:
    defaults = ", ".join(f"{name} {e.contract.default_precision}" for name, e in EXPORTERS.items())
    parser = command_parser("export", __doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                            epilog="Artifacts take RGB pixels; see README for each platform's input.")
    add_model_arguments(parser)
    parser.add_argument("--format", "-f", default="all", choices=(*FORMATS, "all"),
                        help="artifact format (default: all three)")
    parser.add_argument("--precision", "-p", choices=PRECISIONS, default=None,
                        help=f"precision (default per format: {defaults})")
    parser.add_argument("--weights", "-w", type=Path, default=None,
                        help="local checkpoint (ml-cvnets .pt, HF folder/safetensors, timm .pth); "
                             "without it the model has RANDOM weights")
    parser.add_argument("--out", "-o", type=Path, default=Path("artifacts"), help="output directory (default: artifacts/)")
    parser.add_argument("--dynamic-batch", action="store_true",
                        help="a dynamic batch axis (ONNX; the fixed-batch formats refuse it)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random weights used without --weights")
    parser.add_argument("--coreml-target", default=contract_for("coreml").default_target, metavar="iOS16",
                        help="Core ML minimum deployment target (coremltools' ct.target name; ML Programs need iOS15+)")
    return parser


def _requests(args, config) -> list[ExportRequest]:
    formats = FORMATS if args.format == "all" else (args.format,)
    requests = []
    for fmt in formats:
        contract = contract_for(fmt)
        precision = args.precision or contract.default_precision
        if args.format == "all" and precision not in contract.precisions:
            precision = contract.default_precision  # PRECISION applies to the formats that have it
        requests.append(ExportRequest(config=config, format=fmt, precision=precision, out_dir=args.out,
                                      weights=args.weights, seed=args.seed,
                                      target=args.coreml_target if fmt == "coreml" else None,
                                      # with all formats, only those that can; one format alone refuses
                                      dynamic_batch=args.dynamic_batch and (
                                          args.format != "all" or contract.fixed_batch_reason is None)))
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


def _export(args) -> int:
    _quiet_converters()
    console, errors = output_console(), error_console()
    config = config_from_args(args)
    requests = _requests(args, config)
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
            except MobileViTDeployError as exc:  # one format failing does not stop the others
                failed += 1
                print_error(exc, errors)
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
    return EXIT_FAILED if failed else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _export(args), interrupted="staging files were removed; nothing was published")


if __name__ == "__main__":
    sys.exit(main())
