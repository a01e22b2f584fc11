"""Parameter and multiply-accumulate counts, measured on the model itself rather than tabulated.

MACs follow the papers' convention: convolutions, linear layers and attention matmuls, counted by
PyTorch's ``FlopCounterMode`` (2 FLOPs per MAC) on a shape-only ``meta`` model, so counting the
2.0-width model at 1024 px costs no memory and milliseconds. Element-wise ops (activations,
norms, v2's score-weighted sum) are excluded, as in the published 0.41 / 2.00 / 1.81 GMAC figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.utils.flop_counter import FlopCounterMode

from models.config import MobileViTConfig
from models.network import MobileViT

STAGES = ("conv_1", "layer_1", "layer_2", "layer_3", "layer_4", "layer_5", "conv_1x1_exp", "classifier")


@dataclass(frozen=True)
class Counts:
    parameters: int
    macs: int
    macs_per_stage: dict[str, int]
    attention_macs: int  # v1's QK^T and AV batched matmuls; v2's separable attention has none


def count(config: MobileViTConfig, batch: int = 1) -> Counts:
    """Parameters and MACs of ``config`` at its resolution, per stage as well as in total."""
    with torch.device("meta"):
        model = MobileViT(config).eval()
        pixels = torch.empty(batch, 3, config.resolution, config.resolution)
        counter = FlopCounterMode(display=False)
        with counter, torch.no_grad():
            model(pixels)
    flops = counter.get_flop_counts()
    per_stage = {
        stage: sum(flops.get(f"MobileViT.{stage}", {}).values()) // 2 for stage in STAGES
    }
    return Counts(
        parameters=sum(p.numel() for p in model.parameters()),
        macs=counter.get_total_flops() // 2,
        macs_per_stage=per_stage,
        attention_macs=sum(v for op, v in flops["Global"].items() if "bmm" in str(op)) // 2,
    )
