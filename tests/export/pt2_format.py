"""A fourth format, for the tests only: torch.export's ``.pt2`` archive, run by torch itself.

It shows what adding a format takes: this one module (a contract, a converter, a runtime) and
two registry entries, with no change to the pipeline, the gate, reuse or inspection.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from export.format_contract import FLOAT_GATES, FormatContract
from export.spec import ExportRequest
from models.network import MobileViT
from runtimes.base import platform_facts
from runtimes.registry import RuntimeEntry

_FACTS = "mobilevit_deploy.json"

CONTRACT = FormatContract(
    name="pt2", suffix=".pt2",
    gates={"fp32": FLOAT_GATES["fp32"]}, default_precision="fp32",
    target_kind="archive version", default_target="1",
    input_name="pixels", input_layout="NCHW", output_name="logits", output_kind="logits",
    runtime="pt2-runtime",
)

RUNTIME = RuntimeEntry("pt2-runtime", "pt2", (".pt2",), __name__, "Pt2Runtime")


class Pt2Exporter:
    contract = CONTRACT

    def check(self, request: ExportRequest) -> None:
        """Everything is in the contract."""

    def convert(self, model: MobileViT, request: ExportRequest, destination: Path, metadata: dict) -> dict:
        r = request.config.resolution
        program = torch.export.export(model.eval(), (torch.rand(1, 3, r, r),))
        torch.export.save(program, str(destination), extra_files={_FACTS: json.dumps(metadata)})
        return {"nodes": len(program.graph.nodes)}

    def inspect(self, path: Path, request: ExportRequest, metadata: dict) -> dict:
        return {"facts": sorted(self.embedded_facts(path))}

    def embedded_facts(self, path: Path) -> dict:
        extra = {_FACTS: ""}
        torch.export.load(str(path), extra_files=extra)
        return json.loads(extra[_FACTS])

    def io_names(self, path: Path) -> tuple[str, str]:
        return CONTRACT.input_name, CONTRACT.output_name


def import_libraries() -> None:
    """torch came with this module."""


class Pt2Runtime:
    name = "pt2-runtime"

    def __init__(self, path: str | Path, threads: int | None = None) -> None:
        self.module = torch.export.load(str(path)).module()

    def run(self, batch: np.ndarray) -> np.ndarray:
        """Image by image: the archive has a fixed batch of one."""
        with torch.no_grad():
            return np.concatenate([self.module(torch.from_numpy(np.ascontiguousarray(image[None], dtype=np.float32)))
                                   .numpy() for image in batch])

    def describe(self) -> dict:
        return {"runtime": self.name, "version": torch.__version__, **platform_facts()}
