"""Faithfulness: our network, fed another implementation's checkpoint, gives that implementation's logits.

* Hugging Face: the real ``transformers`` classes run here, for all ten variants.
* timm and ml-cvnets: cannot run beside this torch (timm needs torchvision; ml-cvnets is not
  packaged). Their own model code was run once, outside the project, on weights that are a pure
  function of (keys, shapes, seed); ``tests/fixtures/*_layout.json`` keeps the key/shape lists
  and the logits it produced (see ``*_notes.md`` there). The test regenerates the same weights in
  their layout, loads them through our loader and compares.
"""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import save_file

from models import create_model, get_config, list_variants
from models.checkpoints import load_checkpoint
from models.checkpoints.hf_classes import hf_model
from models.random_weights import synthetic_image, synthetic_state_dict
from tests.conftest import FIXTURES, load_fixture

RELATIVE_TOLERANCE = 1e-5


def _relative_error(ours: torch.Tensor, reference: torch.Tensor) -> float:
    return float((ours - reference).abs().max() / reference.abs().max())


def _hf_model(name: str):
    return hf_model(get_config(name))


@pytest.mark.parametrize("name", list_variants())
def test_hf_checkpoint_gives_hf_logits(name, tmp_path):
    hf = _hf_model(name)
    shapes = {k: list(v.shape) for k, v in hf.state_dict().items()}
    hf.load_state_dict(synthetic_state_dict(shapes, seed=1))
    pixels = synthetic_image(256, seed=1, batch=2)
    with torch.no_grad():
        reference = hf(pixel_values=pixels).logits
    assert reference.std() > 0.05, "weights must give order-one logits, or the comparison proves nothing"
    hf.save_pretrained(tmp_path)  # model.safetensors in HF's own layout

    model = create_model(name, weights=tmp_path)
    with torch.no_grad():
        ours = model(pixels)
    assert _relative_error(ours, reference) < RELATIVE_TOLERANCE


@pytest.mark.parametrize("fixture", ["timm_layout.json", "mlcvnets_layout.json"])
def test_checkpoint_recorded_from_another_implementation_gives_its_logits(fixture, tmp_path):
    if not (FIXTURES / fixture).exists():
        pytest.fail(f"fixture {fixture} is missing")
    recorded = load_fixture(fixture)
    pixels = synthetic_image(recorded["resolution"], seed=recorded["seed"])
    for their_name, entry in recorded["models"].items():
        state = synthetic_state_dict(entry["shapes"], seed=recorded["seed"])
        path = tmp_path / f"{their_name}.pt"
        torch.save(state, path)
        model = create_model(their_name, weights=path)
        with torch.no_grad():
            ours = model(pixels)[0]
        reference = torch.tensor(entry["logits"])
        assert _relative_error(ours, reference) < RELATIVE_TOLERANCE, their_name


def test_layout_is_detected_from_the_keys(tmp_path):
    from models.checkpoints.layouts import LAYOUTS

    model = create_model("mobilevit_v1_xxs", seed=3)
    for layout in LAYOUTS.values():
        save_file(layout.from_ours(model.config, model.state_dict()), tmp_path / "w.safetensors")
        target = create_model("mobilevit_v1_xxs", seed=4)
        assert load_checkpoint(target, tmp_path / "w.safetensors").name == layout.name
        assert torch.equal(target.layer_3[1].fusion.block.conv.weight, model.layer_3[1].fusion.block.conv.weight)
