"""One export, start to finish: load the weights, convert into a staging area, check, compare, then
publish and record.

Nothing reaches OUT unless it passed: conversion happens in a hidden temporary directory inside
OUT (same file system, so publishing is a rename), structure and parity are checked there, and
only then is the artifact moved to its final name and entered in ``OUT/manifest.json`` with its
identity. Any failure removes the staging area. What a format is comes from its contract
(``export.formats``); this module knows no format by name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from export import metadata as meta
from export import parity
from export.deployable import rgb_input_model
from export.errors import ConversionError, ExportError, OutputDirectoryError
from export.format_contract import Exporter
from export.formats import exporter_for
from export.identity import ArtifactIdentity, WeightsSource
from export.manifest import Manifest, ManifestEntry
from export.sample_images import sample_images
from export.spec import ExportRequest
from models.checkpoints import load_checkpoint
from models.network import MobileViT, build_model

Step = Callable[[str], None]

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


def label_of(request: ExportRequest) -> str:
    return f"{request.config.name} -> {request.format} {request.precision}"


def check_request(request: ExportRequest) -> Exporter:
    """The request's exporter, once its contract and converter have accepted the request."""
    exporter = exporter_for(request.format)
    exporter.contract.check(request)
    exporter.check(request)
    return exporter


def load_weights(request: ExportRequest) -> tuple[MobileViT, WeightsSource, str | None]:
    """The PyTorch model, where its weights came from, and the checkpoint's layout (None if random)."""
    model = build_model(request.config, seed=request.seed)
    weights = WeightsSource.locate(request)
    layout = load_checkpoint(model, weights.file).name if weights.file is not None else None
    return model, weights, layout


@dataclass(frozen=True)
class GatedArtifact:
    """What the checks found, for the manifest entry of a published artifact."""

    structure: dict
    parity: dict
    sha256: str
    size_bytes: int


def convert_check_publish(exporter: Exporter, request: ExportRequest, model: MobileViT, embedded: dict,
                          reference_key: tuple, final: Path, step: Step) -> GatedArtifact:
    """Convert into staging, check structure and parity there, and only then move to ``final``."""
    contract, label = exporter.contract, label_of(request)
    with tempfile.TemporaryDirectory(dir=final.parent, prefix=".partial-") as staging:
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
                f"What to try: {contract.conversion_advice}."
            ) from exc
        step("checking the artifact's structure")
        structure = exporter.inspect(staged, request, embedded) | (convert_facts or {})
        step("comparing with PyTorch")
        result = parity.check(staged, contract, contract.io(request), request.precision, model,
                              sample_images(request.config), label, reference_key=reference_key)
        gated = GatedArtifact(structure, result.to_dict(), meta.artifact_sha256(staged), meta.artifact_size(staged))
        step("publishing")
        _publish(staged, final)
    return gated


def manifest_entry(request: ExportRequest, exporter: Exporter, embedded: dict, weights: WeightsSource,
                   layout: str | None, gated: GatedArtifact, seconds: float) -> ManifestEntry:
    """The published artifact's record: what it is, what made it, what the checks measured."""
    config, contract = request.config, exporter.contract
    target = contract.target(request)
    identity = ArtifactIdentity.of(request, target, weights)
    return ManifestEntry(
        file=f"{request.stem}{contract.suffix}",
        format=request.format,
        variant=config.name,
        mobilevit_version=config.version,
        factors=config.factors(),
        resolution=config.resolution,
        precision=request.precision,
        io=embedded["io"],
        preprocessing=embedded["preprocessing"],
        random_weights=request.random_weights,
        weights=weights.manifest_record(layout),
        sha256=gated.sha256,
        size_bytes=gated.size_bytes,
        parity=gated.parity,
        structure=gated.structure,
        tool_versions=identity.tools,
        export_seconds=round(seconds, 2),
        exported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        target=target,
        identity=identity.to_dict(),
        identity_key=identity.key(),
    )


def export_artifact(request: ExportRequest, step: Step = lambda _: None) -> ManifestEntry:
    """Export one artifact; returns its manifest entry (also written to OUT/manifest.json)."""
    exporter = check_request(request)
    out_dir = prepare_out_dir(request.out_dir)
    started = time.perf_counter()

    step("building the PyTorch model")
    model, weights, layout = load_weights(request)
    embedded = meta.artifact_metadata(request, exporter.contract.io(request), weights.shipped_record(layout)) | {
        "headline": meta.headline(request),
        "producer_version": meta.tool_versions().get("mobilevit-deploy", "0"),
    }
    final = out_dir / f"{request.stem}{exporter.contract.suffix}"
    gated = convert_check_publish(exporter, request, model, embedded, (request.config, weights.identity), final,
                                  step)
    entry = manifest_entry(request, exporter, embedded, weights, layout, gated, time.perf_counter() - started)
    Manifest(out_dir).upsert(entry)
    return entry
