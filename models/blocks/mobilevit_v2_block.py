"""The MobileViTv2 block: depthwise local conv, separable-attention transformer, 1x1 projection."""

from __future__ import annotations

import torch
from torch import nn

from models.blocks import patches
from models.blocks.conv_layer import ConvLayer
from models.blocks.separable_attention import LayerNorm2d, LinearAttnFFN


class MobileViTV2Block(nn.Module):
    """MobileViTv2 block (sec. 3.3): unlike v1, no fusion with the block input, a depthwise 3x3
    local conv, and patches kept channels-first as ``[B, d, P, k]`` so attention uses 1x1 convs.
    """

    def __init__(self, channels: int, dim: int, ffn_dim: int, depth: int, patch: int) -> None:
        super().__init__()
        self.patch = patch
        self.local_rep = nn.Sequential(
            ConvLayer(channels, channels, 3, groups=channels),
            ConvLayer(channels, dim, 1, use_norm=False, use_act=False),
        )
        layers = [LinearAttnFFN(dim, ffn_dim) for _ in range(depth)]
        self.global_rep = nn.Sequential(*layers, LayerNorm2d(dim))
        self.conv_proj = ConvLayer(dim, channels, 1, use_act=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.local_rep(x)
        height, width = x.shape[2], x.shape[3]
        tokens = patches.unfold(x, self.patch).transpose(2, 3)  # [B, d, P, k]
        tokens = self.global_rep(tokens)
        x = patches.fold(tokens.transpose(2, 3), height, width, self.patch)
        return self.conv_proj(x)
