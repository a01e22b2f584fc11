"""MobileNetV2's inverted residual (Sandler et al., 2018), MobileViT's local workhorse."""

from __future__ import annotations

from torch import nn

from models.blocks.conv_layer import ConvLayer
from models.config import make_divisible


class InvertedResidual(nn.Module):
    """1x1 expand -> 3x3 depthwise (stride 1 or 2) -> 1x1 linear reduce, residual when shapes allow.

    Hidden width is ``make_divisible(round(in * expansion), 8)`` as in ml-cvnets; the published
    parameter counts depend on that rounding.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int, expansion: float) -> None:
        super().__init__()
        hidden = make_divisible(int(round(in_channels * expansion)), 8)
        self.use_res_connect = stride == 1 and in_channels == out_channels
        self.block = nn.Sequential()
        self.block.add_module("exp_1x1", ConvLayer(in_channels, hidden, 1))
        self.block.add_module("conv_3x3", ConvLayer(hidden, hidden, 3, stride=stride, groups=hidden))
        self.block.add_module("red_1x1", ConvLayer(hidden, out_channels, 1, use_act=False))

    def forward(self, x):
        if self.use_res_connect:
            return x + self.block(x)
        return self.block(x)
