"""Facts embedded in every artifact, taken from the model's config (never from exporter constants)."""

from __future__ import annotations

import hashlib
from importlib import metadata as importlib_metadata
from pathlib import Path

from export.spec import ArtifactIO, ExportRequest
from models.labels import load_labels

PRODUCER = "mobilevit-deploy"
LICENSE = "Apple sample code license (ml-cvnets weights); model code Apache-2.0"

_TOOLS = ("torch", "coremltools", "litert-torch", "ai-edge-litert", "ai-edge-quantizer", "onnx", "onnxscript",
          "onnxslim", "onnxruntime", "mobilevit-deploy")


def tool_versions() -> dict[str, str]:
    versions = {}
    for tool in _TOOLS:
        try:
            versions[tool] = importlib_metadata.version(tool)
        except importlib_metadata.PackageNotFoundError:
            continue
    return versions


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def artifact_sha256(path: Path) -> str:
    """sha256 of a file, or of a directory (``.mlpackage``) as its sorted relative paths and bytes."""
    if path.is_file():
        return file_sha256(path)
    digest = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(item.relative_to(path).as_posix().encode() + b"\0")
        digest.update(bytes.fromhex(file_sha256(item)))
    return digest.hexdigest()


def artifact_size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def describe_preprocessing(request: ExportRequest, io: ArtifactIO) -> dict:
    """Preprocessing *as the artifact expects it* (RGB: the checkpoint's BGR is folded in)."""
    config = request.config
    pre = config.preprocessing
    return {
        "resize_shorter_side": pre.resize_shorter_side(config.resolution),
        "interpolation": pre.interpolation,
        "center_crop": config.resolution,
        "channel_order": io.channel_order,
        "pixel_range": io.pixel_range,
        "scale": pre.scale if io.input_layout != "image" else None,
        "mean": list(pre.mean),
        "std": list(pre.std),
    }


def artifact_metadata(request: ExportRequest, io: ArtifactIO, weights: dict) -> dict:
    config = request.config
    return {
        "producer": PRODUCER,
        "variant": config.name,
        "mobilevit_version": config.version,
        "paper": config.paper,
        "factors": config.factors(),
        "precision": request.precision,
        "random_weights": request.random_weights,
        "weights": weights,
        "io": io.to_dict(),
        "preprocessing": describe_preprocessing(request, io),
        "labels": load_labels(config),
        "license": LICENSE,
    }


def headline(request: ExportRequest) -> str:
    """One-line description; starts with a warning when the weights are random."""
    config = request.config
    text = (f"{config.name}: MobileViT v{config.version} ImageNet-1k classifier, {config.resolution}x"
            f"{config.resolution} RGB input, {request.precision}")
    if request.random_weights:
        return "RANDOM WEIGHTS, NOT A TRAINED MODEL (exported without a checkpoint). " + text
    return text
