"""v2's transformer layer: separable self-attention, linear in the token count k.

Tensors are ``[B, d, P, k]`` (channels first) so every projection is a 1x1 convolution, as in
ml-cvnets: no channel-last transposes between the convolutional and the attention parts.
"""

from __future__ import annotations

import torch
from torch import nn

from models.blocks.conv_layer import ConvLayer


class LayerNorm2d(nn.GroupNorm):
    """LayerNorm over (C, P, k) of each sample, i.e. GroupNorm with one group (ml-cvnets'
    ``layer_norm_2d``). Its ``weight``/``bias`` keys match Apple's and HF's checkpoints."""

    def __init__(self, channels: int, eps: float = 1e-5) -> None:
        super().__init__(num_groups=1, num_channels=channels, eps=eps)


class SeparableSelfAttention(nn.Module):
    """Separable self-attention (MobileViTv2, eq. 2-4).

    A latent token scores each of the k tokens (one output channel of ``qkv_proj``, softmax over
    k); the context vector is the score-weighted sum of the keys, ``[B, d, P, 1]``; it is
    broadcast over k and multiplied with ReLU(values), then projected. Cost O(k d), no matmul.

    The broadcast is a plain ``*`` between ``[B, d, P, k]`` and ``[B, d, P, 1]``: HF's
    ``context.expand_as(value)`` makes litert-torch emit a ``tfl.mul`` with incompatible shapes.
    """

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dim = dim
        self.qkv_proj = ConvLayer(dim, 1 + 2 * dim, 1, bias=True, use_norm=False, use_act=False)
        self.out_proj = ConvLayer(dim, dim, 1, bias=True, use_norm=False, use_act=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        qkv = self.qkv_proj(x)
        query = qkv[:, :1]
        key = qkv[:, 1 : 1 + self.dim]
        value = qkv[:, 1 + self.dim :]
        scores = torch.softmax(query, dim=-1)  # [B, 1, P, k]
        context = torch.sum(key * scores, dim=-1, keepdim=True)  # [B, d, P, 1]
        return self.out_proj(torch.relu(value) * context)


class LinearAttnFFN(nn.Module):
    """Pre-norm layer ``x + Attn(LN(x))``, ``x + FFN(LN(x))`` with 1x1-conv FFN.

    ``nn.Identity`` holds the place of ml-cvnets' dropouts so the FFN's second conv stays at
    index 3, where Apple's checkpoints store it.
    """

    def __init__(self, dim: int, ffn_dim: int) -> None:
        super().__init__()
        self.pre_norm_attn = nn.Sequential(LayerNorm2d(dim), SeparableSelfAttention(dim), nn.Identity())
        self.pre_norm_ffn = nn.Sequential(
            LayerNorm2d(dim),
            ConvLayer(dim, ffn_dim, 1, bias=True, use_norm=False, use_act=True),
            nn.Identity(),
            ConvLayer(ffn_dim, dim, 1, bias=True, use_norm=False, use_act=False),
            nn.Identity(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.pre_norm_attn(x)
        return x + self.pre_norm_ffn(x)
