"""What every command of the project shares: consoles, one error paragraph, exit codes.

Every error raised for a user derives from ``models.errors.MobileViTDeployError``, so a command
catches that one type, prints its message as one paragraph and exits 2; Ctrl-C exits 130 with
one line instead of a traceback. It lives in ``models`` because that is the bottom of the
pipeline: every stage's command can import it.

Importing it also sets the environment that keeps converters' own progress bars and C++ logs
quiet (they read it when they are first imported, so commands import this module first): ours
is the display the user reads.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable

from rich.console import Console

from models.errors import MobileViTDeployError

os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("GLOG_minloglevel", "3")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: The console script that started this process (set by the ``mobilevit_deploy`` launcher), if any.
invoked_as: str | None = None


def command_parser(module: str, doc: str, **options) -> argparse.ArgumentParser:
    """The parser of the command ``python -m module``, named as the user called it (a console script
    such as ``mobilevit-export``, or ``python -m export``) and described by the first line of ``doc``."""
    prog = invoked_as or f"python -m {module}"
    return argparse.ArgumentParser(prog=prog, description=(doc or "").strip().split("\n")[0], **options)


def output_console(width: int = 160) -> Console:
    """stdout; not a terminal (CI logs, ``make | tee``): wide, so tables are not squeezed into 80 columns."""
    return Console() if sys.stdout.isatty() else Console(width=width)


def error_console() -> Console:
    return Console(stderr=True, soft_wrap=True)


def print_error(message: object, errors: Console | None = None) -> None:
    (errors or error_console()).print(f"[red]error:[/red] {message}", highlight=False)


def run_command(body: Callable[[], int], interrupted: str = "nothing more was written") -> int:
    """``body()``'s exit code; a project error becomes one paragraph and exit 2, Ctrl-C exit 130."""
    try:
        return body()
    except MobileViTDeployError as exc:
        print_error(exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        error_console().print(f"[red]interrupted[/red]: {interrupted}", highlight=False)
        return EXIT_INTERRUPTED
