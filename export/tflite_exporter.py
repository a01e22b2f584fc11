"""TFLite for Android: litert-torch (formerly ai-edge-torch), NHWC input, validated in LiteRT.

fp16 is TFLite's "float16 quantization": conv and fully-connected weights stored as fp16 with
dequantize ops (half the file; XNNPACK and the GPU delegate can then compute in fp16), applied by
ai-edge-quantizer's ``float_casting`` recipe.

Labels and preprocessing: the TFLite metadata writer (tflite-support) is unmaintained and needs
protobuf < 4, which nothing else here installs beside. So the facts go into the model's own
``metadata`` table as a JSON buffer named ``mobilevit_deploy`` (schema in README); any flatbuffer
reader, or ``export.tflite_exporter.read_metadata``, gets them back.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from export.deployable import ChannelsLastInput
from export.format_contract import FLOAT_GATES, FormatContract
from export.spec import ExportRequest
from models.network import MobileViT

METADATA_NAME = "mobilevit_deploy"
_FP16_OPS = ("FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D")

CONTRACT = FormatContract(
    name="tflite", suffix=".tflite",
    gates=dict(FLOAT_GATES), default_precision="fp32",
    # The flatbuffer schema version LiteRT reads (file identifier TFL3).
    target_kind="schema", default_target="TFL3",
    # Signature keys, which LiteRT's signature runner and Android's Interpreter.runSignature use.
    input_name="image", input_layout="NHWC", output_name="output_0", output_kind="logits",
    runtime="litert",
    conversion_advice="try fp32 first, or the default resolution; litert-torch's message above names the op",
    fixed_batch_reason=("TFLite artifacts have a fixed batch of one (LiteRT resizes inputs at run time "
                        "with Interpreter.resize_tensor_input if you need more)"),
)


class TFLiteExporter:
    contract = CONTRACT

    def check(self, request: ExportRequest) -> None:
        """Everything TFLite cannot do is in its contract."""

    def convert(self, model: MobileViT, request: ExportRequest, destination: Path, metadata: dict) -> dict:
        import litert_torch
        from litert_torch import progress

        progress.console.quiet = True  # its step log would interleave with our progress display
        r = request.config.resolution
        module = ChannelsLastInput(model).eval()
        edge = litert_torch.convert(module, sample_kwargs={CONTRACT.input_name: torch.rand(1, r, r, 3)})
        fp32_path = destination.with_name(destination.stem + ".fp32.tflite")
        edge.export(str(fp32_path))
        source = fp32_path
        if request.precision == "fp16":
            source = destination.with_name(destination.stem + ".fp16.tflite")
            _float16_weights(fp32_path, source)
        write_metadata(source, destination, metadata)
        for scratch in {fp32_path, source} - {destination}:
            scratch.unlink(missing_ok=True)
        return {}

    def inspect(self, path: Path, request: ExportRequest, metadata: dict) -> dict:
        from ai_edge_litert.interpreter import Interpreter

        interpreter = Interpreter(model_path=str(path))
        tensors = interpreter.get_tensor_details()
        inputs, outputs = interpreter.get_input_details(), interpreter.get_output_details()
        return {
            "input": {"name": inputs[0]["name"], "shape": inputs[0]["shape"].tolist(),
                      "dtype": np.dtype(inputs[0]["dtype"]).name},
            "output": {"name": outputs[0]["name"], "shape": outputs[0]["shape"].tolist()},
            "float16_tensors": sum(1 for t in tensors if np.dtype(t["dtype"]) == np.float16),
            "metadata_keys": sorted(read_metadata(path)),
        }

    def embedded_facts(self, path: Path) -> dict:
        return read_metadata(path)

    def io_names(self, path: Path) -> tuple[str, str]:
        """Signature keys of the default signature, as ``Interpreter.runSignature`` (Android) and
        ``get_signature_runner`` (Python) take them; tensor names differ (``serving_default_image:0``)."""
        from ai_edge_litert.interpreter import Interpreter

        signatures = Interpreter(model_path=str(path)).get_signature_list()
        signature = signatures.get("serving_default") or next(iter(signatures.values()))
        return signature["inputs"][0], signature["outputs"][0]


def _float16_weights(source: Path, destination: Path) -> None:
    from ai_edge_quantizer import qtyping, quantizer

    config = qtyping.OpQuantizationConfig(
        weight_tensor_config=qtyping.TensorQuantizationConfig(num_bits=16, dtype=qtyping.TensorDataType.FLOAT),
        compute_precision=qtyping.ComputePrecision.FLOAT,
        explicit_dequantize=True,
    )
    q = quantizer.Quantizer(str(source))
    for op in _FP16_OPS:
        q.update_quantization_recipe(regex=".*", operation_name=op, algorithm_key="float_casting", op_config=config)
    q.quantize().export_model(str(destination), overwrite=True)


def write_metadata(source: Path, destination: Path, metadata: dict) -> None:
    """Copy ``source`` to ``destination`` with ``metadata`` as a JSON buffer in the model's metadata."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    data = source.read_bytes()
    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(data, 0))
    for stored in model.buffers:
        # Writers such as ai-edge-quantizer put tensor data after the flatbuffer (offset/size);
        # re-packing would drop it, so bring it back inline (fine below the 2 GB flatbuffer limit).
        if stored.offset and stored.offset > 1:
            stored.data = np.frombuffer(data, dtype=np.uint8, count=stored.size, offset=stored.offset)
            stored.offset, stored.size = 0, 0
    model.metadata = [m for m in (model.metadata or []) if m.name.decode() != METADATA_NAME]
    buffer = schema.BufferT()
    buffer.data = np.frombuffer(json.dumps(metadata, sort_keys=True).encode(), dtype=np.uint8)
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = METADATA_NAME.encode()
    entry.buffer = len(model.buffers) - 1
    model.metadata.append(entry)
    builder = flatbuffers.Builder(source.stat().st_size + (1 << 20))
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    destination.write_bytes(builder.Output())


def read_metadata(path: str | Path) -> dict:
    """The ``mobilevit_deploy`` JSON of a .tflite file (empty dict if absent)."""
    from ai_edge_litert import schema_py_generated as schema

    data = Path(path).read_bytes()
    model = schema.Model.GetRootAsModel(data, 0)
    for i in range(model.MetadataLength()):
        entry = model.Metadata(i)
        if entry.Name().decode() == METADATA_NAME:
            return json.loads(model.Buffers(entry.Buffer()).DataAsNumpy().tobytes())
    return {}
