"""Exporting twice gives the same bytes, in every format."""

import pytest

from export.pipeline import export_artifact
from tests.conftest import request_for


@pytest.mark.parametrize("fmt, precision", [("onnx", "fp32"), ("tflite", "fp16"), ("coreml", "fp16")])
def test_exporting_twice_gives_identical_bytes(fmt, precision, tmp_path):
    first = export_artifact(request_for(tmp_path / "a", fmt, precision, model="mobilevit_v1_xxs"))
    second = export_artifact(request_for(tmp_path / "b", fmt, precision, model="mobilevit_v1_xxs"))
    assert first.sha256 == second.sha256
