"""Console scripts of MobileViT Deploy: each runs one stage's ``python -m`` CLI from the checkout.

The stages are top-level folders of the repository (``models``, ``export``, ``runtimes``,
``devices``, ``benchmarks``). Installed as top-level packages, ``models`` and ``export`` would
shadow, or be shadowed by, any other project with the same names in the environment. So the
distribution installs only this uniquely named module (editable, ``pip install -e <checkout>``),
and each script finds the checkout beside it, puts it first on ``sys.path`` and on ``PYTHONPATH``
(the benchmarks start ``python -m benchmarks.latency`` children, which must find the stages
whatever the user's working directory is), and runs the stage's module as ``python -m`` would.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

# console script -> the module it runs with ``-m`` (the Makefile targets run the same modules).
SCRIPTS = {
    "mobilevit-info": "models.info",
    "mobilevit-export": "export",
    "mobilevit-inspect": "export.inspect_artifact",
    "mobilevit-bench": "benchmarks.bench",
    "mobilevit-study": "benchmarks.study",
    "mobilevit-study-report": "benchmarks.study_report",
    "mobilevit-report": "benchmarks.report",
    "mobilevit-bench-ssh": "devices.board",
    "mobilevit-bench-android": "devices.android",
    "mobilevit-bench-ios": "devices.ios",
}

# A file only a checkout has: without it the stages are not beside this module (a non-editable
# install copies this file alone into site-packages).
_CHECKOUT_MARKER = Path("models") / "registry.py"


def checkout_root() -> Path:
    """The repository this module was installed from (editable install: the folder holding it)."""
    return Path(__file__).resolve().parent


def run(script: str, module: str) -> None:
    root = checkout_root()
    if not (root / _CHECKOUT_MARKER).is_file():
        print(f"{script}: mobilevit-deploy runs from its checkout ({root} has no {_CHECKOUT_MARKER.as_posix()}): "
              "install it with `pip install -e <checkout>`.", file=sys.stderr)
        sys.exit(2)
    sys.path.insert(0, str(root))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    from models import command_line

    command_line.invoked_as = script  # usage and help name the script the user typed
    # alter_sys makes the module ``__main__`` for the run and sets argv[0] to its file, as ``-m`` does.
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def _entry(script: str):
    module = SCRIPTS[script]

    def main() -> None:
        run(script, module)

    main.__name__ = main.__qualname__ = script.replace("-", "_")
    main.__doc__ = f"``{script}``: ``python -m {module}`` from the checkout."
    main.module = module  # read by tests/test_install_layout.py
    return main


info = _entry("mobilevit-info")
export = _entry("mobilevit-export")
inspect_artifact = _entry("mobilevit-inspect")
bench = _entry("mobilevit-bench")
study = _entry("mobilevit-study")
study_report = _entry("mobilevit-study-report")
report = _entry("mobilevit-report")
bench_ssh = _entry("mobilevit-bench-ssh")
bench_android = _entry("mobilevit-bench-android")
bench_ios = _entry("mobilevit-bench-ios")
