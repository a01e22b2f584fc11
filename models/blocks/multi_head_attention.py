"""v1's transformer layer: pre-norm multi-head self-attention and FFN over tokens [B', k, d].

Attention cost is O(k^2 d) in the token count k, the cost MobileViTv2 removes.
"""

from __future__ import annotations

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """Scaled dot-product attention with one fused ``qkv_proj`` (ml-cvnets' parameter layout).

    q, k and v are sliced from the fused projection and each reshaped to ``[B', heads, k, d_h]``
    rather than viewing the projection as ``[B', k, 3, heads, d_h]`` (ml-cvnets): every tensor
    stays rank 4, which Core ML, TFLite and their delegates all take.
    """

    def __init__(self, dim: int, num_heads: int) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"attention dim {dim} is not divisible by {num_heads} heads")
        self.dim = dim
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scaling = self.head_dim ** -0.5
        self.qkv_proj = nn.Linear(dim, 3 * dim, bias=True)
        self.out_proj = nn.Linear(dim, dim, bias=True)

    def _heads(self, x: torch.Tensor, batch: int, tokens: int) -> torch.Tensor:
        return x.reshape(batch, tokens, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, _ = x.shape
        qkv = self.qkv_proj(x)
        query = self._heads(qkv[:, :, : self.dim], batch, tokens) * self.scaling
        key = self._heads(qkv[:, :, self.dim : 2 * self.dim], batch, tokens)
        value = self._heads(qkv[:, :, 2 * self.dim :], batch, tokens)
        attention = torch.softmax(torch.matmul(query, key.transpose(-1, -2)), dim=-1)
        out = torch.matmul(attention, value)  # [B', heads, k, d_h]
        out = out.transpose(1, 2).reshape(batch, tokens, self.dim)
        return self.out_proj(out)


class TransformerEncoder(nn.Module):
    """Pre-norm transformer layer: ``x + MHA(LN(x))`` then ``x + FFN(LN(x))``.

    The ``nn.Identity`` entries hold the places of ml-cvnets' dropouts (identity at inference) so
    the FFN's second linear stays at index 4, where Apple's checkpoints store it.
    """

    def __init__(self, dim: int, ffn_dim: int, num_heads: int) -> None:
        super().__init__()
        self.pre_norm_mha = nn.Sequential(
            nn.LayerNorm(dim, eps=1e-5), MultiHeadAttention(dim, num_heads), nn.Identity()
        )
        self.pre_norm_ffn = nn.Sequential(
            nn.LayerNorm(dim, eps=1e-5),
            nn.Linear(dim, ffn_dim),
            nn.SiLU(),
            nn.Identity(),
            nn.Linear(ffn_dim, dim),
            nn.Identity(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.pre_norm_mha(x)
        return x + self.pre_norm_ffn(x)
