"""A format is one module: the test-only ``.pt2`` format goes through the whole pipeline unchanged."""

from __future__ import annotations

import pytest

from export import formats
from export.inspect_artifact import check_io_names, embedded_facts
from export.manifest import Manifest
from export.reuse import ensure_artifact
from models import get_config
from runtimes import registry
from tests.export import pt2_format


@pytest.fixture
def pt2(monkeypatch):
    monkeypatch.setitem(formats.EXPORTERS, "pt2", pt2_format.Pt2Exporter())
    monkeypatch.setitem(registry.RUNTIMES, "pt2-runtime", pt2_format.RUNTIME)


def test_a_new_format_is_exported_gated_recorded_and_reused(pt2, tmp_path):
    request = formats.make_request(get_config("mobilevit_v2_0.5", resolution=128), "pt2", tmp_path)
    steps = []
    path, entry = ensure_artifact(request, steps.append)
    assert path.name == "mobilevit_v2_0.5_res128-fp32-random.pt2" and path.exists()
    assert entry.parity["status"] == "passed" and entry.parity["runtime"] == "pt2-runtime"
    assert entry.parity["max_relative_error"] < 1e-5
    assert entry.target == "1" and Manifest(tmp_path).get(path.name).identity_key == entry.identity_key
    assert embedded_facts(path)["variant"] == "mobilevit_v2_0.5@res128"
    assert "match" in check_io_names(path)

    ensure_artifact(request, steps.append)
    assert sum(step.startswith("exporting") for step in steps) == 1


def test_a_new_format_gets_the_gate_too(pt2, tmp_path, monkeypatch):
    """The gate is the format's own runtime against PyTorch, so a converter that breaks the model fails."""
    from export.errors import ParityError

    convert = pt2_format.Pt2Exporter.convert

    def convert_a_perturbed_model(self, model, request, destination, metadata):
        import torch

        with torch.no_grad():
            model.classifier[-1].bias += 1.0
        return convert(self, model, request, destination, metadata)

    monkeypatch.setattr(pt2_format.Pt2Exporter, "convert", convert_a_perturbed_model)
    request = formats.make_request(get_config("mobilevit_v2_0.5", resolution=128), "pt2", tmp_path)
    with pytest.raises(ParityError, match="pt2-runtime"):
        ensure_artifact(request)
    assert not list(tmp_path.glob("*.pt2"))
