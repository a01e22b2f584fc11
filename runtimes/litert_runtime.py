"""TFLite artifacts in the LiteRT interpreter (XNNPACK delegate on CPU, as on Android)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runtimes.base import RuntimeUnavailable, platform_facts


def interpreter_module():
    """LiteRT's interpreter module; on boards the older ``tflite-runtime`` wheel serves as well."""
    try:
        import ai_edge_litert.interpreter as module
    except ImportError:
        try:
            import tflite_runtime.interpreter as module
        except ImportError:
            raise RuntimeUnavailable("LiteRT is not installed for this Python: pip install ai-edge-litert "
                                     "(or tflite-runtime)") from None
        if int(np.__version__.split(".")[0]) >= 2:  # its last release (2.14) predates NumPy 2 and fails obscurely
            raise RuntimeUnavailable(f"tflite-runtime is built for NumPy 1.x and this Python has NumPy "
                                     f"{np.__version__}: pip install 'numpy<2' (or use ai-edge-litert)")
    return module


def import_libraries() -> None:
    interpreter_module()


class LiteRTRuntime:
    name = "litert"

    def __init__(self, path: str | Path, threads: int | None = None) -> None:
        module = interpreter_module()
        self.threads, self._package = threads, module.__name__.split(".")[0]
        self.interpreter = module.Interpreter(model_path=str(path), num_threads=threads or 1)
        self.interpreter.allocate_tensors()
        self._input = self.interpreter.get_input_details()[0]
        self._output = self.interpreter.get_output_details()[0]

    def run(self, batch: np.ndarray) -> np.ndarray:
        """One invoke per image: the artifact has a fixed batch of one, as apps run it."""
        outputs = []
        for image in np.asarray(batch, dtype=np.float32):
            self.interpreter.set_tensor(self._input["index"], image[None])
            self.interpreter.invoke()
            outputs.append(self.interpreter.get_tensor(self._output["index"])[0].copy())
        return np.stack(outputs)

    def describe(self) -> dict:
        import importlib

        version = getattr(importlib.import_module(self._package), "__version__", None)
        return {"runtime": self.name, "package": self._package, "version": version, "delegate": "XNNPACK",
                "threads": self.threads or 1, **platform_facts()}
