"""The one interface every runtime implements, and what it says when it cannot exist here.

Which runtime runs which artifact is :mod:`runtimes.registry`'s business; this module imports no
runtime, so every concrete runtime can import it without a circle.
"""

from __future__ import annotations

import os
import platform
from typing import Protocol

import numpy as np

from models.errors import MobileViTDeployError


class RuntimeUnavailable(MobileViTDeployError, RuntimeError):
    """This runtime cannot exist on this platform (e.g. Core ML prediction off macOS), or its
    package is not installed for this Python."""


class RuntimeOptionError(MobileViTDeployError, ValueError):
    """An option a runtime does not take (names it and the choices)."""


class Runtime(Protocol):
    name: str

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Primary output for ``batch`` (layout as the artifact declares), float32 [batch, classes]."""

    def describe(self) -> dict:
        """What it ran on: runtime version, threads, providers/delegates, platform."""


def platform_facts() -> dict:
    return {"system": platform.system(), "machine": platform.machine(), "python": platform.python_version(),
            "logical_cores": os.cpu_count()}
