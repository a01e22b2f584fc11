"""Every way an export can go wrong ends in one clear message and no partial file."""

from __future__ import annotations

import subprocess
import sys

import pytest

from export.errors import ConversionError, OutputDirectoryError, ParityError, UnsupportedRequestError
from export.pipeline import export_artifact
from models import create_model
from tests.conftest import request_for


def _leftovers(out):
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "export", *args], capture_output=True, text=True, timeout=600)


def test_unknown_model_lists_the_known_ones_and_exits_2(tmp_path):
    result = _cli("--model", "mobilevit_v4", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "Unknown model 'mobilevit_v4'" in result.stderr and "mobilevit_v2_1.0" in result.stderr
    assert "Traceback" not in result.stderr
    assert _leftovers(tmp_path) == []


def test_impossible_resolution_says_why(tmp_path):
    result = _cli("--model", "mobilevit_v2_0.5", "--res", "300", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "multiple of 64" in result.stderr and "Traceback" not in result.stderr


def test_out_that_is_a_file_is_refused_before_any_work(tmp_path):
    target = tmp_path / "artifacts"
    target.write_text("not a directory")
    with pytest.raises(OutputDirectoryError, match="is not a directory"):
        export_artifact(request_for(target, "onnx"))


def test_out_below_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputDirectoryError, match="not writable"):
        export_artifact(request_for(tmp_path / "file" / "out", "onnx"))


def test_onnx_fp16_and_tflite_dynamic_batch_are_refused_with_alternatives(tmp_path):
    with pytest.raises(UnsupportedRequestError, match="fp32 only"):
        export_artifact(request_for(tmp_path, "onnx", "fp16"))
    with pytest.raises(UnsupportedRequestError, match="fixed batch of one"):
        export_artifact(request_for(tmp_path, "tflite", dynamic_batch=True))
    assert _leftovers(tmp_path) == []


def test_converter_failure_carries_the_converters_message_and_leaves_nothing(tmp_path):
    # ML Programs need iOS 15; coremltools itself refuses an iOS 14 target.
    request = request_for(tmp_path, "coreml", "fp16", target="iOS14")
    with pytest.raises(ConversionError) as info:
        export_artifact(request)
    message = str(info.value)
    assert "mobilevit_v2_0.5 -> coreml fp16" in message and "converter failed" in message
    assert "What to try" in message
    assert _leftovers(tmp_path) == []


def test_unknown_coreml_target_lists_the_known_ones(tmp_path):
    with pytest.raises(UnsupportedRequestError, match="iOS16"):
        export_artifact(request_for(tmp_path, "coreml", target="iOS99"))


def test_fp16_overflow_fails_the_gate_and_writes_nothing(tmp_path):
    """Weights beyond fp16's range (65504) become inf: the gate must refuse the artifact."""
    import torch

    model = create_model("mobilevit_v2_0.5")
    with torch.no_grad():
        model.layer_3[0].block.exp_1x1.block.conv.weight[0, 0] = 1e6
    weights = tmp_path / "overflow.pt"
    torch.save(model.state_dict(), weights)
    out = tmp_path / "out"
    with pytest.raises(ParityError, match="NaN/inf|does not match"):
        export_artifact(request_for(out, "tflite", "fp16", weights=weights))
    assert [p for p in _leftovers(out) if p != "manifest.json"] == []


def test_export_cli_prints_a_summary_table(tmp_path):
    result = _cli("--model", "mobilevit_v2_0.5", "--format", "onnx", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "mobilevit_v2_0.5-256-fp32-random.onnx" in result.stdout
    assert "onnxruntime" in result.stdout
    assert "RANDOM weights" in result.stderr
