"""The one description of a MobileViT variant that every stage of the pipeline reads.

A config carries the architecture (channels, depths, patch size) *and* the facts that must travel
with the model into every artifact: input resolution, the preprocessing its checkpoints were
trained with, and the class labels. Exporters and benchmarks ask the config; they never keep
constants of their own.

The global factors of the Gaussian-process study of MobileViT (resolution, width, depth of the
MV2 stages, depth of the transformer blocks) are first-class: :meth:`MobileViTConfig.with_factors`
derives a new, validated config from any variant.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from models.errors import InvalidFactorsError

#: MobileViT's deepest stage runs at 1/32 of the input and is tiled into 2x2 patches, so the input
#: side must be a multiple of 32 * patch size. The reference code interpolates other sizes inside
#: every block; we refuse them instead, because that resize is a silent accuracy and speed cost
#: that converters lower differently.
OUTPUT_STRIDE = 32


def make_divisible(value: float, divisor: int = 8, min_value: int | None = None) -> int:
    """ml-cvnets' channel rounding: nearest multiple of ``divisor``, never more than 10 % down.

    Every published v2 width is derived with this rule; reproducing it exactly is what lets the
    published checkpoints load.
    """
    min_value = divisor if min_value is None else min_value
    new_value = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if new_value < 0.9 * value:
        new_value += divisor
    return int(new_value)


@dataclass(frozen=True)
class Preprocessing:
    """How pixels must be prepared for this model's checkpoints.

    ml-cvnets trained MobileViT on images decoded by OpenCV, so the checkpoints expect BGR order;
    pixels are scaled to [0, 1] with no mean/std normalization. HF's ``MobileViTImageProcessor``
    encodes the same facts (``do_flip_channel_order=True``, ``rescale_factor=1/255``, resize the
    shorter side to crop + 32, then center-crop).
    """

    channel_order: str = "BGR"
    scale: float = 1.0 / 255.0
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)
    crop_fraction: float = 256 / 288
    interpolation: str = "bicubic"

    def resize_shorter_side(self, resolution: int) -> int:
        """Shorter side before the center crop (288 for a 256 crop)."""
        return int(round(resolution / self.crop_fraction))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class MobileViTConfig:
    """Architecture and deployment facts of one MobileViT model.

    Channel and depth fields mirror the ml-cvnets layer names: ``conv_1`` (stem), ``layer_1`` and
    ``layer_2`` (MobileNetV2 stages), ``layer_3``..``layer_5`` (an inverted residual that halves
    the resolution, then a MobileViT block), ``conv_1x1_exp`` (v1 only), the classifier.
    """

    name: str
    version: int
    stem_channels: int
    stage_channels: tuple[int, int, int, int, int]
    transformer_dims: tuple[int, int, int]
    head_channels: int | None  # v1's conv_1x1_exp before pooling; v2 pools layer_5 directly
    mv2_expansion: float
    mv2_depths: tuple[int, int] = (1, 3)
    transformer_depths: tuple[int, int, int] = (2, 4, 3)
    width: float | None = None  # v2's width multiplier alpha; v1 variants are fixed channel tables
    patch_size: int = 2
    num_heads: int = 4  # v1 multi-head attention; v2's separable attention has none
    ffn_ratio: float = 2.0
    resolution: int = 256
    num_classes: int = 1000
    labels_file: str = "imagenet1k_labels.tsv"
    preprocessing: Preprocessing = field(default_factory=Preprocessing)
    aliases: tuple[str, ...] = ()
    paper: str = ""

    def __post_init__(self) -> None:
        self.validate()

    # ----------------------------------------------------------------- derived facts
    @property
    def stage_resolutions(self) -> tuple[int, int, int]:
        """Feature-map side at the three MobileViT stages (strides 8, 16, 32)."""
        return (self.resolution // 8, self.resolution // 16, self.resolution // 32)

    @property
    def tokens_per_stage(self) -> tuple[int, int, int]:
        """Token count k that each attention sees: patches per feature map, ((side / p) ** 2).

        Attention runs independently for each of the p*p pixel positions of a patch, over k
        tokens. v1 pays O(k^2) per block for it, v2 O(k).
        """
        return tuple((side // self.patch_size) ** 2 for side in self.stage_resolutions)

    @property
    def ffn_dims(self) -> tuple[int, int, int]:
        """Hidden width of each transformer FFN (v2 rounds down to a multiple of 16, as ml-cvnets)."""
        if self.version == 1:
            return tuple(int(d * self.ffn_ratio) for d in self.transformer_dims)
        return tuple(int((self.ffn_ratio * d) // 16 * 16) for d in self.transformer_dims)

    # ----------------------------------------------------------------- factors
    def with_factors(
        self,
        *,
        resolution: int | None = None,
        width: float | None = None,
        mv2_depths: tuple[int, int] | None = None,
        transformer_depths: tuple[int, int, int] | None = None,
        transformer_depth_delta: int = 0,
        mv2_depth_delta: int = 0,
    ) -> MobileViTConfig:
        """A validated copy with the global factors changed.

        Depths are given either absolutely or as a delta applied to every stage (the GP study's
        "one fewer transformer block per stage" is ``transformer_depth_delta=-1``). Changing the
        architecture renames the config (e.g. ``mobilevit_v2_1.0@res192,tdepth1-3-2``) so an artifact
        never claims to be a published variant it is not.
        """
        config = self
        if width is not None:
            if self.version != 2:
                raise InvalidFactorsError(
                    f"{self.name}: width multipliers apply to MobileViTv2 only; v1 variants are "
                    "fixed channel tables (use mobilevit_v1_xxs, _xs or _s)."
                )
            config = v2_config(width, name=self.name, aliases=self.aliases, resolution=self.resolution,
                               mv2_depths=self.mv2_depths, transformer_depths=self.transformer_depths)
        changes: dict = {}
        if resolution is not None:
            changes["resolution"] = resolution
        if mv2_depths is not None or mv2_depth_delta:
            base = tuple(mv2_depths) if mv2_depths is not None else config.mv2_depths
            changes["mv2_depths"] = tuple(int(d) + mv2_depth_delta for d in base)
        if transformer_depths is not None or transformer_depth_delta:
            base = tuple(transformer_depths) if transformer_depths is not None else config.transformer_depths
            changes["transformer_depths"] = tuple(int(d) + transformer_depth_delta for d in base)
        config = dataclasses.replace(config, **changes)
        return dataclasses.replace(config, name=_factor_name(self, config), aliases=())

    def factors(self) -> dict:
        """The four global factors as plain data (for manifests and reports)."""
        return {
            "resolution": self.resolution,
            "width": self.width,
            "mv2_depths": list(self.mv2_depths),
            "transformer_depths": list(self.transformer_depths),
        }

    # ----------------------------------------------------------------- checks
    def validate(self) -> None:
        """Refuse combinations the network cannot compute, saying which rule they break."""
        if self.version not in (1, 2):
            raise InvalidFactorsError(f"{self.name}: version must be 1 or 2, got {self.version}.")
        tile = OUTPUT_STRIDE * self.patch_size
        if not isinstance(self.resolution, int) or isinstance(self.resolution, bool):
            raise InvalidFactorsError(f"{self.name}: resolution must be an integer, got {self.resolution!r}.")
        if self.resolution < tile or self.resolution % tile:
            lower = max(tile, self.resolution // tile * tile)
            raise InvalidFactorsError(
                f"{self.name}: resolution {self.resolution} is not a positive multiple of {tile}. "
                f"MobileViT downsamples by {OUTPUT_STRIDE} and its last stage "
                f"({self.resolution / OUTPUT_STRIDE:g} px per side at this input) must tile into "
                f"{self.patch_size}x{self.patch_size} patches. Try {lower} or {lower + tile}."
            )
        if len(self.mv2_depths) != 2 or any(d < 1 for d in self.mv2_depths):
            raise InvalidFactorsError(
                f"{self.name}: MV2 stage depths must be two integers >= 1 (layer_1, layer_2), got "
                f"{tuple(self.mv2_depths)}: a stage with no block would drop its channel change."
            )
        if len(self.transformer_depths) != 3 or any(d < 1 for d in self.transformer_depths):
            raise InvalidFactorsError(
                f"{self.name}: transformer depths must be three integers >= 1 (layer_3..layer_5), got "
                f"{tuple(self.transformer_depths)}: a MobileViT block with no transformer layer has "
                "no global representation left."
            )
        if self.version == 2 and (self.width is None or not (0.0 < self.width <= 4.0)):
            raise InvalidFactorsError(
                f"{self.name}: v2 width multiplier must be in (0, 4], got {self.width!r}."
            )
        if self.version == 1:
            bad = [d for d in self.transformer_dims if d % self.num_heads]
            if bad:
                raise InvalidFactorsError(
                    f"{self.name}: transformer dims {bad} are not divisible by {self.num_heads} heads."
                )


def v2_config(
    width: float,
    *,
    name: str,
    aliases: tuple[str, ...] = (),
    resolution: int = 256,
    mv2_depths: tuple[int, int] = (1, 2),
    transformer_depths: tuple[int, int, int] = (2, 4, 3),
    paper: str = "",
) -> MobileViTConfig:
    """MobileViTv2 at width multiplier ``width``: one rule applied to the base spec (ml-cvnets).

    Base channels 32 (stem, clipped to [16, 64]), 64, 128, 256, 384, 512; attention units 128,
    192, 256; the layer_1 width is rounded to 16, everything else to 8.
    """
    if not (isinstance(width, (int, float)) and 0.0 < float(width) <= 4.0):
        raise InvalidFactorsError(f"{name}: v2 width multiplier must be in (0, 4], got {width!r}.")
    width = float(width)
    stem = make_divisible(min(max(32 * width, 16), 64), 8, min_value=16)
    stages = (
        make_divisible(64 * width, 16),
        make_divisible(128 * width, 8),
        make_divisible(256 * width, 8),
        make_divisible(384 * width, 8),
        make_divisible(512 * width, 8),
    )
    dims = tuple(make_divisible(d * width, 8) for d in (128, 192, 256))
    return MobileViTConfig(
        name=name,
        version=2,
        stem_channels=stem,
        stage_channels=stages,
        transformer_dims=dims,
        head_channels=None,
        mv2_expansion=2.0,
        mv2_depths=tuple(mv2_depths),
        transformer_depths=tuple(transformer_depths),
        width=width,
        resolution=resolution,
        aliases=aliases,
        paper=paper,
    )


def _factor_name(base: MobileViTConfig, derived: MobileViTConfig) -> str:
    parts = []
    if derived.width != base.width:
        parts.append(f"width{derived.width:g}")
    if derived.resolution != base.resolution:
        parts.append(f"res{derived.resolution}")
    if derived.mv2_depths != base.mv2_depths:
        parts.append("mv2depth" + "-".join(map(str, derived.mv2_depths)))
    if derived.transformer_depths != base.transformer_depths:
        parts.append("tdepth" + "-".join(map(str, derived.transformer_depths)))
    root = base.name.split("@", 1)[0]
    return root if not parts else f"{root}@{','.join(parts)}"
