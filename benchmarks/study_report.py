"""The study's report and plots, generated from its rows (``results/study/rows.json``) alone.

    python -m benchmarks.study_report results/study      # regenerate without measuring again

:func:`write_report` draws the two plots, then writes ``report.md`` a section at a time in the order the
study measures: the header (machine, threads), (a) the attention blocks, (b) the matched pairs and the
paper's claim, (c) the distance to the machine's matmul roof and to Hugging Face's plain export.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.study_design import PAPER_SPEEDUP, growth_exponent
from models.registry import MATCHED_PAIRS

ATTENTION_PLOT = "attention_latency.png"
SPEEDUP_PLOT = "speedup_vs_resolution.png"


def write_report(data: dict, out: Path) -> Path:
    """``report.md`` and its plots in ``out``; returns the report's path."""
    out = Path(out)
    _plot_attention(data, out / ATTENTION_PLOT)
    _plot_speedup(data, out / SPEEDUP_PLOT)
    lines = [*_header(data), *_attention_section(data), *_pairs_section(data), *_paper_claim_section(data),
             *_roof_section(data), *_hf_reference_section(data)]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path


# ----------------------------------------------------------------------------- reading the rows
def _ms(row: dict) -> float:
    return row["latency"]["median_ms"]


def _find(rows: list[dict], name: str, resolution: int, runtime: str) -> dict | None:
    for row in rows:
        if row["model"].split("@")[0] == name and row["resolution"] == resolution and row["runtime"] == runtime:
            return row
    return None


def _runtimes(data: dict) -> list[str]:
    return sorted({r["runtime"] for r in data["models"]})


def _resolutions(data: dict) -> list[int]:
    return sorted({r["resolution"] for r in data["models"]})


def _attention_share(name: str, resolution: int) -> float:
    """Fraction of the model's MACs in attention matmuls (QK^T and AV), from the model itself."""
    from models import count, get_config

    counts = count(get_config(name, resolution=resolution) if resolution != 256 else get_config(name))
    return counts.attention_macs / counts.macs


# ----------------------------------------------------------------------------- plots
def _pyplot():
    """matplotlib without a display: the report is written on headless machines too."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    _pyplot().close(fig)


def _plot_attention(data: dict, path: Path) -> None:
    """Latency of each attention block against k on log-log axes: the slope is the growth exponent."""
    fig, ax = _pyplot().subplots(figsize=(6, 4.2))
    for block in sorted({r["block"] for r in data["attention"]}):
        rows = sorted((r for r in data["attention"] if r["block"] == block and "latency" in r),
                      key=lambda r: r["tokens"])
        kind = rows[0]["attention"]
        ax.loglog([r["tokens"] for r in rows], [_ms(r) for r in rows], "o-",
                  label=f"{kind} ({block}, d={rows[0]['dim']}): slope {growth_exponent(data['attention'], block):.2f}")
    ax.set_xlabel("tokens k per attention")
    ax.set_ylabel("latency of one attention layer (ms)")
    ax.set_title("Attention cost vs tokens (log-log)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    _save(fig, path)


def _plot_speedup(data: dict, path: Path) -> None:
    """v2's speedup over v1 per matched pair, runtime and resolution, against the paper's figure."""
    fig, ax = _pyplot().subplots(figsize=(6, 4.2))
    for v1, v2 in MATCHED_PAIRS:
        for runtime in _runtimes(data):
            points = []
            for resolution in _resolutions(data):
                a = _find(data["models"], v1, resolution, runtime)
                b = _find(data["models"], v2, resolution, runtime)
                if a and b:
                    points.append((resolution, _ms(a) / _ms(b)))
            if points:
                ax.plot(*zip(*points), "o-", label=f"{v1.split('_')[-1]} / v2 {v2.split('_')[-1]}, {runtime}")
    ax.axhline(PAPER_SPEEDUP, color="gray", linestyle="--", label=f"paper: {PAPER_SPEEDUP}x (iPhone, xs / 0.75)")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("input resolution (px)")
    ax.set_ylabel("speedup of v2 over v1 (latency v1 / v2)")
    ax.set_title("MobileViTv2 speedup over v1, matched pairs")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=6, ncol=2)
    _save(fig, path)


# ----------------------------------------------------------------------------- report sections
def _header(data: dict) -> list[str]:
    env = data["environment"]
    return ["# MobileViT v1 vs v2 on this machine", "",
            f"Measured on {env['cpu']} ({env['usable_cores']} usable cores), {env['system']}, "
            f"{data['threads']} threads, batch 1, fp32, random weights (latency does not depend on weight "
            f"values). Study time: {data['seconds']:.0f} s. Every number below comes from `rows.json` beside "
            "this file.", ""]


def _attention_section(data: dict) -> list[str]:
    """(a): latency per token count, the v1/v2 ratio, and the fitted growth exponents."""
    blocks = sorted({r["block"] for r in data["attention"]})
    exponents = {b: growth_exponent(data["attention"], b) for b in blocks}
    lines = ["## (a) Attention blocks alone", "",
             "One attention layer at the first MobileViT stage's width of each model, on one sequence of k "
             "tokens (a model runs 4 of them per block, one per pixel position of a 2x2 patch; v1 has 4 "
             "heads). Growth exponent = slope of log latency against log k over the three largest k.", "",
             "| tokens k | " + " | ".join(f"{b} (ms)" for b in blocks) + " | ratio |", "|---|" + "---|" * (len(blocks) + 1)]
    for k in sorted({r["tokens"] for r in data["attention"]}):
        cells = [next(r for r in data["attention"] if r["block"] == b and r["tokens"] == k) for b in blocks]
        ms = [_ms(r) if "latency" in r else None for r in cells]
        shown = [f"{m:.3f}" if m is not None else f"skipped ({r['skipped']})" for m, r in zip(ms, cells)]
        ratio = f"{ms[0] / ms[1]:.1f}x" if None not in ms else "-"
        lines.append(f"| {k} | " + " | ".join(shown) + f" | {ratio} |")
    return lines + ["", "Fitted growth exponents: " + ", ".join(f"{b}: **{e:.2f}**" for b, e in exponents.items()) +
                    " (theory: 2 for multi-head attention, 1 for separable attention).", "",
                    f"![attention latency]({ATTENTION_PLOT})", ""]


def _pairs_section(data: dict) -> list[str]:
    """(b): each matched pair's latencies and speedup, per resolution and runtime."""
    runtimes = _runtimes(data)
    lines = ["## (b) Whole models, matched pairs", "",
             "Median latency (ms) of validated artifacts; speedup = v1 latency / v2 latency.", "",
             "| pair | px | " + " | ".join(f"{r}: v1 / v2 (speedup)" for r in runtimes) + " |",
             "|---|---|" + "---|" * len(runtimes)]
    for v1, v2 in MATCHED_PAIRS:
        for resolution in _resolutions(data):
            cells = []
            for runtime in runtimes:
                a, b = _find(data["models"], v1, resolution, runtime), _find(data["models"], v2, resolution, runtime)
                cells.append(f"{_ms(a):.1f} / {_ms(b):.1f} (**{_ms(a) / _ms(b):.2f}x**)" if a and b else "-")
            lines.append(f"| {v1.removeprefix('mobilevit_')} / {v2.removeprefix('mobilevit_')} | {resolution} | "
                         + " | ".join(cells) + " |")
    return lines + ["", f"![speedup]({SPEEDUP_PLOT})", ""]


def _paper_claim_section(data: dict) -> list[str]:
    """The paper's xs / 0.75 speedup against ours, with the measured facts that explain a difference."""
    claim_rows = [(_find(data["models"], "mobilevit_v1_xs", 256, r), _find(data["models"], "mobilevit_v2_0.75", 256, r), r)
                  for r in _runtimes(data)]
    measured = [f"{r}: {_ms(a) / _ms(b):.2f}x" for a, b, r in claim_rows if a and b]
    shares = {res: _attention_share("mobilevit_v1_xs", res) for res in _resolutions(data)}
    return ["### Against the paper's claim", "",
            f"The MobileViTv2 paper reports v2 (width 0.75) about {PAPER_SPEEDUP}x faster than MobileViT on a "
            f"mobile device at 256 px. Measured here for xs / 0.75 at 256 px: {', '.join(measured) or 'n/a'}.", "",
            "Why the numbers can differ (the first two are measured facts, the rest explanations):", "",
            "- Share of v1_xs's MACs spent in attention matmuls (QK^T, AV), counted from the model: " +
            ", ".join(f"{s:.0%} at {res} px" for res, s in shares.items()) +
            ". At 256 px most of the work is convolutions that both versions share in kind, so replacing "
            "attention cannot buy a large factor there; the share, and v2's advantage, grow with resolution.",
            "- The growth exponents in (a) show the asymptotics the paper relies on.",
            "- The paper measured Core ML on an iPhone 12, where batched matmuls, softmax over large "
            "tensors and reshapes/transposes are relatively more expensive than on a desktop CPU with "
            "AVX-512 BLAS; a desktop CPU is not the paper's target. Device harnesses (a later issue) "
            "measure phones in the same schema.", ""]


def _roof_section(data: dict) -> list[str]:
    """(c), first distance: achieved FLOP/s at the smallest resolution as a fraction of the matmul roof."""
    roofs = data["roof_gflops"]
    smallest = _resolutions(data)[0]
    lines = ["## (c) Distance to the machine's limit", "",
             "fp32 matmul roof measured in this run (best of PyTorch's and NumPy's BLAS, 2048^3): " +
             ", ".join(f"{g:.0f} GFLOP/s on {t} thread(s)" for t, g in roofs.items()) + ". It is a practical "
             "GEMM rate, not the silicon's peak: above 100 % the runtime's convolution kernels (MLAS, XNNPACK) "
             "beat the GEMM libraries measured.", "",
             "| model | px | runtime | median ms | achieved GFLOP/s | of roof |", "|---|---|---|---|---|---|"]
    for row in sorted(data["models"], key=lambda r: (r["model"], r["resolution"], r["runtime"])):
        if row["resolution"] == smallest:
            lines.append(f"| {row['model']} | {row['resolution']} | {row['runtime']} | {_ms(row):.2f} | "
                         f"{row['achieved_gflops']:.1f} | {row['fraction_of_roof']:.0%} |")
    target = _find(data["models"], "mobilevit_v2_1.0", 256, "onnxruntime")
    if target:
        verdict = "meets" if target["fraction_of_roof"] >= 0.8 else "misses"
        lines += ["", f"Target: v2_1.0 in onnxruntime at {data['threads']} threads reaches "
                      f"**{target['fraction_of_roof']:.0%}** of the roof ({verdict} the >= 80 % target).", ""]
    return lines


def _hf_reference_section(data: dict) -> list[str]:
    """(c), second distance: our artifacts' latency as a ratio to HF's model exported the plain way."""
    lines = ["## Distance to the reference path (Hugging Face, plain export)", "",
             "HF transformers' classes with the same weights, at the study's smallest resolution, exported "
             "the plain way (ONNX: "
             "`torch.onnx.export(dynamo=True)`; TFLite: `litert_torch.convert`), timed identically, our "
             "artifact again right before HF's. "
             "Ratio = ours / HF (target <= 1.0).", "",
             "| model | runtime | ours ms | HF ms | ratio |", "|---|---|---|---|---|"]
    for ref in data["hf_reference"]:
        ours = {"latency": ref["ours_latency"]} if "ours_latency" in ref else _find(
            data["models"], ref["model"], ref["resolution"], ref["runtime"])
        if ref.get("failure"):
            lines.append(f"| {ref['model']} | {ref['runtime']} | {_ms(ours):.2f} | plain path fails: "
                         f"`{ref['failure'][:120]}` | - |")
        elif ours:
            ratio = _ms(ours) / _ms(ref)
            lines.append(f"| {ref['model']} | {ref['runtime']} | {_ms(ours):.2f} | {_ms(ref):.2f} | "
                         f"{'**' if ratio > 1 else ''}{ratio:.2f}{'**' if ratio > 1 else ''} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    out = Path((argv or sys.argv[1:] or ["results/study"])[0])
    data = json.loads((out / "rows.json").read_text())
    print(write_report(data, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
