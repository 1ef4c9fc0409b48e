"""The conventions at kinks and the numerical stability of the saturating ops.

Every test runs with warnings turned into errors: a stray overflow or 0/0 in a
discarded branch would show up as a RuntimeWarning from numpy.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor, grad


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _grad(f: Callable[[Tensor], Tensor], x: Any, dtype: Any = np.float64, upstream: Any = None) -> np.ndarray:
    t = Tensor(np.array(x, dtype=dtype), requires_grad=True)
    out = f(t)
    out.backward(None if upstream is None else np.asarray(upstream, dtype=dtype))
    assert t.grad.dtype == dtype
    return t.grad.data


# -- derivative conventions at kinks --------------------------------------------------------


def test_relu_derivative_at_zero_is_zero() -> None:
    np.testing.assert_array_equal(_grad(lambda x: ag.relu(x).sum(), [-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(_grad(lambda x: x.relu().sum(), [0.0], np.float32), [0.0])


def test_abs_derivative_at_zero_is_zero() -> None:
    np.testing.assert_array_equal(_grad(lambda x: ag.abs(x).sum(), [-2.0, 0.0, 3.0]), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(_grad(lambda x: abs(x).sum(), [0.0, -0.0]), [0.0, 0.0])


def test_leaky_relu_and_elu_at_zero_take_the_left_slope() -> None:
    np.testing.assert_allclose(_grad(lambda x: ag.leaky_relu(x, 0.2).sum(), [0.0]), [0.2])
    np.testing.assert_allclose(_grad(lambda x: ag.elu(x, alpha=0.5).sum(), [0.0]), [0.5])


def test_step_and_sign_have_zero_gradient_everywhere() -> None:
    x = [-1.0, 0.0, 1.0]
    np.testing.assert_array_equal(_grad(lambda t: ag.step(t).sum(), x), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(_grad(lambda t: ag.sign(t).sum(), x), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(
        ag.step(ag.tensor(x)).data, [0.0, 1.0, 1.0]
    )  # step(0) = 1, the lecture's table


@pytest.mark.parametrize("reduce", [ag.max, ag.min])
def test_reduction_ties_share_the_gradient_evenly(reduce: Callable) -> None:
    x = [[2.0, 5.0, 2.0], [5.0, 5.0, 5.0]]
    sign = 1.0 if reduce is ag.max else -1.0
    xs = np.array(x) * sign
    np.testing.assert_allclose(
        _grad(lambda t: reduce(t), xs), [[0, 1 / 4, 0], [1 / 4, 1 / 4, 1 / 4]]
    )  # the overall extreme 5 appears 4 times
    np.testing.assert_allclose(
        _grad(lambda t: reduce(t, axis=1), xs, upstream=[2.0, 3.0]), [[0, 2.0, 0], [1.0, 1.0, 1.0]]
    )
    np.testing.assert_allclose(
        _grad(lambda t: reduce(t, axis=0, keepdims=True), xs, upstream=[[1.0, 1.0, 1.0]]),
        [[0, 0.5, 0], [1.0, 0.5, 1.0]],
    )


@pytest.mark.parametrize("op", [ag.maximum, ag.minimum])
def test_elementwise_ties_split_evenly(op: Callable) -> None:
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = Tensor(np.array([1.0, 1.0, 4.0]), requires_grad=True)
    op(x, y).backward(np.array([2.0, 2.0, 2.0]))
    if op is ag.maximum:
        np.testing.assert_array_equal(x.grad.data, [1.0, 2.0, 0.0])
        np.testing.assert_array_equal(y.grad.data, [1.0, 0.0, 2.0])
    else:
        np.testing.assert_array_equal(x.grad.data, [1.0, 0.0, 2.0])
        np.testing.assert_array_equal(y.grad.data, [1.0, 2.0, 0.0])


def test_maximum_tie_with_broadcast_scalar() -> None:
    # relu written as maximum(x, 0): at 0 half the gradient goes to the constant.
    np.testing.assert_array_equal(
        _grad(lambda t: ag.maximum(t, 0.0).sum(), [-1.0, 0.0, 1.0]), [0.0, 0.5, 1.0]
    )


def test_norm_inf_ties_share() -> None:
    np.testing.assert_allclose(_grad(lambda t: ag.norm(t, ord=np.inf), [3.0, -3.0, 1.0]), [0.5, -0.5, 0.0])


def test_clip_passes_the_gradient_at_its_bounds() -> None:
    # torch.clamp's convention: lo <= x <= hi lets the gradient through.
    np.testing.assert_array_equal(
        _grad(lambda t: ag.clip(t, -1.0, 1.0).sum(), [-2.0, -1.0, 0.0, 1.0, 2.0]), [0, 1, 1, 1, 0]
    )


@pytest.mark.parametrize(
    ("p", "expected"), [(0, 0.0), (1, 1.0), (2, 0.0), (3, 0.0), (0.5, np.inf), (2.5, 0.0)]
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pow_at_zero_is_the_true_derivative(p: float, expected: float, dtype: Any) -> None:
    got = _grad(lambda t: (t**p).sum(), [0.0], dtype)
    np.testing.assert_array_equal(got, [expected])


@pytest.mark.parametrize(("p", "expected"), [(0.0, 0.0), (1.0, 1.0), (2.0, 0.0), (3.0, 0.0), (0.5, np.inf)])
def test_pow_with_tensor_exponent_at_zero(p: float, expected: float) -> None:
    x = Tensor(np.zeros(2), requires_grad=True)
    e = Tensor(np.full(2, p), requires_grad=True)
    (x**e).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [expected, expected])
    np.testing.assert_array_equal(e.grad.data, [0.0, 0.0])  # d/dp of 0**p: log undefined, taken as 0


def test_pow_second_derivative_at_zero() -> None:
    assert float(grad(grad(lambda x: x**3))(0.0)) == 0.0
    assert float(grad(grad(lambda x: x**2))(0.0)) == 2.0


def test_sqrt_derivative_at_zero_is_inf() -> None:
    np.testing.assert_array_equal(_grad(lambda t: ag.sqrt(t).sum(), [0.0, 4.0]), [np.inf, 0.25])


def test_where_single_form_leaks_nan_from_the_branch_not_taken() -> None:
    # Why the double-where idiom exists: sqrt'(0) = inf, times where's 0, is NaN.
    got = _grad(lambda t: ag.where(t > 0, ag.sqrt(t), 0.0).sum(), [0.0, 4.0])
    assert np.isnan(got[0]) and got[1] == 0.25


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_double_where_keeps_gradients_finite(dtype: Any) -> None:
    def safe_sqrt(t: Tensor) -> Tensor:
        positive = t > 0
        return ag.where(positive, ag.sqrt(ag.where(positive, t, 1.0)), 0.0)

    def safe_log(t: Tensor) -> Tensor:
        positive = t > 0
        return ag.where(positive, ag.log(ag.where(positive, t, 1.0)), 0.0)

    x = [-1.0, 0.0, 4.0]
    np.testing.assert_array_equal(_grad(lambda t: safe_sqrt(t).sum(), x, dtype), [0.0, 0.0, 0.25])
    np.testing.assert_array_equal(_grad(lambda t: safe_log(t).sum(), x, dtype), [0.0, 0.0, 0.25])


def test_where_routes_gradient_only_to_the_branch_taken() -> None:
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    b = Tensor(np.array([np.inf, 5.0]), requires_grad=True)
    ag.where(np.array([True, False]), a, b).backward(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(a.grad.data, [3.0, 0.0])
    np.testing.assert_array_equal(b.grad.data, [0.0, 4.0])


def test_prod_gradient_with_zeros_is_exact() -> None:
    np.testing.assert_array_equal(_grad(lambda t: ag.prod(t), [0.0, 2.0, 3.0]), [6.0, 0.0, 0.0])
    np.testing.assert_array_equal(_grad(lambda t: ag.prod(t), [0.0, 0.0, 3.0]), [0.0, 0.0, 0.0])
    hess = ag.hessian(lambda t: ag.prod(t))(np.array([0.0, 2.0, 3.0]))
    np.testing.assert_array_equal(hess, [[0, 3, 2], [3, 0, 0], [2, 0, 0]])


def test_norm_at_the_zero_vector_has_zero_gradient() -> None:
    np.testing.assert_array_equal(_grad(lambda t: ag.norm(t), [0.0, 0.0]), [0.0, 0.0])


# -- stability at |x| = 1e4 ------------------------------------------------------------------

BIG = [-1e4, -30.0, 0.0, 30.0, 1e4]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "name",
    ["sigmoid", "softplus", "tanh", "logsumexp", "softmax", "log_softmax", "silu", "elu", "gelu", "selu"],
)
def test_saturating_ops_are_finite_at_1e4(name: str, dtype: Any) -> None:
    fn = getattr(ag, name)
    x = Tensor(np.array(BIG, dtype=dtype), requires_grad=True)
    out = fn(x)
    assert out.dtype == dtype
    assert np.all(np.isfinite(out.data)), f"{name} forward: {out.data}"
    upstream = np.linspace(-1.0, 1.0, out.data.size).reshape(out.shape).astype(dtype)
    out.backward(upstream)
    assert x.grad.dtype == dtype and np.all(np.isfinite(x.grad.data)), f"{name} grad: {x.grad.data}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_stable_values_at_1e4(dtype: Any) -> None:
    x = np.array([-1e4, 1e4], dtype=dtype)
    np.testing.assert_array_equal(ag.sigmoid(ag.tensor(x)).data, [0.0, 1.0])
    np.testing.assert_array_equal(ag.softplus(ag.tensor(x)).data, [0.0, 1e4])
    np.testing.assert_array_equal(ag.softmax(ag.tensor(x)).data, [0.0, 1.0])
    np.testing.assert_array_equal(ag.log_softmax(ag.tensor(x)).data, [-2e4, 0.0])
    np.testing.assert_allclose(
        ag.logsumexp(ag.tensor(np.array([1e4, 1e4], dtype=dtype))).data, 1e4 + np.log(2)
    )
    np.testing.assert_array_equal(_grad(lambda t: ag.sigmoid(t).sum(), x, dtype), [0.0, 0.0])
    np.testing.assert_array_equal(_grad(lambda t: ag.softplus(t).sum(), x, dtype), [0.0, 1.0])
    np.testing.assert_array_equal(_grad(lambda t: ag.logsumexp(t), x, dtype), [0.0, 1.0])
    np.testing.assert_array_equal(_grad(lambda t: ag.log_softmax(t).sum(), x, dtype), [1.0, -1.0])
    np.testing.assert_array_equal(_grad(lambda t: ag.softmax(t)[1], x, dtype), [0.0, 0.0])


def test_logsumexp_of_all_minus_inf_is_minus_inf_without_nan() -> None:
    out = ag.logsumexp(ag.tensor([-np.inf, -np.inf]))
    assert out.item() == -np.inf


def test_sigmoid_second_derivative_is_finite_at_1e4() -> None:
    assert np.isfinite(grad(grad(lambda x: ag.sigmoid(x)))(1e4))
    assert np.isfinite(grad(grad(lambda x: ag.softplus(x)))(-1e4))


def test_std_and_var_where_all_elements_are_equal_have_gradient_zero() -> None:
    np.testing.assert_array_equal(
        ag.grad(lambda x: ag.std(x, axis=0).sum())(np.array([[1.0, 2.0, 3.0]])), [[0.0, 0.0, 0.0]]
    )
    np.testing.assert_array_equal(ag.grad(lambda x: ag.std(x))(np.full(4, 2.5)), np.zeros(4))
    np.testing.assert_array_equal(ag.grad(lambda x: ag.var(x))(np.full(4, 2.5)), np.zeros(4))
    np.testing.assert_array_equal(
        ag.grad(lambda x: ag.std(x, ddof=1))(np.full(3, -1.0, np.float32)), np.zeros(3)
    )
    # elsewhere the gradient is the usual (x - mean) / (n std), rows with a spread unaffected
    x = np.array([[1.0, 3.0], [2.0, 2.0]])
    np.testing.assert_allclose(ag.grad(lambda t: ag.std(t, axis=1).sum())(x), [[-0.5, 0.5], [0.0, 0.0]])
    assert ag.std(ag.tensor([1.0, 3.0])).item() == 1.0
