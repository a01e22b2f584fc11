"""How a latency is measured: warm up, then time until the median is stable enough to report.

Adaptive repetition: at least ``min_runs`` timed runs and ``min_seconds`` of timing, at most
``max_runs`` or ``max_seconds``. Fast models get hundreds of runs, a 1024-px v1 a handful, so one
setting serves a whole sweep. Times are wall-clock ``perf_counter`` in milliseconds.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Callable


@dataclass(frozen=True)
class LatencyStats:
    runs: int
    median_ms: float
    p90_ms: float
    min_ms: float
    mean_ms: float
    stdev_ms: float

    @classmethod
    def from_samples(cls, samples_ms: list[float]) -> "LatencyStats":
        if not samples_ms:
            raise ValueError("no latency samples")
        ordered = sorted(samples_ms)
        return cls(
            runs=len(ordered),
            median_ms=statistics.median(ordered),
            p90_ms=percentile(ordered, 90),
            min_ms=ordered[0],
            mean_ms=statistics.fmean(ordered),
            stdev_ms=statistics.stdev(ordered) if len(ordered) > 1 else 0.0,
        )

    def to_dict(self) -> dict:
        return asdict(self)


def percentile(ordered: list[float], q: float) -> float:
    """Linear-interpolated percentile of sorted samples (NumPy's default method)."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside [0, 100]")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(
    fn: Callable[[], object],
    warmup_runs: int = 3,
    min_runs: int = 10,
    min_seconds: float = 1.0,
    max_runs: int = 1000,
    max_seconds: float = 20.0,
) -> list[float]:
    """Latency samples (ms) of ``fn`` after ``warmup_runs`` untimed calls."""
    for _ in range(warmup_runs):
        fn()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < max_runs:
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
        elapsed = time.perf_counter() - started
        if (len(samples) >= min_runs and elapsed >= min_seconds) or elapsed >= max_seconds:
            break
    return samples
