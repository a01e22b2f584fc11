"""A real Core ML export of the smallest v2 at 128 px, shared by the iOS tests (one conversion per session)."""

from __future__ import annotations

import pytest

from benchmarks.harness import ensure_artifact
from models import get_config


@pytest.fixture(scope="session")
def small_config():
    return get_config("mobilevit_v2_0.5", resolution=128)


@pytest.fixture(scope="session")
def coreml_export(small_config, tmp_path_factory):
    """(path, manifest entry) of a validated fp16 .mlpackage, exported by the project's own pipeline."""
    return ensure_artifact(small_config, "coreml", "fp16", tmp_path_factory.mktemp("ios_artifacts"))
