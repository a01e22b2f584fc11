"""The model and its template in the Swift test target's resources, for one run and never longer.

The on-device test finds its model among the test bundle's resources, which SwiftPM copies from
``Tests/MobileViTBenchTests/Staged/`` at build time; so the model goes there right before ``xcodebuild test``
and is removed afterwards, whatever happened: a model left there would be bundled into every later build.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from devices.ios.swift_package import STAGED_DIR, STAGED_KEEP, STAGED_MODEL, STAGED_TEMPLATE
from devices.transports import DeviceError
from export.manifest import atomic_write_text


def clear_staged(directory: Path = STAGED_DIR) -> None:
    """Remove everything staged for a run, keeping the committed README."""
    for item in Path(directory).iterdir():
        if item.name in STAGED_KEEP:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


@contextlib.contextmanager
def staged(model: Path, template: dict, directory: Path = STAGED_DIR) -> Iterator[Path]:
    """The model and its template in the test target's resources for the duration of one run; removed
    afterwards whatever happened (leftovers of an earlier, killed run are removed first)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DeviceError(f"{directory} is missing; restore it (`git checkout -- {directory}`): the Swift package "
                          "declares it as a resource of its test target")
    clear_staged(directory)
    try:
        model = Path(model)
        if model.is_dir():
            shutil.copytree(model, directory / STAGED_MODEL)
        else:
            raise DeviceError(f"{model} is not an .mlpackage directory")
        atomic_write_text(directory / STAGED_TEMPLATE, json.dumps(template, indent=1, sort_keys=True) + "\n")
        yield directory
    finally:
        clear_staged(directory)
