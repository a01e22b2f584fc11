"""The self-contained runner a board receives: the desktop measurement code, zipped.

A board gets exactly what times a model on this machine (``benchmarks.latency`` and the runtime
wrappers), packed with :mod:`zipapp` into one file it runs with its own Python; it needs only
NumPy and the runtime (onnxruntime, ai-edge-litert or tflite-runtime) installed there, not torch or
the converters. Same code, so a board's row and a desktop's row mean the same thing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from runtimes.registry import board_runtimes

ROOT = Path(__file__).resolve().parents[2]

#: The modules the measurement imports (``benchmarks.latency`` imports the zoo only for PyTorch eager).
MODULES = ("benchmarks/__init__.py", "benchmarks/errors.py", "benchmarks/latency.py", "benchmarks/statistics.py",
           "models/errors.py", "runtimes/__init__.py", "runtimes/base.py", "runtimes/registry.py",
           "runtimes/onnxruntime_runtime.py", "runtimes/litert_runtime.py")

#: Files the runner gets in place of the checkout's: the zoo's package would import torch, and the
#: runner needs only the project's error base from it.
REPLACED = {"models/__init__.py": '"""The error base only: the zoo itself stays on the desktop."""\n'}

_MAIN = '''import runpy
runpy.run_module("benchmarks.latency", run_name="__main__", alter_sys=True)
'''

#: Runtimes a board can take (Core ML exists only on Apple devices, PyTorch eager would need torch there).
BOARD_RUNTIMES = board_runtimes()


def build_runner(path: Path) -> Path:
    """Write the runner to ``path``: a zip with ``__main__.py`` that ``python3 path JOBJSON`` runs.

    Entries carry a fixed timestamp, so the same sources give the same bytes.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        sources = [("__main__.py", _MAIN), *REPLACED.items(), *((m, (ROOT / m).read_text()) for m in MODULES)]
        for name, text in sources:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)
    return path
