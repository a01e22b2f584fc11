"""The parity gate: an artifact is written only if its real runtime reproduces PyTorch.

One comparison for every format: the maximum absolute difference over all outputs, divided by
the largest reference output (``max|y - y_ref| / max|y_ref|``), on noise and on real photos.
Tolerances depend on precision; fp16 must also keep the top-1 class of every real photo (a
photo whose reference top-2 margin is smaller than the fp16 error budget cannot be held to that,
and is reported instead of failed).

Where a format's runtime cannot exist (Core ML prediction off macOS), the gate records that it
could not measure, and the exporter's structural checks stand in. A numerical runtime for that
case (the MIL evaluator) plugs in through :data:`FALLBACK_RUNTIMES`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from export.errors import ParityError
from export.sample_images import SampleImage
from export.spec import ArtifactIO
from models.network import MobileViT
from runtimes import RuntimeUnavailable, load_runtime

TOLERANCE = {"fp32": 1e-4, "fp16": 1e-2}

#: format -> callables ``path -> Runtime`` tried when the format's own runtime is unavailable.
FALLBACK_RUNTIMES: dict[str, list[Callable]] = {"coreml": []}


@dataclass
class ParityResult:
    status: str  # "passed" or "not-measured"
    runtime: str | None = None
    tolerance: float | None = None
    max_relative_error: float | None = None
    per_image: dict[str, float] = field(default_factory=dict)
    top1_agreement: dict[str, bool] = field(default_factory=dict)
    ambiguous_top1: list[str] = field(default_factory=list)
    reason: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], {})}


def reference_logits(model: MobileViT, images: list[SampleImage]) -> np.ndarray:
    """PyTorch fp32 logits on the images as the checkpoint expects them (config's channel order)."""
    batch = np.stack([image.rgb for image in images]).astype(np.float32) * model.config.preprocessing.scale
    if model.config.preprocessing.channel_order == "BGR":
        batch = batch[..., ::-1]
    pixels = torch.from_numpy(np.ascontiguousarray(batch.transpose(0, 3, 1, 2)))
    with torch.no_grad():
        return model(pixels).numpy()


def artifact_inputs(io: ArtifactIO, images: list[SampleImage], scale: float) -> np.ndarray:
    """The images in the layout the artifact declares (RGB always)."""
    rgb = np.stack([image.rgb for image in images])
    if io.input_layout == "image":
        return rgb
    pixels = rgb.astype(np.float32) * scale
    return pixels if io.input_layout == "NHWC" else np.ascontiguousarray(pixels.transpose(0, 3, 1, 2))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _open_runtime(path: Path, fmt: str):
    try:
        return load_runtime(path), None
    except RuntimeUnavailable as exc:
        for factory in FALLBACK_RUNTIMES.get(fmt, []):
            try:
                return factory(path), None
            except RuntimeUnavailable:
                continue
        return None, str(exc)


def check(
    path: Path, fmt: str, io: ArtifactIO, precision: str, model: MobileViT, images: list[SampleImage],
    label: str,
) -> ParityResult:
    """Run the artifact at ``path`` on ``images`` and compare with ``model``; raise if it fails."""
    runtime, unavailable = _open_runtime(path, fmt)
    if runtime is None:
        return ParityResult(status="not-measured", reason=unavailable)
    reference = reference_logits(model, images)
    if io.output_kind == "probabilities":
        reference = _softmax(reference)
    outputs = np.asarray(runtime.run(artifact_inputs(io, images, model.config.preprocessing.scale)), dtype=np.float64)
    if outputs.shape != reference.shape:
        raise ParityError(f"{label}: artifact output shape {outputs.shape} differs from PyTorch's {reference.shape}.")
    tolerance = TOLERANCE[precision]
    result = ParityResult(status="passed", runtime=runtime.name, tolerance=tolerance)
    scale = float(np.abs(reference).max())
    if not np.isfinite(outputs).all():
        raise ParityError(f"{label}: the artifact produced NaN/inf on {runtime.name} (fp16 overflow?).")
    for image, out, ref in zip(images, outputs, reference):
        result.per_image[image.name] = float(np.abs(out - ref).max() / max(np.abs(ref).max(), 1e-30))
        if image.real:
            top = np.argsort(ref)[::-1]
            agrees = bool(out.argmax() == top[0])
            result.top1_agreement[image.name] = agrees
            if not agrees and ref[top[0]] - ref[top[1]] <= 2 * tolerance * scale:
                result.ambiguous_top1.append(image.name)
    result.max_relative_error = float(np.abs(outputs - reference).max() / scale)
    failures = []
    if result.max_relative_error > tolerance:
        worst = max(result.per_image, key=result.per_image.get)
        failures.append(
            f"max relative error {result.max_relative_error:.3g} exceeds the {precision} tolerance {tolerance:g} "
            f"(worst image: {worst})"
        )
    if precision == "fp16":
        flipped = [n for n, ok in result.top1_agreement.items() if not ok and n not in result.ambiguous_top1]
        if flipped:
            failures.append(f"top-1 class changed on {', '.join(flipped)}")
    if failures:
        raise ParityError(
            f"{label}: the artifact does not match PyTorch on {runtime.name}: {'; '.join(failures)}. "
            "It was not written. If this is fp16, try fp32; otherwise please report it with this message."
        )
    return result
