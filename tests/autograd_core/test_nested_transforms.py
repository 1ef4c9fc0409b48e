"""Nested transforms are exact: closures over, and arguments from, an outer transform's trace."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag


def central(fn, x: float, eps: float = 1e-4) -> float:  # noqa: ANN001
    """Central difference of a scalar function of a scalar."""
    return (float(fn(x + eps)) - float(fn(x - eps))) / (2 * eps)


def test_inner_grad_closing_over_the_outer_variable() -> None:
    f = lambda x: x * ag.grad(lambda y: x * y)(2.0)  # f(x) = x**2
    np.testing.assert_allclose(ag.grad(f)(1.0), 2.0)


def test_inner_grad_passed_the_outer_variable_as_a_non_differentiated_argument() -> None:
    dfdy = ag.grad(lambda x, y: ag.sin(x * y), argnums=1)
    np.testing.assert_allclose(ag.grad(lambda x: dfdy(x, 2.0))(0.5), np.cos(1.0) - np.sin(1.0), rtol=1e-12)
    np.testing.assert_allclose(ag.grad(lambda x: dfdy(x, 2.0))(0.5), -0.30116867893975674, rtol=1e-12)


def test_no_perturbation_confusion_when_the_inner_input_is_the_outer_variable() -> None:
    # d/dx [ d/dy (x * y) at y = x ] = d/dx x = 1, not d/dx d/dx x**2 = 2
    np.testing.assert_allclose(ag.grad(lambda x: ag.grad(lambda y: x * y)(x))(3.0), 1.0)


def fd_of_fd(x: float) -> float:
    """d/dx [x * d/dy sin(x y)|_{y=1.5}] by differences of differences."""
    inner = lambda xx: central(lambda y: np.sin(xx * y), 1.5, 1e-4)
    return central(lambda xx: xx * inner(xx), x, 1e-3)


@pytest.mark.parametrize("x", [0.3, -1.2, 2.0])
def test_against_finite_differences_of_finite_differences(x: float) -> None:
    f = lambda t: t * ag.grad(lambda y: ag.sin(t * y))(1.5)
    np.testing.assert_allclose(ag.grad(f)(x), fd_of_fd(x), rtol=1e-5, atol=1e-6)
    passed = ag.grad(lambda t, y: ag.sin(t * y), argnums=1)
    np.testing.assert_allclose(ag.grad(lambda t: t * passed(t, 1.5))(x), fd_of_fd(x), rtol=1e-5, atol=1e-6)


def test_depth_three_through_closures_and_arguments() -> None:
    # h(x) = d/dy d/dz sin(x y z) at y = z = 1 is x cos(x) - x² sin(x); differentiate it in x.
    def h(x):  # noqa: ANN001, ANN202
        def dz(y):  # noqa: ANN001, ANN202
            return ag.grad(lambda z: ag.sin(x * y * z))(1.0)

        return ag.grad(dz)(1.0)

    exact = lambda x: np.cos(x) - 3 * x * np.sin(x) - x * x * np.cos(x)
    np.testing.assert_allclose(ag.grad(h)(0.7), exact(0.7), rtol=1e-12)
    np.testing.assert_allclose(ag.grad(h)(0.7), central(h, 0.7, 1e-5), rtol=1e-6)
    # third derivative with the outer value passed down as a non-differentiated argument
    d1 = ag.grad(lambda x, a: a * x**4, argnums=0)
    d2 = ag.grad(lambda x, a: d1(x, a), argnums=0)
    np.testing.assert_allclose(ag.grad(lambda a: d2(2.0, a))(3.0), 12 * 2.0**2)
    np.testing.assert_allclose(ag.grad(lambda x: d2(x, 3.0))(2.0), 3.0 * 24 * 2.0)


def test_other_transforms_nest_inside_grad() -> None:
    x0 = np.array([0.4, -0.3])
    via_jvp = lambda a: ag.jvp(lambda y: a * ag.sin(y), x0, np.ones(2))[1].sum()
    np.testing.assert_allclose(ag.grad(via_jvp)(2.0), np.cos(x0).sum(), rtol=1e-12)
    via_vjp = lambda a: ag.vjp(lambda y: a * a * y, x0)[1](np.ones(2)).sum()
    np.testing.assert_allclose(ag.grad(via_vjp)(3.0), 2 * 3.0 * 2, rtol=1e-12)
    via_jac = lambda a: ag.jacobian(lambda y: a * y * y)(x0).sum()
    np.testing.assert_allclose(ag.grad(via_jac)(1.0), (2 * x0).sum(), rtol=1e-12)
    via_hess = lambda a: ag.hessian(lambda y: a * (y**3).sum())(x0).sum()
    np.testing.assert_allclose(ag.grad(via_hess)(1.0), (6 * x0).sum(), rtol=1e-12)
    via_hvp = lambda a: ag.hvp(lambda y: a * (y**3).sum(), x0, np.ones(2))[1].sum()
    np.testing.assert_allclose(ag.grad(via_hvp)(1.0), (6 * x0).sum(), rtol=1e-12)
    via_vg = lambda a: ag.value_and_grad(lambda y: a * y * y)(1.5)[1]
    np.testing.assert_allclose(ag.grad(via_vg)(2.0), 3.0)


def test_top_level_calls_take_and_return_arrays() -> None:
    g = ag.grad(lambda x: x * ag.grad(lambda y: x * y)(2.0))(np.array(1.0))
    assert type(g) is np.ndarray
    assert type(ag.grad(lambda y: y * y)(2.0)) is np.ndarray
    t = ag.tensor(1.0, requires_grad=True)  # a Tensor requiring grad in: a Tensor out, on the tape
    out = ag.grad(lambda y: t * y * y)(2.0)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    out.backward()
    np.testing.assert_allclose(t.grad.numpy(), 4.0)


# -- random compositions of grad with closures -------------------------------------------------
BLOCKS = ["closure", "passed", "direct"]
UNARY = [ag.sin, ag.tanh, ag.exp, lambda u: u * u * u]


def compose(plan: list, leaf):  # noqa: ANN001, ANN201
    """A scalar function built from ``plan``: each step wraps the function in an inner grad."""
    fn = leaf
    for kind, c in plan:
        inner = fn
        if kind == "closure":  # x closed over by an inner grad in y
            fn = (lambda inner, c: lambda x: x * ag.grad(lambda y: inner(x * y))(c))(inner, c)
        elif kind == "passed":  # x passed to the inner grad as a non-differentiated argument
            fn = (lambda inner, c: lambda x: ag.grad(lambda y, a: inner(a * y + y), argnums=0)(c, x))(
                inner, c
            )
        else:  # grad of the function itself
            fn = (lambda inner, c: lambda x: ag.grad(inner)(x) + c * x)(inner, c)
    return fn


@given(
    plan=st.lists(st.tuples(st.sampled_from(BLOCKS), st.floats(0.3, 1.2)), min_size=1, max_size=3),
    leaf=st.sampled_from(range(len(UNARY))),
    x=st.floats(-0.8, 0.8),
)
def test_random_compositions_of_grad_match_finite_differences(plan: list, leaf: int, x: float) -> None:
    fn = compose(plan, UNARY[leaf])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ag.NoGradientWarning)
        exact = float(ag.grad(fn)(x))
        numeric = central(fn, x, 1e-5)
    np.testing.assert_allclose(exact, numeric, rtol=1e-5, atol=1e-5)
