"""Transforms over nested tuples, lists and dicts of arrays; has_aux; elementwise_grad."""

from __future__ import annotations

import warnings
from collections import namedtuple

import numpy as np
import pytest

import autograd_core as ag

W = np.array([[0.5, -1.0], [2.0, 0.3]])
B = np.array([0.1, -0.2])
X = np.array([1.0, 2.0])


def loss(params, x):  # noqa: ANN001, ANN201
    return (ag.tanh(x @ params["w"] + params["b"]) ** 2).sum()


def closed_form(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> dict:
    t = np.tanh(x @ w + b)
    d = 2 * t * (1 - t * t)
    return {"w": np.outer(x, d), "b": d}


def test_grad_of_a_parameter_dict_is_a_dict() -> None:
    g = ag.grad(loss)({"w": W, "b": B}, X)
    assert list(g) == ["w", "b"] and all(type(v) is np.ndarray for v in g.values())
    want = closed_form(W, B, X)
    np.testing.assert_allclose(g["w"], want["w"], rtol=1e-12)
    np.testing.assert_allclose(g["b"], want["b"], rtol=1e-12)


def test_nested_tuples_lists_and_namedtuples_keep_their_structure() -> None:
    Pair = namedtuple("Pair", "a b")
    f = lambda p: (p[0][0] * p[0][1] + p[1].a * p[1].b * 2.0).sum()
    g = ag.grad(f)(([X, 3.0], Pair(1.5, B)))
    assert isinstance(g, tuple) and isinstance(g[0], list) and isinstance(g[1], Pair)
    np.testing.assert_allclose(g[0][0], [3.0, 3.0])
    np.testing.assert_allclose(g[0][1], X.sum())
    np.testing.assert_allclose(g[1].a, 2.0 * B.sum())
    np.testing.assert_allclose(g[1].b, [3.0, 3.0])


def test_value_and_grad_with_aux_follows_jax() -> None:
    f = lambda p, x: (loss(p, x), {"pred": x @ p["w"]})
    (value, aux), g = ag.value_and_grad(f, has_aux=True)({"w": W, "b": B}, X)
    np.testing.assert_allclose(value, (np.tanh(X @ W + B) ** 2).sum())
    assert type(aux["pred"]) is np.ndarray
    np.testing.assert_allclose(aux["pred"], X @ W)
    np.testing.assert_allclose(g["b"], closed_form(W, B, X)["b"], rtol=1e-12)
    g2, aux2 = ag.grad(f, has_aux=True)({"w": W, "b": B}, X)
    np.testing.assert_allclose(g2["w"], g["w"])
    np.testing.assert_allclose(aux2["pred"], X @ W)
    with pytest.raises(TypeError, match="has_aux=True, f must return a pair"):
        ag.grad(lambda x: x * x, has_aux=True)(1.0)


def test_vjp_and_jvp_over_structures_agree() -> None:
    f = lambda d: {"y": d["w"] @ d["x"], "z": (ag.sin(d["x"]),)}
    primal = {"w": W, "x": X}
    tangent = {"w": np.ones_like(W), "x": np.array([0.5, -1.0])}
    out, tan = ag.jvp(f, (primal,), (tangent,))
    np.testing.assert_allclose(out["y"], W @ X)
    np.testing.assert_allclose(tan["y"], np.ones_like(W) @ X + W @ tangent["x"])
    np.testing.assert_allclose(tan["z"][0], np.cos(X) * tangent["x"])
    out2, back = ag.vjp(f, primal)
    cot = {"y": np.array([1.0, -2.0]), "z": (np.array([0.3, 0.7]),)}
    g = back(cot)
    # <cotangent, J tangent> == <J^T cotangent, tangent>
    lhs = (cot["y"] * tan["y"]).sum() + (cot["z"][0] * tan["z"][0]).sum()
    rhs = (g["w"] * tangent["w"]).sum() + (g["x"] * tangent["x"]).sum()
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)
    np.testing.assert_allclose(out2["z"][0], np.sin(X))
    with pytest.raises(ValueError, match="vjp: v has structure"):
        back({"y": np.ones(2)})
    with pytest.raises(ValueError, match="jvp: tangent structure"):
        ag.jvp(f, (primal,), ({"w": W},))


def test_elementwise_grad() -> None:
    x = np.array([0.1, 0.5, 2.0])
    np.testing.assert_allclose(ag.elementwise_grad(ag.tanh)(x), 1 - np.tanh(x) ** 2)
    ga, gb = ag.elementwise_grad(lambda a, b: a * b, argnums=(0, 1))(x, 2.0)
    np.testing.assert_allclose(ga, [2.0, 2.0, 2.0])
    np.testing.assert_allclose(gb, x.sum())


def test_structures_nest_inside_grad() -> None:
    inner = ag.grad(lambda p, s: s * (p["a"] ** 2), argnums=0)
    np.testing.assert_allclose(ag.grad(lambda s: inner({"a": 1.5}, s)["a"])(2.0), 3.0)


def test_an_unused_leaf_warns_and_gets_zeros() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        g = ag.grad(lambda p: (p["w"] * 2.0).sum())({"w": X, "unused": B})
    np.testing.assert_array_equal(g["unused"], np.zeros(2))
    messages = [str(w.message) for w in seen if w.category is ag.NoGradientWarning]
    assert messages == [
        "grad: the output does not depend on argument 0 (leaf 1 of {'w': *, 'unused': *}); its gradient is zeros"
    ]


def test_warnings_for_vjp_and_hessian_and_filtering() -> None:
    with pytest.warns(ag.NoGradientWarning, match="vjp: the output does not depend on argument 1"):
        ag.vjp(lambda a, b: a * 2.0, X, B)[1](np.ones(2))
    with pytest.warns(ag.NoGradientWarning, match="jacobian"):
        np.testing.assert_array_equal(ag.hessian(lambda x: (x * 3.0).sum())(X), np.zeros((2, 2)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ag.NoGradientWarning)
        assert ag.grad(lambda x: 1.0)(2.0) == 0.0
