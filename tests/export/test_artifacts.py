"""What an app developer gets: inputs, outputs and embedded facts of each artifact."""

from __future__ import annotations

import json

import numpy as np
import pytest

from export import parity
from export.errors import ParityError
from export.sample_images import sample_images
from export.formats import contract_for
from export.spec import ArtifactIO
from export.tflite_exporter import read_metadata
from models import create_model, get_config, load_labels


def test_onnx_is_one_self_contained_file_with_metadata(small_exports):
    import onnx

    out, entry = small_exports["out"], small_exports["onnx"]
    assert entry.structure["side_files"] == [] or all(not f.endswith(".data") for f in entry.structure["side_files"])
    assert not list(out.glob("*.onnx.data"))
    proto = onnx.load(str(out / entry.file))
    props = {p.key: p.value for p in proto.metadata_props}
    assert props["variant"] == "mobilevit_v2_0.5"
    assert json.loads(props["random_weights"]) is True
    assert len(json.loads(props["labels"])) == 1000
    assert json.loads(props["preprocessing"])["channel_order"] == "RGB"
    assert entry.structure["opset"] >= 18
    assert [i.name for i in proto.graph.input] == ["pixels"]


def test_tflite_takes_nhwc_rgb_and_carries_labels_and_preprocessing(small_exports):
    out, entry = small_exports["out"], small_exports["tflite"]
    assert entry.structure["input"]["shape"] == [1, 256, 256, 3]
    assert entry.structure["input"]["dtype"] == "float32"
    assert entry.structure["float16_tensors"] > 0, "fp16 artifact must store fp16 weights"
    facts = read_metadata(out / entry.file)
    assert facts["labels"] == load_labels(get_config("mobilevit_v2_0.5"))
    assert facts["preprocessing"]["resize_shorter_side"] == 288
    assert facts["io"]["input"]["layout"] == "NHWC"


def test_coreml_is_an_image_classifier_with_labels_and_author_metadata(small_exports):
    from runtimes import coreml_spec

    out, entry = small_exports["out"], small_exports["coreml"]
    spec = coreml_spec.load_spec(out / entry.file)
    assert spec.description.predictedFeatureName == "classLabel"
    assert coreml_spec.image_input(spec)["color_space"] == "RGB"
    meta = coreml_spec.metadata(spec)
    assert meta["author"] and meta["license"] and meta["version"]
    assert meta["short_description"].startswith("RANDOM WEIGHTS")
    assert "com.github.apple.coremltools.conversion_date" not in meta["user_defined"]
    assert entry.structure["fp16_fraction"] > 0.9


def test_coreml_gate_is_numerical_on_every_platform(small_exports):
    parity = small_exports["coreml"].parity
    assert parity["status"] == "passed"
    assert parity["runtimes"]["mil-evaluator"]["compared"] == "logits"
    assert parity["max_relative_error"] < 1e-2


def test_random_weights_are_named_in_file_and_manifest(small_exports):
    for fmt in ("onnx", "tflite", "coreml"):
        entry = small_exports[fmt]
        assert entry.file.endswith(("-random.onnx", "-random.tflite", "-random.mlpackage"))
        assert entry.random_weights is True


def test_parity_gate_fails_when_the_artifact_computes_something_else(small_exports):
    """A gate that cannot fail proves nothing: the same ONNX file against another model must fail."""
    out, entry = small_exports["out"], small_exports["onnx"]
    config = get_config("mobilevit_v2_0.5")
    io = ArtifactIO("pixels", "NCHW", (1, 3, 256, 256), "float32", "RGB", "0..1", "logits", "logits", (1, 1000))
    other = create_model(config, seed=1)
    with pytest.raises(ParityError, match="does not match PyTorch"):
        parity.check(out / entry.file, contract_for("onnx"), io, "fp32", other, sample_images(config), "test")


def test_parity_gate_catches_a_channel_order_mistake(small_exports):
    """Feeding BGR where the artifact expects RGB (the classic preprocessing bug) is caught."""
    out, entry = small_exports["out"], small_exports["onnx"]
    config = get_config("mobilevit_v2_0.5")
    io = ArtifactIO("pixels", "NCHW", (1, 3, 256, 256), "float32", "RGB", "0..1", "logits", "logits", (1, 1000))
    images = sample_images(config)
    swapped = [type(image)(image.name, np.ascontiguousarray(image.rgb[..., ::-1]), image.real) for image in images]
    model = create_model(config)
    reference = parity.reference_logits(model, images)
    from runtimes import load_runtime

    outputs = load_runtime(out / entry.file).run(parity.artifact_inputs(io, swapped, 1 / 255))
    assert np.abs(outputs - reference).max() / np.abs(reference).max() > 1e-2


def test_export_with_a_checkpoint_records_its_layout_and_hash(tmp_path):
    import torch

    from export.pipeline import export_artifact
    from export.metadata import file_sha256
    from tests.conftest import request_for

    weights = tmp_path / "mobilevitv2-0.5.pt"
    torch.save(create_model("mobilevit_v2_0.5", seed=11).state_dict(), weights)
    entry = export_artifact(request_for(tmp_path / "out", "onnx", weights=weights))
    assert entry.file == "mobilevit_v2_0.5-256-fp32.onnx"
    assert entry.random_weights is False
    assert entry.weights == {"path": str(weights), "layout": "ml-cvnets", "sha256": file_sha256(weights)}
    assert entry.parity["status"] == "passed"


def test_onnx_dynamic_batch_runs_any_batch_size(tmp_path):
    from export.pipeline import export_artifact
    from runtimes import load_runtime
    from tests.conftest import request_for

    entry = export_artifact(request_for(tmp_path, "onnx", dynamic_batch=True))
    assert entry.file.endswith("-dynbatch-random.onnx")
    assert entry.io["input"]["shape"][0] == "batch"
    runtime = load_runtime(tmp_path / entry.file)
    assert runtime.run(np.random.rand(3, 3, 256, 256).astype(np.float32)).shape == (3, 1000)
