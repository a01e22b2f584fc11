"""Every runtime the project knows, in one table: which artifacts it runs, where it can run, and
how to import it.

The export gate, the latency harness and the device harnesses all choose runtimes here, by name
or by artifact suffix. Entries name their module instead of importing it, so asking which
runtime to use never imports onnxruntime, LiteRT or coremltools; and a board's runner, which
carries only the modules its runtimes need, reads the same table.
"""

from __future__ import annotations

import importlib
import platform
from dataclasses import dataclass
from pathlib import Path

from runtimes.base import Runtime, RuntimeUnavailable


class UnknownRuntimeError(RuntimeUnavailable):
    """A runtime name or artifact suffix no entry has."""


@dataclass(frozen=True)
class RuntimeEntry:
    name: str
    #: The artifact format it runs (``export``'s format names); None: it runs a ``models`` network.
    format: str | None
    #: Artifact file suffixes it opens.
    suffixes: tuple[str, ...]
    module: str
    class_name: str
    #: True for an app's runtime, which the benchmarks time; False for a checker such as the MIL
    #: evaluator, which computes an artifact only to validate it.
    timed: bool = True
    #: Runs on a Linux board from the runner zipapp (NumPy and its own package only, no torch).
    board: bool = False
    #: Operating systems (``platform.system()``) where it can exist; empty: everywhere.
    systems: tuple[str, ...] = ()

    def available_here(self) -> bool:
        return not self.systems or platform.system() in self.systems

    def import_libraries(self) -> None:
        """Import the runtime's own packages (so a measurement's clock and memory do not count
        them), or raise :class:`RuntimeUnavailable` saying what to install."""
        try:
            module = importlib.import_module(self.module)
        except ImportError as exc:
            raise RuntimeUnavailable(f"{self.name} cannot be imported for this Python: {exc}") from None
        module.import_libraries()

    def open(self, target, **options) -> Runtime:
        """The runtime for ``target``: an artifact path, or for PyTorch eager a network."""
        self.import_libraries()
        return getattr(importlib.import_module(self.module), self.class_name)(target, **options)


RUNTIMES: dict[str, RuntimeEntry] = {entry.name: entry for entry in (
    RuntimeEntry("onnxruntime", "onnx", (".onnx",), "runtimes.onnxruntime_runtime", "OnnxRuntime", board=True),
    RuntimeEntry("litert", "tflite", (".tflite",), "runtimes.litert_runtime", "LiteRTRuntime", board=True),
    RuntimeEntry("coreml", "coreml", (".mlpackage", ".mlmodel"), "runtimes.coreml_runtime", "CoreMLRuntime",
                 systems=("Darwin",)),
    RuntimeEntry("mil-evaluator", "coreml", (".mlpackage",), "runtimes.mil_evaluator", "MILEvaluatorRuntime",
                 timed=False),
    RuntimeEntry("torch-eager", None, (), "runtimes.torch_runtime", "TorchEagerRuntime"),
)}


def get_runtime(name: str) -> RuntimeEntry:
    if name not in RUNTIMES:
        raise UnknownRuntimeError(f"unknown runtime {name!r}; known: {', '.join(RUNTIMES)}")
    return RUNTIMES[name]


def timed_runtimes() -> tuple[str, ...]:
    """The runtimes a benchmark can time, wherever they exist."""
    return tuple(name for name, entry in RUNTIMES.items() if entry.timed)


def board_runtimes() -> tuple[str, ...]:
    return tuple(name for name, entry in RUNTIMES.items() if entry.board)


def runtime_for_suffix(suffix: str) -> RuntimeEntry:
    """The app runtime that opens files ending in ``suffix``."""
    for entry in RUNTIMES.values():
        if entry.timed and suffix in entry.suffixes:
            return entry
    known = sorted({s for entry in RUNTIMES.values() for s in entry.suffixes})
    raise UnknownRuntimeError(f"no runtime opens {suffix or 'files without a suffix'!r} files; expected one of "
                              f"{', '.join(known)}")


def load_runtime(path: str | Path, runtime: str | None = None, **options) -> Runtime:
    """Open the artifact at ``path`` in ``runtime`` (by default its app runtime, from its suffix)."""
    path = Path(path)
    entry = get_runtime(runtime) if runtime else runtime_for_suffix(path.suffix)
    return entry.open(path, **options)
