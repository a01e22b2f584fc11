"""Shared by the iOS tests: a real Core ML export of the smallest v2 at 128 px (one conversion per session),
the devicectl sample, the Swift side's example row, and what is in the staged resources."""

from __future__ import annotations

import json

import pytest

from devices.ios.swift_package import PACKAGE_DIR, STAGED_DIR
from export.formats import make_request
from export.reuse import ensure_artifact
from models import get_config
from tests.devices.ios.devicectl_sample import devicectl_payload

FIXTURE_ROW = PACKAGE_DIR / "Tests" / "MobileViTBenchTests" / "Fixtures" / "example_row.json"


@pytest.fixture(scope="session")
def small_config():
    return get_config("mobilevit_v2_0.5", resolution=128)


@pytest.fixture(scope="session")
def coreml_export(small_config, tmp_path_factory):
    """(path, manifest entry) of a validated fp16 .mlpackage, exported by the project's own pipeline."""
    return ensure_artifact(make_request(small_config, "coreml", tmp_path_factory.mktemp("ios_artifacts"), "fp16"))


@pytest.fixture
def devicectl() -> dict:
    return devicectl_payload()


@pytest.fixture
def example_row() -> dict:
    return json.loads(FIXTURE_ROW.read_text())


@pytest.fixture
def staged_names():
    """What the Staged/ resources hold, read again at each call: only the committed README between runs."""
    return lambda: sorted(p.name for p in STAGED_DIR.iterdir())
