"""The MIL evaluator: each op against PyTorch on shapes that exercise its options, parsing of saved
programs, fp16 semantics, and the parity gate catching a deliberately broken program."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from runtimes.mil_evaluator import OPS, MILProgram, UnsupportedOpError

RNG = np.random.default_rng(0)


def rand(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def close(ours, reference, tol=1e-5):
    reference = np.asarray(reference)
    assert ours.shape == reference.shape
    assert np.abs(ours - reference).max() <= tol * max(np.abs(reference).max(), 1.0)


@pytest.mark.parametrize(
    "cin, cout, k, stride, dilation, groups, pad_type, pad",
    [
        (3, 8, 3, 2, 1, 1, "custom", [1, 1, 1, 1]),     # the stem
        (6, 6, 3, 1, 1, 6, "custom", [1, 1, 1, 1]),     # depthwise
        (8, 12, 1, 1, 1, 1, "valid", None),             # pointwise
        (8, 12, 3, 1, 2, 2, "custom", [2, 2, 2, 2]),    # grouped and dilated
        (4, 5, 3, 2, 1, 1, "same", None),               # same padding, stride 2 on even size
        (4, 5, 2, 1, 1, 1, "same_lower", None),         # asymmetric padding, extra row on top
        (4, 5, 3, 1, 1, 1, "custom", [0, 2, 1, 0]),     # asymmetric custom padding
    ],
)
def test_conv_matches_torch(cin, cout, k, stride, dilation, groups, pad_type, pad):
    x, w, b = rand(2, cin, 10, 10), rand(cout, cin // groups, k, k), rand(cout)
    ours = OPS["conv"](x, w, b, strides=[stride, stride], pad_type=pad_type, pad=pad,
                       dilations=[dilation, dilation], groups=groups)
    if pad_type == "custom":
        padded = torch.from_numpy(np.pad(x, [(0, 0), (0, 0), (pad[0], pad[1]), (pad[2], pad[3])]))
    elif pad_type == "valid":
        padded = torch.from_numpy(x)
    else:  # same / same_lower: total padding (out - 1) * s + k_eff - in, split low/high or high/low
        k_eff, out = (k - 1) * dilation + 1, -(-10 // stride)
        total = max((out - 1) * stride + k_eff - 10, 0)
        lo, hi = (total // 2, total - total // 2) if pad_type == "same" else (total - total // 2, total // 2)
        padded = torch.from_numpy(np.pad(x, [(0, 0), (0, 0), (lo, hi), (lo, hi)]))
    reference = F.conv2d(padded, torch.from_numpy(w), torch.from_numpy(b), stride=stride, dilation=dilation,
                         groups=groups)
    close(ours, reference.numpy())


@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize("exclude", [False, True])
def test_pooling_matches_torch(kind, exclude):
    x = rand(1, 3, 9, 9)
    ours = OPS[f"{kind}_pool"](x, kernel_sizes=[3, 3], strides=[2, 2], pad_type="custom", pad=[1, 1, 1, 1],
                                exclude_padding_from_average=exclude)
    t = torch.from_numpy(x)
    if kind == "max":
        reference = F.max_pool2d(t, 3, 2, padding=1)
    else:
        reference = F.avg_pool2d(t, 3, 2, padding=1, count_include_pad=not exclude)
    close(ours, reference.numpy())


def test_softmax_and_reductions_take_negative_axes():
    x = rand(2, 3, 4, 5)
    close(OPS["softmax"](x, axis=-1), torch.softmax(torch.from_numpy(x), -1).numpy())
    close(OPS["softmax"](x, axis=1), torch.softmax(torch.from_numpy(x), 1).numpy())
    close(OPS["reduce_mean"](x, axes=[-2, -1], keep_dims=True), x.mean(axis=(2, 3), keepdims=True))
    close(OPS["reduce_sum"](x, axes=[1], keep_dims=False), x.sum(axis=1))
    close(OPS["reduce_max"](x, axes=None), np.asarray(x.max()))


def test_elementwise_ops_broadcast():
    x, y = rand(2, 3, 4, 1), rand(3, 1, 5)
    for name, fn in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("real_div", np.divide),
                     ("maximum", np.maximum), ("minimum", np.minimum)):
        close(OPS[name](x, y), fn(x, y))


def test_activations_match_torch():
    x = rand(4, 7) * 4
    t = torch.from_numpy(x)
    close(OPS["silu"](x), F.silu(t).numpy())
    close(OPS["relu"](x), F.relu(t).numpy())
    close(OPS["sigmoid"](x), torch.sigmoid(t).numpy())
    close(OPS["tanh"](x), torch.tanh(t).numpy())
    close(OPS["sqrt"](np.abs(x)), np.sqrt(np.abs(x)))
    close(OPS["square"](x), x * x)


def test_slice_by_index_honours_masks_strides_and_squeeze():
    x = rand(3, 4, 5, 6)
    ours = OPS["slice_by_index"](x, begin=[1, 0, 4, 1], end=[3, 2, 0, 5], stride=[1, 1, -1, 2],
                                 begin_mask=[False, True, False, False], end_mask=[False, False, True, False],
                                 squeeze_mask=[False, False, False, False])
    close(ours, x[1:3, :2, 4::-1, 1:5:2])
    close(OPS["slice_by_index"](x, begin=[0, 2, 0, 0], end=[3, 3, 5, 6],
                                squeeze_mask=[False, True, False, False]), x[:, 2])


def test_split_concat_reshape_transpose():
    x = rand(2, 9, 4)
    parts = OPS["split"](x, axis=-2, split_sizes=[1, 4, 4])
    assert [p.shape[1] for p in parts] == [1, 4, 4]
    close(OPS["concat"](list(parts), axis=1), x)
    assert [p.shape[1] for p in OPS["split"](x, axis=1, num_splits=3)] == [3, 3, 3]
    close(OPS["reshape"](x, shape=[4, -1]), x.reshape(4, -1))
    close(OPS["transpose"](x, perm=[2, 0, 1]), x.transpose(2, 0, 1))
    close(OPS["expand_dims"](x, axes=[-1]), x[..., None])
    close(OPS["squeeze"](x[:, :1], axes=[1]), x[:, 0])


def test_norms_and_linear_algebra_match_torch():
    x, gamma, beta = rand(2, 5, 8), rand(8), rand(8)
    t = torch.from_numpy(x)
    close(OPS["layer_norm"](x, axes=[-1], gamma=gamma, beta=beta, epsilon=1e-5),
          F.layer_norm(t, (8,), torch.from_numpy(gamma), torch.from_numpy(beta), 1e-5).numpy())
    image, mean, var = rand(2, 4, 3, 3), rand(4), np.abs(rand(4)) + 0.5
    g, b = rand(4), rand(4)
    close(OPS["batch_norm"](image, mean, var, g, b, epsilon=1e-3),
          F.batch_norm(torch.from_numpy(image), torch.from_numpy(mean), torch.from_numpy(var), torch.from_numpy(g),
                       torch.from_numpy(b), eps=1e-3).numpy())
    w, bias = rand(6, 8), rand(6)
    close(OPS["linear"](x, w, bias), F.linear(t, torch.from_numpy(w), torch.from_numpy(bias)).numpy())
    a, c = rand(3, 4, 5), rand(3, 6, 5)
    close(OPS["matmul"](a, c, transpose_y=True), a @ c.transpose(0, 2, 1))
    close(OPS["matmul"](a, a, transpose_x=True), a.transpose(0, 2, 1) @ a)


def test_cast_rounds_to_fp16_and_overflows_like_a_device():
    x = np.array([1.0 + 2**-12, 70000.0, -1e-8], dtype=np.float32)
    out = OPS["cast"](x, dtype="fp16")
    assert out.dtype == np.float16
    assert out[0] == np.float16(1.0) and np.isinf(out[1]) and out[2] == 0


def _saved_program(tmp_path, build, name="p"):
    """Save a hand-built MIL program (no optimisation passes) the way Core ML stores it."""
    import coremltools as ct

    model = ct.convert(build, convert_to="mlprogram", pass_pipeline=ct.PassPipeline.EMPTY,
                       minimum_deployment_target=ct.target.iOS16, skip_model_load=True)
    path = tmp_path / f"{name}.mlpackage"
    model.save(str(path))
    return path


def test_saved_fp16_program_is_evaluated_in_fp16(tmp_path):
    from coremltools.converters.mil import Builder as mb

    @mb.program(input_specs=[mb.TensorSpec(shape=(1, 4))])
    def prog(x):
        h = mb.cast(x=x, dtype="fp16")
        h = mb.mul(x=h, y=np.float16(300.0))
        h = mb.mul(x=h, y=np.float16(300.0))  # 90000 x: overflows fp16 for |x| > 0.73
        return mb.cast(x=h, dtype="fp32", name="y")

    program = MILProgram(_saved_program(tmp_path, prog))
    out = program.evaluate({"x": np.array([[0.5, -0.5, 1.0, 0.001]], dtype=np.float32)})["y"]
    assert np.isinf(out[0, 2])
    assert out[0, 0] == pytest.approx(45000, rel=1e-3) and out[0, 1] == pytest.approx(-45000, rel=1e-3)
    assert out[0, 3] == pytest.approx(90.0, rel=2e-3)


def test_an_unimplemented_op_is_named_not_guessed(tmp_path):
    from coremltools.converters.mil import Builder as mb

    @mb.program(input_specs=[mb.TensorSpec(shape=(2, 3))])
    def prog(x):
        return mb.erf(x=x, name="y")

    with pytest.raises(UnsupportedOpError, match="erf"):
        MILProgram(_saved_program(tmp_path, prog))


def test_parity_gate_catches_a_swapped_transpose(small_exports, tmp_path):
    """Break one transpose's permutation in a real exported program: the gate must refuse it."""
    import shutil

    from export import parity
    from export.errors import ParityError
    from export.sample_images import sample_images
    from models import create_model, get_config
    from runtimes import coreml_spec

    source = small_exports["out"] / small_exports["coreml"].file
    broken = tmp_path / "broken.mlpackage"
    shutil.copytree(source, broken)
    spec = coreml_spec.load_spec(broken)
    block = coreml_spec._main_block(spec)
    perm_names = {op.inputs["perm"].arguments[0].name for op in block.operations if op.type == "transpose"}
    for op in block.operations:
        if op.type == "const" and op.outputs[0].name in perm_names:
            values = op.attributes["val"].immediateValue.tensor.ints.values
            # [0, 2, 1, 3] is the patch unfold's transpose of [B*C*nh, 2, nw, 2]: swapping its last two
            # entries keeps every shape (both patch axes are 2) and scrambles the pixels of each patch.
            if list(values) == [0, 2, 1, 3]:
                values[2], values[3] = values[3], values[2]
                break
    else:
        pytest.fail("no 4-D transpose to break")
    (broken / "Data" / "com.apple.CoreML" / "model.mlmodel").write_bytes(spec.SerializeToString())

    config = get_config("mobilevit_v2_0.5")
    io = small_exports["coreml"].io
    from export.formats import contract_for
    from export.spec import ArtifactIO

    artifact_io = ArtifactIO(io["input"]["name"], io["input"]["layout"], tuple(io["input"]["shape"]),
                             io["input"]["dtype"], "RGB", io["input"]["pixel_range"], io["output"]["name"],
                             io["output"]["kind"], tuple(io["output"]["shape"]))
    with pytest.raises(ParityError, match="mil-evaluator") as info:
        parity.check(broken, contract_for("coreml"), artifact_io, "fp16", create_model(config), sample_images(config),
                     "broken")
    assert "does not match PyTorch" in str(info.value), "the broken program must run and compute wrong numbers"
