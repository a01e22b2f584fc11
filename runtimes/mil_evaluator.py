"""A reference evaluator for Core ML ML Programs, in NumPy, for platforms without Core ML.

Core ML prediction exists only on macOS, so on Linux a converted program would otherwise reach an
iPhone unchecked. This evaluator reads the saved ``.mlpackage`` back from disk (coremltools'
protobuf loader is used as a *parser* only) and executes its MIL operations one by one with
semantics written here from the MIL op reference (``coremltools.converters.mil.mil.ops.defs``:
padding modes, broadcasting, negative axes, defaults). It never calls coremltools' own value
inference, so it is an independent check of the converter, not the converter checking itself.

Precision: every op returns the dtype the program declares for its output, so an fp16 program
computes in fp16 between ops and fp16 failures (overflow to inf in a softmax or a norm, underflow)
appear as they would on a device. Inside one op, products are accumulated in fp32 (NumPy has no
fast fp16 matmul); Apple's GPU and Neural Engine also accumulate fp16 products in wider registers.

An op it does not implement raises :class:`UnsupportedOpError` naming the op, never a silent guess.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from models.errors import MobileViTDeployError
from runtimes.base import RuntimeUnavailable, platform_facts


class UnsupportedOpError(MobileViTDeployError, NotImplementedError):
    """The program uses a MIL op (or an op option) the evaluator does not implement."""


def import_libraries() -> None:
    """coremltools' protobuf classes parse the program; nothing of Core ML's runtime is needed."""
    try:
        import coremltools  # noqa: F401
    except ImportError:
        raise RuntimeUnavailable("coremltools is not installed for this Python: pip install coremltools") from None


_DTYPES = {"fp16": np.float16, "fp32": np.float32, "fp64": np.float64, "int32": np.int32, "int64": np.int64,
           "int8": np.int8, "uint8": np.uint8, "int16": np.int16, "bool": np.bool_}


# --------------------------------------------------------------------------------------------- helpers
def _axes(axes, rank: int) -> tuple[int, ...]:
    return tuple(int(a) % rank for a in np.atleast_1d(axes))


def _spatial_padding(pad_type: str, pad, in_sizes, kernel, strides, dilations) -> list[tuple[int, int]]:
    """(before, after) padding per spatial axis, for MIL's valid/same/same_lower/custom modes."""
    if pad_type == "valid":
        return [(0, 0)] * len(in_sizes)
    if pad_type == "custom":
        pad = [int(p) for p in pad]
        return [(pad[2 * i], pad[2 * i + 1]) for i in range(len(in_sizes))]
    if pad_type in ("same", "same_lower"):
        result = []
        for size, k, s, d in zip(in_sizes, kernel, strides, dilations):
            effective = (k - 1) * d + 1
            out = -(-size // s)
            total = max((out - 1) * s + effective - size, 0)
            small, large = total // 2, total - total // 2
            result.append((small, large) if pad_type == "same" else (large, small))
        return result
    raise UnsupportedOpError(f"pad_type {pad_type!r}")


def _windows(x: np.ndarray, kernel, strides, dilations) -> np.ndarray:
    """Sliding windows over the trailing 2 axes: [..., Ho, Wo, kh, kw] (a view, no copy)."""
    kh, kw = kernel
    dh, dw = dilations
    view = np.lib.stride_tricks.sliding_window_view(x, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(-2, -1))
    return view[..., :: strides[0], :: strides[1], ::dh, ::dw]


# --------------------------------------------------------------------------------------------- ops
def _conv(x, weight, bias=None, strides=None, pad_type="valid", pad=None, dilations=None, groups=1):
    """MIL ``conv`` (2-D): x [N, Cin, H, W], weight [Cout, Cin/groups, kh, kw]."""
    if x.ndim != 4:
        raise UnsupportedOpError(f"conv on rank-{x.ndim} input (only 2-D convolution is implemented)")
    groups = int(groups)
    kernel = weight.shape[2:]
    strides = [1, 1] if strides is None else [int(s) for s in strides]
    dilations = [1, 1] if dilations is None else [int(d) for d in dilations]
    padding = _spatial_padding(pad_type, pad, x.shape[2:], kernel, strides, dilations)
    x32 = np.pad(x.astype(np.float32), [(0, 0), (0, 0), *padding])
    w32 = weight.astype(np.float32)
    n, cin = x32.shape[:2]
    cout = w32.shape[0]
    if kernel == (1, 1) and groups == 1:
        sub = x32[:, :, :: strides[0], :: strides[1]]
        out = np.einsum("oc,nchw->nohw", w32[:, :, 0, 0], sub, optimize=True)
    elif groups == cin and w32.shape[1] == 1 and cout == cin:  # depthwise: sum of shifted slices
        windows = _windows(x32, kernel, strides, dilations)  # [N, C, Ho, Wo, kh, kw]
        out = np.einsum("nchwij,cij->nchw", windows, w32[:, 0], optimize=True)
    else:
        windows = _windows(x32, kernel, strides, dilations)
        ho, wo = windows.shape[2:4]
        windows = windows.reshape(n, groups, cin // groups, ho, wo, *kernel)
        w_grouped = w32.reshape(groups, cout // groups, cin // groups, *kernel)
        out = np.einsum("ngchwij,gocij->ngohw", windows, w_grouped, optimize=True).reshape(n, cout, ho, wo)
    if bias is not None:
        out = out + bias.astype(np.float32)[None, :, None, None]
    return out


def _pool(reducer: str):
    def pool(x, kernel_sizes, strides=None, pad_type="valid", pad=None, ceil_mode=False,
             exclude_padding_from_average=False):
        if x.ndim != 4:
            raise UnsupportedOpError(f"{reducer}_pool on rank-{x.ndim} input (only 2-D pooling)")
        if ceil_mode:
            raise UnsupportedOpError(f"{reducer}_pool with ceil_mode=True")
        kernel = [int(k) for k in kernel_sizes]
        strides = [1, 1] if strides is None else [int(s) for s in strides]
        padding = _spatial_padding(pad_type, pad, x.shape[2:], kernel, strides, [1, 1])
        fill = -np.inf if reducer == "max" else 0.0
        x32 = np.pad(x.astype(np.float32), [(0, 0), (0, 0), *padding], constant_values=fill)
        windows = _windows(x32, kernel, strides, [1, 1])
        if reducer == "max":
            return windows.max(axis=(-2, -1))
        total = windows.sum(axis=(-2, -1))
        if not exclude_padding_from_average:
            return total / (kernel[0] * kernel[1])
        ones = np.pad(np.ones(x.shape[2:], np.float32), padding)
        return total / _windows(ones, kernel, strides, [1, 1]).sum(axis=(-2, -1))

    return pool


def _reduce(fn: Callable):
    def reduce(x, axes=None, keep_dims=False):
        axes = tuple(range(x.ndim)) if axes is None else _axes(axes, x.ndim)
        return fn(x.astype(np.float32), axis=axes, keepdims=bool(keep_dims))

    return reduce


def _slice_by_index(x, begin, end, stride=None, begin_mask=None, end_mask=None, squeeze_mask=None):
    rank = x.ndim
    stride = [1] * rank if stride is None else [int(s) for s in stride]
    begin_mask = [False] * rank if begin_mask is None else list(begin_mask)
    end_mask = [False] * rank if end_mask is None else list(end_mask)
    squeeze_mask = [False] * rank if squeeze_mask is None else list(squeeze_mask)
    index = []
    for axis in range(rank):
        if squeeze_mask[axis]:
            index.append(int(begin[axis]))
            continue
        start = None if begin_mask[axis] else int(begin[axis])
        stop = None if end_mask[axis] else int(end[axis])
        index.append(slice(start, stop, stride[axis]))
    return x[tuple(index)]


def _split(x, axis, num_splits=None, split_sizes=None):
    axis = int(axis) % x.ndim
    if split_sizes is not None:
        return tuple(np.split(x, np.cumsum([int(s) for s in split_sizes])[:-1], axis=axis))
    return tuple(np.split(x, int(num_splits), axis=axis))


def _concat(values, axis, interleave=False):
    if interleave:
        raise UnsupportedOpError("concat with interleave=True")
    return np.concatenate(values, axis=int(axis) % values[0].ndim)


def _softmax(x, axis=-1):
    x32 = x.astype(np.float32)
    shifted = np.exp(x32 - x32.max(axis=int(axis), keepdims=True))
    return shifted / shifted.sum(axis=int(axis), keepdims=True)


def _layer_norm(x, axes=None, gamma=None, beta=None, epsilon=1e-5):
    x32 = x.astype(np.float32)
    axes = tuple(range(x.ndim)) if axes is None else _axes(axes, x.ndim)
    mean = x32.mean(axis=axes, keepdims=True)
    variance = ((x32 - mean) ** 2).mean(axis=axes, keepdims=True)
    out = (x32 - mean) / np.sqrt(variance + float(epsilon))
    shape = [x.shape[a] if a in axes else 1 for a in range(x.ndim)]
    if gamma is not None:
        out = out * gamma.astype(np.float32).reshape(shape)
    if beta is not None:
        out = out + beta.astype(np.float32).reshape(shape)
    return out


def _batch_norm(x, mean, variance, gamma=None, beta=None, epsilon=1e-5):
    shape = [1, -1] + [1] * (x.ndim - 2)
    out = (x.astype(np.float32) - mean.astype(np.float32).reshape(shape)) / np.sqrt(
        variance.astype(np.float32).reshape(shape) + float(epsilon))
    if gamma is not None:
        out = out * gamma.astype(np.float32).reshape(shape)
    if beta is not None:
        out = out + beta.astype(np.float32).reshape(shape)
    return out


def _linear(x, weight, bias=None):
    out = np.matmul(x.astype(np.float32), weight.astype(np.float32).T)
    return out if bias is None else out + bias.astype(np.float32)


def _matmul(x, y, transpose_x=False, transpose_y=False):
    x32, y32 = x.astype(np.float32), y.astype(np.float32)
    if transpose_x:
        x32 = np.swapaxes(x32, -1, -2)
    if transpose_y:
        y32 = np.swapaxes(y32, -1, -2)
    return np.matmul(x32, y32)


def _elementwise(fn: Callable):
    """Binary op with NumPy broadcasting, computed in fp32 and rounded to the declared dtype."""

    def op(x, y):
        return fn(np.asarray(x, dtype=np.float32) if np.asarray(x).dtype.kind == "f" else np.asarray(x),
                  np.asarray(y, dtype=np.float32) if np.asarray(y).dtype.kind == "f" else np.asarray(y))

    return op


def _unary(fn: Callable):
    def op(x, **_unused):
        return fn(np.asarray(x, dtype=np.float32))

    return op


def _cast(x, dtype):
    if str(dtype) not in _DTYPES:
        raise UnsupportedOpError(f"cast to {dtype!r}")
    return np.asarray(x).astype(_DTYPES[str(dtype)])


def _reshape(x, shape):
    return np.reshape(x, [int(s) for s in shape])


def _transpose(x, perm):
    return np.transpose(x, [int(p) for p in perm])


def _expand_dims(x, axes):
    out = x
    rank = x.ndim + len(np.atleast_1d(axes))
    for axis in sorted(int(a) % rank for a in np.atleast_1d(axes)):
        out = np.expand_dims(out, axis)
    return out


def _squeeze(x, axes=None):
    if axes is None:
        return np.squeeze(x)
    return np.squeeze(x, axis=_axes(axes, x.ndim))


def _classify(probabilities, classes):
    """Classifier head: the program's result *is* the probability vector, in label order."""
    return np.asarray(probabilities)


OPS: dict[str, Callable] = {
    "add": _elementwise(np.add),
    "sub": _elementwise(np.subtract),
    "mul": _elementwise(np.multiply),
    "real_div": _elementwise(np.divide),
    "maximum": _elementwise(np.maximum),
    "minimum": _elementwise(np.minimum),
    "pow": _elementwise(np.power),
    "relu": _unary(lambda x: np.maximum(x, 0)),
    "sigmoid": _unary(lambda x: 1 / (1 + np.exp(-x))),
    "silu": _unary(lambda x: x / (1 + np.exp(-x))),
    "tanh": _unary(np.tanh),
    "exp": _unary(np.exp),
    "sqrt": _unary(np.sqrt),
    "rsqrt": lambda x, epsilon=1e-12: 1 / np.sqrt(np.asarray(x, np.float32) + float(epsilon)),
    "square": _unary(np.square),
    "inverse": lambda x, epsilon=1e-4: 1 / (np.asarray(x, np.float32) + float(epsilon)),
    "softmax": _softmax,
    "reduce_mean": _reduce(np.mean),
    "reduce_sum": _reduce(np.sum),
    "reduce_max": _reduce(np.max),
    "conv": _conv,
    "avg_pool": _pool("avg"),
    "max_pool": _pool("max"),
    "batch_norm": _batch_norm,
    "layer_norm": _layer_norm,
    "linear": _linear,
    "matmul": _matmul,
    "reshape": _reshape,
    "transpose": _transpose,
    "concat": _concat,
    "split": _split,
    "slice_by_index": _slice_by_index,
    "expand_dims": _expand_dims,
    "squeeze": _squeeze,
    "cast": _cast,
    "classify": _classify,
}


# --------------------------------------------------------------------------------------------- program
def _numpy_dtype(var) -> np.dtype | None:
    from coremltools.converters.mil.mil import types

    dtype = var.dtype
    if dtype == types.fp16:
        return np.float16
    if dtype == types.fp32:
        return np.float32
    if dtype == types.int32:
        return np.int32
    if dtype == types.bool:
        return np.bool_
    return None


class MILProgram:
    """A saved ML Program's main function, parsed once, evaluable many times."""

    def __init__(self, path: str | Path) -> None:
        import coremltools as ct
        from coremltools.converters.mil.frontend.milproto.load import load as load_milproto

        path = Path(path)
        self.path = path
        self.spec = ct.utils.load_spec(str(path))
        if self.spec.WhichOneof("Type") != "mlProgram":
            raise UnsupportedOpError(f"{path.name} is not an ML Program (it is a {self.spec.WhichOneof('Type')})")
        weights = path / "Data" / "com.apple.CoreML" / "weights" if path.is_dir() else path.parent / "weights"
        program = load_milproto(self.spec, self.spec.specificationVersion, file_weights_dir=str(weights))
        self.function = program.functions["main"]
        self.operations = list(self.function.operations)
        self.input_names = list(self.function.inputs)
        self.output_names = [var.name for var in self.function.outputs]
        unsupported = sorted({op.op_type for op in self.operations if op.op_type != "const" and op.op_type not in OPS})
        if unsupported:
            raise UnsupportedOpError(
                f"{path.name} uses MIL ops the evaluator does not implement: {', '.join(unsupported)}")

    def evaluate(self, inputs: dict[str, np.ndarray], keep: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
        """Run the program; returns its outputs (and any intermediate variables named in ``keep``)."""
        env: dict[str, object] = {}
        for name, var in self.function.inputs.items():
            dtype = _numpy_dtype(var) or np.float32
            env[name] = np.asarray(inputs[name]).astype(dtype)
        for op in self.operations:
            if op.op_type == "const":
                value = op.outputs[0].val
                env[op.outputs[0].name] = np.asarray(value) if not isinstance(value, str) else value
                continue
            kwargs = {}
            for key, var in op.inputs.items():
                if isinstance(var, (list, tuple)):
                    kwargs[key] = [env[v.name] if v.name in env else v.val for v in var]
                else:
                    kwargs[key] = env[var.name] if var.name in env else var.val
            try:
                result = OPS[op.op_type](**kwargs)
            except TypeError as exc:  # an option this implementation does not know
                raise UnsupportedOpError(f"{op.op_type} ({op.name}): {exc}") from None
            results = result if isinstance(result, tuple) else (result,)
            for var, value in zip(op.outputs, results):
                dtype = _numpy_dtype(var)
                value = np.asarray(value)
                env[var.name] = value.astype(dtype) if dtype is not None and value.dtype != dtype else value
        wanted = [*self.output_names, *keep]
        return {name: env[name] for name in wanted if name in env}

    def classifier_logits_name(self) -> str | None:
        """The classifier's pre-softmax scores, if its probabilities come from a softmax.

        Comparing logits rather than probabilities keeps one yardstick across formats: a
        softmax hides absolute logit errors in classes whose probability is tiny.
        """
        producers = {out.name: op for op in self.operations for out in op.outputs}
        for op in self.operations:
            if op.op_type != "classify":
                continue
            current = producers.get(op.inputs["probabilities"].name)
            while current is not None and current.op_type == "cast":
                current = producers.get(current.inputs["x"].name)
            if current is not None and current.op_type == "softmax":
                return current.inputs["x"].name
        return None


class MILEvaluatorRuntime:
    """The evaluator behind the common runtime interface: same inputs and outputs as Core ML's."""

    name = "mil-evaluator"
    #: What :meth:`run` returns: the classifier's logits when the program has them, else its output.
    output_kind = "logits"

    def __init__(self, path: str | Path) -> None:
        try:
            self.program = MILProgram(path)
        except ImportError as exc:  # coremltools' native blob reader missing on this platform
            raise RuntimeUnavailable(f"cannot read Core ML weights here: {exc}") from exc
        self.input_name = self.program.input_names[0]
        self.result_name = self.program.classifier_logits_name()
        if self.result_name is None:
            self.result_name, self.output_kind = self.program.output_names[0], "output"
        description = self.program.spec.description.input[0]
        self.image_input = description.type.WhichOneof("Type") == "imageType"
        self.bgr = False
        if self.image_input:
            from coremltools.proto import FeatureTypes_pb2

            space = FeatureTypes_pb2.ImageFeatureType.ColorSpace.Name(description.type.imageType.colorSpace)
            if space not in ("RGB", "BGR"):
                raise UnsupportedOpError(f"image input in colour space {space}")
            self.bgr = space == "BGR"  # Core ML hands a BGR program its pixels in BGR order

    def run(self, batch: np.ndarray) -> np.ndarray:
        """``batch``: uint8 RGB ``[N, H, W, 3]`` for an image input (as Core ML's runtime takes)."""
        rows = []
        for item in np.asarray(batch):
            if self.image_input:
                pixels = item[..., ::-1] if self.bgr else item
                value = pixels.transpose(2, 0, 1)[None].astype(np.float32)
            else:
                value = item[None]
            outputs = self.program.evaluate({self.input_name: value}, keep=(self.result_name,))
            rows.append(np.asarray(outputs[self.result_name], dtype=np.float32).reshape(-1))
        return np.stack(rows)

    def describe(self) -> dict:
        return {"runtime": self.name, "version": "numpy " + np.__version__, **platform_facts()}
