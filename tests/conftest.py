"""Shared fixtures. Tests build real (small or full-size) models and artifacts; nothing is mocked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from export.pipeline import export_artifact
from export.spec import ExportRequest
from models import get_config

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def request_for(out: Path, fmt: str, precision: str = "fp32", model: str = "mobilevit_v2_0.5", **kwargs) -> ExportRequest:
    return ExportRequest(config=get_config(model), format=fmt, precision=precision, out_dir=out, **kwargs)


@pytest.fixture(scope="session")
def small_exports(tmp_path_factory) -> dict:
    """The three formats of the smallest v2, exported once for the tests that read artifacts."""
    out = tmp_path_factory.mktemp("small_exports")
    entries = {fmt: export_artifact(request_for(out, fmt, precision))
               for fmt, precision in (("onnx", "fp32"), ("tflite", "fp16"), ("coreml", "fp16"))}
    return {"out": out, **entries}
