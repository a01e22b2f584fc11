"""Print what an artifact says about itself: variant, input contract, preprocessing, labels.

    python -m export.inspect_artifact artifacts/mobilevit_v2_1.0-256-fp32.tflite
    python -m export.inspect_artifact artifacts/....tflite --labels > labels.txt   # for Android assets
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def embedded_facts(path: Path) -> dict:
    """The metadata the exporter embedded, read back from the artifact itself."""
    if path.suffix == ".tflite":
        from export.tflite_exporter import read_metadata

        return read_metadata(path)
    if path.suffix == ".onnx":
        import onnx

        proto = onnx.load(str(path), load_external_data=False)
        facts = {}
        for prop in proto.metadata_props:
            try:
                facts[prop.key] = json.loads(prop.value)
            except json.JSONDecodeError:
                facts[prop.key] = prop.value
        return facts
    if path.suffix == ".mlpackage":
        from runtimes import coreml_spec

        spec = coreml_spec.load_spec(path)
        facts = {}
        for key, value in coreml_spec.metadata(spec)["user_defined"].items():
            if key.startswith("mobilevit_deploy."):
                try:
                    facts[key.split(".", 1)[1]] = json.loads(value)
                except json.JSONDecodeError:
                    facts[key.split(".", 1)[1]] = value
        facts["labels"] = coreml_spec.classifier_labels(spec)
        return facts
    raise SystemExit(f"error: {path.name!r} is not a .tflite, .onnx or .mlpackage artifact")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m export.inspect_artifact", description=__doc__.split("\n")[0])
    parser.add_argument("artifact", type=Path)
    parser.add_argument("--labels", action="store_true", help="print only the class labels, one per line")
    args = parser.parse_args(argv)
    if not args.artifact.exists():
        print(f"error: {args.artifact} does not exist", file=sys.stderr)
        return 2
    facts = embedded_facts(args.artifact)
    if args.labels:
        print("\n".join(facts.get("labels", [])))
    else:
        shown = {k: v for k, v in facts.items() if k != "labels"} | {"labels": f"{len(facts.get('labels', []))} labels"}
        print(json.dumps(shown, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
