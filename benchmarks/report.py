"""``make report``: desktop and device rows in one table and two plots, regenerated from the result files.

    python -m benchmarks.report                      # results/latency.json + results/devices.json
    python -m benchmarks.report --results a.json b.json --out report/

Every figure comes from the rows: the latest measurement of each configuration is shown, and the
v2-over-v1 speedup is computed only between matched pairs (``models.registry.MATCHED_PAIRS``)
measured on the same device, runtime, options, threads, precision and resolution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.results import RowError, cell, headline_ms, load_rows
from models.command_line import EXIT_OK, command_parser, run_command
from models.registry import MATCHED_PAIRS

DEFAULT_RESULTS = (Path("results/latency.json"), Path("results/devices.json"))


def _setting(row: dict) -> tuple:
    """What makes two rows the same measurement, apart from when it was taken."""
    return (row["device"]["name"], row["device"]["kind"], row["runtime"],
            json.dumps(row["runtime_options"], sort_keys=True), row["threads"], row["precision"], row["format"])


def latest(rows: list[dict]) -> tuple[list[dict], int]:
    """The newest row of each (setting, model, resolution), and how many older repeats were dropped."""
    newest: dict[tuple, dict] = {}
    for row in sorted(rows, key=lambda r: r["measured_at"] or ""):
        newest[(*_setting(row), row["model"], row["resolution"])] = row
    return list(newest.values()), len(rows) - len(newest)


def runtime_label(row: dict) -> str:
    options = ", ".join(str(v) for v in row["runtime_options"].values())
    threads = f", {row['threads']} thr" if row["threads"] else ""
    return f"{row['runtime']}{' ' + options if options else ''}{threads}"


def base_model(row: dict) -> str:
    return row["model"].split("@")[0]


def speedups(rows: list[dict]) -> list[dict]:
    """v1 latency / v2 latency for each matched pair measured under the same setting and resolution."""
    found = {(*_setting(r), base_model(r), r["resolution"]): r for r in rows}
    out = []
    for key in sorted({(*_setting(r), r["resolution"]) for r in rows}):
        *setting, resolution = key
        for v1, v2 in MATCHED_PAIRS:
            a, b = found.get((*setting, v1, resolution)), found.get((*setting, v2, resolution))
            if a and b:
                out.append({"v1": a, "v2": b, "speedup": headline_ms(a) / headline_ms(b)})
    return out


def _statistic(row: dict) -> str:
    return "median" if row["latency"]["median_ms"] is not None else "mean"


def _plots(rows: list[dict], pairs: list[dict], out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    files = []
    groups = sorted({(r["device"]["name"], runtime_label(r), r["precision"]) for r in rows})
    order = {name: i for i, name in enumerate(name for pair in MATCHED_PAIRS for name in pair)}
    models = sorted({(order.get(base_model(r), len(order)), base_model(r), r["resolution"]) for r in rows})
    height = max(3.0, 0.32 * len(groups) * max(1, len(models)) / 2 + 1.5)
    fig, ax = plt.subplots(figsize=(8, min(height, 40)))
    bar = 0.8 / max(1, len(models))
    for m, (_, name, resolution) in enumerate(models):
        ys, xs = [], []
        for g, (device, runtime, precision) in enumerate(groups):
            row = next((r for r in rows if (r["device"]["name"], runtime_label(r), r["precision"]) ==
                        (device, runtime, precision) and base_model(r) == name and r["resolution"] == resolution), None)
            if row:
                ys.append(g + m * bar)
                xs.append(headline_ms(row))
        ax.barh(ys, xs, height=bar, label=f"{name.removeprefix('mobilevit_')} @{resolution}")
    ax.set_yticks([g + 0.4 - bar / 2 for g in range(len(groups))])
    ax.set_yticklabels([f"{d}\n{r} ({p})" for d, r, p in groups], fontsize=7)
    values = [headline_ms(r) for r in rows]
    if max(values) / min(values) > 30:  # a 1024-px v1 beside a 256-px v2: only a log axis shows both
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(ticker.ScalarFormatter())
    ax.set_xlabel("latency per image, ms (median; mean where the device tool gives no median)")
    ax.set_title("Latency per device and runtime")
    ax.grid(True, axis="x", which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "latency_by_device.png", dpi=120)
    plt.close(fig)
    files.append("latency_by_device.png")

    if pairs:
        labels = [f"{p['v1']['device']['name']} · {runtime_label(p['v1'])}\n"
                  f"{base_model(p['v1']).removeprefix('mobilevit_')} / {base_model(p['v2']).removeprefix('mobilevit_')}"
                  f" @{p['v1']['resolution']}" for p in pairs]
        fig, ax = plt.subplots(figsize=(8, min(40, max(3.0, 0.45 * len(pairs) + 1.5))))
        ax.barh(range(len(pairs)), [p["speedup"] for p in pairs], color="tab:green")
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(pairs)))
        ax.set_yticklabels(labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("v2 speedup over its matched v1 (v1 latency / v2 latency)")
        ax.set_title("MobileViTv2 over v1, per device")
        ax.grid(True, axis="x", alpha=0.3)
        fig.tight_layout()
        fig.savefig(out / "speedup_by_device.png", dpi=120)
        plt.close(fig)
        files.append("speedup_by_device.png")
    return files


def write_report(sources: dict[Path, list[dict]], out: Path) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows, repeats = latest([row for rows in sources.values() for row in rows])
    rows.sort(key=lambda r: (r["device"]["kind"] != "desktop", r["device"]["name"], runtime_label(r),
                             r["mobilevit_version"], r["macs"]))
    pairs = speedups(rows)
    plots = _plots(rows, pairs, out)
    lines = ["# MobileViT latency across devices", "",
             "Generated by `make report` from " + ", ".join(f"`{p}` ({len(r)} rows)" for p, r in sources.items()) +
             f". The newest measurement of each configuration is shown ({repeats} older repeats left out). "
             "Batch 1. Latency is the median of the timed runs, or the mean (marked) where the device's tool "
             "reports no median (older benchmark_model builds).", "",
             "## Devices", "", "| device | kind | OS | CPU / SoC | ABI | reached via | rows |",
             "|---|---|---|---|---|---|---|"]
    devices = {}
    for row in rows:
        devices.setdefault(row["device"]["name"], [row["device"], 0])[1] += 1
    for device, n in devices.values():
        lines.append(f"| {device['name']} | {device['kind']} | {device['os'] or '-'} | {device['cpu'] or '-'} | "
                     f"{device['abi'] or '-'} | {device['transport']} | {n} |")
    lines += ["", "## Latency", "",
              "| device | runtime | model | px | precision | latency ms | p90 ms | GFLOP/s | peak MB | measured |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        mark = "" if _statistic(row) == "median" else " (mean)"
        lines.append(f"| {row['device']['name']} | {runtime_label(row)} | {base_model(row)} | {row['resolution']} | "
                     f"{row['precision']} | {headline_ms(row):.2f}{mark} | {cell(row['latency']['p90_ms'], '.2f')} | "
                     f"{cell(row['achieved_gflops'], '.1f')} | {cell(row['peak_rss_mb'], '.0f')} | "
                     f"{(row['measured_at'] or '-')[:16]} |")
    lines += ["", f"![latency by device]({plots[0]})", "", "## MobileViTv2 over v1 (matched pairs)", ""]
    if pairs:
        lines += ["Speedup = v1 latency / v2 latency, both measured on the same device, runtime, options, threads, "
                  "precision and resolution.", "",
                  "| device | runtime | precision | px | pair | v1 ms | v2 ms | v2 speedup |",
                  "|---|---|---|---|---|---|---|---|"]
        for p in pairs:
            a, b = p["v1"], p["v2"]
            lines.append(f"| {a['device']['name']} | {runtime_label(a)} | {a['precision']} | {a['resolution']} | "
                         f"{base_model(a).removeprefix('mobilevit_')} / {base_model(b).removeprefix('mobilevit_')} | "
                         f"{headline_ms(a):.2f} | {headline_ms(b):.2f} | **{p['speedup']:.2f}x** |")
        lines += ["", f"![speedup by device]({plots[1]})", ""]
    else:
        lines += ["No matched pair (" + ", ".join(f"{a.removeprefix('mobilevit_')} / {b.removeprefix('mobilevit_')}"
                                                   for a, b in MATCHED_PAIRS) +
                  ") has both models measured under one setting yet: bench both, e.g. "
                  "`make bench MODEL=mobilevit_v1_s` and `make bench MODEL=mobilevit_v2_1.0`.", ""]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("benchmarks.report", __doc__)
    parser.add_argument("--results", type=Path, nargs="+", default=None,
                        help="result files to merge (default: results/latency.json and results/devices.json)")
    parser.add_argument("--out", type=Path, default=Path("results"), help="where report.md and plots go")
    args = parser.parse_args(argv)
    return run_command(lambda: _report(args.results or [p for p in DEFAULT_RESULTS if p.exists()], args.out))


def _report(files: list[Path], out: Path) -> int:
    missing = [p for p in files if not p.exists()]
    if missing:
        raise RowError(f"no such results file: {', '.join(map(str, missing))}")
    sources = {p: load_rows(p) for p in files}
    if not any(sources.values()):
        raise RowError("no results to report yet: measure first (make bench, make bench-ssh, make bench-android, "
                       "make bench-ios or make bench-coreml), then run make report")
    print(write_report(sources, out))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
