"""The model and its template are staged into the test target's resources for one run, and always removed."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from devices.ios.row_template import make_template
from devices.ios.staging import clear_staged, staged
from devices.ios.swift_package import PACKAGE_DIR, STAGED_DIR
from devices.transports import DeviceError
from export.metadata import artifact_sha256


def test_staging_puts_the_model_in_the_test_resources_and_always_removes_it(small_config, coreml_export,
                                                                           staged_names):
    path, entry = coreml_export
    template = make_template(small_config, path, entry)
    assert staged_names() == ["README.md"]
    with pytest.raises(DeviceError, match="xcodebuild failed"), staged(path, template) as directory:
        assert directory == STAGED_DIR
        assert staged_names() == ["README.md", "model.mlpackage", "template.json"]
        assert artifact_sha256(directory / "model.mlpackage") == entry.sha256
        assert json.loads((directory / "template.json").read_text()) == template
        raise DeviceError("xcodebuild failed")  # what a failed run raises inside the block
    assert staged_names() == ["README.md"]


def test_leftovers_of_a_killed_run_are_removed_first(small_config, coreml_export, staged_names):
    path, entry = coreml_export
    (STAGED_DIR / "model.mlpackage").mkdir()
    (STAGED_DIR / "model.mlpackage" / "stale").write_text("from a run that was killed")
    (STAGED_DIR / "template.json").write_text("{}")
    try:
        with staged(path, make_template(small_config, path, entry)) as directory:
            assert not (directory / "model.mlpackage" / "stale").exists()
    finally:
        clear_staged()
    assert staged_names() == ["README.md"]


def test_staging_needs_the_resource_directory(tmp_path, small_config, coreml_export):
    path, _ = coreml_export
    with pytest.raises(DeviceError, match="is missing; restore it"), staged(path, {}, tmp_path / "Staged"):
        pass


def test_staged_files_are_ignored_by_git_and_the_readme_is_not():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=PACKAGE_DIR, capture_output=True,
                          text=True, check=False)
    if root.returncode != 0:
        pytest.skip("not a git checkout")
    staged_dir = STAGED_DIR.relative_to(root.stdout.strip())
    ignored = subprocess.run(["git", "check-ignore", "--no-index", f"{staged_dir}/model.mlpackage",
                              f"{staged_dir}/template.json"], cwd=root.stdout.strip(), capture_output=True, text=True,
                             check=False)
    assert ignored.stdout.split() == [f"{staged_dir}/model.mlpackage", f"{staged_dir}/template.json"]
    readme = subprocess.run(["git", "check-ignore", "--no-index", f"{staged_dir}/README.md"], cwd=root.stdout.strip(),
                            check=False)
    assert readme.returncode == 1, "README.md must stay committed so the resource directory exists"
