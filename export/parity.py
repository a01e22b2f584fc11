"""The parity gate: an artifact is written only if its real runtime reproduces PyTorch.

One comparison for every format: the maximum absolute difference over all outputs, divided by
the largest reference output (``max|y - y_ref| / max|y_ref|``), on noise and on real photos.
Each precision's gate (tolerance, and whether every real photo must keep its top-1 class) is
its format contract's (``export.format_contract.Gate``); a photo whose reference top-2 margin is
smaller than the error budget cannot be held to its top-1 class, and is reported instead of failed.

Every runtime the contract names that can run here is used: for Core ML, ``MLModel.predict`` on
macOS and the project's MIL evaluator everywhere; any of them disagreeing fails the gate. If no
runtime exists, the gate records why, and the exporter's structural checks are all that stands.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Hashable

import numpy as np
import torch

from export.errors import ParityError
from export.format_contract import FormatContract
from export.sample_images import SampleImage
from export.spec import ArtifactIO
from models.network import MobileViT
from runtimes import RuntimeUnavailable, get_runtime


@dataclass
class RuntimeParity:
    """One runtime's comparison with PyTorch."""

    runtime: str
    compared: str  # "logits" or "probabilities"
    max_relative_error: float
    per_image: dict[str, float]
    top1_agreement: dict[str, bool]
    ambiguous_top1: list[str]


@dataclass
class ParityResult:
    status: str  # "passed" or "not-measured"
    runtime: str | None = None  # every runtime that measured, comma-separated
    tolerance: float | None = None
    max_relative_error: float | None = None  # the worst over runtimes
    per_image: dict[str, float] = field(default_factory=dict)  # of the worst runtime
    top1_agreement: dict[str, bool] = field(default_factory=dict)
    ambiguous_top1: list[str] = field(default_factory=list)
    runtimes: dict[str, dict] = field(default_factory=dict)
    reason: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], {})}


_REFERENCE_CACHE: OrderedDict = OrderedDict()


def cached_reference_logits(model: MobileViT, images: list[SampleImage], key: Hashable | None) -> np.ndarray:
    """:func:`reference_logits`, remembered for the last few models: exporting one model to three
    formats (or ONNX and TFLite for a benchmark) computes the PyTorch reference once, which at
    1024 px is seconds per image."""
    if key is None:
        return reference_logits(model, images)
    key = (key, tuple(image.name for image in images))
    if key not in _REFERENCE_CACHE:
        _REFERENCE_CACHE[key] = reference_logits(model, images)
        while len(_REFERENCE_CACHE) > 4:
            _REFERENCE_CACHE.popitem(last=False)
    _REFERENCE_CACHE.move_to_end(key)
    return _REFERENCE_CACHE[key]


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


def _open_runtimes(path: Path, contract: FormatContract) -> tuple[list, list[str]]:
    """Every runtime of the contract that can run the artifact here, and why the others cannot."""
    opened, unavailable = [], []
    for name in (contract.runtime, *contract.checking_runtimes):
        try:
            opened.append(get_runtime(name).open(path))
        except RuntimeUnavailable as exc:
            unavailable.append(str(exc))
    return opened, unavailable


def _compare(runtime, io: ArtifactIO, model: MobileViT, images: list[SampleImage], logits: np.ndarray,
             bound: float, label: str) -> RuntimeParity:
    reference = logits
    # A runtime may see further into the artifact than an app does (the MIL evaluator reads the
    # classifier's logits); it then says what it returns.
    compared = getattr(runtime, "output_kind", io.output_kind)
    if compared == "probabilities":
        reference = _softmax(reference)
    try:
        outputs = runtime.run(artifact_inputs(io, images, model.config.preprocessing.scale))
    except Exception as exc:  # an artifact its runtime cannot execute fails the gate like a wrong one
        raise ParityError(f"{label}: the artifact does not run in {runtime.name}: {type(exc).__name__}: "
                          f"{str(exc).strip().splitlines()[0] if str(exc).strip() else ''}. It was not written.") from exc
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.shape != reference.shape:
        raise ParityError(f"{label}: artifact output shape {outputs.shape} differs from PyTorch's {reference.shape}.")
    if not np.isfinite(outputs).all():
        raise ParityError(f"{label}: the artifact produced NaN/inf on {runtime.name} (fp16 overflow?). "
                          "It was not written.")
    scale = float(np.abs(reference).max())
    per_image, top1, ambiguous = {}, {}, []
    for image, out, ref in zip(images, outputs, reference):
        per_image[image.name] = float(np.abs(out - ref).max() / max(np.abs(ref).max(), 1e-30))
        if image.real:
            top = np.argsort(ref)[::-1]
            top1[image.name] = bool(out.argmax() == top[0])
            if not top1[image.name] and ref[top[0]] - ref[top[1]] <= 2 * bound * scale:
                ambiguous.append(image.name)
    return RuntimeParity(runtime.name, compared, float(np.abs(outputs - reference).max() / scale), per_image,
                         top1, ambiguous)


def check(
    path: Path, contract: FormatContract, io: ArtifactIO, precision: str, model: MobileViT,
    images: list[SampleImage], label: str, reference_key: Hashable | None = None,
) -> ParityResult:
    """Run the artifact at ``path`` in every runtime available here and compare with ``model``.

    ``reference_key`` names the model's weights (e.g. config and seed or checkpoint hash) so its
    PyTorch reference can be reused across formats. Raises :class:`ParityError` if any runtime
    disagrees beyond the precision's tolerance.
    """
    runtimes, unavailable = _open_runtimes(path, contract)
    if not runtimes:
        return ParityResult(status="not-measured", reason="; ".join(unavailable))
    gate = contract.gate(precision)
    bound = gate.bound(model.config.resolution)
    logits = cached_reference_logits(model, images, reference_key)
    measured = [_compare(runtime, io, model, images, logits, bound, label) for runtime in runtimes]
    worst = max(measured, key=lambda m: m.max_relative_error)
    failures = []
    for m in measured:
        if m.max_relative_error > bound:
            image = max(m.per_image, key=m.per_image.get)
            failures.append(f"{m.runtime}: max relative error of the {m.compared} {m.max_relative_error:.3g} exceeds "
                            f"the {precision} tolerance {bound:g} (worst image: {image})")
        flipped = [n for n, ok in m.top1_agreement.items() if not ok and n not in m.ambiguous_top1]
        if gate.keep_top1 and flipped:
            failures.append(f"{m.runtime}: top-1 class changed on {', '.join(flipped)}")
    if failures:
        raise ParityError(
            f"{label}: the artifact does not match PyTorch: {'; '.join(failures)}. It was not written. "
            "If this is fp16, try fp32; otherwise please report it with this message."
        )
    return ParityResult(
        status="passed",
        runtime=", ".join(m.runtime for m in measured),
        tolerance=bound,
        max_relative_error=worst.max_relative_error,
        per_image=worst.per_image,
        top1_agreement=worst.top1_agreement,
        ambiguous_top1=worst.ambiguous_top1,
        runtimes={m.runtime: {"compared": m.compared, "max_relative_error": m.max_relative_error}
                  for m in measured},
        reason="; ".join(unavailable) or None,
    )
