"""``make info``: what a variant is, what it costs and how many tokens its attention sees.

    python -m models.info --model mobilevit_v2_1.0 --res 192
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.table import Table

from models.arguments import add_model_arguments, config_from_args
from models.counts import count
from models.command_line import EXIT_OK, command_parser, run_command
from models.registry import VARIANTS


def describe(config) -> dict:
    """The facts ``make info`` prints, as data."""
    counts = count(config)
    return {
        "name": config.name,
        "version": config.version,
        "paper": config.paper,
        "factors": config.factors(),
        "channels": {"stem": config.stem_channels, "stages": list(config.stage_channels),
                     "head": config.head_channels},
        "transformer_dims": list(config.transformer_dims),
        "patch_size": config.patch_size,
        "preprocessing": config.preprocessing.to_dict()
        | {"resize_shorter_side": config.preprocessing.resize_shorter_side(config.resolution)},
        "parameters": counts.parameters,
        "macs": counts.macs,
        "macs_per_stage": counts.macs_per_stage,
        "stages": [
            {"stage": f"layer_{i + 3}", "feature_map": side, "tokens": tokens,
             "pixels_per_patch": config.patch_size ** 2, "dim": dim, "depth": depth}
            for i, (side, tokens, dim, depth) in enumerate(
                zip(config.stage_resolutions, config.tokens_per_stage, config.transformer_dims,
                    config.transformer_depths))
        ],
        "aliases": list(config.aliases),
    }


def render(facts: dict, console: Console) -> None:
    f = facts
    attention = "multi-head self-attention, O(k^2)" if f["version"] == 1 else "separable self-attention, O(k)"
    console.print(f"[bold]{f['name']}[/bold]  MobileViT v{f['version']}, {attention}")
    if f["aliases"]:
        console.print(f"  aliases: {', '.join(f['aliases'])}")
    fac = f["factors"]
    width = f", width {fac['width']:g}" if fac["width"] is not None else ""
    console.print(f"  input 1x3x{fac['resolution']}x{fac['resolution']}{width}, MV2 depths {fac['mv2_depths']}, "
                  f"transformer depths {fac['transformer_depths']}")
    p = f["preprocessing"]
    console.print(f"  preprocessing: resize shorter side to {p['resize_shorter_side']} ({p['interpolation']}), "
                  f"center-crop {fac['resolution']}, {p['channel_order']}, pixels x {p['scale']:.6g} (0..1), "
                  f"mean {tuple(p['mean'])}, std {tuple(p['std'])}")
    console.print(f"  parameters: {f['parameters'] / 1e6:.2f} M   MACs: {f['macs'] / 1e9:.2f} G")
    table = Table(title="MobileViT stages", show_lines=False)
    for column in ("stage", "feature map", "tokens k", "sequences (P)", "dim d", "depth", "GMACs"):
        table.add_column(column, justify="right")
    for stage in f["stages"]:
        table.add_row(stage["stage"], f"{stage['feature_map']}x{stage['feature_map']}", str(stage["tokens"]),
                      str(stage["pixels_per_patch"]), str(stage["dim"]), str(stage["depth"]),
                      f"{f['macs_per_stage'][stage['stage']] / 1e9:.3f}")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("models.info", __doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the facts as JSON")
    parser.add_argument("--list", action="store_true", help="list the registered variants and exit")
    args = parser.parse_args(argv)
    return run_command(lambda: _info(args))


def _info(args) -> int:
    console = Console()
    if args.list:
        for name, config in VARIANTS.items():
            console.print(f"{name:20s} {', '.join(config.aliases)}")
        return EXIT_OK
    facts = describe(config_from_args(args))
    if args.json:
        print(json.dumps(facts, indent=2))
    else:
        render(facts, console)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
