"""Functional transforms: arrays in, arrays out, nestable, checked against closed forms."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp

X = np.array([0.3, -0.7, 1.1])


def f(x):  # noqa: ANN001, ANN201 - a user's function: arrays or Tensors in
    return (ag.sin(x) * x).sum()


def df(x: np.ndarray) -> np.ndarray:
    return np.cos(x) * x + np.sin(x)


def test_grad_returns_an_array_of_the_input_shape() -> None:
    g = grad(f)(X)
    assert isinstance(g, np.ndarray) and g.shape == X.shape
    np.testing.assert_allclose(g, df(X))


def test_grad_of_a_python_float() -> None:
    np.testing.assert_allclose(grad(lambda x: x * x * x)(2.0), 12.0)


def test_grad_argnums() -> None:
    h = lambda a, b, c: (a * b + c * c).sum()
    a, b, c = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([5.0])
    np.testing.assert_array_equal(grad(h, argnums=1)(a, b, c), a)
    ga, gc = grad(h, argnums=(0, 2))(a, b, c)
    np.testing.assert_array_equal(ga, b)
    np.testing.assert_array_equal(gc, 2 * 2 * c)  # c broadcasts over two elements


def test_value_and_grad() -> None:
    value, g = value_and_grad(f)(X)
    np.testing.assert_allclose(value, (np.sin(X) * X).sum())
    np.testing.assert_allclose(g, df(X))


def test_vjp_with_several_inputs() -> None:
    out, back = vjp(lambda a, b: a * b + a, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_array_equal(out, [4.0, 10.0])
    ga, gb = back(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(ga, [4.0, -5.0])
    np.testing.assert_array_equal(gb, [1.0, -2.0])


def test_jacobian_shape_is_out_shape_plus_in_shape() -> None:
    x = np.arange(6.0).reshape(2, 3) / 10
    J = jacobian(lambda t: ag.tanh(t).sum(axis=0))(x)
    assert J.shape == (3, 2, 3)
    expected = np.zeros((3, 2, 3))
    for i in range(2):
        for j in range(3):
            expected[j, i, j] = 1 - np.tanh(x[i, j]) ** 2
    np.testing.assert_allclose(J, expected)


def test_jvp_with_several_inputs_matches_jacobians() -> None:
    a, b = np.array([0.5, 1.5]), np.array([2.0, -1.0])
    va, vb = np.array([1.0, 2.0]), np.array([-1.0, 0.5])
    g = lambda s, t: ag.exp(s) * t
    out, tangent = jvp(g, (a, b), (va, vb))
    Ja, Jb = jacobian(g, 0)(a, b), jacobian(g, 1)(a, b)
    np.testing.assert_allclose(out, np.exp(a) * b)
    np.testing.assert_allclose(tangent, Ja @ va + Jb @ vb, rtol=1e-12)


def test_hessian_and_hvp_agree() -> None:
    H = hessian(f)(X)
    np.testing.assert_allclose(H, np.diag(2 * np.cos(X) - X * np.sin(X)), atol=1e-12)
    v = np.array([1.0, -1.0, 2.0])
    np.testing.assert_allclose(hvp(f, X, v)[1], H @ v, rtol=1e-12)


def test_nesting_grad_inside_jacobian_and_grad() -> None:
    np.testing.assert_allclose(jacobian(grad(f))(X), hessian(f)(X))
    third = grad(lambda x: grad(grad(lambda y: y**5))(x))(1.3)
    np.testing.assert_allclose(third, 60 * 1.3**2)


def test_transforms_on_float32_keep_float32() -> None:
    x = X.astype(np.float32)
    assert grad(f)(x).dtype == np.float32
    assert jacobian(ag.tanh)(x).dtype == np.float32
    assert hessian(f)(x).dtype == np.float32


def test_function_not_reaching_its_input_gives_zeros_and_warns() -> None:
    with pytest.warns(ag.NoGradientWarning, match="grad: the output does not depend on argument 0"):
        np.testing.assert_array_equal(grad(lambda x: ag.tensor(3.0))(X), np.zeros(3))
    with pytest.warns(ag.NoGradientWarning, match="jacobian: the output does not depend on argument 0"):
        np.testing.assert_array_equal(jacobian(lambda x: ag.tensor([1.0, 2.0]))(X), np.zeros((2, 3)))
    np.testing.assert_array_equal(jvp(lambda x: ag.tensor([1.0]), X, X)[1], [0.0])


def test_transform_errors_name_the_transform() -> None:
    with pytest.raises(ValueError, match=r"grad: f must return a single number.*shape \(3,\)"):
        grad(lambda x: x * 2)(X)
    with pytest.raises(ValueError, match="grad: argnums 2 is out of range for 1 positional argument"):
        grad(f, argnums=2)(X)
    with pytest.raises(
        TypeError, match="grad: can only differentiate with respect to floating-point inputs.*int64"
    ):
        grad(f)(np.array([1, 2]))
    with pytest.raises(ValueError, match=r"vjp: v has shape \(2,\) but f's output has shape \(3,\)"):
        vjp(ag.sin, X)[1](np.ones(2))
    with pytest.raises(ValueError, match=r"jvp: tangent shape \(2,\) does not match input shape \(3,\)"):
        jvp(ag.sin, X, np.ones(2))
    with pytest.raises(ValueError, match=r"hvp: v has shape \(1,\) but x has shape \(3,\)"):
        hvp(f, X, np.ones(1))
    with pytest.raises(TypeError, match="jacobian: argnums must be an int"):
        jacobian(f, argnums=(0, 1))
