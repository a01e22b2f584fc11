"""This machine as a device: the harness logic runs unchanged, and the tests exercise it for real."""

from __future__ import annotations

import platform
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from devices.transports.base import CommandResult, CommandTimeout, TransferError, Transport, run_local


class LocalTransport(Transport):
    kind = "local"

    def __init__(self, root: str | None = None) -> None:
        self.label = platform.node() or "localhost"
        self._root = root or tempfile.gettempdir()

    def temp_root(self) -> str:
        return self._root

    def push(self, local: Path, remote: str) -> None:
        self._copy(Path(local), Path(remote))

    def _copy(self, source: Path, target: Path) -> None:
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            raise TransferError(f"{self.label}: cannot copy {source} to {target}: {exc.strerror}") from None

    def run(self, argv: Sequence[str], timeout: float, cwd: str | None = None) -> CommandResult:
        command = " ".join(argv)
        try:
            code, out, err, seconds = run_local(argv, timeout, cwd=cwd)
        except FileNotFoundError:
            return CommandResult(command, 127, "", f"{argv[0]}: not found", 0.0)
        except OSError as exc:  # not executable, wrong architecture: what a shell reports as 126
            return CommandResult(command, 126, "", f"{argv[0]}: {exc.strerror}", 0.0)
        except subprocess.TimeoutExpired:
            raise CommandTimeout(f"{self.label}: {argv[0]} did not finish within {timeout:.0f} s and was "
                                 "stopped") from None
        return CommandResult(command, code, out, err, seconds)

    def describe(self) -> dict:
        from benchmarks.environment import describe_environment

        env = describe_environment()
        return {"name": env["cpu"], "os": env["system"], "cpu": env["cpu"], "abi": env["machine"]}
