import csv
import json

import pytest

from benchmarks.results import (
    CSV_COLUMNS,
    LATENCY_KEYS,
    ROW_KEYS,
    RowError,
    append_rows,
    build_row,
    headline_ms,
    load_rows,
    validate_row,
)
from models import count, get_config

DEVICE = {"kind": "android", "name": "Pixel 8", "os": "Android 14 (API 34)", "cpu": "Google Tensor G3",
          "abi": "arm64-v8a", "transport": "adb"}


def _row(model="m", median=1.0):
    row = {key: None for key in ROW_KEYS}
    row.update(schema_version=2, model=model,
               latency={"runs": 3, "median_ms": median, "p90_ms": 2.0, "min_ms": 0.5, "mean_ms": 1.1,
                        "stdev_ms": 0.1},
               runtime_options={}, device=dict(DEVICE), environment={"cpu": "test cpu"})
    return row


def test_a_row_missing_a_schema_key_is_refused():
    row = _row()
    del row["latency"]
    with pytest.raises(RowError, match="latency"):
        validate_row(row)


@pytest.mark.parametrize("part, key", [("device", "abi"), ("latency", "mean_ms")])
def test_a_row_missing_a_nested_key_is_refused(part, key):
    row = _row()
    del row[part][key]
    with pytest.raises(RowError, match=f"{part} lacks {key}"):
        validate_row(row)


def test_an_unknown_device_kind_is_refused():
    row = _row()
    row["device"]["kind"] = "toaster"
    with pytest.raises(RowError, match="toaster.*android"):
        validate_row(row)


def test_the_headline_is_the_median_and_the_mean_only_where_no_median_exists():
    row = _row(median=1.0)
    assert headline_ms(row) == 1.0
    row["latency"]["median_ms"] = None
    assert headline_ms(row) == 1.1
    row["latency"]["mean_ms"] = None
    with pytest.raises(RowError, match="neither a median nor a mean"):
        validate_row(row)


def test_build_row_counts_macs_and_derives_throughput_from_the_headline():
    config = get_config("mobilevit_v1_xxs")
    measured = {"latency": {"runs": 50, "median_ms": None, "p90_ms": None, "min_ms": 9.0, "mean_ms": 10.0,
                            "stdev_ms": 0.5, "max_ms": 12.0}, "load_ms": 5.0, "first_inference_ms": 20.0}
    row = build_row(config, runtime="litert", threads=4, fmt="tflite", precision="fp32", measured=measured,
                    device=DEVICE, environment={"cpu": "Tensor G3"})
    assert set(row["latency"]) == set(LATENCY_KEYS)  # the tool's extras (max_ms) are not in the schema
    assert row["macs"] == count(config).macs
    assert row["achieved_gflops"] == pytest.approx(2 * row["macs"] / 0.010 / 1e9)
    assert row["fraction_of_roof"] is None and row["peak_rss_mb"] is None


def test_rows_append_to_json_and_csv(tmp_path):
    append_rows(tmp_path, "latency", [_row("a")])
    path = append_rows(tmp_path, "latency", [_row("b", 2.0)])
    rows = json.loads(path.read_text())
    assert [r["model"] for r in rows] == ["a", "b"]
    with open(tmp_path / "latency.csv") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(CSV_COLUMNS)
    assert [r["median_ms"] for r in table] == ["1.0", "2.0"] and table[1]["device"] == "Pixel 8"


def test_schema_1_rows_are_read_as_desktop_rows(tmp_path):
    old = _row("old")
    del old["device"]
    old.update(schema_version=1, environment={"cpu": "AMD EPYC", "machine": "x86_64", "system": "Linux 6"})
    old["latency"] = {"median_ms": 3.0, "p90_ms": 4.0, "min_ms": 2.0, "runs": 9, "mean_ms": 3.1, "stdev_ms": 0.2}
    (tmp_path / "latency.json").write_text(json.dumps([old]))
    (row,) = load_rows(tmp_path / "latency.json")
    validate_row(row)
    assert row["device"] == {"kind": "desktop", "name": "AMD EPYC", "os": "Linux 6", "cpu": "AMD EPYC",
                             "abi": "x86_64", "transport": "local"}


def test_a_file_that_is_not_results_is_named(tmp_path):
    (tmp_path / "latency.json").write_text('{"not": "rows"}')
    with pytest.raises(RowError, match="latency.json is not a results file"):
        load_rows(tmp_path / "latency.json")
