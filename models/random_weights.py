"""Deterministic, layout-independent weights for cross-implementation parity tests.

Why this exists: HF's default init gives MobileViT logits of ~1e-40, so a parity test on it
compares zeros. These weights keep activations and logits of order 1, and they are a pure
function of (key names, shapes, seed): a fixture recorded with another implementation (timm,
HF) only needs its key/shape list and the seed, not megabytes of tensors, to be regenerated here.
"""

from __future__ import annotations

import math

import torch


def synthetic_state_dict(shapes: dict[str, list[int]], seed: int = 0) -> dict[str, torch.Tensor]:
    """Weights for ``shapes`` drawn in sorted-key order from one seeded generator.

    Rules depend only on a key's suffix and rank, so every layout gets the same kind of values:
    matrices and kernels have variance 1/fan_in (uniform), 1-D ``weight`` (norm scales) sit near
    1, biases and running means near 0, running variances in [0.75, 1.25].
    """
    generator = torch.Generator().manual_seed(seed)

    def uniform(shape, low, high):
        return torch.rand(shape, generator=generator, dtype=torch.float32) * (high - low) + low

    state = {}
    for name in sorted(shapes):
        shape = list(shapes[name])
        if name.endswith("num_batches_tracked"):
            state[name] = torch.tensor(0, dtype=torch.long)
        elif name.endswith("running_var"):
            state[name] = uniform(shape, 0.75, 1.25)
        elif name.endswith("running_mean"):
            state[name] = uniform(shape, -0.1, 0.1)
        elif len(shape) >= 2:
            fan_in = math.prod(shape[1:])
            bound = math.sqrt(3.0 / fan_in)
            state[name] = uniform(shape, -bound, bound)
        elif name.endswith("weight"):
            state[name] = uniform(shape, 0.9, 1.1)
        else:
            state[name] = uniform(shape, -0.1, 0.1)
    return state


def synthetic_image(resolution: int = 256, seed: int = 0, batch: int = 1) -> torch.Tensor:
    """A [batch, 3, res, res] input in [0, 1], the range MobileViT checkpoints were trained on."""
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(batch, 3, resolution, resolution, generator=generator, dtype=torch.float32)
