"""Class labels shipped with the package (no download): ImageNet-1k in class-index order."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from models.config import MobileViTConfig
from models.errors import ModelError


@lru_cache(maxsize=None)
def _read(filename: str) -> tuple[str, ...]:
    text = resources.files("models").joinpath("data", filename).read_text(encoding="utf-8")
    rows = [line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(label for _synset, label in rows)


def load_labels(config: MobileViTConfig) -> list[str]:
    """One human-readable label per output class, e.g. ``"tabby, tabby cat"`` for class 281."""
    labels = list(_read(config.labels_file))
    if len(labels) != config.num_classes:
        raise ModelError(f"{config.labels_file} has {len(labels)} labels, {config.name} has {config.num_classes} classes")
    return labels
