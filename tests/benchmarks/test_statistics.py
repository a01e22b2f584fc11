import numpy as np
import pytest

from benchmarks.statistics import LatencyStats, measure, percentile


def test_percentile_matches_numpy_linear_interpolation():
    samples = sorted(np.random.default_rng(0).random(37).tolist())
    for q in (0, 10, 50, 90, 99, 100):
        assert percentile(samples, q) == pytest.approx(np.percentile(samples, q))


def test_stats_of_known_samples():
    stats = LatencyStats.from_samples([5.0, 1.0, 3.0, 2.0, 4.0])
    assert (stats.runs, stats.median_ms, stats.min_ms, stats.mean_ms) == (5, 3.0, 1.0, 3.0)
    assert stats.p90_ms == pytest.approx(4.6)


def test_no_samples_is_an_error():
    with pytest.raises(ValueError):
        LatencyStats.from_samples([])


def test_measure_warms_up_then_stops_at_the_first_satisfied_bound():
    calls = []
    samples = measure(lambda: calls.append(1), warmup_runs=2, min_runs=5, min_seconds=0.0, max_runs=100)
    assert len(samples) == 5 and len(calls) == 7
    capped = measure(lambda: None, warmup_runs=0, min_runs=5, min_seconds=60.0, max_runs=8)
    assert len(capped) == 8
    assert all(s >= 0 for s in samples)
