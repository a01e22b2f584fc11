"""What a format IS, in one typed object per format: everything the rest of the project asks.

Each exporter module defines its format's :class:`FormatContract` (suffix, precisions and the
gate each must pass, the opset or deployment target, the app-facing io, the runtimes that run
it) beside the converter itself, as HF optimum's export configs do. ``export.formats`` collects
them; the pipeline, the parity gate, the benchmarks and the device harnesses look facts up there,
so a new format or precision is one module plus its tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from export.errors import UnsupportedRequestError
from export.spec import ArtifactIO, ExportRequest
from models.network import MobileViT

#: The resolution at which every gate's tolerance is set.
REFERENCE_RESOLUTION = 256


@dataclass(frozen=True)
class Gate:
    """What an artifact of one precision must reproduce of PyTorch fp32 to be published.

    ``tolerance``: bound on ``max|y - y_ref| / max|y_ref|`` over the sample images at 256 px.
    ``keep_top1``: every real photo keeps its top-1 class (unless its reference top-2 margin is
    within the error budget). ``grows_with_resolution``: above 256 px the bound grows with the
    number of values each normalization and attention reduction sums, (R / 256)^2, because
    runtimes accumulate fp32 sums in their own order; over 16x longer axes that alone moves logits
    by ~1e-4 (measured: v2_0.5 at 1024 px in onnxruntime, 1.25e-4, with PyTorch fp32 within 1e-6
    of float64). A conversion bug is orders of magnitude larger; fp16's bound already dominates.
    """

    tolerance: float
    keep_top1: bool = False
    grows_with_resolution: bool = False

    def bound(self, resolution: int) -> float:
        if self.grows_with_resolution and resolution > REFERENCE_RESOLUTION:
            return self.tolerance * (resolution / REFERENCE_RESOLUTION) ** 2
        return self.tolerance


#: The gates shared by every float format; a format may define its own.
FLOAT_GATES = {"fp32": Gate(1e-4, grows_with_resolution=True), "fp16": Gate(1e-2, keep_top1=True)}

#: What the app feeds an input of each layout, and what it receives.
_LAYOUT_FACTS = {
    "NCHW": ("float32", "0..1"),
    "NHWC": ("float32", "0..1"),
    "image": ("uint8", "0..255 image"),  # Core ML ImageType: the OS converts and scales the photo
}


@dataclass(frozen=True)
class FormatContract:
    name: str
    suffix: str
    #: Each precision it produces, with the gate an artifact of that precision must pass.
    gates: dict[str, Gate]
    default_precision: str
    #: What the converter targets, e.g. ``("opset", "18")`` or ``("deployment target", "iOS16")``.
    target_kind: str
    default_target: str
    #: The app-facing contract: names, input layout, what the output holds.
    input_name: str
    input_layout: str
    output_name: str
    output_kind: str  # "logits" or "probabilities"
    #: The runtime an app uses (timed by the benchmarks), then runtimes that only check it.
    runtime: str
    checking_runtimes: tuple[str, ...] = ()
    #: Why a dynamic batch cannot be exported, or None if it can.
    fixed_batch_reason: str | None = None
    #: False where the user may choose another target (the exporter then checks it).
    target_fixed: bool = True
    #: Said after a refused precision: what to use instead.
    precision_advice: str = ""
    #: Said when the converter fails: what to try.
    conversion_advice: str = "try the default resolution and precision"

    @property
    def precisions(self) -> tuple[str, ...]:
        return tuple(self.gates)

    def gate(self, precision: str) -> Gate:
        return self.gates[precision]

    def io(self, request: ExportRequest) -> ArtifactIO:
        r, batch = request.config.resolution, "batch" if request.dynamic_batch else 1
        dtype, pixel_range = _LAYOUT_FACTS[self.input_layout]
        shape = (batch, 3, r, r) if self.input_layout == "NCHW" else (batch, r, r, 3)
        return ArtifactIO(self.input_name, self.input_layout, shape, dtype, "RGB", pixel_range, self.output_name,
                          self.output_kind, (batch, request.config.num_classes))

    def check(self, request: ExportRequest) -> None:
        """Refuse, before any work, what this format does not produce."""
        label = request.config.name
        if request.precision not in self.gates:
            raise UnsupportedRequestError(
                f"{label}: {self.name} artifacts are {' or '.join(self.precisions)} only, not "
                f"{request.precision!r}.{' ' + self.precision_advice if self.precision_advice else ''}")
        if request.dynamic_batch and self.fixed_batch_reason:
            raise UnsupportedRequestError(f"{label}: {self.fixed_batch_reason}.")
        if self.target_fixed and self.target(request) != self.default_target:
            raise UnsupportedRequestError(
                f"{label}: {self.name} artifacts are made for {self.target_kind} {self.default_target} only.")

    def target(self, request: ExportRequest) -> str:
        return request.target or self.default_target


class Exporter(Protocol):
    """One format's converter: the narrow interface the pipeline calls, in this order."""

    contract: FormatContract

    def check(self, request: ExportRequest) -> None:
        """Refuse requests the contract admits but this converter cannot make (before any work)."""

    def convert(self, model: MobileViT, request: ExportRequest, destination: Path, metadata: dict) -> dict:
        """Write the artifact to ``destination``; return facts for the manifest's ``structure``."""

    def inspect(self, path: Path, request: ExportRequest, metadata: dict) -> dict:
        """Structural checks of the written artifact against the request and the ``metadata``
        the pipeline embedded; raise ``ExportError`` if malformed."""

    def embedded_facts(self, path: Path) -> dict:
        """The metadata the pipeline embedded, read back from the artifact (labels included)."""

    def io_names(self, path: Path) -> tuple[str, str]:
        """The input and output names an app's API uses for this artifact, read from the file."""
