import csv
import json

import pytest

from benchmarks.results import CSV_COLUMNS, ROW_KEYS, append_rows, validate_row


def _row(model="m", median=1.0):
    row = {key: None for key in ROW_KEYS}
    row.update(model=model, latency={"median_ms": median, "p90_ms": 2.0, "min_ms": 0.5, "runs": 3},
               environment={"cpu": "test cpu"})
    return row


def test_a_row_missing_a_schema_key_is_refused():
    row = _row()
    del row["latency"]
    with pytest.raises(ValueError, match="latency"):
        validate_row(row)


def test_rows_append_to_json_and_csv(tmp_path):
    append_rows(tmp_path, "latency", [_row("a")])
    path = append_rows(tmp_path, "latency", [_row("b", 2.0)])
    rows = json.loads(path.read_text())
    assert [r["model"] for r in rows] == ["a", "b"]
    with open(tmp_path / "latency.csv") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == list(CSV_COLUMNS)
    assert [r["median_ms"] for r in table] == ["1.0", "2.0"] and table[1]["cpu"] == "test cpu"
