"""Unfold a feature map into non-overlapping patches and fold it back, with reshapes only.

Why not ``F.unfold``/``F.fold`` (HF's MobileViTv2): the TorchScript ONNX exporter fails on
``col2im`` and Core ML/TFLite lower them to gathers. Why at most rank 4: Core ML tensors stop at
rank 5 and TFLite's transpose kernels are fastest (and best supported by delegates) at rank <= 4,
so a ``[B, C, nh, ph, nw, pw]`` view, the obvious way to write it, is avoided.

Layout: ``[B, C, N, P]`` where N = nh * nw indexes patches row-major and P = ph * pw indexes
pixels inside a patch row-major: the order of ml-cvnets, HF and timm alike.
"""

from __future__ import annotations

import torch


def unfold(x: torch.Tensor, patch: int) -> torch.Tensor:
    """``[B, C, H, W] -> [B, C, N, P]``. H and W must be multiples of ``patch``."""
    batch, channels, height, width = x.shape
    nh, nw = height // patch, width // patch
    x = x.reshape(batch * channels * nh, patch, nw, patch)
    x = x.transpose(1, 2)  # [B*C*nh, nw, ph, pw]
    return x.reshape(batch, channels, nh * nw, patch * patch)


def fold(x: torch.Tensor, height: int, width: int, patch: int) -> torch.Tensor:
    """``[B, C, N, P] -> [B, C, H, W]``, the inverse of :func:`unfold`."""
    batch, channels = x.shape[0], x.shape[1]
    nh, nw = height // patch, width // patch
    x = x.reshape(batch * channels * nh, nw, patch, patch)
    x = x.transpose(1, 2)  # [B*C*nh, ph, nw, pw]
    return x.reshape(batch, channels, height, width)
