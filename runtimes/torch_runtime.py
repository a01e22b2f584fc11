"""PyTorch eager on CPU: the reference every artifact is compared with, timed the same way."""

from __future__ import annotations

import numpy as np
import torch

from runtimes.base import platform_facts


def import_libraries() -> None:
    """torch came with this module; eager runs build their network from the zoo."""
    import models  # noqa: F401


class TorchEagerRuntime:
    """Runs a ``models`` network directly; input NCHW float32 RGB-or-BGR as the model was built."""

    name = "torch-eager"

    def __init__(self, model: torch.nn.Module, threads: int | None = None) -> None:
        self.model = model.eval()
        self.threads = threads
        if threads:
            torch.set_num_threads(threads)

    def run(self, batch: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return self.model(torch.from_numpy(np.ascontiguousarray(batch, dtype=np.float32))).numpy()

    def describe(self) -> dict:
        return {"runtime": self.name, "version": torch.__version__, "threads": torch.get_num_threads(),
                **platform_facts()}
