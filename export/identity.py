"""Which weights an artifact carries, and the identity that decides whether a file may be reused.

A file name stays readable (``mobilevit_v2_1.0-256-fp16.mlpackage``) and so cannot say which
checkpoint, deployment target or converter versions made the file. Exporting with weights A and
then benchmarking with weights B into the same OUT must not time A's file as B's: the manifest
records each artifact's :class:`ArtifactIdentity`, and a file is reused only when the identity
a request would produce equals the recorded one (``export.reuse``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from export.metadata import file_sha256, tool_versions
from export.spec import ExportRequest
from models.checkpoints.loader import find_checkpoint_file


@dataclass(frozen=True)
class WeightsSource:
    """The checkpoint file behind a request (located and hashed once), or the seed of random weights."""

    path: Path | None  # as the user gave it: a file or a checkpoint folder
    file: Path | None  # the file inside it that holds the tensors
    sha256: str | None
    seed: int

    @classmethod
    def locate(cls, request: ExportRequest) -> WeightsSource:
        if request.weights is None:
            return cls(None, None, None, request.seed)
        file = find_checkpoint_file(Path(request.weights))
        return cls(Path(request.weights), file, file_sha256(file), request.seed)

    @property
    def identity(self) -> str:
        return f"sha256:{self.sha256}" if self.sha256 else f"random:seed={self.seed}"

    def manifest_record(self, layout: str | None) -> dict:
        """For the manifest, which stays on this machine: the path as given."""
        if self.file is None:
            return {"path": None, "layout": None, "seed": self.seed}
        return {"path": str(self.path), "layout": layout, "sha256": self.sha256}

    def shipped_record(self, layout: str | None) -> dict:
        """For the artifact, which leaves this machine: the hashed file's name, never a local path."""
        record = {k: v for k, v in self.manifest_record(layout).items() if k != "path"}
        return record | ({"file": self.file.name} if self.file is not None else {})


@dataclass(frozen=True)
class ArtifactIdentity:
    """Everything that decides an artifact's bytes and behaviour."""

    variant: str
    factors: dict
    resolution: int
    format: str
    precision: str
    target: str
    dynamic_batch: bool
    weights: str  # WeightsSource.identity
    tools: dict  # package versions of the converters and runtimes

    @classmethod
    def of(cls, request: ExportRequest, target: str, weights: WeightsSource) -> ArtifactIdentity:
        return cls(variant=request.config.name, factors=request.config.factors(),
                   resolution=request.config.resolution, format=request.format, precision=request.precision,
                   target=target, dynamic_batch=request.dynamic_batch, weights=weights.identity,
                   tools=tool_versions())

    def to_dict(self) -> dict:
        return json.loads(json.dumps(asdict(self)))  # tuples become lists, as in the manifest

    def key(self) -> str:
        """A short digest of the identity, compared to decide reuse."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]
