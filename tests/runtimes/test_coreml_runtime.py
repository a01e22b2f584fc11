import platform

import numpy as np
import pytest

from runtimes import RuntimeUnavailable, load_runtime


@pytest.mark.skipif(platform.system() == "Darwin", reason="on macOS Core ML prediction exists")
def test_coreml_prediction_off_macos_is_refused_clearly(small_exports):
    out, entry = small_exports["out"], small_exports["coreml"]
    with pytest.raises(RuntimeUnavailable, match="needs macOS"):
        load_runtime(out / entry.file)


@pytest.mark.skipif(platform.system() != "Darwin", reason="Core ML prediction exists only on macOS")
def test_mlmodel_predict_matches_pytorch_on_macos(small_exports):
    from export import parity
    from export.sample_images import sample_images
    from models import create_model, get_config

    out, entry = small_exports["out"], small_exports["coreml"]
    config = get_config("mobilevit_v2_0.5")
    images = sample_images(config)
    probabilities = load_runtime(out / entry.file).run(np.stack([i.rgb for i in images]))
    logits = parity.reference_logits(create_model(config), images)
    reference = np.exp(logits - logits.max(-1, keepdims=True))
    reference /= reference.sum(-1, keepdims=True)
    assert np.abs(probabilities - reference).max() / reference.max() < 1e-2


@pytest.mark.skipif(platform.system() != "Darwin", reason="Core ML prediction exists only on macOS")
def test_mil_evaluator_agrees_with_mlmodel_predict_on_macos(small_exports):
    """Where both exist, the evaluator and Core ML itself compute the same probabilities."""
    from export.sample_images import sample_images
    from models import get_config
    from runtimes.mil_evaluator import MILEvaluatorRuntime

    out, entry = small_exports["out"], small_exports["coreml"]
    images = np.stack([i.rgb for i in sample_images(get_config("mobilevit_v2_0.5"))])
    predicted = load_runtime(out / entry.file).run(images)
    evaluator = MILEvaluatorRuntime(out / entry.file)
    logits = evaluator.run(images)
    evaluated = np.exp(logits - logits.max(-1, keepdims=True))
    evaluated /= evaluated.sum(-1, keepdims=True)
    assert np.abs(predicted - evaluated).max() / predicted.max() < 1e-2
