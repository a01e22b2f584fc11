"""What `pip install -e .` puts in the environment: one launcher module and console scripts, no stages.

The stages (``models``, ``export``, ...) run from the checkout; installed as top-level packages they
would collide with other projects' ``models``. These tests read what the installed distribution
really provides (its metadata, its ``.pth`` files and setuptools' editable finder), and run the
installed console scripts from a directory outside the checkout.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import mobilevit_deploy

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("models", "export", "runtimes", "devices", "benchmarks")
SITE_PACKAGES = sysconfig.get_path("purelib")
SCRIPTS_DIR = Path(sysconfig.get_path("scripts"))
# The installed distribution, read from site-packages: the checkout (first on sys.path in the tests)
# also holds the `mobilevit_deploy.egg-info` that setuptools leaves behind, which is not what pip installed.
DISTRIBUTION = next(iter(metadata.distributions(name="mobilevit-deploy", path=[SITE_PACKAGES])), None)
if DISTRIBUTION is None:
    pytest.fail(f"mobilevit-deploy is not installed in {SITE_PACKAGES}: run `make setup`", pytrace=False)


def _outside_env() -> dict[str, str]:
    """The user's environment as a fresh shell has it: no PYTHONPATH pointing at the checkout."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def _importable_names(directory: Path) -> set[str]:
    return {entry.name.removesuffix(".py") for entry in directory.iterdir()
            if entry.suffix == ".py" or (entry / "__init__.py").is_file()}


def _provided_top_level_names() -> set[str]:
    """Every top-level import name the installed distribution adds, however it was installed.

    A regular wheel lists its files in RECORD; setuptools' editable install either writes a
    ``.pth`` with directories (each one's packages become importable) or a finder whose ``MAPPING``
    names the top-level modules and packages it serves from the checkout.
    """
    names = set((DISTRIBUTION.read_text("top_level.txt") or "").split())
    for file in DISTRIBUTION.files or ():
        path = Path(file.locate())
        if file.parts[0].endswith((".dist-info", "__pycache__")):
            continue
        if path.name.endswith("_finder.py") and path.name.startswith("__editable__"):
            tree = ast.parse(path.read_text())
            mapping = next(node.value for node in tree.body if isinstance(node, ast.AnnAssign)
                           and getattr(node.target, "id", None) == "MAPPING")
            names |= set(ast.literal_eval(mapping))
        elif path.suffix == ".pth":
            for line in path.read_text().splitlines():
                if line.strip() and not line.startswith(("import ", "import\t", "#")) and Path(line).is_dir():
                    names |= _importable_names(Path(line))
        elif file.parts[0] != "..":  # not a console script in bin/
            names.add(file.parts[0].removesuffix(".py"))
    return names


def test_the_distribution_installs_the_launcher_and_no_stage():
    names = _provided_top_level_names()
    assert "mobilevit_deploy" in names, f"the launcher is not among the installed names {sorted(names)}"
    assert not names & set(STAGES), f"the distribution installs stage packages: {sorted(names & set(STAGES))}"


def test_the_installed_console_scripts_are_those_of_pyproject():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    installed = {ep.name: ep.value for ep in DISTRIBUTION.entry_points.select(group="console_scripts")}
    assert installed == declared, "the environment is older than pyproject.toml: run `make setup`"


@pytest.mark.parametrize("entry_point", DISTRIBUTION.entry_points.select(group="console_scripts"),
                         ids=lambda ep: ep.name)
def test_every_console_script_runs_a_module_of_the_checkout_that_has_a_main(entry_point):
    module = entry_point.load().module
    spec = importlib.util.find_spec(module)
    assert spec is not None, f"{entry_point.name} runs {module}, which does not exist"
    assert Path(spec.origin).resolve().is_relative_to(ROOT), f"{module} comes from {spec.origin}, not the checkout"
    if spec.submodule_search_locations is not None:
        assert importlib.util.find_spec(f"{module}.__main__") is not None, f"`python -m {module}` has no __main__.py"
    else:
        assert 'if __name__ == "__main__":' in Path(spec.origin).read_text(), f"`python -m {module}` does nothing"


def test_a_console_script_works_from_outside_the_checkout(tmp_path):
    from models import get_config
    from models.info import describe

    script = SCRIPTS_DIR / "mobilevit-info"
    result = subprocess.run([str(script), "--model", "mobilevit_v2_0.5", "--json"], cwd=tmp_path, env=_outside_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(describe(get_config("mobilevit_v2_0.5"))))


def test_a_console_script_names_itself_in_its_usage(tmp_path):
    result = subprocess.run([str(SCRIPTS_DIR / "mobilevit-info"), "--no-such-option"], cwd=tmp_path,
                            env=_outside_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and result.stderr.startswith("usage: mobilevit-info ")


def test_the_launcher_outside_a_checkout_says_how_to_install_it(tmp_path):
    shutil.copy(mobilevit_deploy.__file__, tmp_path / "mobilevit_deploy.py")
    result = subprocess.run([sys.executable, "-c", "import mobilevit_deploy; mobilevit_deploy.info()"], cwd=tmp_path,
                            env=_outside_env(), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "pip install -e <checkout>" in result.stderr and "Traceback" not in result.stderr


def test_the_stages_are_not_importable_outside_the_checkout(tmp_path):
    names = STAGES + ("mobilevit_deploy",)
    probe = ("import importlib.util, json; "
             f"print(json.dumps({{name: importlib.util.find_spec(name) is not None for name in {names!r}}}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=_outside_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found.pop("mobilevit_deploy"), "the installed launcher is not importable: is the project installed?"
    assert not any(found.values()), f"importable outside the checkout: {[name for name, yes in found.items() if yes]}"


def test_a_benchmark_from_outside_the_checkout_finds_the_stages_in_its_children(tmp_path):
    # Each latency runs in a `python -m benchmarks.latency` child: the launcher's PYTHONPATH carries the checkout.
    script = SCRIPTS_DIR / "mobilevit-bench"
    result = subprocess.run([str(script), "--model", "mobilevit_v1_xxs", "--res", "128", "--runtime", "onnxruntime",
                             "--threads", "1", "--min-seconds", "0.05", "--out", "results", "--artifacts", "artifacts"],
                            cwd=tmp_path, env=_outside_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "results" / "latency.json").read_text())
