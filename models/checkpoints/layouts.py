"""State-dict key layouts of the three ecosystems that publish MobileViT weights.

Our modules carry ml-cvnets' names, so Apple's files are the identity layout. Hugging Face and
timm renamed every key when they converted Apple's weights; each is described here as a table of
rules taking *our* key to *theirs* (HF's own conversion scripts, ``convert_mlcvnets_to_pytorch.py``
for MobileViT and MobileViTV2, document the inverse direction). Applying the table to the keys of
the model being loaded gives the exact key set a checkpoint of that layout must have, which is
what lets loading be strict and lets the layout be detected rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from models.config import MobileViTConfig

# A rule: (regex over our key, template of theirs). ``{d}`` in a template is the transformer depth
# of the stage (the index of its final norm); a template ending in "|qkv" splits one fused tensor.
Rule = tuple[str, str]

_P = r"(?P<param>weight|bias|running_mean|running_var|num_batches_tracked)"

_HF_V1: list[Rule] = [
    (rf"conv_1\.block\.conv\.{_P}", "mobilevit.conv_stem.convolution.{param}"),
    (rf"conv_1\.block\.norm\.{_P}", "mobilevit.conv_stem.normalization.{param}"),
    (rf"layer_(?P<i>[12])\.(?P<j>\d+)\.block\.(?P<op>\w+)\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevit.encoder.layer.{i-1}.layer.{j}.{op:hf}.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.0\.block\.(?P<op>\w+)\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevit.encoder.layer.{i-1}.downsampling_layer.{op:hf}.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.local_rep\.conv_3x3\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevit.encoder.layer.{i-1}.conv_kxk.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.local_rep\.conv_1x1\.block\.conv\.{_P}",
     "mobilevit.encoder.layer.{i-1}.conv_1x1.convolution.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_mha\.0\.{_P}",
     "mobilevit.encoder.layer.{i-1}.transformer.layer.{j}.layernorm_before.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_mha\.1\.qkv_proj\.{_P}",
     "mobilevit.encoder.layer.{i-1}.transformer.layer.{j}.attention.attention.{qkv}.{param}|qkv"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_mha\.1\.out_proj\.{_P}",
     "mobilevit.encoder.layer.{i-1}.transformer.layer.{j}.attention.output.dense.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.0\.{_P}",
     "mobilevit.encoder.layer.{i-1}.transformer.layer.{j}.layernorm_after.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.1\.{_P}",
     "mobilevit.encoder.layer.{i-1}.transformer.layer.{j}.intermediate.dense.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.4\.{_P}",
     "mobilevit.encoder.layer.{i-1}.transformer.layer.{j}.output.dense.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.{_P}", "mobilevit.encoder.layer.{i-1}.layernorm.{param}"),
    (rf"layer_(?P<i>[345])\.1\.conv_proj\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevit.encoder.layer.{i-1}.conv_projection.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.fusion\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevit.encoder.layer.{i-1}.fusion.{kind:hf}.{param}"),
    (rf"conv_1x1_exp\.block\.(?P<kind>conv|norm)\.{_P}", "mobilevit.conv_1x1_exp.{kind:hf}.{param}"),
    (rf"classifier\.fc\.{_P}", "classifier.{param}"),
]

_HF_V2: list[Rule] = [
    (rf"conv_1\.block\.conv\.{_P}", "mobilevitv2.conv_stem.convolution.{param}"),
    (rf"conv_1\.block\.norm\.{_P}", "mobilevitv2.conv_stem.normalization.{param}"),
    (rf"layer_(?P<i>[12])\.(?P<j>\d+)\.block\.(?P<op>\w+)\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.layer.{j}.{op:hf}.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.0\.block\.(?P<op>\w+)\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.downsampling_layer.{op:hf}.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.local_rep\.0\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.conv_kxk.{kind:hf}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.local_rep\.1\.block\.conv\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.conv_1x1.convolution.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_attn\.0\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.transformer.layer.{j}.layernorm_before.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_attn\.1\.(?P<proj>qkv_proj|out_proj)\.block\.conv\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.transformer.layer.{j}.attention.{proj}.convolution.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.0\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.transformer.layer.{j}.layernorm_after.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.1\.block\.conv\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.transformer.layer.{j}.ffn.conv1.convolution.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.3\.block\.conv\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.transformer.layer.{j}.ffn.conv2.convolution.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.{_P}", "mobilevitv2.encoder.layer.{i-1}.layernorm.{param}"),
    (rf"layer_(?P<i>[345])\.1\.conv_proj\.block\.(?P<kind>conv|norm)\.{_P}",
     "mobilevitv2.encoder.layer.{i-1}.conv_projection.{kind:hf}.{param}"),
    (rf"classifier\.1\.{_P}", "classifier.{param}"),
]

_TIMM: list[Rule] = [
    (rf"conv_1\.block\.(?P<kind>conv|norm)\.{_P}", "stem.{kind:timm}.{param}"),
    (rf"layer_(?P<i>[12])\.(?P<j>\d+)\.block\.(?P<op>\w+)\.block\.(?P<kind>conv|norm)\.{_P}",
     "stages.{i-1}.{j}.{op:timm}.{kind:timm}.{param}"),
    (rf"layer_(?P<i>[345])\.0\.block\.(?P<op>\w+)\.block\.(?P<kind>conv|norm)\.{_P}",
     "stages.{i-1}.0.{op:timm}.{kind:timm}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.local_rep\.(conv_3x3|0)\.block\.(?P<kind>conv|norm)\.{_P}",
     "stages.{i-1}.1.conv_kxk.{kind:timm}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.local_rep\.(conv_1x1|1)\.block\.conv\.{_P}", "stages.{i-1}.1.conv_1x1.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_(mha|attn)\.0\.{_P}",
     "stages.{i-1}.1.transformer.{j}.norm1.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_mha\.1\.qkv_proj\.{_P}",
     "stages.{i-1}.1.transformer.{j}.attn.qkv.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_mha\.1\.out_proj\.{_P}",
     "stages.{i-1}.1.transformer.{j}.attn.proj.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_attn\.1\.(?P<proj>qkv_proj|out_proj)\.block\.conv\.{_P}",
     "stages.{i-1}.1.transformer.{j}.attn.{proj}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.0\.{_P}",
     "stages.{i-1}.1.transformer.{j}.norm2.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.1\.(block\.conv\.)?{_P}",
     "stages.{i-1}.1.transformer.{j}.mlp.fc1.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.pre_norm_ffn\.(4|3\.block\.conv)\.{_P}",
     "stages.{i-1}.1.transformer.{j}.mlp.fc2.{param}"),
    (rf"layer_(?P<i>[345])\.1\.global_rep\.(?P<j>\d+)\.{_P}", "stages.{i-1}.1.norm.{param}"),
    (rf"layer_(?P<i>[345])\.1\.conv_proj\.block\.(?P<kind>conv|norm)\.{_P}",
     "stages.{i-1}.1.conv_proj.{kind:timm}.{param}"),
    (rf"layer_(?P<i>[345])\.1\.fusion\.block\.(?P<kind>conv|norm)\.{_P}",
     "stages.{i-1}.1.conv_fusion.{kind:timm}.{param}"),
    (rf"conv_1x1_exp\.block\.(?P<kind>conv|norm)\.{_P}", "final_conv.{kind:timm}.{param}"),
    (rf"classifier\.(fc|1)\.{_P}", "head.fc.{param}"),
]

_VOCAB = {
    "hf": {"exp_1x1": "expand_1x1", "conv_3x3": "conv_3x3", "red_1x1": "reduce_1x1",
           "conv": "convolution", "norm": "normalization"},
    "timm": {"exp_1x1": "conv1_1x1", "conv_3x3": "conv2_kxk", "red_1x1": "conv3_1x1",
             "conv": "conv", "norm": "bn"},
}

_FIELD = re.compile(r"\{(\w+)(?:-1|:(\w+))?\}")


def _fill(template: str, groups: dict[str, str]) -> str:
    def substitute(match: re.Match) -> str:
        field, vocab = match.group(1), match.group(2)
        value = groups[field]
        if match.group(0).endswith("-1}"):
            return str(int(value) - 1)
        return _VOCAB[vocab][value] if vocab else value

    return _FIELD.sub(substitute, template)


@dataclass(frozen=True)
class CheckpointLayout:
    """One ecosystem's key naming, as rules from our keys to theirs (``None``: identity)."""

    name: str
    description: str
    rules_v1: tuple[Rule, ...] | None
    rules_v2: tuple[Rule, ...] | None

    def key_map(self, config: MobileViTConfig, our_keys) -> dict[str, str | tuple[str, str, str]]:
        """Our key -> their key; a tuple of three keys where they store q, k, v separately."""
        rules = self.rules_v1 if config.version == 1 else self.rules_v2
        if rules is None:  # identity layout
            return {key: key for key in our_keys}
        compiled = [(re.compile(pattern), template) for pattern, template in rules]
        mapping: dict[str, str | tuple[str, str, str]] = {}
        for key in our_keys:
            for pattern, template in compiled:
                match = pattern.fullmatch(key)
                if match:
                    groups = {k: v for k, v in match.groupdict().items() if v is not None}
                    if template.endswith("|qkv"):
                        mapping[key] = tuple(
                            _fill(template[:-4].replace("{qkv}", part), groups)
                            for part in ("query", "key", "value")
                        )
                    else:
                        mapping[key] = _fill(template, groups)
                    break
            else:
                raise AssertionError(f"{self.name} layout has no rule for our key {key!r}")
        return mapping

    def expected_shapes(self, config: MobileViTConfig, our_shapes: dict[str, tuple]) -> dict[str, tuple]:
        """The exact keys and shapes a checkpoint in this layout must hold for ``config``."""
        shapes: dict[str, tuple] = {}
        for ours, theirs in self.key_map(config, our_shapes).items():
            shape = tuple(our_shapes[ours])
            if isinstance(theirs, tuple):
                for key in theirs:
                    shapes[key] = (shape[0] // 3, *shape[1:])
            else:
                shapes[theirs] = shape
        return shapes

    def to_ours(self, config: MobileViTConfig, state: dict, our_keys) -> dict[str, torch.Tensor]:
        """Rename (and re-fuse q/k/v) a checkpoint already checked against ``expected_shapes``."""
        out = {}
        for ours, theirs in self.key_map(config, our_keys).items():
            if isinstance(theirs, tuple):
                out[ours] = torch.cat([state[key] for key in theirs], dim=0)
            else:
                out[ours] = state[theirs]
        return out

    def from_ours(self, config: MobileViTConfig, state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Our state dict written in this layout (how tests produce foreign checkpoints)."""
        out = {}
        for ours, theirs in self.key_map(config, state).items():
            if isinstance(theirs, tuple):
                for key, part in zip(theirs, torch.chunk(state[ours], 3, dim=0)):
                    out[key] = part.clone()
            else:
                out[theirs] = state[ours]
        return out


LAYOUTS: dict[str, CheckpointLayout] = {
    "ml-cvnets": CheckpointLayout(
        "ml-cvnets", "Apple's ml-cvnets .pt files (our own module names)", None, None),
    "hf": CheckpointLayout(
        "hf", "Hugging Face transformers MobileViT/MobileViTV2ForImageClassification",
        tuple(_HF_V1), tuple(_HF_V2)),
    "timm": CheckpointLayout("timm", "timm mobilevit_* / mobilevitv2_* state dicts", tuple(_TIMM), tuple(_TIMM)),
}
