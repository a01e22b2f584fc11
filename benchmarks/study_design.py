"""What the v1-vs-v2 study measures and holds itself to, shared by the study and its report.

The study (``benchmarks.study``) measures and the report (``benchmarks.study_report``) reads the rows back,
possibly much later and without measuring again; both need the token counts of the attention sweep, the
paper's claim and the fit that turns the sweep into a growth exponent, so those live here, below both.
The matched pairs of models are the registry's (``models.registry.MATCHED_PAIRS``).
"""

from __future__ import annotations

import numpy as np

#: MobileViTv2 paper: v2 at width 0.75 (~3 M params) runs about 3.2x faster than MobileViT (v1 xs
#: class) on a mobile device (iPhone 12, Core ML) at 256 px.
PAPER_SPEEDUP = 3.2
#: Token counts k of the attention sweep (a); a 256-px model's first MobileViT stage sees 256, a 1024-px one 4096.
TOKENS = (64, 256, 1024, 4096, 16384)


def growth_exponent(rows: list[dict], block: str, fit_points: int = 3) -> float:
    """Slope of log(latency) against log(k) over the largest ``fit_points`` token counts, where the
    asymptotic term dominates fixed overheads."""
    points = sorted((r["tokens"], r["latency"]["median_ms"]) for r in rows
                    if r["block"] == block and "latency" in r)[-fit_points:]
    k, ms = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return float(np.polyfit(k, ms, 1)[0])
