"""Reference PyTorch MobileViT v1/v2: the registry of variants, the network, counts, checkpoints.

Typical use::

    from models import get_config, create_model
    model = create_model("mobilevit_v2_1.0", weights="mobilevitv2-1.0.pt")
"""

from __future__ import annotations

from pathlib import Path

from models.checkpoints import load_checkpoint
from models.config import MobileViTConfig, Preprocessing
from models.counts import count
from models.errors import CheckpointError, InvalidFactorsError, ModelError, UnknownModelError
from models.labels import load_labels
from models.network import MobileViT, build_model
from models.registry import DEFAULT_MODEL, VARIANTS, get_config, list_variants, resolve_name


def create_model(
    name: str | MobileViTConfig, weights: str | Path | None = None, seed: int = 0, **factors
) -> MobileViT:
    """An eval-mode model of variant ``name`` (with optional global factors), loaded from
    ``weights`` if given, else with deterministic random weights from ``seed``."""
    config = name if isinstance(name, MobileViTConfig) else get_config(name, **factors)
    model = build_model(config, seed=seed)
    if weights is not None:
        load_checkpoint(model, weights)
    return model


__all__ = [
    "DEFAULT_MODEL", "VARIANTS", "CheckpointError", "InvalidFactorsError", "MobileViT", "MobileViTConfig",
    "ModelError", "Preprocessing", "UnknownModelError", "build_model", "count", "create_model", "get_config",
    "list_variants", "load_checkpoint", "load_labels", "resolve_name",
]
