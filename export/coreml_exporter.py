"""Core ML for iOS/macOS: an ML Program (iOS 16+) an app or Xcode's preview uses with no glue code.

Input: an ``ImageType`` (the OS scales and converts the photo; 1/255 and RGB baked in). Output:
``ClassifierConfig`` with the ImageNet labels, so the model reports ``classLabel`` and per-class
probabilities. From ``torch.export``: coremltools' ``jit.trace`` path fails with this torch.

Identical bytes on every export: coremltools stamps a conversion date into the metadata, gives the
package's items random UUIDs and serializes protobuf maps in arbitrary order; we drop the date,
derive the identifiers from the items and rewrite the spec with deterministic serialization.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import torch

from export.deployable import ProbabilitiesOutput
from export.errors import ExportError, UnsupportedRequestError
from export.format_contract import FLOAT_GATES, FormatContract
from export.spec import ExportRequest
from models.network import MobileViT
from runtimes import coreml_spec

#: iOS 16 / macOS 13: the first ML Program spec (7) with every op our variants need in fp16.
DEPLOYMENT_TARGET = "iOS16"
_UNSTABLE_METADATA = ("com.github.apple.coremltools.conversion_date",)

CONTRACT = FormatContract(
    name="coreml", suffix=".mlpackage",
    # fp16 by default: the Neural Engine computes in fp16.
    gates=dict(FLOAT_GATES), default_precision="fp16",
    target_kind="deployment target", default_target=DEPLOYMENT_TARGET, target_fixed=False,
    input_name="image", input_layout="image", output_name="classLabel_probs", output_kind="probabilities",
    # MLModel.predict exists only on macOS; the project's MIL evaluator computes the program anywhere.
    runtime="coreml", checking_runtimes=("mil-evaluator",),
    conversion_advice="try PRECISION=fp32, or the default resolution; coremltools' message above names the op",
    fixed_batch_reason=("Core ML image classifiers take one image per prediction; batch with "
                        "MLModel.predictions(from:) in the app instead"),
)


class CoreMLExporter:
    contract = CONTRACT

    def check(self, request: ExportRequest) -> None:
        import coremltools as ct

        target = CONTRACT.target(request)
        known = [name for name in dir(ct.target) if name.startswith(("iOS", "macOS", "watchOS", "tvOS"))]
        if target not in known:
            raise UnsupportedRequestError(
                f"{request.config.name}: unknown Core ML deployment target {target!r}; coremltools knows "
                f"{', '.join(known)}.")

    def convert(self, model: MobileViT, request: ExportRequest, destination: Path, metadata: dict) -> dict:
        import coremltools as ct

        config = request.config
        r = config.resolution
        target = CONTRACT.target(request)
        program = torch.export.export(ProbabilitiesOutput(model).eval(), (torch.rand(1, 3, r, r),))
        program = program.run_decompositions({})
        mlmodel = ct.convert(
            program,
            inputs=[ct.ImageType(name=CONTRACT.input_name, shape=(1, 3, r, r), scale=config.preprocessing.scale,
                                 bias=[0.0, 0.0, 0.0], color_layout=ct.colorlayout.RGB)],
            classifier_config=ct.ClassifierConfig(list(metadata["labels"])),
            minimum_deployment_target=getattr(ct.target, target),
            compute_precision=ct.precision.FLOAT16 if request.precision == "fp16" else ct.precision.FLOAT32,
            convert_to="mlprogram",
            skip_model_load=True,
        )
        mlmodel.author = "MobileViT Deploy (Mehta & Rastegari's MobileViT)"
        mlmodel.license = metadata["license"]
        mlmodel.version = metadata["producer_version"]
        mlmodel.short_description = metadata["headline"]
        mlmodel.input_description[CONTRACT.input_name] = (
            f"{r}x{r} RGB photo. Resize the shorter side to "
            f"{metadata['preprocessing']['resize_shorter_side']} and center-crop, or let Vision do it."
        )
        mlmodel.output_description["classLabel"] = "Most likely ImageNet-1k class"
        mlmodel.output_description[CONTRACT.output_name] = "Probability of each of the 1000 classes"
        user = mlmodel.user_defined_metadata
        for key in _UNSTABLE_METADATA:
            if key in user:
                del user[key]
        for key, value in sorted(metadata.items()):
            if key not in ("labels", "headline", "license"):
                user[f"mobilevit_deploy.{key}"] = value if isinstance(value, str) else json.dumps(value)
        mlmodel.save(str(destination))
        _make_reproducible(destination)
        return {"deployment_target": target}

    def inspect(self, path: Path, request: ExportRequest, metadata: dict) -> dict:
        """Structural checks that stand in for prediction where Core ML cannot run."""
        spec = coreml_spec.load_spec(path)
        image = coreml_spec.image_input(spec)
        labels = coreml_spec.classifier_labels(spec)
        dtypes = coreml_spec.compute_dtypes(spec)
        r = request.config.resolution
        problems = []
        if image.get("type") != "imageType" or image.get("color_space") != "RGB" or (image.get("width"), image.get("height")) != (r, r):
            problems.append(f"input is {image}, expected an RGB {r}x{r} image")
        if labels != list(metadata["labels"]):
            problems.append(f"classifier has {len(labels)} labels that differ from the model's")
        half = dtypes.get("FLOAT16", 0) / max(sum(dtypes.values()), 1)
        if request.precision == "fp16" and half < 0.5:
            problems.append(f"only {half:.0%} of op outputs are fp16")
        if request.precision == "fp32" and dtypes.get("FLOAT16", 0):
            problems.append(f"{dtypes['FLOAT16']} op outputs are fp16 in an fp32 program")
        if problems:
            raise ExportError(f"{request.config.name} Core ML program is malformed: {'; '.join(problems)}.")
        ops = coreml_spec.op_histogram(spec)
        return {
            "input": image,
            "labels": len(labels),
            "specification_version": spec.specificationVersion,
            "op_types": dict(sorted(ops.items())),
            "fp16_fraction": round(half, 3),
            "metadata": coreml_spec.metadata(spec)["short_description"],
        }

    def embedded_facts(self, path: Path) -> dict:
        spec = coreml_spec.load_spec(path)
        facts = {}
        for key, value in coreml_spec.metadata(spec)["user_defined"].items():
            if key.startswith("mobilevit_deploy."):
                try:
                    facts[key.split(".", 1)[1]] = json.loads(value)
                except json.JSONDecodeError:
                    facts[key.split(".", 1)[1]] = value
        return facts | {"labels": coreml_spec.classifier_labels(spec)}

    def io_names(self, path: Path) -> tuple[str, str]:
        """The image input and the probabilities dictionary, as ``MLModel.prediction`` names them."""
        description = coreml_spec.load_spec(path).description
        return description.input[0].name, description.predictedProbabilitiesName or description.output[0].name


def _make_reproducible(package: Path) -> None:
    """Same model, same bytes: stable item identifiers in ``Manifest.json``, deterministic spec."""
    spec_path = package / "Data" / "com.apple.CoreML" / "model.mlmodel"
    spec = coreml_spec.load_spec(package)
    spec_path.write_bytes(spec.SerializeToString(deterministic=True))
    manifest_path = package / "Manifest.json"
    manifest = json.loads(manifest_path.read_text())
    renames = {}
    for old, item in manifest.get("itemInfoEntries", {}).items():
        renames[old] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{item.get('author')}/{item.get('path')}")).upper()
    manifest["itemInfoEntries"] = {renames[k]: v for k, v in manifest["itemInfoEntries"].items()}
    if manifest.get("rootModelIdentifier") in renames:
        manifest["rootModelIdentifier"] = renames[manifest["rootModelIdentifier"]]
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
