"""The images every parity gate runs: noise and real photos, preprocessed as the model expects.

Real photos come from scikit-image's wheel (no download): a cat, a coffee cup, an astronaut. They
are resized (shorter side, bicubic) and center-cropped per the config's preprocessing, and kept as
uint8 RGB: the exact pixels an app would hand over, from which every format's input is derived.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.config import MobileViTConfig

PHOTOS = ("chelsea", "coffee", "astronaut")


@dataclass(frozen=True)
class SampleImage:
    name: str
    rgb: np.ndarray  # uint8 [H, W, 3]
    real: bool


def preprocess_photo(photo: np.ndarray, config: MobileViTConfig) -> np.ndarray:
    """Resize the shorter side and center-crop to ``config.resolution`` (uint8 RGB in, out)."""
    from PIL import Image

    resolution = config.resolution
    shorter = config.preprocessing.resize_shorter_side(resolution)
    image = Image.fromarray(photo)
    width, height = image.size
    scale = shorter / min(width, height)
    image = image.resize((max(shorter, round(width * scale)), max(shorter, round(height * scale))),
                         Image.Resampling.BICUBIC)
    width, height = image.size
    left, top = (width - resolution) // 2, (height - resolution) // 2
    return np.asarray(image.crop((left, top, left + resolution, top + resolution)), dtype=np.uint8)


def sample_images(config: MobileViTConfig, noise: int = 2, seed: int = 0) -> list[SampleImage]:
    import skimage.data

    rng = np.random.default_rng(seed)
    images = [
        SampleImage(f"noise{i}", rng.integers(0, 256, (config.resolution, config.resolution, 3), dtype=np.uint8), False)
        for i in range(noise)
    ]
    for name in PHOTOS:
        images.append(SampleImage(name, preprocess_photo(getattr(skimage.data, name)(), config), True))
    return images
