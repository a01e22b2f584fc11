"""Time a .tflite on an Android phone with LiteRT's own benchmark_model, and bring back rows.

The user brings ``benchmark_model`` for the phone's ABI (README says where it comes from); the
harness pushes it and the artifact into a fresh directory under ``/data/local/tmp``, runs it for
each CPU thread count with XNNPACK and, on request, once with the GPU delegate, and removes the
directory whatever happens. Written against :class:`~devices.transports.Transport`, so the same
code runs over adb on a phone and, in the tests, on this machine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from benchmarks.harness import DEFAULT_TIMING
from benchmarks.results import build_row
from devices.android.benchmark_model import BenchmarkOutputError, command, parse_output
from devices.rows import device_environment, device_record
from devices.transports import DeviceError, Transport
from export.formats import make_request
from export.reuse import ensure_artifact
from models.config import MobileViTConfig

#: Where benchmark_model binaries come from; quoted when none is given or it cannot run.
BINARY_HELP = ("LiteRT publishes prebuilt benchmark_model binaries per ABI (android_aarch64, android_arm, "
               "android_x86_64) on https://ai.google.dev/edge/litert/models/benchmark_tools; or build one with "
               "`bazel build -c opt --config=android_arm64 //tflite/tools/benchmark:benchmark_model` in the LiteRT "
               "repository. Pass it as BENCHMARK_BIN=path")

#: ELF ``e_machine`` values and the Android ABIs they run on.
_ELF_ABIS = {0x28: "armeabi-v7a", 0xB7: "arm64-v8a", 0x03: "x86", 0x3E: "x86_64"}


def binary_abi(path: Path) -> str | None:
    """The Android ABI an ELF binary is built for; ``None`` for a script or an unknown machine."""
    with open(path, "rb") as handle:
        header = handle.read(20)
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return None
    return _ELF_ABIS.get(int.from_bytes(header[18:20], "little" if header[5] == 1 else "big"))


def check_binary(binary: Path | None, device_abi: str | None) -> Path:
    if binary is None:
        raise DeviceError(f"no benchmark_model binary given. {BINARY_HELP}")
    binary = Path(binary)
    if not binary.is_file():
        raise DeviceError(f"benchmark_model binary {binary} does not exist. {BINARY_HELP}")
    abi = binary_abi(binary)
    if abi and device_abi and abi != device_abi and not (abi == "armeabi-v7a" and device_abi == "arm64-v8a"):
        raise DeviceError(f"{binary} is built for {abi}, the device is {device_abi}: use the benchmark_model "
                          f"build for {device_abi}. {BINARY_HELP}")
    return binary


def bench_android(
    transport: Transport,
    config: MobileViTConfig,
    benchmark_bin: Path | None,
    artifacts: Path,
    *,
    threads: list[int] = (1, 4),
    gpu: bool = False,
    precision: str | None = None,
    weights: Path | None = None,
    timing: dict | None = None,
    timeout: float = 900,
    step=lambda _: None,
) -> list[dict]:
    """Rows for ``config``'s .tflite on the device: one per XNNPACK thread count, plus one GPU row."""
    step(f"reading {transport.label}")
    facts = transport.describe()
    binary = check_binary(benchmark_bin, facts.get("abi"))
    path, entry = ensure_artifact(make_request(config, "tflite", artifacts, precision, weights=weights), step)
    timing = {**DEFAULT_TIMING, **(timing or {})}
    plan = [("xnnpack", count) for count in threads] + ([("gpu", max(threads))] if gpu else [])
    tool = {"tool": "benchmark_model", "binary_sha256": hashlib.sha256(binary.read_bytes()).hexdigest()}
    rows = []
    with transport.workspace() as remote:
        step(f"pushing {path.name} and {binary.name} to {transport.label}:{remote}")
        transport.push(path, f"{remote}/{path.name}")
        transport.push(binary, f"{remote}/benchmark_model")
        chmod = transport.run(["chmod", "755", f"{remote}/benchmark_model"], timeout=30)
        if not chmod.ok:
            raise DeviceError(f"{transport.label}: cannot make benchmark_model executable: {chmod.tail(2)}")
        for delegate, count in plan:
            step(f"timing {config.name} with benchmark_model ({delegate}, {count} thread(s)) on {transport.label}")
            argv = command(f"{remote}/benchmark_model", f"{remote}/{path.name}", count, delegate,
                           warmup_runs=timing["warmup_runs"], num_runs=timing["min_runs"],
                           min_secs=timing["min_seconds"], max_secs=timing["max_seconds"])
            result = transport.run(argv, timeout, cwd=remote)
            if result.returncode in (126, 127) and "Inference timings" not in result.stdout:
                raise DeviceError(f"{transport.label}: benchmark_model does not run there ({result.tail(2)}); is it "
                                  f"built for {facts.get('abi') or 'this ABI'}? {BINARY_HELP}")
            try:
                parsed = parse_output(result.stdout + "\n" + result.stderr)
            except BenchmarkOutputError as exc:
                raise DeviceError(f"{transport.label}: {exc}") from None
            if delegate == "gpu" and parsed.delegate_coverage in ("none", "unsupported"):
                step(f"[yellow]skipped the GPU row: the GPU delegate took {parsed.delegate_coverage} of the graph, "
                     "so benchmark_model timed the CPU[/yellow]")
                continue
            measured = {"latency": parsed.latency(), "load_ms": parsed.init_ms,
                        "first_inference_ms": parsed.first_inference_ms, "peak_rss_mb": parsed.peak_memory_mb,
                        "model_rss_mb": parsed.overall_memory_mb,
                        "runtime_info": {"runtime": "litert", **tool, "delegate": delegate, "threads": count,
                                         "delegate_coverage": parsed.delegate_coverage,
                                         "max_ms": parsed.max_ms, "p5_ms": parsed.p5_ms, "p95_ms": parsed.p95_ms,
                                         "memory": "peak: benchmark_model's periodic monitor; model: its "
                                                   "footprint delta after the runs"}}
            rows.append(build_row(
                config, runtime="litert", threads=count, fmt="tflite", precision=entry.precision, measured=measured,
                device=device_record("android", facts, transport.kind),
                environment=device_environment(facts, {"benchmark_model": tool["binary_sha256"][:12]}),
                entry=entry, artifact=path.name, options={"delegate": delegate}))
    return rows
