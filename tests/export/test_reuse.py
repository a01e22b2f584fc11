"""An artifact is reused only when it is the artifact asked for: same weights, target, tools, bytes."""

from __future__ import annotations

import json

import pytest
import torch

from benchmarks.harness import benchmark
from export.formats import make_request
from export.identity import ArtifactIdentity, WeightsSource
from export.manifest import MANIFEST_NAME, Manifest
from export.metadata import artifact_sha256, file_sha256
from export.reuse import ensure_artifact
from models import create_model, get_config

CONFIG = get_config("mobilevit_v2_0.5", resolution=128)


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """Two different checkpoints of the same variant, A and B."""
    folder = tmp_path_factory.mktemp("weights")
    paths = []
    for seed in (1, 2):
        path = folder / f"weights_{seed}.pt"
        torch.save(create_model(CONFIG, seed=seed).state_dict(), path)
        paths.append(path)
    return paths


def _exports(steps):
    return [step for step in steps if step.startswith("exporting")]


def test_same_request_reuses_the_file(tmp_path, checkpoints):
    steps = []
    request = make_request(CONFIG, "onnx", tmp_path, weights=checkpoints[0])
    first, _ = ensure_artifact(request, steps.append)
    mtime = first.stat().st_mtime_ns
    second, entry = ensure_artifact(request, steps.append)
    assert _exports(steps) == [f"exporting {first.name} (not in the manifest)"]
    assert second == first and first.stat().st_mtime_ns == mtime
    assert entry.weights["sha256"] == file_sha256(checkpoints[0])


def test_other_weights_into_the_same_out_are_exported_again(tmp_path, checkpoints):
    """Export with weights A, then benchmark with weights B: the rows must describe B's artifact."""
    path, entry_a = ensure_artifact(make_request(CONFIG, "onnx", tmp_path, weights=checkpoints[0]))
    steps = []
    row = benchmark(CONFIG, "onnxruntime", 1, tmp_path, weights=checkpoints[1],
                    timing={"warmup_runs": 1, "min_runs": 3, "min_seconds": 0.05}, step=steps.append)
    assert _exports(steps) == [f"exporting {path.name} (made from other weights, target or tool versions)"]
    entry_b = Manifest(tmp_path).get(path.name)
    assert entry_b.weights["sha256"] == file_sha256(checkpoints[1]) != entry_a.weights["sha256"]
    assert entry_b.identity_key != entry_a.identity_key
    assert row["artifact_sha256"] == entry_b.sha256 == artifact_sha256(path) != entry_a.sha256


def test_a_changed_file_or_an_entry_without_identity_is_exported_again(tmp_path):
    request = make_request(CONFIG, "onnx", tmp_path)
    path, _ = ensure_artifact(request)
    path.write_bytes(path.read_bytes() + b"\0")
    steps = []
    ensure_artifact(request, steps.append)
    assert _exports(steps) == [f"exporting {path.name} (the file differs from its manifest entry)"]

    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    for entry in manifest["artifacts"]:  # as a schema-1 manifest wrote it
        for key in ("identity", "identity_key", "target"):
            entry.pop(key)
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest))
    steps = []
    ensure_artifact(request, steps.append)
    assert _exports(steps) == [f"exporting {path.name} (made by an older version)"]


def test_identity_tells_apart_what_decides_the_bytes(tmp_path, checkpoints):
    def key(**changes):
        request = make_request(changes.pop("config", CONFIG), "coreml", tmp_path, **changes)
        return ArtifactIdentity.of(request, request.target or "iOS16", WeightsSource.locate(request)).key()

    base = key()
    assert key() == base
    assert len({base, key(seed=1), key(weights=checkpoints[0]), key(weights=checkpoints[1]), key(target="iOS17"),
                key(precision="fp32"), key(config=get_config("mobilevit_v2_0.5", resolution=192))}) == 7
