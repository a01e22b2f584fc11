"""The product's promise: every variant, every format, at 256 px, passes its gate.

fp32 for all three formats; fp16 for Core ML and TFLite (ONNX is fp32 only). Core ML programs are
computed by the project's MIL evaluator everywhere, and by ``MLModel.predict`` too on macOS.
"""

from __future__ import annotations

import json
import platform

import pytest

from export.formats import EXPORTERS, contract_for
from export.pipeline import export_artifact
from export.spec import ExportRequest
from models import get_config, list_variants

#: Every precision of every format: a precision added to a contract joins the matrix.
CASES = [(fmt, precision) for fmt, exporter in EXPORTERS.items() for precision in exporter.contract.precisions]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix")


@pytest.mark.slow
@pytest.mark.parametrize("fmt, precision", CASES)
@pytest.mark.parametrize("name", list_variants())
def test_variant_exports_and_passes_its_parity_gate(name, fmt, precision, out_dir):
    request = ExportRequest(config=get_config(name), format=fmt, precision=precision, out_dir=out_dir)
    entry = export_artifact(request)

    assert (out_dir / entry.file).exists()
    assert not [p.name for p in out_dir.iterdir() if p.name.startswith(".")], "staging left behind"
    manifest = {e["file"]: e for e in json.loads((out_dir / "manifest.json").read_text())["artifacts"]}
    assert manifest[entry.file]["sha256"] == entry.sha256
    parity = entry.parity
    assert parity["status"] == "passed"
    assert parity["max_relative_error"] <= contract_for(fmt).gate(precision).bound(256)
    assert set(parity["per_image"]) == {"noise0", "noise1", "chelsea", "coffee", "astronaut"}
    if fmt == "coreml":
        assert "mil-evaluator" in parity["runtimes"]
        assert ("coreml" in parity["runtimes"]) == (platform.system() == "Darwin")
        assert entry.structure["labels"] == 1000
        assert entry.structure["input"]["color_space"] == "RGB"
        assert (entry.structure["fp16_fraction"] > 0.9) == (precision == "fp16")
