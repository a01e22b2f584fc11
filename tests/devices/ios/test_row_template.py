"""The row template carries the artifact's, the model's and the host's facts to the phone."""

from __future__ import annotations

import json

import pytest

from benchmarks.results import SCHEMA_VERSION
from devices.ios.row_template import default_timing, make_template
from devices.transports import DeviceError
from export.metadata import artifact_sha256
from models import count


def test_template_carries_the_artifacts_facts(small_config, coreml_export):
    path, entry = coreml_export
    template = make_template(small_config, path, entry, {"min_seconds": 0.5})
    assert template["artifact"] == path.name and template["artifact_sha256"] == artifact_sha256(path)
    assert template["precision"] == "fp16" and template["format"] == "coreml"
    assert template["macs"] == count(small_config).macs and template["resolution"] == 128
    assert template["timing"] == {**default_timing(), "min_seconds": 0.5}
    assert template["random_weights"] is True and template["schema_version"] == SCHEMA_VERSION
    assert template["run_id"] != make_template(small_config, path, entry)["run_id"]
    json.dumps(template)
    with pytest.raises(DeviceError, match="unknown timing settings warmup"):
        make_template(small_config, path, entry, {"warmup": 1})
