"""Convolution + BatchNorm + SiLU, the unit every CNN part of MobileViT is made of."""

from __future__ import annotations

from torch import nn


class ConvLayer(nn.Module):
    """``conv -> [BatchNorm] -> [SiLU]`` kept in an ``nn.Sequential`` named ``block``.

    The nesting is ml-cvnets' (keys ``block.conv.weight``, ``block.norm.running_var``). BatchNorm
    directly follows its conv with nothing in between, which is what lets every converter fold it
    into the conv weights.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        groups: int = 1,
        bias: bool = False,
        use_norm: bool = True,
        use_act: bool = True,
    ) -> None:
        super().__init__()
        self.block = nn.Sequential()
        self.block.add_module(
            "conv",
            nn.Conv2d(
                in_channels,
                out_channels,
                kernel_size,
                stride=stride,
                padding=(kernel_size - 1) // 2,
                groups=groups,
                bias=bias,
            ),
        )
        if use_norm:
            self.block.add_module("norm", nn.BatchNorm2d(out_channels, eps=1e-5, momentum=0.1))
        if use_act:
            self.block.add_module("act", nn.SiLU())

    def forward(self, x):
        return self.block(x)
