"""The SSH transport against a real OpenSSH server on loopback (see ``tests/devices/conftest.py``)."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from devices.transports import CommandTimeout, DeviceNotFound, DeviceUnreachable, TransferError
from devices.transports.ssh import SSHTransport


def test_runs_a_command_in_a_directory_and_returns_its_status(loopback_board, tmp_path):
    transport = loopback_board.transport()
    result = transport.run(["sh", "-c", "pwd; echo oops >&2; exit 3"], timeout=30, cwd=str(tmp_path))
    assert result.returncode == 3 and result.stdout.strip() == str(tmp_path) and "oops" in result.stderr


def test_arguments_reach_the_device_unmangled(loopback_board):
    tricky = ["it's", "a b", "$HOME", "; rm -rf /", '{"json": [1]}']
    result = loopback_board.transport().run(["printf", "%s\\n", *tricky], timeout=30)
    assert result.stdout.splitlines() == tricky


def test_push_keeps_every_byte(loopback_board, tmp_path):
    transport = loopback_board.transport()
    payload = os.urandom(3_000_001)
    (tmp_path / "a.bin").write_bytes(payload)
    with transport.workspace() as remote:
        transport.push(tmp_path / "a.bin", f"{remote}/a.bin")
        digest = transport.run(["sha256sum", f"{remote}/a.bin"], timeout=30)
    assert digest.stdout.split()[0] == hashlib.sha256(payload).hexdigest()


def test_workspace_is_removed_even_when_the_work_fails(loopback_board, tmp_path):
    transport = loopback_board.transport(remote_tmp=str(tmp_path))
    with pytest.raises(RuntimeError, match="inside"):
        with transport.workspace() as remote:
            transport.run(["touch", f"{remote}/file"], timeout=30)
            raise RuntimeError("inside")
    assert list(tmp_path.iterdir()) == []


def test_a_command_past_its_timeout_is_stopped_on_the_device(loopback_board):
    transport = loopback_board.transport()
    marker = "97.25"  # an unusual sleep length, to find the process
    started = time.monotonic()
    with pytest.raises(CommandTimeout, match="within 2 s"):
        transport.run(["sleep", marker], timeout=2)
    assert time.monotonic() - started < 15
    time.sleep(0.5)
    left = transport.run(["sh", "-c", f"ps -eo args | grep -c '^sleep {marker}' || true"], timeout=30)
    assert left.stdout.strip() == "0"


def test_writing_to_a_full_device_says_it_is_out_of_storage(loopback_board, tmp_path):
    (tmp_path / "a.bin").write_bytes(b"x" * 100_000)
    with pytest.raises(TransferError, match="out of storage"):
        loopback_board.transport().push(tmp_path / "a.bin", "/dev/full")  # the kernel's ENOSPC


def test_a_dropped_connection_mid_run_is_reported_as_such(loopback_board):
    # The remote command kills its own sshd session process: the client sees the link die mid-run.
    kill_session = ("p=$$; while [ \"$(cat /proc/$p/comm)\" != sshd ]; do p=$(cut -d' ' -f4 /proc/$p/stat); done; "
                    "kill -9 $p; sleep 5")
    with pytest.raises(DeviceUnreachable, match="ssh failed"):
        loopback_board.transport().run(["sh", "-c", kill_session], timeout=30)


def test_nothing_listening_is_a_clear_error(loopback_board):
    transport = SSHTransport(loopback_board.host, port=1, identity=loopback_board.identity,
                             options=loopback_board.options)
    with pytest.raises(DeviceUnreachable, match="Connection refused.*is sshd running"):
        transport.run(["true"], timeout=10)


def test_a_key_the_board_does_not_accept_is_a_clear_error(loopback_board, tmp_path):
    import subprocess

    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "other")], check=True)
    transport = SSHTransport(loopback_board.host, port=loopback_board.port, identity=tmp_path / "other",
                             options=loopback_board.options)
    with pytest.raises(DeviceUnreachable, match="Permission denied.*ssh-copy-id"):
        transport.run(["true"], timeout=10)


def test_a_host_that_looks_like_an_option_is_refused():
    with pytest.raises(DeviceNotFound, match="not a host name"):
        SSHTransport("-oProxyCommand=touch /tmp/x")
