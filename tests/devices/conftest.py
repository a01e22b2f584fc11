"""A real OpenSSH server on loopback, started by the tests: the stand-in for a Linux board.

Debian's ``openssh-server`` provides ``/usr/sbin/sshd`` (``.ci/run`` installs it through
``make setup-devices``). The server gets its own host key, accepts one client key generated here,
listens on 127.0.0.1 on a free port, and the client trusts exactly its host key. The "board" is
this machine, reached over a real SSH connection, with the project's own Python as its Python.
"""

from __future__ import annotations

import getpass
import os
import platform
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"


@dataclass(frozen=True)
class LoopbackBoard:
    host: str
    port: int
    identity: Path
    options: tuple[str, ...]
    process: subprocess.Popen

    def transport(self, **kwargs):
        from devices.transports.ssh import SSHTransport

        return SSHTransport(self.host, port=self.port, identity=self.identity, options=self.options, **kwargs)

    def cli_arguments(self) -> list[str]:
        arguments = ["--host", self.host, "--port", str(self.port), "--identity", str(self.identity)]
        for option in self.options:
            arguments += ["--ssh-option", option]
        return arguments


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


def start_sshd(directory: Path) -> LoopbackBoard:
    if platform.system() != "Linux":
        pytest.skip("the loopback SSH board runs on Linux (Debian's openssh-server)")
    if not Path(SSHD).exists():
        pytest.fail(f"{SSHD} is missing: the SSH harness is tested against a real OpenSSH server; "
                    "run `make setup-devices` (apt-get install openssh-server)")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation directory
    _keygen(directory / "host_key")
    _keygen(directory / "client_key")
    shutil.copy(directory / "client_key.pub", directory / "authorized_keys")
    port = _free_port()
    config = directory / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {directory / 'host_key'}",
        f"PidFile {directory / 'sshd.pid'}", f"AuthorizedKeysFile {directory / 'authorized_keys'}",
        "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", "LogLevel ERROR", "MaxStartups 50",
    ]) + "\n")
    host_key = (directory / "host_key.pub").read_text().split()
    (directory / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    with open(directory / "sshd.log", "wb") as log:
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log,
                                   start_new_session=True)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"sshd did not start: {(directory / 'sshd.log').read_text()[-2000:]}")
            time.sleep(0.1)
    options = (f"UserKnownHostsFile={directory / 'known_hosts'}", "StrictHostKeyChecking=yes")
    return LoopbackBoard(f"{getpass.getuser()}@127.0.0.1", port, directory / "client_key", options, process)


@pytest.fixture(scope="session")
def loopback_board(tmp_path_factory):
    board = start_sshd(tmp_path_factory.mktemp("sshd"))
    yield board
    board.process.terminate()
    board.process.wait(timeout=10)
