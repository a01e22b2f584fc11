"""``artifacts/manifest.json``: one typed entry per artifact, read by benchmarks and device harnesses.

Entries are keyed by file name; exporting the same artifact again replaces its entry. The file
is rewritten atomically (temporary file, then rename), so a crash never leaves half a manifest.
Schema 2 adds each artifact's target and identity (``export.identity``); a schema-1 entry reads
with neither, so it is never reused, only replaced.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.json"
SCHEMA_VERSION = 2


@dataclass
class ManifestEntry:
    file: str
    format: str
    variant: str
    mobilevit_version: int
    factors: dict
    resolution: int
    precision: str
    io: dict
    preprocessing: dict
    random_weights: bool
    weights: dict
    sha256: str
    size_bytes: int
    parity: dict
    structure: dict
    tool_versions: dict
    export_seconds: float
    exported_at: str
    target: str | None = None
    identity: dict | None = None
    identity_key: str | None = None

    @property
    def input_layout(self) -> str:
        return self.io["input"]["layout"]

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ManifestEntry:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


class Manifest:
    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / MANIFEST_NAME
        self.entries: dict[str, ManifestEntry] = {}
        if self.path.exists():
            data = json.loads(self.path.read_text())
            self.entries = {entry["file"]: ManifestEntry.from_dict(entry) for entry in data.get("artifacts", [])}

    def upsert(self, entry: ManifestEntry) -> None:
        self.entries[entry.file] = entry
        self.save()

    def get(self, file: str) -> ManifestEntry | None:
        return self.entries.get(file)

    def save(self) -> None:
        data = {"schema_version": SCHEMA_VERSION,
                "artifacts": [self.entries[name].to_dict() for name in sorted(self.entries)]}
        atomic_write_text(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``: readers see
    the old file or the new one, never half of one. Permissions follow the umask, as for ``open``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    os.replace(temporary, path)
