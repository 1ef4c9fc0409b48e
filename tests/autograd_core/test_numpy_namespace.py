"""``autograd_core.numpy``: every public numpy name, differentiable where we can, HIPS-style code runs."""

from __future__ import annotations

import numpy as onp
import pytest

import autograd_core as ag
import autograd_core.numpy as np
from autograd_core import Tensor, grad

PUBLIC = sorted(set(onp.__all__) | {n for n in dir(onp) if not n.startswith("_")})
rng = onp.random.default_rng(0)


def test_every_public_numpy_name_is_there() -> None:
    missing = [n for n in PUBLIC if not hasattr(np, n)]
    assert not missing, f"missing from autograd_core.numpy: {missing}"
    assert set(PUBLIC) <= set(dir(np))


def test_constants_dtypes_and_submodules_are_numpys_own() -> None:
    assert np.pi == onp.pi and np.e == onp.e and np.inf == onp.inf and np.newaxis is None
    assert np.float64 is onp.float64 and np.float32 is onp.float32 and np.ndarray is onp.ndarray
    assert np.random is onp.random and np.testing is onp.testing
    assert np.linalg is not None and np.fft is not None  # numpy's until helper "linalg"'s modules land


def test_differentiable_versions_replace_numpys() -> None:
    for name in (
        "tanh",
        "exp",
        "dot",
        "sort",
        "arctan2",
        "cumprod",
        "linspace",
        "hstack",
        "r_",
        "tril",
    ):
        assert getattr(np, name) is getattr(ag, name), name
    assert np.max is ag.amax and np.min is ag.amin
    for name in (
        "fliplr",
        "where",
        "array",
        "concatenate",
        "pad",
        "sum",
        "var",
    ):  # ours, with numpy's signature
        assert getattr(np, name) is not getattr(onp, name), name


def test_array_of_tensors_stacks_on_the_tape() -> None:
    def f(x):
        m = np.array([[x[0], 2.0 * x[1]], [x[1] ** 2, 3.0]])
        return np.sum(m * m)

    x = onp.array([0.5, -1.5])
    onp.testing.assert_allclose(grad(f)(x), [2 * 0.5, 8 * -1.5 + 4 * (-1.5) ** 3])
    assert isinstance(np.array([1.0, 2.0]), Tensor) and not np.array([1.0, 2.0]).requires_grad
    t = Tensor(onp.ones(2), requires_grad=True)
    assert np.asarray(t) is t and np.array(t, ndmin=2).shape == (1, 2) and np.array(t).data is not t.data


def test_where_concatenate_and_pad_follow_numpy() -> None:
    x = onp.array([[1.0, -2.0], [0.0, 3.0]])
    assert [i.data.tolist() for i in np.where(x > 0)] == [v.tolist() for v in onp.where(x > 0)]
    onp.testing.assert_array_equal(np.where(x, x, 9.0).data, onp.where(x, x, 9.0))  # non-bool condition
    onp.testing.assert_array_equal(np.concatenate([x, x], axis=None).data, onp.concatenate([x, x], axis=None))
    onp.testing.assert_array_equal(np.pad(x, 1, mode="edge"), onp.pad(x, 1, mode="edge"))
    with pytest.raises(TypeError, match="pad: mode='edge' has no gradient rule"):
        np.pad(Tensor(x, requires_grad=True), 1, mode="edge")


# HIPS-autograd-style recipes, each written once against a numpy-like module ``m``.
def _logistic_loss(m, w):
    X = m.asarray(onp.linspace(-1.0, 1.0, 12).reshape(6, 2))
    y = m.asarray(onp.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0]))
    p = 1.0 / (1.0 + m.exp(-m.dot(X, w)))
    return -m.mean(y * m.log(p) + (1 - y) * m.log(1 - p))


def _tanh_mlp(m, w):
    A = m.reshape(w[:6], (3, 2))
    h = m.tanh(m.dot(A, m.array([0.3, -0.7])))
    return m.sum(h**2) + m.max(m.abs(w)) + m.sum(m.sort(w)[:2])


def _assembled(m, w):
    v = m.concatenate([w, w[::-1]])
    c = m.cumsum(m.cos(v)) * m.prod(v)
    return (
        m.trace(m.outer(c, m.sinh(v)))
        + m.sum(m.diff(m.hypot(v, 1.0)))
        + m.logaddexp(w[0], w[1])
        + m.arctan2(w[0], 2.0)
    )


@pytest.mark.parametrize("recipe", [_logistic_loss, _tanh_mlp, _assembled], ids=lambda r: r.__name__)
def test_hips_style_code_runs_and_matches_hips_autograd(recipe) -> None:
    w = rng.standard_normal(7 if recipe is _tanh_mlp else 2)
    ours = grad(lambda x: recipe(np, x))(w)
    assert ours.shape == w.shape and onp.all(onp.isfinite(ours))
    step = 1e-6
    numeric = [
        (float(recipe(onp, w + step * e)) - float(recipe(onp, w - step * e))) / (2 * step)
        for e in onp.eye(len(w))
    ]
    onp.testing.assert_allclose(ours, numeric, rtol=1e-6, atol=1e-8)
    hips = pytest.importorskip("autograd")
    import autograd.numpy as anp

    onp.testing.assert_allclose(ours, hips.grad(lambda x: recipe(anp, x))(w), rtol=1e-10, atol=1e-12)


def test_reductions_take_numpys_argument_order() -> None:
    x = onp.arange(6.0).reshape(2, 3)
    t = Tensor(x, requires_grad=True)
    assert np.sum(t, 0, onp.float32).dtype == onp.float32  # positional dtype, as numpy's
    onp.testing.assert_array_equal(np.var(t, 1, None, None, 1).data, onp.var(x, 1, None, None, 1))
    onp.testing.assert_array_equal(np.mean(t, axis=1, keepdims=True).data, onp.mean(x, axis=1, keepdims=True))
    onp.testing.assert_array_equal(np.cumsum(t, 1).data, onp.cumsum(x, 1))
    assert np.argmax(t, 1).data.tolist() == [2, 2]
    with pytest.raises(TypeError, match="sum: initial not supported"):
        np.sum(t, initial=1.0)
