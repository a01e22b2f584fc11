"""The module each converter sees: the reference model plus the app-facing input/output contract.

The checkpoints expect BGR. Apps have RGB (``Bitmap``, ``CVPixelBuffer`` converted by Core ML, PIL).
Rather than add a channel-reversal op, the reversal is folded into the first convolution's
weights: ``conv(W, flip(x)) == conv(flip_in(W), x)`` exactly, so the artifact costs nothing more
and every format gets the same RGB contract from one mechanism.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from models.network import MobileViT


def rgb_input_model(model: MobileViT) -> MobileViT:
    """A copy of ``model`` that takes RGB where the original takes the config's channel order."""
    order = model.config.preprocessing.channel_order
    if order == "RGB":
        return model
    if order != "BGR":
        raise ValueError(f"unsupported channel order {order!r}")
    rgb = copy.deepcopy(model)
    with torch.no_grad():
        rgb.conv_1.block.conv.weight.copy_(rgb.conv_1.block.conv.weight.flip(1))
    return rgb.eval()


class ChannelsLastInput(nn.Module):
    """Takes ``[N, H, W, 3]`` as Android apps hold image buffers; one transpose at the start."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.model(image.permute(0, 3, 1, 2))


class ProbabilitiesOutput(nn.Module):
    """Softmax over classes: Core ML classifiers report probabilities, as Xcode's preview shows."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.model(pixels), dim=-1)
