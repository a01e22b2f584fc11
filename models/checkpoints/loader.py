"""Load a local checkpoint into a model: file format and key layout detected, loading strict.

Formats: safetensors (preferred: no code runs on load), or a torch pickle read with
``weights_only=True`` (ml-cvnets ``.pt``, HF ``pytorch_model.bin``, timm ``.pth``). A directory is
searched for ``model.safetensors``, then ``pytorch_model.bin``, then a single ``*.pt``/``*.pth``.
Nothing is ever downloaded here.
"""

from __future__ import annotations

from pathlib import Path

import torch

from models.checkpoints.layouts import LAYOUTS, CheckpointLayout
from models.errors import CheckpointError

#: Buffers with no effect on inference; their presence differs between exporters of checkpoints.
_OPTIONAL_SUFFIXES = ("num_batches_tracked",)
_MAX_LISTED = 12


def find_checkpoint_file(path: Path) -> Path:
    if not path.exists():
        raise CheckpointError(f"Checkpoint {str(path)!r} does not exist.")
    if path.is_file():
        return path
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (path / name).is_file():
            return path / name
    candidates = sorted(p for p in path.iterdir() if p.suffix in (".pt", ".pth", ".safetensors", ".bin"))
    if len(candidates) == 1:
        return candidates[0]
    raise CheckpointError(
        f"Checkpoint directory {str(path)!r} has no model.safetensors or pytorch_model.bin and "
        f"{'several' if candidates else 'no'} .pt/.pth/.safetensors/.bin files"
        + (f" ({', '.join(p.name for p in candidates)}); pass the file itself." if candidates else ".")
    )


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a checkpoint file or directory, unwrapped from training containers."""
    file = find_checkpoint_file(Path(path))
    try:
        if file.suffix == ".safetensors":
            from safetensors.torch import load_file

            state = load_file(str(file), device="cpu")
        else:
            state = torch.load(file, map_location="cpu", weights_only=True)
    except Exception as exc:  # arbitrary bytes make the readers fail in arbitrary ways
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(
            f"Cannot read checkpoint {str(file)!r}: {first_line}. The file is corrupt, truncated, or not "
            "a safetensors/PyTorch weights file (pickles holding arbitrary objects are refused: "
            "torch.load runs with weights_only=True)."
        ) from exc
    for wrapper in ("state_dict", "model_state_dict", "model", "module"):
        if isinstance(state, dict) and isinstance(state.get(wrapper), dict):
            state = state[wrapper]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"Checkpoint {str(file)!r} does not hold a state dict of tensors.")
    for prefix in ("module.", "encoder."):  # DistributedDataParallel; ml-cvnets' encoder wrapper
        if state and all(k.startswith(prefix) for k in state):
            state = {k[len(prefix):]: v for k, v in state.items()}
    return state


def _essential(keys) -> set[str]:
    return {k for k in keys if not k.endswith(_OPTIONAL_SUFFIXES)}


def detect_layout(model: torch.nn.Module, state: dict) -> CheckpointLayout:
    """The layout whose expected keys overlap the checkpoint's the most."""
    our_shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    given = _essential(state)
    best, best_score = None, 0.0
    for layout in LAYOUTS.values():
        expected = _essential(layout.expected_shapes(model.config, our_shapes))
        score = len(expected & given) / max(len(expected), 1)
        if score > best_score:
            best, best_score = layout, score
    if best is None or best_score < 0.5:
        sample = ", ".join(sorted(given)[:5])
        raise CheckpointError(
            f"The checkpoint's keys match no known MobileViT layout ({', '.join(LAYOUTS)}) for "
            f"{model.config.name}: at best {best_score:.0%} of the expected keys are present. "
            f"First keys: {sample}."
        )
    return best


def _listing(items: list[str]) -> str:
    shown = items[:_MAX_LISTED]
    more = f" ... and {len(items) - len(shown)} more" if len(items) > len(shown) else ""
    return "\n    " + "\n    ".join(shown) + more


def load_checkpoint(model: torch.nn.Module, path: str | Path, layout: str | None = None) -> CheckpointLayout:
    """Load ``path`` into ``model`` strictly; returns the layout it was read as.

    Any missing or unexpected key, or any shape mismatch, raises one :class:`CheckpointError`
    that lists them all, so a checkpoint of another variant is never half-loaded.
    """
    state = read_state_dict(path)
    if layout is not None:
        if layout not in LAYOUTS:
            raise CheckpointError(f"Unknown checkpoint layout {layout!r}; known: {', '.join(LAYOUTS)}.")
        chosen = LAYOUTS[layout]
    else:
        chosen = detect_layout(model, state)
    our_state = model.state_dict()
    our_shapes = {k: tuple(v.shape) for k, v in our_state.items()}
    expected = chosen.expected_shapes(model.config, our_shapes)
    missing = sorted(_essential(expected) - set(state))
    unexpected = sorted(_essential(state) - set(expected))
    mismatched = sorted(
        f"{k}: checkpoint {tuple(state[k].shape)} vs model {expected[k]}"
        for k in set(expected) & set(state)
        if tuple(state[k].shape) != expected[k]
    )
    if missing or unexpected or mismatched:
        parts = [f"Checkpoint {str(path)!r} ({chosen.name} layout) does not fit {model.config.name}:"]
        if missing:
            parts.append(f"  {len(missing)} missing keys:{_listing(missing)}")
        if unexpected:
            parts.append(f"  {len(unexpected)} unexpected keys:{_listing(unexpected)}")
        if mismatched:
            parts.append(f"  {len(mismatched)} shape mismatches:{_listing(mismatched)}")
        parts.append("  Is it a checkpoint of another variant or width? Pass the matching MODEL.")
        raise CheckpointError("\n".join(parts))
    absent = [key for key in expected if key not in state]
    if absent:  # optional buffers the checkpoint lacks keep the model's values
        defaults = chosen.from_ours(model.config, our_state)
        state = {**state, **{key: defaults[key] for key in absent}}
    converted = chosen.to_ours(model.config, state, our_state)
    converted = {k: v.to(our_state[k].dtype) for k, v in converted.items()}
    model.load_state_dict(converted, strict=True)
    return chosen
