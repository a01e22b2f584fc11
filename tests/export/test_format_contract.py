"""Each format's contract: its gates, its io, what it refuses before any work."""

from __future__ import annotations

import pytest

from export.errors import UnsupportedRequestError
from export.formats import EXPORTERS, FORMATS, contract_for, exporter_for, exporter_for_path, make_request
from models import get_config
from runtimes.registry import get_runtime


def test_tolerances_at_256_are_the_published_ones():
    for fmt in FORMATS:
        gates = contract_for(fmt).gates
        assert gates["fp32"].bound(256) == 1e-4 and gates["fp32"].bound(128) == 1e-4
        if "fp16" in gates:
            assert gates["fp16"].bound(256) == 1e-2 and gates["fp16"].keep_top1


def test_fp32_tolerance_grows_with_the_reduction_length_only_above_256():
    gates = contract_for("tflite").gates
    assert gates["fp32"].bound(512) == pytest.approx(4e-4)
    assert gates["fp32"].bound(1024) == pytest.approx(1.6e-3)
    assert gates["fp16"].bound(1024) == 1e-2


def test_each_contract_names_runtimes_that_run_its_format():
    for fmt, exporter in EXPORTERS.items():
        contract = exporter.contract
        assert contract.default_precision in contract.precisions
        for name in (contract.runtime, *contract.checking_runtimes):
            runtime = get_runtime(name)
            assert runtime.format == fmt and contract.suffix in runtime.suffixes
        assert exporter_for_path(f"model{contract.suffix}") is exporter


def test_io_shapes_follow_the_layout_and_the_batch_axis(tmp_path):
    config = get_config("mobilevit_v2_0.5", resolution=192)
    onnx = contract_for("onnx").io(make_request(config, "onnx", tmp_path, dynamic_batch=True))
    assert onnx.input_shape == ("batch", 3, 192, 192) and onnx.output_shape == ("batch", 1000)
    tflite = contract_for("tflite").io(make_request(config, "tflite", tmp_path))
    assert tflite.input_shape == (1, 192, 192, 3) and tflite.input_dtype == "float32"
    coreml = contract_for("coreml").io(make_request(config, "coreml", tmp_path))
    assert coreml.input_dtype == "uint8" and coreml.output_kind == "probabilities"


def test_default_precision_comes_from_the_contract(tmp_path):
    config = get_config("mobilevit_v2_0.5")
    assert make_request(config, "coreml", tmp_path).precision == "fp16"
    assert make_request(config, "onnx", tmp_path).precision == "fp32"


def test_unknown_format_lists_the_known_ones():
    with pytest.raises(UnsupportedRequestError, match="coreml, tflite, onnx"):
        exporter_for("tensorrt")
    with pytest.raises(UnsupportedRequestError, match=r"\.mlpackage"):
        exporter_for_path("model.engine")


def test_a_precision_or_target_outside_the_contract_is_refused(tmp_path):
    config = get_config("mobilevit_v2_0.5")
    with pytest.raises(UnsupportedRequestError, match="fp32 or fp16 only, not 'int4'"):
        contract_for("tflite").check(make_request(config, "tflite", tmp_path, "int4"))
    with pytest.raises(UnsupportedRequestError, match="opset 18 only"):
        contract_for("onnx").check(make_request(config, "onnx", tmp_path, target="17"))
