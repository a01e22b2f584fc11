"""The transport interface, its errors, and what every shell-reached device shares.

Errors say what happened on which device and what to do; they never carry a traceback from
``subprocess``. Every remote command runs under the device's own ``timeout`` so a command that
hangs is killed *there*: dropping an SSH or adb connection does not stop a process without a tty.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.errors import MobileViTDeployError

#: Seconds the local client waits beyond a remote command's own timeout before giving up on the link.
LINK_GRACE_S = 15.0
#: Exit status of coreutils/busybox/toybox ``timeout`` when it stopped the command (TERM, then KILL).
TIMEOUT_STATUSES = (124, 137)


class DeviceError(MobileViTDeployError, RuntimeError):
    """Something on or about a device went wrong; the message is meant for the user as is."""


class DeviceNotFound(DeviceError):
    """No usable device (none attached, unauthorised, ambiguous, unknown serial or host)."""


class DeviceUnreachable(DeviceError):
    """The link failed: connection refused or lost mid-run, device went offline."""


class CommandTimeout(DeviceError):
    """A command ran past its timeout and was stopped."""


class TransferError(DeviceError):
    """A push failed, or a working directory could not be made or removed (out of storage, permissions,
    missing file)."""


@dataclass(frozen=True)
class CommandResult:
    command: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 8) -> str:
        """The last lines of the output, for error messages."""
        text = (self.stderr.strip() + "\n" + self.stdout.strip()).strip()
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"


class Transport(ABC):
    #: ``local``, ``ssh`` or ``adb``: recorded in result rows.
    kind: str = ""
    #: Who the device is, for messages: a host, a serial.
    label: str = ""

    @abstractmethod
    def push(self, local: Path, remote: str) -> None:
        """Copy a local file to ``remote`` (a file path on the device)."""

    @abstractmethod
    def run(self, argv: Sequence[str], timeout: float, cwd: str | None = None) -> CommandResult:
        """Run ``argv`` on the device; non-zero exits are returned, a timeout raises :class:`CommandTimeout`."""

    @abstractmethod
    def describe(self) -> dict:
        """Facts about the device: ``name``, ``os``, ``cpu``, ``abi`` (``None`` where unknown)."""

    @abstractmethod
    def temp_root(self) -> str:
        """A directory on the device where a harness may create its working directory."""

    @contextlib.contextmanager
    def workspace(self, prefix: str = "mobilevit-deploy") -> Iterator[str]:
        """A fresh directory on the device, removed afterwards whatever happened inside."""
        made = self.run(["mktemp", "-d", f"{self.temp_root()}/{prefix}.XXXXXX"], timeout=30)
        if not made.ok:
            raise TransferError(f"{self.label}: cannot create a working directory in {self.temp_root()}: "
                                f"{made.tail(2)}")
        path = made.stdout.strip().splitlines()[-1]
        try:
            yield path
        finally:
            self.remove(path)

    def remove(self, path: str) -> None:
        """Delete ``path`` on the device; if the link is gone, say what is left behind."""
        try:
            result = self.run(["rm", "-rf", path], timeout=60)
        except DeviceError as exc:
            raise DeviceUnreachable(f"{self.label}: could not remove {path} ({exc}); delete it by hand") from None
        if not result.ok:
            raise TransferError(f"{self.label}: could not remove {path}: {result.tail(2)}")


def remote_command(argv: Sequence[str], timeout: float, cwd: str | None = None) -> str:
    """The shell string a device runs: in ``cwd``, under the device's own ``timeout``."""
    command = f"timeout -k 5 {max(1, round(timeout))} {shlex.join(argv)}"
    return f"cd {shlex.quote(cwd)} && {command}" if cwd else command


def run_local(argv: Sequence[str], timeout: float, stdin_path: Path | None = None,
              cwd: str | None = None) -> tuple[int, str, str, float]:
    """Run a local process (a client such as ssh or adb, or the command itself); kill its group on timeout.

    Returns (returncode, stdout, stderr, seconds); a timeout raises ``subprocess.TimeoutExpired``
    after the group is killed.
    """
    started = time.perf_counter()
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        process = subprocess.Popen(list(argv), stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   cwd=cwd, start_new_session=True)
        try:
            out, err = process.communicate(timeout=timeout)
        except BaseException:  # a timeout, or Ctrl-C: the client has its own session, so stop it here
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    finally:
        if hasattr(stdin, "close"):
            stdin.close()
    return process.returncode, out.decode(errors="replace"), err.decode(errors="replace"), time.perf_counter() - started


def timed_out(returncode: int, seconds: float, timeout: float) -> bool:
    """Whether the device's ``timeout`` stopped the command (a 137 well before the limit is an OOM kill)."""
    return returncode in TIMEOUT_STATUSES and seconds >= 0.9 * timeout


class ShellTransport(Transport):
    """A device reached through a remote shell (ssh, ``adb shell``): runs commands under its own ``timeout``."""

    @abstractmethod
    def _shell(self, command: str, timeout: float) -> CommandResult:
        """Run a shell string on the device; the link's failures raise :class:`DeviceUnreachable`."""

    def run(self, argv: Sequence[str], timeout: float, cwd: str | None = None) -> CommandResult:
        result = self._shell(remote_command(argv, timeout, cwd), timeout)
        if timed_out(result.returncode, result.seconds, timeout):
            raise CommandTimeout(f"{self.label}: {argv[0]} did not finish within {timeout:.0f} s and was stopped")
        return result
