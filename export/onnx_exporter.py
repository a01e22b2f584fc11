"""ONNX: torch's dynamo exporter, one self-contained file, slimmed, validated in onnxruntime.

Why dynamo: the TorchScript exporter cannot translate HF's v2 ``F.fold`` (col2im); ours has none,
but dynamo is where torch.onnx is maintained. Why opset 18: the dynamo exporter emits it natively
(other opsets go through ONNX's version converter) and every current onnxruntime build runs it.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from export.format_contract import FLOAT_GATES, FormatContract
from export.spec import ExportRequest
from models.network import MobileViT

OPSET = 18

CONTRACT = FormatContract(
    name="onnx", suffix=".onnx",
    gates={"fp32": FLOAT_GATES["fp32"]}, default_precision="fp32",
    precision_advice="For fp16 use Core ML or TFLite; for onnxruntime on CPU fp32 is also the faster choice.",
    target_kind="opset", default_target=str(OPSET),
    input_name="pixels", input_layout="NCHW", output_name="logits", output_kind="logits",
    runtime="onnxruntime",
    conversion_advice="try the default resolution and fp32, or update onnxscript/torch together",
    fixed_batch_reason=None,  # a dynamic batch axis is supported
)


class OnnxExporter:
    contract = CONTRACT

    def check(self, request: ExportRequest) -> None:
        """Everything ONNX cannot do is in its contract."""

    def convert(self, model: MobileViT, request: ExportRequest, destination: Path, metadata: dict) -> dict:
        import onnx
        import onnxslim

        io = CONTRACT.io(request)
        sample = torch.rand(1, 3, request.config.resolution, request.config.resolution)
        dynamic = {"pixels": {0: torch.export.Dim("batch", min=1, max=1024)}} if request.dynamic_batch else None
        program = torch.onnx.export(
            model, (sample,), dynamo=True, opset_version=OPSET, input_names=[io.input_name],
            output_names=[io.output_name], dynamic_shapes=dynamic, external_data=False, verbose=False,
        )
        proto = onnxslim.slim(program.model_proto)
        proto.doc_string = metadata["headline"]
        proto.producer_name, proto.producer_version = metadata["producer"], metadata["producer_version"]
        del proto.metadata_props[:]
        for key, value in sorted(metadata.items()):
            entry = proto.metadata_props.add()
            entry.key, entry.value = key, value if isinstance(value, str) else json.dumps(value)
        onnx.checker.check_model(proto, full_check=True)
        onnx.save_model(proto, str(destination), save_as_external_data=False)
        return {"opset": OPSET, "nodes": len(proto.graph.node)}

    def inspect(self, path: Path, request: ExportRequest, metadata: dict) -> dict:
        import onnx

        proto = onnx.load(str(path))
        opset = max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
        stray = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
        return {"opset": opset, "nodes": len(proto.graph.node), "side_files": stray,
                "input": proto.graph.input[0].name, "output": proto.graph.output[0].name}

    def embedded_facts(self, path: Path) -> dict:
        import onnx

        facts = {}
        for prop in onnx.load(str(path), load_external_data=False).metadata_props:
            try:
                facts[prop.key] = json.loads(prop.value)
            except json.JSONDecodeError:
                facts[prop.key] = prop.value
        return facts

    def io_names(self, path: Path) -> tuple[str, str]:
        """Graph input and output names, as ``InferenceSession.run`` takes them."""
        import onnx

        graph = onnx.load(str(path), load_external_data=False).graph
        return graph.input[0].name, graph.output[0].name
