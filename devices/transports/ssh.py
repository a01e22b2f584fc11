"""Linux boards (Raspberry Pi, Jetson, any host) over OpenSSH's own client.

The system ``ssh`` is used rather than a Python SSH library: it already knows the user's keys,
agent, ``~/.ssh/config`` aliases and jump hosts. ``BatchMode`` makes a missing key an error
instead of a password prompt that would hang a benchmark; keep-alives turn a board that drops off
the network mid-run into an error within seconds. Files travel through ``cat`` over the same
connection, so a board needs nothing but a POSIX shell (no SFTP subsystem, dropbear works).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from devices.transports.base import (
    LINK_GRACE_S,
    CommandResult,
    DeviceError,
    DeviceNotFound,
    DeviceUnreachable,
    ShellTransport,
    TransferError,
    run_local,
)

#: ssh's own exit status for "the connection failed", as opposed to the remote command's status.
SSH_FAILED = 255
_DEFAULT_OPTIONS = ("BatchMode=yes", "ConnectTimeout=10", "ServerAliveInterval=5", "ServerAliveCountMax=3",
                    "LogLevel=ERROR")


class SSHTransport(ShellTransport):
    kind = "ssh"

    def __init__(self, host: str, port: int | None = None, identity: Path | None = None,
                 options: Sequence[str] = (), ssh: str = "ssh", remote_tmp: str = "/tmp") -> None:
        if not host or host.startswith("-"):
            raise DeviceNotFound(f"not a host name: {host!r}; pass HOST=user@board (or an ~/.ssh/config alias)")
        if shutil.which(ssh) is None:
            raise DeviceError(f"{ssh!r} not found: install the OpenSSH client (Debian: apt-get install openssh-client)")
        self.host, self.label, self._tmp = host, host, remote_tmp
        self._argv = [ssh, "-T"]
        for option in (*_DEFAULT_OPTIONS, *options):
            self._argv += ["-o", option]
        if port:
            self._argv += ["-p", str(port)]
        if identity:
            self._argv += ["-i", str(identity), "-o", "IdentitiesOnly=yes"]

    def temp_root(self) -> str:
        return self._tmp

    def _shell(self, shell: str, timeout: float, stdin_path: Path | None = None) -> CommandResult:
        try:
            code, out, err, seconds = run_local([*self._argv, self.host, shell], timeout + LINK_GRACE_S,
                                                stdin_path=stdin_path)
        except subprocess.TimeoutExpired:
            raise DeviceUnreachable(f"{self.host}: no answer for {timeout + LINK_GRACE_S:.0f} s; the board or the "
                                    "network stopped responding") from None
        if code == SSH_FAILED:
            raise DeviceUnreachable(f"{self.host}: ssh failed: {_last_line(err)}" + _hint(err)) from None
        return CommandResult(shell, code, out, err, seconds)

    def push(self, local: Path, remote: str) -> None:
        if not Path(local).is_file():
            raise TransferError(f"cannot push {local}: not a file")
        result = self._shell(f"cat > {shlex.quote(remote)}", timeout=600, stdin_path=Path(local))
        if not result.ok:
            raise TransferError(f"{self.host}: cannot write {remote}: {_last_line(result.stderr)}"
                                + _storage_hint(result.stderr, remote))

    def describe(self) -> dict:
        script = ("uname -sr; uname -m; hostname; "
                  "(tr -d '\\0' < /proc/device-tree/model 2>/dev/null; echo) | head -n 1; "
                  "grep -m1 -E '^(model name|Hardware|Model)' /proc/cpuinfo | cut -d: -f2-")
        result = self._shell(script, timeout=30)
        lines = [line.strip() for line in result.stdout.splitlines()] + [""] * 5
        system, machine, hostname, board, cpu = lines[:5]
        return {"name": board or hostname or self.host, "os": system or None, "cpu": cpu or board or None,
                "abi": machine or None}


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _hint(stderr: str) -> str:
    if "Permission denied" in stderr:
        return " (no key accepted: add yours with ssh-copy-id, or pass IDENTITY=path/to/key)"
    if "Could not resolve" in stderr:
        return " (unknown host name: check HOST or your ~/.ssh/config)"
    if "Connection refused" in stderr:
        return " (nothing listens there: is sshd running, is PORT right?)"
    if "Host key verification failed" in stderr:
        return " (the board's host key is unknown or changed: connect once with ssh to accept it)"
    return ""


def _storage_hint(stderr: str, remote: str) -> str:
    if "No space left" in stderr:
        return f" (the board is out of storage where {remote} lives; free space or pass a different REMOTE_TMP)"
    return ""
