"""The formats this project exports, each one module: look a format's facts up here.

Adding a format means writing its exporter module (a :class:`~export.format_contract.FormatContract`
and a converter) and listing it below; adding a precision means a gate in a contract and the
converter's branch for it.
"""

from __future__ import annotations

from pathlib import Path

from export.coreml_exporter import CoreMLExporter
from export.errors import UnsupportedRequestError
from export.format_contract import Exporter, FormatContract
from export.onnx_exporter import OnnxExporter
from export.spec import ExportRequest
from export.tflite_exporter import TFLiteExporter
from models.config import MobileViTConfig

EXPORTERS: dict[str, Exporter] = {e.contract.name: e for e in (CoreMLExporter(), TFLiteExporter(), OnnxExporter())}
FORMATS: tuple[str, ...] = tuple(EXPORTERS)
#: Every precision some format produces.
PRECISIONS: tuple[str, ...] = tuple(dict.fromkeys(p for e in EXPORTERS.values() for p in e.contract.precisions))


def exporter_for(fmt: str) -> Exporter:
    if fmt not in EXPORTERS:
        raise UnsupportedRequestError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    return EXPORTERS[fmt]


def contract_for(fmt: str) -> FormatContract:
    return exporter_for(fmt).contract


def exporter_for_path(path: str | Path) -> Exporter:
    """The exporter of the format whose artifacts end like ``path``."""
    suffix = Path(path).suffix
    for exporter in EXPORTERS.values():
        if exporter.contract.suffix == suffix:
            return exporter
    raise UnsupportedRequestError(f"{Path(path).name!r} is not an artifact of this project: expected "
                                  f"{', '.join(e.contract.suffix for e in EXPORTERS.values())}.")


def format_of_runtime(runtime: str) -> FormatContract | None:
    """The contract of the format ``runtime`` runs (None for PyTorch eager, which runs no artifact)."""
    from runtimes.registry import get_runtime

    fmt = get_runtime(runtime).format
    return contract_for(fmt) if fmt else None


def make_request(config: MobileViTConfig, fmt: str, out_dir: Path, precision: str | None = None,
                 **options) -> ExportRequest:
    """A request for ``fmt`` at ``precision``, or at the format's default precision."""
    return ExportRequest(config=config, format=fmt, precision=precision or contract_for(fmt).default_precision,
                         out_dir=Path(out_dir), **options)
