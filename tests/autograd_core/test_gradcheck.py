"""gradcheck / gradgradcheck: they pass on right rules and report wrong ones precisely."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given

import autograd_core as ag
from autograd_core import GradcheckError, Primitive, Tensor, gradcheck, gradgradcheck
from autograd_core.testing import arrays, broadcastable_shapes, check_grad, shapes

# A rule that is wrong at one element only: d/dy of x * y, off at flat index 2.
_off_at_two = Primitive(
    "mul_off_at_two",
    np.multiply,
    lambda g, ans, x, y: g * y,
    lambda g, ans, x, y: g * x + ag.where(np.arange(np.size(x)).reshape(np.shape(x)) == 2, 0.5, 0.0),
    register=False,
)

# First-order right, second-order wrong: the rule detaches x, so d²/dx² comes out 0.
_cube_detached = Primitive(
    "cube_detached",
    lambda x: x**3,
    lambda g, ans, x: g * 3 * (x.detach() if isinstance(x, Tensor) else x) ** 2,
    register=False,
)


def test_gradcheck_passes_on_correct_rules() -> None:
    x = np.array([[0.5, -1.0], [2.0, 0.1]])
    assert gradcheck(lambda t: ag.tanh(t) @ t, x)
    assert gradcheck(lambda t: ag.tanh(t) @ t, x, grad_output=np.ones((2, 2)))


def test_gradcheck_reports_input_index_and_both_values() -> None:
    x = np.arange(4.0).reshape(2, 2) + 1
    y = np.full((2, 2), 3.0)
    with pytest.raises(GradcheckError) as info:
        gradcheck(_off_at_two, x, y)
    message = str(info.value)
    assert "input 1" in message
    assert "element (1, 0)" in message  # flat index 2 of a 2x2 array
    # Row 0 of the Jacobian: the true d(out[0, 0])/dy[1, 0] is 0, the rule adds 0.5.
    assert "for output element 0" in message
    assert "analytic np.float64(0.5)" in message and "numeric np.float64(0.0)" in message
    assert "1 of 4 elements differ" in message


def test_gradcheck_with_grad_output_reports_too() -> None:
    with pytest.raises(GradcheckError, match=r"input 1, element \(2,\): analytic"):
        gradcheck(_off_at_two, np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]), grad_output=np.ones(3))


def test_gradcheck_catches_nan_gradients() -> None:
    nan_rule = Primitive("nan_rule", np.sin, lambda g, ans, x: g * np.nan, register=False)
    with pytest.raises(GradcheckError, match="analytic np.float64\\(nan\\)"):
        gradcheck(nan_rule, np.array([0.3]))


def test_gradcheck_accepts_tensors_lists_and_ints_and_runs_in_float64() -> None:
    seen = []

    def f(t: Tensor) -> Tensor:
        seen.append(t.dtype)
        return t * t

    assert gradcheck(f, Tensor(np.array([1.0, 2.0], dtype=np.float32)))
    assert gradcheck(f, [1, 2])
    assert set(seen) == {np.dtype(np.float64)}


def test_gradcheck_refuses_non_numeric_input() -> None:
    with pytest.raises(TypeError, match="gradcheck: input 0"):
        gradcheck(lambda t: t, np.array(["a"]))


def test_gradgradcheck_passes_on_smooth_ops() -> None:
    assert gradgradcheck(lambda t: ag.sigmoid(t) * ag.sin(t), np.array([0.3, -1.2]))
    assert gradgradcheck(lambda a, b: (a @ b).tanh(), np.ones((2, 3)) * 0.3, np.ones((3, 2)) * -0.2)


def test_gradgradcheck_catches_a_rule_that_is_not_differentiable() -> None:
    x = np.array([0.5, -1.0])
    assert gradcheck(_cube_detached, x)  # first order is right
    with pytest.raises(GradcheckError, match=r"input 0, element \(0,\)"):
        gradgradcheck(_cube_detached, x)


def test_check_grad_helper() -> None:
    assert check_grad(lambda t: ag.exp(t) * t, np.array([0.1, 0.2]), second_order=True)
    with pytest.raises(GradcheckError, match="input 1"):
        check_grad(_off_at_two, np.ones(3), np.ones(3), seed=3)


@given(arrays(shapes(max_side=3), min_value=0.2, max_value=2.0))
def test_users_write_a_gradient_test_in_three_lines(x: np.ndarray) -> None:
    assert check_grad(lambda t: ag.log(t) * ag.sqrt(t), x)


@given(broadcastable_shapes(2, max_side=3).flatmap(lambda s: arrays(s[0]).map(lambda a: (a, s[1]))))
def test_broadcastable_shapes_feed_binary_ops(case: Any) -> None:
    x, other_shape = case
    y = np.full(other_shape, 0.5)
    assert check_grad(lambda a, b: a * b + b, x, y)


def test_arrays_strategy_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="arrays: dtype must be a floating-point dtype, got int64"):
        arrays((2,), dtype=np.int64)
    with pytest.raises(ValueError, match="min_value 3 is larger than max_value 1"):
        arrays((2,), min_value=3, max_value=1)
    with pytest.raises(TypeError, match="arrays: exclude must be"):
        arrays((2,), exclude="zero")
    with pytest.raises(ValueError, match="broadcastable_shapes: n must be a positive int, got 0"):
        broadcastable_shapes(0)
    with pytest.raises(ValueError, match="shapes: need 0 <= min_side <= max_side"):
        shapes(min_side=3, max_side=2)


@given(arrays((4,), dtype=np.float32, min_value=-1, max_value=1, exclude=lambda v: abs(v) < 0.5, unique=True))
def test_arrays_strategy_respects_dtype_predicate_and_uniqueness(x: np.ndarray) -> None:
    assert x.dtype == np.float32
    assert np.all(np.abs(x) >= 0.5) and np.all(np.abs(x) <= 1)
    assert len(set(x.tolist())) == 4
