"""ONNX artifacts in onnxruntime's CPU execution provider."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runtimes.base import RuntimeUnavailable, platform_facts

_LEVELS = {"disable": "ORT_DISABLE_ALL", "basic": "ORT_ENABLE_BASIC", "extended": "ORT_ENABLE_EXTENDED",
           "all": "ORT_ENABLE_ALL"}


def onnxruntime_module():
    """onnxruntime itself, or a clear refusal where this Python (a board's, say) lacks it."""
    try:
        import onnxruntime
    except ImportError:
        raise RuntimeUnavailable("onnxruntime is not installed for this Python: pip install onnxruntime") from None
    return onnxruntime


def import_libraries() -> None:
    onnxruntime_module()


class OnnxRuntime:
    name = "onnxruntime"

    def __init__(self, path: str | Path, threads: int | None = None, optimization: str = "all") -> None:
        ort = onnxruntime_module()
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, _LEVELS[optimization])
        options.log_severity_level = 3
        self.threads, self.optimization = threads, optimization
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.fixed_batch = self.session.get_inputs()[0].shape[0] == 1
        self._version = ort.__version__

    def run(self, batch: np.ndarray) -> np.ndarray:
        batch = np.ascontiguousarray(batch, dtype=np.float32)
        if self.fixed_batch and len(batch) > 1:  # a batch-1 artifact runs image by image, as an app would
            return np.concatenate([self.run(image[None]) for image in batch])
        return self.session.run(None, {self.input_name: batch})[0]

    def describe(self) -> dict:
        return {"runtime": self.name, "version": self._version, "provider": "CPUExecutionProvider",
                "threads": self.threads, "optimization": self.optimization, **platform_facts()}
