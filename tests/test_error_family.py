"""One error family: every error the project defines derives from MobileViTDeployError, so each
command catches one type (``models.command_line.run_command``)."""

from __future__ import annotations

import importlib
import inspect

from models.errors import MobileViTDeployError
from tests.test_import_graph import import_graph


def test_every_error_class_the_project_defines_is_in_the_family():
    defined = []
    for name in sorted(import_graph()):
        if name.endswith("__main__"):
            continue  # running it is a command, not an import
        module = importlib.import_module(name)
        defined += [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, BaseException) and cls.__module__ == name]
    assert len(defined) >= 15, [cls.__name__ for cls in defined]  # the walk found the stages' errors
    assert [cls.__qualname__ for cls in defined if not issubclass(cls, MobileViTDeployError)] == []
