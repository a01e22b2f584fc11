"""The MobileViT block (v1): local convs, a transformer across patches, fold, fuse with the input."""

from __future__ import annotations

import torch
from torch import nn

from models.blocks import patches
from models.blocks.conv_layer import ConvLayer
from models.blocks.multi_head_attention import TransformerEncoder


class MobileViTBlock(nn.Module):
    """"Transformers as convolutions" (MobileViT, sec. 3.1).

    3x3 conv and 1x1 projection to the transformer width d; unfold into ``[B*P, k, d]`` so that
    each of the P pixel positions of a 2x2 patch attends over all k patches; fold back; 1x1
    projection to C; concatenate with the block input and fuse with a 3x3 conv.
    """

    def __init__(self, channels: int, dim: int, ffn_dim: int, depth: int, num_heads: int, patch: int) -> None:
        super().__init__()
        self.patch = patch
        self.local_rep = nn.Sequential()
        self.local_rep.add_module("conv_3x3", ConvLayer(channels, channels, 3))
        self.local_rep.add_module("conv_1x1", ConvLayer(channels, dim, 1, use_norm=False, use_act=False))
        layers = [TransformerEncoder(dim, ffn_dim, num_heads) for _ in range(depth)]
        self.global_rep = nn.Sequential(*layers, nn.LayerNorm(dim, eps=1e-5))
        self.conv_proj = ConvLayer(dim, channels, 1)
        self.fusion = ConvLayer(2 * channels, channels, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x
        x = self.local_rep(x)
        batch, dim, height, width = x.shape
        tokens = patches.unfold(x, self.patch)  # [B, d, k, P]
        area, count = tokens.shape[3], tokens.shape[2]
        tokens = tokens.transpose(1, 3).reshape(batch * area, count, dim)  # [B*P, k, d]
        tokens = self.global_rep(tokens)
        tokens = tokens.reshape(batch, area, count, dim).transpose(1, 3)  # [B, d, k, P]
        x = patches.fold(tokens, height, width, self.patch)
        x = self.conv_proj(x)
        return self.fusion(torch.cat((shortcut, x), dim=1))
