"""The one interface every runtime implements, and the dispatch from artifact to runtime."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Protocol

import numpy as np


class RuntimeUnavailable(RuntimeError):
    """This runtime cannot exist on this platform (e.g. Core ML prediction off macOS)."""


class Runtime(Protocol):
    name: str

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Primary output for ``batch`` (layout as the artifact declares), float32 [batch, classes]."""

    def describe(self) -> dict:
        """What it ran on: runtime version, threads, providers/delegates, platform."""


def platform_facts() -> dict:
    return {"system": platform.system(), "machine": platform.machine(), "python": platform.python_version(),
            "logical_cores": os.cpu_count()}


def load_runtime(path: str | Path, **options) -> Runtime:
    """The runtime for an artifact, chosen by its suffix."""
    path = Path(path)
    if path.suffix == ".onnx":
        from runtimes.onnxruntime_runtime import OnnxRuntime

        return OnnxRuntime(path, **options)
    if path.suffix == ".tflite":
        from runtimes.litert_runtime import LiteRTRuntime

        return LiteRTRuntime(path, **options)
    if path.suffix in (".mlpackage", ".mlmodel"):
        from runtimes.coreml_runtime import CoreMLRuntime

        return CoreMLRuntime(path, **options)
    raise ValueError(f"No runtime for {path.name!r}: expected .onnx, .tflite or .mlpackage")
