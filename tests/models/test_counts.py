import pytest

from models import count, get_config

# Published figures (MobileViT and MobileViTv2 papers, reproduced with HF's classes), at 256 px.
PUBLISHED = {
    "mobilevit_v1_xxs": (1.27, 0.41),
    "mobilevit_v1_xs": (2.32, 1.03),
    "mobilevit_v1_s": (5.58, 2.00),
    "mobilevit_v2_0.5": (1.37, 0.46),
    "mobilevit_v2_1.0": (4.90, 1.81),
    "mobilevit_v2_2.0": (18.45, 7.16),
}


@pytest.mark.parametrize("name", PUBLISHED)
def test_counts_match_published_parameters_and_macs(name):
    params_m, gmacs = PUBLISHED[name]
    counts = count(get_config(name))
    assert round(counts.parameters / 1e6, 2) == params_m
    assert round(counts.macs / 1e9, 2) == gmacs


def test_stage_macs_add_up_to_the_total():
    counts = count(get_config("mobilevit_v1_s"))
    assert sum(counts.macs_per_stage.values()) == counts.macs


def test_v1_attention_macs_grow_quadratically_with_tokens_and_v2_linearly():
    # Doubling the side quadruples the tokens k. Convolutions and projections grow 4x (linear in
    # k); v1's attention matmuls grow 16x, so v1's stage MACs grow by more than 4x; v2's exactly 4x.
    def stage3(name, res):
        return count(get_config(name, resolution=res)).macs_per_stage["layer_3"]

    assert stage3("mobilevit_v2_1.0", 512) == 4 * stage3("mobilevit_v2_1.0", 256)
    assert stage3("mobilevit_v1_s", 512) > 4.5 * stage3("mobilevit_v1_s", 256)


def test_parameters_do_not_depend_on_resolution_but_macs_do():
    small, large = count(get_config("mobilevit_v2_0.5", resolution=192)), count(get_config("mobilevit_v2_0.5"))
    assert small.parameters == large.parameters
    assert small.macs < large.macs


def test_attention_macs_are_v1_matmuls_only():
    assert count(get_config("mobilevit_v2_1.0")).attention_macs == 0
    v1 = count(get_config("mobilevit_v1_s"))
    assert 0 < v1.attention_macs < v1.macs
