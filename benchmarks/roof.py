"""The machine's practical fp32 compute roof: the best large-GEMM throughput measured now.

Reported next to each model's achieved FLOP/s (2 x MACs / median latency), so "how far from the
limit" is a ratio measured in the same run on the same cores, not a datasheet number. The roof is
the better of PyTorch's and NumPy's BLAS on a 2048^3 fp32 matmul; it is a practical GEMM rate, not
the silicon's peak, so a runtime whose convolution kernels beat those GEMMs shows more than 100 %.
"""

from __future__ import annotations

import numpy as np
import torch

from benchmarks.statistics import LatencyStats, measure


def _gflops(fn, size: int, min_seconds: float) -> float:
    samples = measure(fn, warmup_runs=2, min_runs=5, min_seconds=min_seconds, max_seconds=10)
    return 2 * size**3 / (LatencyStats.from_samples(samples).median_ms / 1e3) / 1e9


def matmul_roof_gflops(threads: int, size: int = 2048, min_seconds: float = 0.5) -> float:
    """Best fp32 GFLOP/s of a ``size``^3 matmul on ``threads`` threads (PyTorch's or NumPy's BLAS)."""
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        generator = torch.Generator().manual_seed(0)
        a = torch.rand(size, size, generator=generator)
        b = torch.rand(size, size, generator=generator)
        out = torch.empty(size, size)
        best = _gflops(lambda: torch.matmul(a, b, out=out), size, min_seconds)
        a_np, b_np, out_np = a.numpy(), b.numpy(), out.numpy()
        with threadpool_limits(limits=threads):
            best = max(best, _gflops(lambda: np.matmul(a_np, b_np, out=out_np), size, min_seconds))
        return best
    finally:
        torch.set_num_threads(previous)
