"""The ten published MobileViT variants, each declared once, and the names other tools use.

Aliases map the names of timm (``mobilevit_s``, ``mobilevitv2_100``), Hugging Face
(``apple/mobilevit-small``, ``apple/mobilevitv2-1.0-imagenet1k-256``) and ml-cvnets
(``mobilevitv2-1.0``) to ours, so a user can paste whatever name their checkpoint came with.
"""

from __future__ import annotations

import difflib

from models.config import MobileViTConfig, v2_config
from models.errors import UnknownModelError

_V1_PAPER = "MobileViT (Mehta & Rastegari, ICLR 2022)"
_V2_PAPER = "Separable Self-attention for Mobile Vision Transformers (Mehta & Rastegari, 2022)"


def _v1(name, stem, stages, dims, head, expansion, aliases):
    return MobileViTConfig(
        name=name,
        version=1,
        stem_channels=stem,
        stage_channels=stages,
        transformer_dims=dims,
        head_channels=head,
        mv2_expansion=expansion,
        mv2_depths=(1, 3),
        transformer_depths=(2, 4, 3),
        aliases=aliases,
        paper=_V1_PAPER,
    )


def _v2(label: str, timm_tag: str):
    return v2_config(
        float(label),
        name=f"mobilevit_v2_{label}",
        aliases=(
            f"mobilevitv2_{timm_tag}",
            f"mobilevitv2-{label}",
            f"apple/mobilevitv2-{label}-imagenet1k-256",
        ),
        paper=_V2_PAPER,
    )


VARIANTS: dict[str, MobileViTConfig] = {
    config.name: config
    for config in (
        _v1("mobilevit_v1_xxs", 16, (16, 24, 48, 64, 80), (64, 80, 96), 320, 2.0,
            ("mobilevit_xxs", "apple/mobilevit-xx-small", "mobilevit-xxs")),
        _v1("mobilevit_v1_xs", 16, (32, 48, 64, 80, 96), (96, 120, 144), 384, 4.0,
            ("mobilevit_xs", "apple/mobilevit-x-small", "mobilevit-xs")),
        _v1("mobilevit_v1_s", 16, (32, 64, 96, 128, 160), (144, 192, 240), 640, 4.0,
            ("mobilevit_s", "apple/mobilevit-small", "mobilevit-s")),
        _v2("0.5", "050"),
        _v2("0.75", "075"),
        _v2("1.0", "100"),
        _v2("1.25", "125"),
        _v2("1.5", "150"),
        _v2("1.75", "175"),
        _v2("2.0", "200"),
    )
}

DEFAULT_MODEL = "mobilevit_v2_1.0"

#: v1 variants and the v2 width of about the same size: the comparisons the v2 paper makes, and the
#: pairs every v2-over-v1 speedup in benchmarks/ and reports is measured on.
MATCHED_PAIRS = (("mobilevit_v1_xxs", "mobilevit_v2_0.5"), ("mobilevit_v1_xs", "mobilevit_v2_0.75"),
                 ("mobilevit_v1_s", "mobilevit_v2_1.0"))

_ALIASES: dict[str, str] = {
    alias.lower(): config.name for config in VARIANTS.values() for alias in config.aliases
}


def list_variants() -> list[str]:
    return list(VARIANTS)


def resolve_name(name: str) -> str:
    """Our canonical name for ``name`` (a variant name or any alias, case-insensitive)."""
    if name in VARIANTS:
        return name
    key = name.strip().lower()
    if key in VARIANTS:
        return key
    if key in _ALIASES:
        return _ALIASES[key]
    known = list(VARIANTS) + sorted(_ALIASES)
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownModelError(
        f"Unknown model {name!r}.{hint} Known models: {', '.join(VARIANTS)} "
        f"(timm, Hugging Face and ml-cvnets names such as mobilevit_s, mobilevitv2_100 or "
        f"apple/mobilevitv2-1.0-imagenet1k-256 are accepted too)."
    )


def get_config(name: str, **factors) -> MobileViTConfig:
    """The config of a variant, optionally with global factors changed (see ``with_factors``)."""
    config = VARIANTS[resolve_name(name)]
    return config.with_factors(**factors) if factors else config
