"""The growth exponent reads the asymptotic slope of an attention sweep off its largest token counts."""

from __future__ import annotations

import pytest

from benchmarks.study_design import growth_exponent


def sweep(block: str, power: float, overhead_ms: float = 0.0) -> list[dict]:
    return [{"block": block, "tokens": k, "latency": {"median_ms": overhead_ms + 1e-4 * k ** power}}
            for k in (64, 256, 1024, 4096, 16384)]


def test_quadratic_and_linear_costs_have_exponents_two_and_one():
    rows = sweep("v1", 2.0) + sweep("v2", 1.0)
    assert growth_exponent(rows, "v1") == pytest.approx(2.0)
    assert growth_exponent(rows, "v2") == pytest.approx(1.0)


def test_a_fixed_overhead_at_small_k_and_skipped_sizes_do_not_count():
    rows = sweep("v2", 1.0, overhead_ms=0.5)[:2] + sweep("v2", 1.0)[2:]
    rows.append({"block": "v2", "tokens": 65536, "skipped": "scores exceed the memory budget"})
    assert growth_exponent(rows, "v2") == pytest.approx(1.0)
