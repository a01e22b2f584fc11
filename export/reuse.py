"""Get or export: the validated artifact a request describes, reused only if it is that artifact.

Benchmarks and device harnesses ask for an artifact by request (variant, format, precision,
weights...). A file of the right name in OUT is reused only when its manifest entry records the
same identity (``export.identity``: weights hash, target, tool versions...) and the file's bytes
still hash to what the manifest says; otherwise it is exported again, and the step says why.
"""

from __future__ import annotations

from pathlib import Path

from export.identity import ArtifactIdentity, WeightsSource
from export.manifest import Manifest, ManifestEntry
from export.metadata import artifact_sha256
from export.pipeline import Step, check_request, export_artifact
from export.spec import ExportRequest


def why_not_reusable(path: Path, entry: ManifestEntry | None, wanted: ArtifactIdentity) -> str | None:
    """None if the file at ``path`` is the artifact with identity ``wanted``, else the reason."""
    if entry is None:
        return "not in the manifest"
    if not path.exists():
        return "the file is missing"
    if entry.identity_key != wanted.key():
        return "made from other weights, target or tool versions" if entry.identity_key else "made by an older version"
    if artifact_sha256(path) != entry.sha256:
        return "the file differs from its manifest entry"
    return None


def ensure_artifact(request: ExportRequest, step: Step = lambda _: None) -> tuple[Path, ManifestEntry]:
    """The validated artifact for ``request`` from ``OUT/manifest.json``, exported if absent or stale."""
    contract = check_request(request).contract
    path = Path(request.out_dir) / f"{request.stem}{contract.suffix}"
    entry = Manifest(request.out_dir).get(path.name) if Path(request.out_dir).is_dir() else None
    wanted = ArtifactIdentity.of(request, contract.target(request), WeightsSource.locate(request))
    reason = why_not_reusable(path, entry, wanted)
    if reason is not None:
        step(f"exporting {path.name} ({reason})")
        entry = export_artifact(request, step)
    return path, entry
