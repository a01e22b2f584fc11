"""TFLite artifacts in the LiteRT interpreter (XNNPACK delegate on CPU, as on Android)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runtimes.base import platform_facts


class LiteRTRuntime:
    name = "litert"

    def __init__(self, path: str | Path, threads: int | None = None) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.threads = threads
        self.interpreter = Interpreter(model_path=str(path), num_threads=threads or 1)
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
        import ai_edge_litert

        version = getattr(ai_edge_litert, "__version__", None)
        return {"runtime": self.name, "version": version, "delegate": "XNNPACK", "threads": self.threads or 1,
                **platform_facts()}
