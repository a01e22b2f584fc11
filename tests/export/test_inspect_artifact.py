"""``python -m export.inspect_artifact``: what an artifact says about itself, and whether its io names
are the ones its manifest promises."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from export.errors import ExportError
from export.inspect_artifact import check_io_names, embedded_facts
from export.manifest import MANIFEST_NAME


@pytest.mark.parametrize("fmt", ["onnx", "tflite", "coreml"])
def test_io_names_in_the_file_are_the_ones_the_manifest_promises(small_exports, fmt):
    path = small_exports["out"] / small_exports[fmt].file
    assert check_io_names(path).endswith(f"match {MANIFEST_NAME}")
    facts = embedded_facts(path)
    assert facts["variant"] == "mobilevit_v2_0.5" and len(facts["labels"]) == 1000


def test_a_manifest_promising_other_names_is_refused(small_exports, tmp_path):
    entry = small_exports["tflite"]
    shutil.copy(small_exports["out"] / entry.file, tmp_path / entry.file)
    manifest = json.loads((small_exports["out"] / MANIFEST_NAME).read_text())
    for item in manifest["artifacts"]:
        item["io"]["output"]["name"] = "StatefulPartitionedCall:0"  # the tensor name, not the signature key
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest))
    with pytest.raises(ExportError, match="promises input 'image' and output 'StatefulPartitionedCall:0'"):
        check_io_names(tmp_path / entry.file)


def test_cli_prints_the_facts_and_refuses_a_non_artifact(small_exports, tmp_path):
    path = small_exports["out"] / small_exports["onnx"].file
    shown = subprocess.run([sys.executable, "-m", "export.inspect_artifact", str(path)],
                           capture_output=True, text=True, timeout=300)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["io_check"].startswith("input 'pixels' and output 'logits' match")
    (tmp_path / "model.engine").write_bytes(b"\0")
    refused = subprocess.run([sys.executable, "-m", "export.inspect_artifact", str(tmp_path / "model.engine")],
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "is not an artifact of this project" in refused.stderr
    assert "Traceback" not in refused.stderr
