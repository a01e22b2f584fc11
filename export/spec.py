"""What to export and what the artifact will look like from an app's side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from models.config import MobileViTConfig


@dataclass(frozen=True)
class ArtifactIO:
    """The contract between an artifact and the app that feeds it.

    Every artifact takes RGB (the checkpoints' BGR order is folded into the first convolution,
    see ``export.deployable``) with pixels in [0, 1], or, for Core ML, an image the OS converts.
    """

    input_name: str
    input_layout: str  # "NCHW", "NHWC" or "image" (Core ML ImageType)
    input_shape: tuple[int | str, ...]
    input_dtype: str
    channel_order: str
    pixel_range: str
    output_name: str
    output_kind: str  # "logits" or "probabilities"
    output_shape: tuple[int | str, ...]

    def to_dict(self) -> dict:
        return {
            "input": {"name": self.input_name, "layout": self.input_layout, "shape": list(self.input_shape),
                      "dtype": self.input_dtype, "channel_order": self.channel_order,
                      "pixel_range": self.pixel_range},
            "output": {"name": self.output_name, "kind": self.output_kind, "shape": list(self.output_shape)},
        }


@dataclass(frozen=True)
class ExportRequest:
    """One artifact to make. Which formats, precisions and targets exist is each format's
    contract's business (``export.formats``); the pipeline checks a request against it first."""

    config: MobileViTConfig
    format: str
    precision: str
    out_dir: Path
    weights: Path | None = None
    dynamic_batch: bool = False
    seed: int = 0
    #: The format's opset or deployment target; None: the format's default.
    target: str | None = None

    @property
    def random_weights(self) -> bool:
        return self.weights is None

    @property
    def stem(self) -> str:
        """File name without suffix, e.g. ``mobilevit_v2_1.0-256-fp16`` (``-random`` without weights).

        Readable, not an identity: which weights and tools made the file is the manifest entry's
        ``identity`` (``export.identity``), which decides whether a file may be reused.
        """
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", self.config.name.replace("@", "_"))
        if f"res{self.config.resolution}" not in name:
            name = f"{name}-{self.config.resolution}"
        batch = "-dynbatch" if self.dynamic_batch else ""
        random = "-random" if self.random_weights else ""
        return f"{name}-{self.precision}{batch}{random}"
