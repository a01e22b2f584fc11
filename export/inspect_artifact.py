"""Print what an artifact says about itself: variant, input contract, preprocessing, labels.

    python -m export.inspect_artifact artifacts/mobilevit_v2_1.0-256-fp32.tflite
    python -m export.inspect_artifact artifacts/....tflite --labels > labels.txt   # for Android assets

Where the artifact's folder has a ``manifest.json`` entry for it, the input and output names the
manifest promises are checked against the file: app code is written from the manifest.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from export.errors import ExportError
from export.formats import exporter_for_path
from export.manifest import MANIFEST_NAME, Manifest
from models.command_line import EXIT_OK, command_parser, run_command


def embedded_facts(path: Path) -> dict:
    """The metadata the exporter embedded, read back from the artifact itself."""
    exporter = exporter_for_path(path)
    try:
        return exporter.embedded_facts(path)
    except Exception as exc:  # a damaged file makes each format's reader fail its own way
        raise ExportError(f"cannot read {str(path)!r} as a {exporter.contract.name} artifact: "
                          f"{type(exc).__name__}: {str(exc).strip()[:200]}") from exc


def check_io_names(path: Path) -> str:
    """Compare the io names of the manifest entry beside ``path`` with the file's; say what was found."""
    if not (path.parent / MANIFEST_NAME).is_file():
        return f"no {MANIFEST_NAME} beside the artifact: io names not checked"
    entry = Manifest(path.parent).get(path.name)
    if entry is None:
        return f"not in {path.parent / MANIFEST_NAME}: io names not checked"
    promised = (entry.io["input"]["name"], entry.io["output"]["name"])
    actual = exporter_for_path(path).io_names(path)
    if tuple(actual) != promised:
        raise ExportError(f"{path.name}: the manifest promises input {promised[0]!r} and output {promised[1]!r}, "
                          f"the file has {actual[0]!r} and {actual[1]!r}; re-export it.")
    return f"input {promised[0]!r} and output {promised[1]!r} match {MANIFEST_NAME}"


def _inspect(args) -> int:
    if not args.artifact.exists():
        raise ExportError(f"{args.artifact} does not exist")
    facts = embedded_facts(args.artifact)
    io_check = check_io_names(args.artifact)
    if args.labels:
        print("\n".join(facts.get("labels", [])))
    else:
        shown = {k: v for k, v in facts.items() if k != "labels"} | {
            "labels": f"{len(facts.get('labels', []))} labels", "io_check": io_check}
        print(json.dumps(shown, indent=2))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("export.inspect_artifact", __doc__)
    parser.add_argument("artifact", type=Path)
    parser.add_argument("--labels", action="store_true", help="print only the class labels, one per line")
    args = parser.parse_args(argv)
    return run_command(lambda: _inspect(args))


if __name__ == "__main__":
    sys.exit(main())
