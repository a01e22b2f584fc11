"""Core ML artifacts through ``MLModel.predict``: macOS only, so elsewhere it refuses clearly.

Where Core ML cannot run, the project's MIL evaluator (``runtimes.mil_evaluator``) computes the
program in NumPy instead; on macOS the export gate uses both.
"""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np

from runtimes.base import RuntimeOptionError, RuntimeUnavailable, platform_facts
from runtimes.coreml_spec import classifier_labels

COMPUTE_UNITS = ("CPU_ONLY", "CPU_AND_GPU", "CPU_AND_NE", "ALL")


def require_macos() -> None:
    """Refuse where ``MLModel.predict`` does not exist, before anyone exports or loads for it."""
    if platform.system() != "Darwin":
        raise RuntimeUnavailable(
            f"Core ML prediction needs macOS; this is {platform.system()}. The MIL evaluator computes the "
            "program here instead; run the tests on a Mac to compare MLModel.predict as well."
        )


def import_libraries() -> None:
    require_macos()
    try:
        import coremltools  # noqa: F401
    except ImportError:
        raise RuntimeUnavailable("coremltools is not installed for this Python: pip install coremltools") from None


class CoreMLRuntime:
    name = "coreml"

    def __init__(self, path: str | Path, compute_units: str = "CPU_ONLY") -> None:
        require_macos()
        import coremltools as ct

        if compute_units not in COMPUTE_UNITS:
            raise RuntimeOptionError(f"compute_units must be one of {COMPUTE_UNITS}, got {compute_units!r}")
        self.compute_units = compute_units
        self.model = ct.models.MLModel(str(path), compute_units=getattr(ct.ComputeUnit, compute_units))
        spec = self.model.get_spec()
        self.input_name = spec.description.input[0].name
        self.probabilities_name = spec.description.predictedProbabilitiesName
        self.labels = classifier_labels(spec)
        self._version = ct.__version__

    def run(self, batch: np.ndarray) -> np.ndarray:
        """``batch``: uint8 RGB images ``[N, H, W, 3]``; returns class probabilities in label order."""
        from PIL import Image

        rows = []
        for image in np.asarray(batch, dtype=np.uint8):
            result = self.model.predict({self.input_name: Image.fromarray(image, "RGB")})
            probabilities = result[self.probabilities_name]
            rows.append([probabilities[label] for label in self.labels])
        return np.asarray(rows, dtype=np.float32)

    def describe(self) -> dict:
        return {"runtime": self.name, "version": self._version, "compute_units": self.compute_units,
                **platform_facts()}
