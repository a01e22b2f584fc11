"""Bad checkpoints get one clear error, and never a half-loaded model."""

from __future__ import annotations

import pytest
import torch
from safetensors.torch import save_file

from models import CheckpointError, create_model
from models.checkpoints import read_state_dict


def test_missing_path_is_named(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        create_model("mobilevit_v2_0.5", weights=tmp_path / "nope.pt")


def test_corrupt_file_is_reported_not_a_traceback(tmp_path):
    path = tmp_path / "broken.pt"
    path.write_bytes(b"this is not a checkpoint")
    with pytest.raises(CheckpointError, match="corrupt, truncated"):
        create_model("mobilevit_v2_0.5", weights=path)


def test_truncated_safetensors_is_reported(tmp_path):
    model = create_model("mobilevit_v2_0.5")
    path = tmp_path / "model.safetensors"
    save_file(model.state_dict(), path)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(CheckpointError, match="Cannot read checkpoint"):
        create_model("mobilevit_v2_0.5", weights=path)


class NotAWeight:
    """Any class outside torch's weights-only allowlist: unpickling it could run code."""


def test_pickle_with_arbitrary_objects_is_refused(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"weights": NotAWeight()}, path)
    with pytest.raises(CheckpointError, match="weights_only=True"):
        read_state_dict(path)


def test_checkpoint_of_another_variant_lists_the_shape_mismatches(tmp_path):
    path = tmp_path / "v2_075.pt"
    torch.save(create_model("mobilevit_v2_0.75").state_dict(), path)
    model = create_model("mobilevit_v2_1.0")
    before = model.conv_1.block.conv.weight.clone()
    with pytest.raises(CheckpointError) as info:
        from models.checkpoints import load_checkpoint

        load_checkpoint(model, path)
    message = str(info.value)
    assert "does not fit mobilevit_v2_1.0" in message
    assert "shape mismatches" in message and "conv_1.block.conv.weight" in message
    assert "another variant" in message
    assert torch.equal(model.conv_1.block.conv.weight, before), "a failed load must not touch the model"


def test_missing_and_unexpected_keys_are_listed(tmp_path):
    state = create_model("mobilevit_v1_xxs").state_dict()
    state.pop("classifier.fc.weight")
    state["extra.head.weight"] = torch.zeros(3)
    path = tmp_path / "w.pt"
    torch.save(state, path)
    with pytest.raises(CheckpointError) as info:
        create_model("mobilevit_v1_xxs", weights=path)
    assert "1 missing keys" in str(info.value) and "classifier.fc.weight" in str(info.value)
    assert "1 unexpected keys" in str(info.value) and "extra.head.weight" in str(info.value)


def test_unrelated_checkpoint_says_no_layout_matches(tmp_path):
    path = tmp_path / "resnet.pt"
    torch.save({"fc.weight": torch.zeros(2, 2), "conv1.weight": torch.zeros(1)}, path)
    with pytest.raises(CheckpointError, match="match no known MobileViT layout"):
        create_model("mobilevit_v1_xxs", weights=path)


def test_training_container_and_ddp_prefix_are_unwrapped(tmp_path):
    model = create_model("mobilevit_v2_0.5", seed=7)
    state = {f"module.{k}": v for k, v in model.state_dict().items()}
    path = tmp_path / "training_checkpoint_last.pt"
    torch.save({"model_state_dict": state, "epoch": 3}, path)
    loaded = create_model("mobilevit_v2_0.5", weights=path)
    assert torch.equal(loaded.classifier[1].weight, model.classifier[1].weight)


def test_directory_prefers_safetensors_over_pickle(tmp_path):
    good = create_model("mobilevit_v2_0.5", seed=5)
    save_file(good.state_dict(), tmp_path / "model.safetensors")
    (tmp_path / "pytorch_model.bin").write_bytes(b"garbage that must not be read")
    loaded = create_model("mobilevit_v2_0.5", weights=tmp_path)
    assert torch.equal(loaded.conv_1.block.conv.weight, good.conv_1.block.conv.weight)


def test_fp16_checkpoint_loads_into_fp32_model(tmp_path):
    model = create_model("mobilevit_v2_0.5", seed=2)
    save_file({k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()},
              tmp_path / "model.safetensors")
    loaded = create_model("mobilevit_v2_0.5", weights=tmp_path)
    assert loaded.conv_1.block.conv.weight.dtype == torch.float32
