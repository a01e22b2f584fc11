import pytest

from export.parity import tolerance


def test_tolerances_at_256_are_the_published_ones():
    assert tolerance("fp32", 256) == 1e-4 and tolerance("fp16", 256) == 1e-2
    assert tolerance("fp32", 128) == 1e-4


def test_fp32_tolerance_grows_with_the_reduction_length_only_above_256():
    assert tolerance("fp32", 512) == pytest.approx(4e-4)
    assert tolerance("fp32", 1024) == pytest.approx(1.6e-3)
    assert tolerance("fp16", 1024) == 1e-2
