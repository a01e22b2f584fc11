"""Command-line options that select a model and its global factors, shared by every CLI."""

from __future__ import annotations

import argparse

from models.config import MobileViTConfig
from models.errors import InvalidFactorsError
from models.registry import DEFAULT_MODEL, get_config


def _int_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.replace("-", ",").split(",") if part != "")
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model")
    group.add_argument("--model", "-m", default=DEFAULT_MODEL,
                       help=f"variant or alias (timm/HF/ml-cvnets names work too); default {DEFAULT_MODEL}")
    group.add_argument("--res", type=int, default=None, help="input resolution, a multiple of 64 (default: the variant's, 256)")
    group.add_argument("--width", type=float, default=None, help="v2 width multiplier (changes the architecture)")
    group.add_argument("--mv2-depths", type=_int_tuple, default=None, metavar="D1,D2",
                       help="blocks in the two MobileNetV2 stages (layer_1, layer_2)")
    group.add_argument("--transformer-depths", type=_int_tuple, default=None, metavar="D3,D4,D5",
                       help="transformer layers in the three MobileViT stages")
    group.add_argument("--transformer-depth-delta", type=int, default=0, metavar="N",
                       help="add N (e.g. -1) to every stage's transformer depth")


def config_from_args(args: argparse.Namespace) -> MobileViTConfig:
    factors = {}
    if args.res is not None:
        factors["resolution"] = args.res
    if args.width is not None:
        factors["width"] = args.width
    if args.mv2_depths is not None:
        if len(args.mv2_depths) != 2:
            raise InvalidFactorsError(f"--mv2-depths takes two integers, got {args.mv2_depths}")
        factors["mv2_depths"] = args.mv2_depths
    if args.transformer_depths is not None:
        if len(args.transformer_depths) != 3:
            raise InvalidFactorsError(f"--transformer-depths takes three integers, got {args.transformer_depths}")
        factors["transformer_depths"] = args.transformer_depths
    if args.transformer_depth_delta:
        factors["transformer_depth_delta"] = args.transformer_depth_delta
    return get_config(args.model, **factors)
