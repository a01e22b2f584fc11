"""Read facts out of a saved Core ML ML Program without running it (works on any OS).

These are the structural checks Linux can make: the image input, the classifier labels, which
MIL ops the program uses and in which precision it computes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def load_spec(path: str | Path):
    import coremltools as ct

    return ct.utils.load_spec(str(path))


def _main_block(spec):
    function = spec.mlProgram.functions["main"]
    return function.block_specializations[function.opset]


def classifier_labels(spec) -> list[str]:
    """Labels of the program's ``classify`` op, in output order (empty if not a classifier)."""
    for op in _main_block(spec).operations:
        if op.type == "classify":
            values = op.inputs["classes"].arguments[0].value.immediateValue.list.values
            return [value.immediateValue.tensor.strings.values[0] for value in values]
    return []


def op_histogram(spec) -> Counter:
    """How many of each MIL op type the main function holds (``const`` included)."""
    return Counter(op.type for op in _main_block(spec).operations)


def compute_dtypes(spec) -> Counter:
    """Element types of every non-const op output: shows whether the program runs in fp16."""
    from coremltools.proto import MIL_pb2

    names = {value: name for name, value in MIL_pb2.DataType.items()}
    dtypes: Counter = Counter()
    for op in _main_block(spec).operations:
        if op.type == "const":
            continue
        for output in op.outputs:
            if output.type.HasField("tensorType"):
                dtypes[names[output.type.tensorType.dataType]] += 1
    return dtypes


def image_input(spec) -> dict:
    """The first input as a dict: name, colour space and size if it is an image."""
    feature = spec.description.input[0]
    kind = feature.type.WhichOneof("Type")
    facts = {"name": feature.name, "type": kind}
    if kind == "imageType":
        image = feature.type.imageType
        from coremltools.proto import FeatureTypes_pb2

        space = FeatureTypes_pb2.ImageFeatureType.ColorSpace.Name(image.colorSpace)
        facts.update(color_space=space, width=image.width, height=image.height)
    return facts


def metadata(spec) -> dict:
    description = spec.description.metadata
    return {
        "author": description.author,
        "license": description.license,
        "version": description.versionString,
        "short_description": description.shortDescription,
        "user_defined": dict(description.userDefined),
    }
