"""One export, start to finish: build, convert into a staging area, check, compare, then publish.

Nothing reaches OUT unless it passed: conversion happens in a hidden temporary directory inside
OUT (same file system, so publishing is a rename), structure and parity are checked there, and
only then is the artifact moved to its final name. Any failure removes the staging area.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from export import metadata as meta
from export import parity
from export.coreml_exporter import CoreMLExporter
from export.deployable import rgb_input_model
from export.errors import ConversionError, ExportError, OutputDirectoryError, UnsupportedRequestError
from export.manifest import Manifest, ManifestEntry
from export.onnx_exporter import OnnxExporter
from export.sample_images import sample_images
from export.spec import ExportRequest
from export.tflite_exporter import TFLiteExporter
from models.checkpoints import load_checkpoint
from models.checkpoints.loader import find_checkpoint_file
from models.network import build_model

EXPORTERS = {exporter.format: exporter for exporter in (CoreMLExporter(), TFLiteExporter(), OnnxExporter())}

#: What to suggest when a converter fails, per format.
_TRY = {
    "onnx": "try the default resolution and fp32, or update onnxscript/torch together",
    "tflite": "try fp32 first, or the default resolution; litert-torch's message above names the op",
    "coreml": "try PRECISION=fp32, or the default resolution; coremltools' message above names the op",
}


def prepare_out_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputDirectoryError(f"OUT={str(out_dir)!r} exists and is not a directory; choose another OUT.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out_dir, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise OutputDirectoryError(f"OUT={str(out_dir)!r} is not writable ({exc.strerror or exc}); choose another OUT.") from None
    return out_dir


def _normal_permissions(path: Path) -> None:
    """Converters write into private temporary directories (0700/0600); artifacts are ordinary files."""
    umask = os.umask(0)
    os.umask(umask)
    items = [path, *path.rglob("*")] if path.is_dir() else [path]
    for item in items:
        item.chmod((0o777 if item.is_dir() else 0o666) & ~umask)


def _publish(staged: Path, final: Path) -> None:
    """Move ``staged`` to ``final``; a directory artifact replaces an old one without a gap of garbage."""
    _normal_permissions(staged)
    if final.is_dir():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(staged, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staged, final)


def export_artifact(request: ExportRequest, step: Callable[[str], None] = lambda _: None) -> ManifestEntry:
    """Export one artifact; returns its manifest entry (also written to OUT/manifest.json)."""
    exporter = EXPORTERS[request.format]
    if request.dynamic_batch and exporter.fixed_batch_reason:
        raise UnsupportedRequestError(f"{request.config.name}: {exporter.fixed_batch_reason}.")
    exporter.check(request)
    out_dir = prepare_out_dir(request.out_dir)
    config = request.config
    label = f"{config.name} -> {request.format} {request.precision}"
    started = time.perf_counter()

    step("building the PyTorch model")
    model = build_model(config, seed=request.seed)
    if request.weights is not None:
        layout = load_checkpoint(model, request.weights)
        weights_file = find_checkpoint_file(Path(request.weights))
        weights = {"path": str(request.weights), "layout": layout.name, "sha256": meta.file_sha256(weights_file)}
    else:
        weights = {"path": None, "layout": None, "seed": request.seed}
    io = exporter.io(request)
    # The artifact names its checkpoint by file name and hash, never by this machine's path.
    shipped_weights = {k: v for k, v in weights.items() if k != "path"} | (
        {"file": Path(request.weights).name} if request.weights is not None else {})
    embedded = meta.artifact_metadata(request, io, shipped_weights) | {
        "headline": meta.headline(request),
        "producer_version": meta.tool_versions().get("mobilevit-deploy", "0"),
    }

    final = out_dir / f"{request.stem}{exporter.suffix}"
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".partial-") as staging:
        staged = Path(staging) / final.name
        step(f"converting with {request.format}")
        try:
            convert_facts = exporter.convert(rgb_input_model(model), request, staged, embedded)
        except ExportError:
            raise
        except Exception as exc:  # the converters raise anything; the user gets one clear message
            lines = [line for line in str(exc).strip().splitlines() if line.strip()]
            message = " ".join(lines[:3])[:600] or type(exc).__name__
            raise ConversionError(
                f"{label}: the converter failed: {type(exc).__name__}: {message}. Nothing was written. "
                f"What to try: {_TRY[request.format]}."
            ) from exc
        step("checking the artifact's structure")
        structure = exporter.inspect(staged, request) | (convert_facts or {})
        step("comparing with PyTorch")
        weights_identity = weights.get("sha256") or ("seed", request.seed)
        result = parity.check(staged, request.format, io, request.precision, model, sample_images(config), label,
                              reference_key=(config, weights_identity))
        digest, size = meta.artifact_sha256(staged), meta.artifact_size(staged)
        step("publishing")
        _publish(staged, final)

    entry = ManifestEntry(
        file=final.name,
        format=request.format,
        variant=config.name,
        mobilevit_version=config.version,
        factors=config.factors(),
        resolution=config.resolution,
        precision=request.precision,
        io=io.to_dict(),
        preprocessing=embedded["preprocessing"],
        random_weights=request.random_weights,
        weights=weights,
        sha256=digest,
        size_bytes=size,
        parity=result.to_dict(),
        structure=structure,
        tool_versions=meta.tool_versions(),
        export_seconds=round(time.perf_counter() - started, 2),
        exported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    Manifest(out_dir).upsert(entry)
    return entry
