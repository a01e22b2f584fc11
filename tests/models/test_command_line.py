"""Every command ends the same way: a project error is one paragraph and exit 2, Ctrl-C exit 130."""

from __future__ import annotations

import pytest

from export.errors import ParityError
from models.command_line import EXIT_INTERRUPTED, EXIT_USAGE, run_command
from runtimes import RuntimeUnavailable


@pytest.mark.parametrize("error", [ParityError("the gate said no"), RuntimeUnavailable("the gate said no")])
def test_a_project_error_is_one_line_and_exit_2(error, capsys):
    def body():
        raise error

    assert run_command(body) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "error: the gate said no" in err and "Traceback" not in err


def test_ctrl_c_is_exit_130_with_what_was_left(capsys):
    def body():
        raise KeyboardInterrupt

    assert run_command(body, interrupted="nothing was published") == EXIT_INTERRUPTED
    assert "interrupted: nothing was published" in capsys.readouterr().err


def test_a_bug_is_not_disguised_as_a_user_error():
    def body():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        run_command(body)
