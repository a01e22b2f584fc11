"""What every device harness adds to a measurement to make it a result row: where it ran.

Desktop rows describe this machine (``benchmarks.results.desktop_device``); device rows describe
the phone or board from what its own tools say (``getprop``, ``uname``, ``utsname``), and keep the
controlling machine in ``environment.host`` so a row says both where it ran and who drove it.
"""

from __future__ import annotations

from benchmarks.environment import describe_environment


def device_record(kind: str, facts: dict, transport: str) -> dict:
    """``row["device"]`` from a transport's :meth:`describe` facts (``build_row`` validates the kind)."""
    return {"kind": kind, "name": facts.get("name") or "unknown device", "os": facts.get("os"),
            "cpu": facts.get("cpu"), "abi": facts.get("abi"), "transport": transport}


def host_record() -> dict:
    """The machine that drove the device: ``environment.host`` of every device row."""
    host = describe_environment()
    return {"cpu": host["cpu"], "system": host["system"], "mobilevit-deploy": host["versions"]["mobilevit-deploy"]}


def device_environment(facts: dict, versions: dict, python: str | None = None, cores: int | None = None) -> dict:
    """``row["environment"]`` for a device: its facts, the runtime versions it ran, and the host."""
    return {"cpu": facts.get("cpu") or facts.get("name"), "logical_cores": cores, "usable_cores": cores,
            "machine": facts.get("abi"), "system": facts.get("os"), "python": python, "versions": versions,
            "host": host_record()}
