"""What every device harness adds to a measurement to make it a result row: where it ran.

Desktop rows describe this machine (``benchmarks.results.desktop_device``); device rows describe
the phone or board from what its own tools say (``getprop``, ``uname``, ``utsname``), and keep the
controlling machine in ``environment.host`` so a row says both where it ran and who drove it.
"""

from __future__ import annotations

from benchmarks.environment import describe_environment
from benchmarks.results import DEVICE_KINDS


def device_record(kind: str, facts: dict, transport: str) -> dict:
    """``row["device"]`` from a transport's :meth:`describe` facts."""
    if kind not in DEVICE_KINDS:
        raise ValueError(f"unknown device kind {kind!r}; known: {', '.join(DEVICE_KINDS)}")
    return {"kind": kind, "name": facts.get("name") or "unknown device", "os": facts.get("os"),
            "cpu": facts.get("cpu"), "abi": facts.get("abi"), "transport": transport}


def device_environment(facts: dict, versions: dict, python: str | None = None, cores: int | None = None) -> dict:
    """``row["environment"]`` for a device: its facts, the runtime versions it ran, and the host."""
    host = describe_environment()
    return {"cpu": facts.get("cpu") or facts.get("name"), "logical_cores": cores, "usable_cores": cores,
            "machine": facts.get("abi"), "system": facts.get("os"), "python": python, "versions": versions,
            "host": {"cpu": host["cpu"], "system": host["system"],
                     "mobilevit-deploy": host["versions"]["mobilevit-deploy"]}}
