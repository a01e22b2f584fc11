import pytest

from models import InvalidFactorsError, create_model, get_config


def test_factors_build_a_smaller_model_at_another_resolution():
    config = get_config("mobilevit_v2_1.0", resolution=192, transformer_depth_delta=-1)
    assert config.resolution == 192
    assert config.transformer_depths == (1, 3, 2)
    assert config.name == "mobilevit_v2_1.0@res192,tdepth1-3-2"
    assert config.tokens_per_stage == (144, 36, 9)


def test_width_factor_rebuilds_v2_channels():
    config = get_config("mobilevit_v2_1.0", width=0.75)
    assert config.stage_channels == get_config("mobilevit_v2_0.75").stage_channels
    assert config.name == "mobilevit_v2_1.0@width0.75"


@pytest.mark.parametrize(
    "factors, words",
    [
        ({"resolution": 224}, ["224", "multiple of 64", "Try 192 or 256"]),
        ({"resolution": 32}, ["32", "multiple of 64"]),
        ({"transformer_depth_delta": -2}, ["transformer depths", ">= 1", "(0, 2, 1)"]),
        ({"mv2_depths": (0, 2)}, ["MV2 stage depths", ">= 1"]),
        ({"transformer_depths": (2, 4)}, ["three integers"]),
        ({"width": 0.0}, ["width multiplier", "(0, 4]"]),
        ({"width": 5.0}, ["width multiplier", "(0, 4]"]),
    ],
)
def test_impossible_factors_are_refused_with_the_rule_they_break(factors, words):
    with pytest.raises(InvalidFactorsError) as info:
        get_config("mobilevit_v2_1.0", **factors)
    for word in words:
        assert word in str(info.value)


def test_width_is_refused_for_v1_with_a_reason():
    with pytest.raises(InvalidFactorsError, match="v1 variants are fixed channel tables"):
        get_config("mobilevit_v1_s", width=0.5)


def test_derived_model_runs_at_its_resolution():
    import torch

    model = create_model("mobilevit_v1_xxs", resolution=128, transformer_depths=(1, 1, 1))
    with torch.no_grad():
        logits = model(torch.rand(2, 3, 128, 128))
    assert logits.shape == (2, 1000)
