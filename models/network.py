"""The MobileViT network, v1 or v2, assembled from a :class:`MobileViTConfig`."""

from __future__ import annotations

import torch
from torch import nn

from models.blocks.conv_layer import ConvLayer
from models.blocks.inverted_residual import InvertedResidual
from models.blocks.mobilevit_block import MobileViTBlock
from models.blocks.mobilevit_v2_block import MobileViTV2Block
from models.config import MobileViTConfig
from models.random_weights import synthetic_state_dict


class GlobalPool(nn.Module):
    """Mean over H and W; a plain reduce that all three converters lower to one op."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3))


class MobileViT(nn.Module):
    """ImageNet classifier: ``[B, 3, R, R]`` pixels (preprocessed per ``config.preprocessing``)
    to ``[B, num_classes]`` logits.

    Module names are ml-cvnets' (``conv_1``, ``layer_1``..``layer_5``, ``conv_1x1_exp``,
    ``classifier``), including its v1/v2 difference in the classifier (``classifier.fc`` vs
    ``classifier.1``), so Apple's ``.pt`` files load as they are.
    """

    def __init__(self, config: MobileViTConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.conv_1 = ConvLayer(3, c.stem_channels, 3, stride=2)
        channels = c.stem_channels
        for index, (out, depth, stride) in enumerate(
            zip(c.stage_channels[:2], c.mv2_depths, (1, 2)), start=1
        ):
            blocks = []
            for i in range(depth):
                blocks.append(InvertedResidual(channels, out, stride if i == 0 else 1, c.mv2_expansion))
                channels = out
            setattr(self, f"layer_{index}", nn.Sequential(*blocks))
        for index, (out, dim, ffn, depth) in enumerate(
            zip(c.stage_channels[2:], c.transformer_dims, c.ffn_dims, c.transformer_depths), start=3
        ):
            downsample = InvertedResidual(channels, out, 2, c.mv2_expansion)
            if c.version == 1:
                block = MobileViTBlock(out, dim, ffn, depth, c.num_heads, c.patch_size)
            else:
                block = MobileViTV2Block(out, dim, ffn, depth, c.patch_size)
            setattr(self, f"layer_{index}", nn.Sequential(downsample, block))
            channels = out
        if c.version == 1:
            self.conv_1x1_exp = ConvLayer(channels, c.head_channels, 1)
            self.classifier = nn.Sequential()
            self.classifier.add_module("global_pool", GlobalPool())
            self.classifier.add_module("dropout", nn.Identity())
            self.classifier.add_module("fc", nn.Linear(c.head_channels, c.num_classes))
        else:
            self.conv_1x1_exp = nn.Identity()
            self.classifier = nn.Sequential(GlobalPool(), nn.Linear(channels, c.num_classes))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.conv_1(pixels)
        x = self.layer_1(x)
        x = self.layer_2(x)
        x = self.layer_3(x)
        x = self.layer_4(x)
        x = self.layer_5(x)
        x = self.conv_1x1_exp(x)
        return self.classifier(x)


def build_model(config: MobileViTConfig, seed: int | None = 0) -> MobileViT:
    """An eval-mode model. Without a checkpoint it gets deterministic random weights.

    Why not PyTorch's or HF's init: their logits on random weights are tiny (HF's are ~1e-40),
    and an export parity check on near-zero outputs proves nothing. ``seed`` makes two builds,
    and so two exports, identical. ``seed=None`` keeps PyTorch's default init.
    """
    model = MobileViT(config)
    if seed is not None:
        shapes = {k: list(v.shape) for k, v in model.state_dict().items()}
        model.load_state_dict(synthetic_state_dict(shapes, seed=seed), strict=True)
    return model.eval()
