"""``make study``: does MobileViTv2's separable attention beat v1's, and by how much, here?

Three measurements in one run, on this machine:

(a) the attention blocks alone, v1's multi-head attention and v2's separable attention at the
    widths of the matched models' first MobileViT stage, over token counts k from 64 to 16384,
    with the growth exponent of each fitted on log-log axes (expected about 2 and about 1);
(b) whole models in matched pairs (v1 xxs / v2 0.5, xs / 0.75, s / 1.0) over input resolutions, in
    every desktop runtime, as validated artifacts from the export pipeline;
(c) two distances: each model's achieved FLOP/s as a fraction of the machine's matmul roof, and
    our artifacts' latency as a ratio to Hugging Face's model exported through the plain path.

Everything lands in ``results/study/``: ``rows.json`` (every measurement, with its environment),
``report.md`` and PNG plots generated from those rows.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import torch
from rich.console import Console

from benchmarks.environment import describe_environment
from benchmarks.harness import RoofCache, benchmark
from benchmarks.latency import Job, measure_in_child
from benchmarks.statistics import LatencyStats, measure
from benchmarks.study_design import TOKENS
from benchmarks.study_report import write_report
from models import create_model, get_config
from models.command_line import EXIT_OK, command_parser, output_console, run_command
from models.registry import MATCHED_PAIRS
from models.blocks.multi_head_attention import MultiHeadAttention
from models.blocks.separable_attention import SeparableSelfAttention


# ----------------------------------------------------------------------------- (a) attention alone
#: v1's attention materialises [heads, k, k] scores (twice, with the softmax); above this many
#: bytes a token count is skipped and reported rather than run into the out-of-memory killer.
SCORE_MEMORY_BUDGET = 12 * 2**30


def attention_sweep(pair=MATCHED_PAIRS[2], tokens=TOKENS, threads: int = 2, min_seconds: float = 0.5) -> list[dict]:
    """Latency of one attention layer of each version at its model's layer_3 width, per token count.

    One sequence of k tokens, as the layer sees it (a model runs P = 4 of them, one per pixel position
    of a 2x2 patch): v1's 4-head attention over ``[1, k, d]``, v2's separable attention over
    ``[1, d, 1, k]``. At k = 16384 v1's scores alone take 4 GiB per sequence.
    """
    v1, v2 = (get_config(name) for name in pair)
    blocks = {
        v1.name: (MultiHeadAttention(v1.transformer_dims[0], v1.num_heads).eval(),
                  lambda k, d: torch.rand(1, k, d)),
        v2.name: (SeparableSelfAttention(v2.transformer_dims[0]).eval(),
                  lambda k, d: torch.rand(1, d, 1, k)),
    }
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    rows = []
    try:
        for name, (block, make_input) in blocks.items():
            dim = get_config(name).transformer_dims[0]
            for k in tokens:
                if name == v1.name and 2 * v1.num_heads * k * k * 4 > SCORE_MEMORY_BUDGET:
                    rows.append({"block": name, "attention": "multi-head", "dim": dim, "tokens": k,
                                 "threads": threads, "skipped": "scores exceed the memory budget"})
                    continue
                x = make_input(k, dim)
                with torch.inference_mode():
                    samples = measure(lambda: block(x), warmup_runs=1, min_runs=3, min_seconds=min_seconds,
                                      max_seconds=20)
                rows.append({"block": name, "attention": "multi-head" if name == v1.name else "separable",
                             "dim": dim, "tokens": k, "threads": threads,
                             "latency": LatencyStats.from_samples(samples).to_dict()})
    finally:
        torch.set_num_threads(previous)
    return rows


# ----------------------------------------------------------------------------- (c) plain HF path
def _hf_model(name: str):
    """HF transformers' model of the same variant, given our weights (so both compute the same)."""
    from models.checkpoints.hf_classes import hf_model
    from models.checkpoints.layouts import LAYOUTS

    config = get_config(name)
    hf = hf_model(config)
    hf.load_state_dict(LAYOUTS["hf"].from_ours(config, create_model(config).state_dict()))
    return hf.eval()


class _Logits(torch.nn.Module):
    def __init__(self, model, channels_last: bool = False):
        super().__init__()
        self.model, self.channels_last = model, channels_last

    def forward(self, pixels):
        if self.channels_last:
            pixels = pixels.permute(0, 3, 1, 2)
        return self.model(pixel_values=pixels).logits


def export_plain_hf(name: str, fmt: str, out_dir: Path, r: int = 256) -> tuple[Path | None, str | None]:
    """HF's model through the plain path of each format; (path, None) or (None, why it failed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"hf-{name}-{r}.{'onnx' if fmt == 'onnx' else 'tflite'}"
    if path.exists():
        return path, None
    try:
        if fmt == "onnx":
            program = torch.onnx.export(_Logits(_hf_model(name)).eval(), (torch.rand(1, 3, r, r),), dynamo=True,
                                        external_data=False, verbose=False)
            program.save(str(path))
        else:
            import litert_torch
            from litert_torch import progress

            progress.console.quiet = True
            edge = litert_torch.convert(_Logits(_hf_model(name), channels_last=True).eval(), (torch.rand(1, r, r, 3),))
            edge.export(str(path))
    except Exception as exc:  # the plain path failing is a finding, recorded as such
        path.unlink(missing_ok=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"{type(exc).__name__}: {first[:300]}"
    return path, None


# ----------------------------------------------------------------------------- the study
def run_study(out: Path, artifacts: Path, resolutions=(256, 512, 1024), runtimes=("torch-eager", "onnxruntime", "litert"),
              threads: int = 2, tokens=TOKENS, min_seconds: float = 0.4, pairs=MATCHED_PAIRS, console=None) -> dict:
    console = console or Console()
    started = time.perf_counter()
    # A 1024-px v1 takes seconds per run in eager PyTorch: fewer, bounded repetitions keep the
    # default study under 15 minutes; every row records how many runs its median is over.
    timing = {"warmup_runs": 1, "min_runs": 5, "min_seconds": min_seconds, "max_seconds": 5.0}
    out.mkdir(parents=True, exist_ok=True)
    roof = RoofCache()
    console.print(f"[bold](a)[/bold] attention blocks over k = {', '.join(map(str, tokens))}")
    attention = attention_sweep(pairs[-1], tokens, threads, min_seconds)
    console.print(f"[bold](b)[/bold] matched pairs over {', '.join(map(str, resolutions))} px in {', '.join(runtimes)}")
    models = []
    for pair in pairs:
        for name in pair:
            for resolution in resolutions:
                config = get_config(name, resolution=resolution) if resolution != 256 else get_config(name)
                for runtime in runtimes:
                    models.append(benchmark(config, runtime, threads, artifacts, timing=timing,
                                            roof=roof, step=lambda what: console.print(f"  [dim]{what}[/dim]")))
    reference_resolution = resolutions[0]
    console.print(f"[bold](c)[/bold] plain Hugging Face exports at {reference_resolution} px")
    reference = []
    for pair in pairs:
        for name in pair:
            for runtime, fmt, layout in (("onnxruntime", "onnx", "NCHW"), ("litert", "tflite", "NHWC")):
                if runtime not in runtimes:
                    continue
                path, failure = export_plain_hf(name, fmt, out / "hf", reference_resolution)
                row = {"model": name, "runtime": runtime, "resolution": reference_resolution, "failure": failure}
                if path is not None:
                    # Ours is timed again right before HF's: minutes apart, a shared machine's drift
                    # would otherwise end up in the ratio.
                    ours = next(m for m in models if m["model"].split("@")[0] == name and m["runtime"] == runtime
                                and m["resolution"] == reference_resolution)
                    console.print(f"  [dim]timing {ours['artifact']} and {path.name} in {runtime}[/dim]")
                    for key, artifact in (("ours_latency", artifacts / ours["artifact"]), ("latency", path)):
                        row[key] = measure_in_child(Job(runtime, threads, reference_resolution, layout,
                                                        artifact=str(artifact), timing=timing))["latency"]
                reference.append(row)
    data = {
        "environment": describe_environment(),
        "threads": threads,
        "roof_gflops": roof.measured(),
        "attention": attention,
        "models": models,
        "hf_reference": reference,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "rows.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    write_report(data, out)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("benchmarks.study", __doc__)
    parser.add_argument("--out", type=Path, default=Path("results/study"))
    parser.add_argument("--artifacts", type=Path, default=Path("artifacts"))
    parser.add_argument("--resolutions", default="256,512,1024", help="comma-separated, multiples of 64")
    parser.add_argument("--runtimes", default="torch-eager,onnxruntime,litert")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tokens", default=",".join(map(str, TOKENS)))
    parser.add_argument("--min-seconds", type=float, default=0.4, help="timed seconds per measurement, at least")
    args = parser.parse_args(argv)

    def study() -> int:
        console = output_console()
        data = run_study(args.out, args.artifacts, tuple(int(r) for r in args.resolutions.split(",")),
                         tuple(args.runtimes.split(",")), args.threads, tuple(int(t) for t in args.tokens.split(",")),
                         args.min_seconds, console=console)
        console.print(f"report: {args.out / 'report.md'} ({data['seconds']:.0f} s)")
        return EXIT_OK

    return run_command(study, interrupted="the rows measured so far are not written")


if __name__ == "__main__":
    sys.exit(main())
