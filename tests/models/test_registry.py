import pytest

from models import UnknownModelError, get_config, list_variants, resolve_name

TEN = [
    "mobilevit_v1_xxs", "mobilevit_v1_xs", "mobilevit_v1_s",
    "mobilevit_v2_0.5", "mobilevit_v2_0.75", "mobilevit_v2_1.0", "mobilevit_v2_1.25",
    "mobilevit_v2_1.5", "mobilevit_v2_1.75", "mobilevit_v2_2.0",
]


def test_registry_holds_exactly_the_ten_published_variants():
    assert list_variants() == TEN


@pytest.mark.parametrize(
    "alias, name",
    [
        ("mobilevit_s", "mobilevit_v1_s"),
        ("mobilevit_xxs", "mobilevit_v1_xxs"),
        ("apple/mobilevit-small", "mobilevit_v1_s"),
        ("apple/mobilevit-x-small", "mobilevit_v1_xs"),
        ("mobilevitv2_100", "mobilevit_v2_1.0"),
        ("mobilevitv2_075", "mobilevit_v2_0.75"),
        ("apple/mobilevitv2-1.0-imagenet1k-256", "mobilevit_v2_1.0"),
        ("mobilevitv2-2.0", "mobilevit_v2_2.0"),
        ("MobileViT_V2_0.5", "mobilevit_v2_0.5"),
    ],
)
def test_alias_of_timm_hf_or_cvnets_resolves_to_our_variant(alias, name):
    assert resolve_name(alias) == name


def test_unknown_name_error_lists_every_known_variant_and_suggests_close_ones():
    with pytest.raises(UnknownModelError) as info:
        get_config("mobilevit_v2_1.1")
    message = str(info.value)
    assert "mobilevit_v2_1.1" in message
    assert all(name in message for name in TEN)
    assert "Did you mean" in message


def test_v2_width_rule_reproduces_ml_cvnets_channels():
    config = get_config("mobilevit_v2_0.75")
    assert config.stem_channels == 24
    assert config.stage_channels == (48, 96, 192, 288, 384)
    assert config.transformer_dims == (96, 144, 192)


def test_every_variant_carries_its_deployment_facts():
    for name in TEN:
        config = get_config(name)
        assert config.resolution == 256
        assert config.patch_size == 2
        assert config.preprocessing.channel_order == "BGR"
        assert config.preprocessing.scale == pytest.approx(1 / 255)
        assert config.preprocessing.mean == (0.0, 0.0, 0.0) and config.preprocessing.std == (1.0, 1.0, 1.0)
        assert config.preprocessing.resize_shorter_side(256) == 288
