import pytest
import torch

from models import create_model, get_config, list_variants
from models.blocks import patches
from models.network import build_model


def test_unfold_matches_the_reference_patch_order_and_fold_inverts_it():
    x = torch.randn(2, 5, 8, 12)
    tokens = patches.unfold(x, 2)  # [B, C, N, P]
    # Reference: F.unfold gives [B, C*P, N] with P = (ki, kj) row-major inside a patch.
    reference = torch.nn.functional.unfold(x, kernel_size=2, stride=2).reshape(2, 5, 4, -1).transpose(2, 3)
    assert torch.equal(tokens, reference)
    assert torch.equal(patches.fold(tokens, 8, 12, 2), x)


@pytest.mark.parametrize("name", list_variants())
def test_every_variant_classifies_a_batch(name):
    model = create_model(name)
    with torch.no_grad():
        logits = model(torch.rand(2, 3, 256, 256))
    assert logits.shape == (2, 1000)
    assert torch.isfinite(logits).all()
    assert 0.05 < logits.std() < 100  # random weights give usable, order-one logits


def test_same_seed_gives_identical_weights_and_other_seed_differs():
    a, b, c = (build_model(get_config("mobilevit_v2_0.5"), seed=s) for s in (0, 0, 1))
    for (key, ta), tb, tc in zip(a.state_dict().items(), b.state_dict().values(), c.state_dict().values()):
        assert torch.equal(ta, tb), key
    assert not torch.equal(a.conv_1.block.conv.weight, c.conv_1.block.conv.weight)


def _exported_ops(name):
    model = create_model(name)
    program = torch.export.export(model, (torch.rand(1, 3, 256, 256),))
    return program, [node for node in program.graph.nodes if node.op == "call_function"]


@pytest.mark.slow
@pytest.mark.parametrize("name", list_variants())
def test_torch_export_succeeds_without_unfold_fold_or_data_dependent_control_flow(name):
    program, nodes = _exported_ops(name)
    targets = {str(node.target) for node in nodes}
    assert not any(op in t for t in targets for op in ("im2col", "col2im", "unfold", "fold", "expand"))
    # Shapes are static; the export must not have guarded on tensor values.
    assert not any("_assert" in t or "item" in t for t in targets)
    out = program.module()(torch.rand(1, 3, 256, 256))
    assert out.shape == (1, 1000)


@pytest.mark.parametrize("name", ["mobilevit_v1_xxs", "mobilevit_v2_0.5"])
def test_every_batchnorm_directly_follows_a_convolution_so_it_folds(name):
    _, nodes = _exported_ops(name)
    norms = [n for n in nodes if "batch_norm" in str(n.target)]
    assert norms
    for norm in norms:
        assert "convolution" in str(norm.args[0].target) or "conv2d" in str(norm.args[0].target), norm
