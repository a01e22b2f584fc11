"""Hugging Face transformers' own MobileViT(V2) classes, configured like one of our variants.

Used as an oracle (the tests check our network against them) and as the reference path of the
benchmarks (their model exported the plain way); the ``hf`` layout in ``layouts.py`` maps weights
between the two. transformers is imported only when asked for.
"""

from __future__ import annotations

from models.config import MobileViTConfig


def hf_model(config: MobileViTConfig):
    """An eval-mode transformers model with ``config``'s architecture and transformers' random init."""
    import transformers

    if config.version == 1:
        hf_config = transformers.MobileViTConfig(
            hidden_sizes=list(config.transformer_dims),
            neck_hidden_sizes=[config.stem_channels, *config.stage_channels, config.head_channels],
            expand_ratio=config.mv2_expansion, num_labels=1000)
        return transformers.MobileViTForImageClassification(hf_config).eval()
    hf_config = transformers.MobileViTV2Config(width_multiplier=config.width, num_labels=1000)
    return transformers.MobileViTV2ForImageClassification(hf_config).eval()
