"""Python scalars in binary operators become cached 0-d arrays, with numpy's results bit for bit."""

import math
import operator
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import _primitive
from autograd_core._primitive import scalar_operand

OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]
DTYPES = [np.float16, np.float32, np.float64, np.complex128]
SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0.0, -0.0, 0, 1, -1, 2, 0.5, 1e40, -1e-320]),
)


def _same(a, b) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@given(
    op=st.sampled_from(OPERATORS),
    dtype=st.sampled_from(DTYPES),
    value=SCALARS,
    reflected=st.booleans(),
)
def test_operators_with_scalars_match_numpy_bit_for_bit(op, dtype, value, reflected):
    x = np.array([0.0, -1.5, 2.25, 3.0]).astype(dtype)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            expected = op(value, x) if reflected else op(x, value)
        except (OverflowError, ValueError, TypeError) as err:
            expected = type(err)
        t = ag.Tensor(x, requires_grad=dtype != np.float16)
        try:
            got = (op(value, t) if reflected else op(t, value)).data
        except (OverflowError, ValueError, TypeError) as err:
            got = type(err)
    if isinstance(expected, type):
        assert got is expected
    else:
        assert _same(got, expected)


def test_zero_nan_and_non_float_dtypes_pass_through():
    f64 = np.dtype(np.float64)
    for value in (0.0, -0.0, 0, math.nan):
        assert scalar_operand(value, f64) is value
    assert scalar_operand(3, np.dtype(np.int64)) == 3
    assert scalar_operand(10**400, f64) == 10**400  # left for the op to report


def test_cached_operands_are_read_only_and_shared():
    a = scalar_operand(0.75, np.dtype(np.float32))
    assert a.dtype == np.float32 and a.shape == () and not a.flags.writeable
    assert scalar_operand(0.75, np.dtype(np.float32)) is a
    assert scalar_operand(0.75, np.dtype(np.float64)) is not a


def test_cache_stays_bounded():
    for i in range(3 * _primitive._OPERANDS_MAX):
        scalar_operand(1.0 + i, np.dtype(np.float64))
    assert len(_primitive._OPERANDS) <= _primitive._OPERANDS_MAX


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradients_through_scalar_operands_keep_dtype(dtype):
    x = ag.Tensor(np.array([0.5, 2.0], dtype=dtype), requires_grad=True)
    (((x * 0.9 + 0.1) ** 3) / 4.0 - 2.5).sum().backward()
    assert x.grad.dtype == dtype
    np.testing.assert_allclose(x.grad.data, 3 * 0.9 * (0.9 * x.data + 0.1) ** 2 / 4.0, rtol=1e-6)
