"""numpy's own functions on Tensors: every dispatch table entry, called through numpy.

Each recipe (``numpy_recipes``) runs its numpy call on ndarrays (the truth) and on Tensors that
require grad: the result must be a Tensor of the same value, shape and dtype; its gradient must
match central finite differences (``gradcheck`` in float64, a random upstream gradient), and
torch's where a torch call is given and torch is importable. ``test_every_entry_has_a_recipe``
fails when an entry of HANDLED_FUNCTIONS / HANDLED_UFUNCS has none, so coverage cannot rot.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, List

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Tensor, gradcheck
from autograd_core._dispatch import HANDLED_FUNCTIONS, HANDLED_UFUNCS
from tests.autograd_core import numpy_recipes
from tests.autograd_core import rows as _row_modules


def _collect() -> tuple:
    recipes, no_recipe = list(numpy_recipes.RECIPES), dict(numpy_recipes.NO_RECIPE)
    for info in pkgutil.iter_modules(_row_modules.__path__):
        module = importlib.import_module(f"{_row_modules.__name__}.{info.name}")
        recipes += getattr(module, "NUMPY_RECIPES", [])
        no_recipe.update(getattr(module, "NUMPY_NO_RECIPE", {}))
    return recipes, no_recipe


RECIPES, NO_RECIPE = _collect()


def _pieces(out: Any) -> List[Any]:
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _flat(out: Any) -> Any:
    """One Tensor from a result that may be a list of Tensors (np.split)."""
    parts = _pieces(out)
    return parts[0] if len(parts) == 1 else ag.concatenate([ag.reshape(p, (-1,)) for p in parts])


def test_every_entry_has_a_recipe() -> None:
    covered = {r.func for r in RECIPES} | set(NO_RECIPE)
    missing = [f for f in [*HANDLED_FUNCTIONS, *HANDLED_UFUNCS] if f not in covered]
    assert not missing, (
        f"dispatch table entries without a recipe in tests/autograd_core/numpy_recipes.py: {missing}"
    )


@pytest.mark.parametrize("r", RECIPES, ids=lambda r: r.id)
@given(data=st.data())
def test_recipe_through_numpy(r: Any, data: Any) -> None:
    arrays, kw = data.draw(r.inputs)
    truth = r.call(*arrays, **kw)
    ts = [Tensor(a, requires_grad=True) for a in arrays]
    out = r.call(*ts, **kw)
    for got, want in zip(_pieces(out), _pieces(truth), strict=True):
        assert isinstance(got, Tensor), f"{r.id}: returned {type(got).__name__}, not a Tensor"
        assert got.shape == np.shape(want) and got.dtype == np.asarray(want).dtype, r.id
        np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12, err_msg=r.id)
        assert got.requires_grad is r.grad, f"{r.id}: requires_grad is {got.requires_grad}"
    if not r.grad or not arrays:
        return
    upstream = np.random.default_rng(0).standard_normal(np.shape(_flat(out)))
    assert gradcheck(lambda *xs: _flat(r.call(*xs, **kw)), *arrays, grad_output=upstream)
    if r.torch is not None:
        _against_torch(r, arrays, kw, _flat(out), upstream, ts)


def _against_torch(r: Any, arrays: tuple, kw: dict, out: Tensor, upstream: np.ndarray, ts: list) -> None:
    torch = pytest.importorskip("torch")
    tt = [torch.tensor(a, requires_grad=True) for a in arrays]
    want = r.torch(torch, *tt, **kw)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=r.id)
    (want * torch.tensor(upstream)).sum().backward()
    (out * upstream).sum().backward()
    for t, w in zip(ts, tt):
        np.testing.assert_allclose(t.grad.data, w.grad.numpy(), rtol=1e-8, atol=1e-10, err_msg=r.id)


def test_metadata_functions() -> None:
    x = ag.tensor(np.ones((2, 3), np.float32), requires_grad=True)
    assert (np.shape(x), np.ndim(x), np.size(x), np.size(x, 1)) == ((2, 3), 2, 6, 3)
    assert np.result_type(x, 1.0) == np.float32 and not np.iscomplexobj(x) and np.isrealobj(x)
    e = np.empty_like(x)
    assert isinstance(e, Tensor) and e.shape == (2, 3) and e.dtype == np.float32 and not e.requires_grad


def test_cumprod_accumulate_is_looked_up_at_call_time() -> None:
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    if np.cumprod in HANDLED_FUNCTIONS:  # registered by the numpy-surface ops
        np.testing.assert_allclose(np.multiply.accumulate(x).data, [1.0, 2.0, 6.0])
    else:
        with pytest.raises(TypeError, match="numpy.multiply.accumulate"):
            np.multiply.accumulate(x)


def test_no_grad_tensors_compute_on_the_data() -> None:
    a = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    cov = np.cov(a)  # no rule, no gradient needed: numpy on the data, numpy's result back
    assert type(cov) is np.ndarray
    np.testing.assert_allclose(cov, np.cov(a.data))
    assert type(np.cbrt(a)) is np.ndarray  # a ufunc without a rule
    assert np.allclose(a, a.data) is True
    out = ag.tensor([0.0, 0.0])
    assert np.add(ag.tensor([1.0, 2.0]), 1.0, out=out) is out
    np.testing.assert_array_equal(out.data, [2.0, 3.0])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda x: np.tanh(x, out=np.empty(2)), "out="),
        (lambda x: np.add(x, 1.0, where=np.array([True, False])), "where="),
        (lambda x: np.sum(x, out=np.empty(())), "out="),
        (lambda x: np.sum(x, where=np.array([True, False])), "where="),
        (lambda x: np.sum(x, dtype=np.float32), "dtype="),
        (lambda x: np.reshape(x, (2, 1), order="F"), "order="),
        (lambda x: np.add.reduce(x, out=np.empty(())), "out="),
        (lambda x: np.add.at(x, [0], 1.0), "numpy.add.at"),
        (lambda x: np.cbrt(x), "implements_ufunc\\(numpy.cbrt\\)"),
        (lambda x: np.median(x), "numpy.median has no autograd_core rule.*Primitive"),
    ],
)
def test_refused_with_a_gradient(call: Any, match: str) -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=match):
        call(x)


def test_inplace_ndarray_update_with_a_tracked_tensor_is_refused() -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    a = np.zeros(2)
    with pytest.raises(TypeError, match="a = a \\+ t"):
        a += x
    np.testing.assert_array_equal(a, [0.0, 0.0])


def test_reflected_operators_keep_operand_order() -> None:
    x = ag.tensor([1.0, 4.0], requires_grad=True)
    a = np.array([2.0, 8.0])
    for out, want in [(a - x, [1.0, 4.0]), (a / x, [2.0, 2.0]), (a**x * 0 + (a < x), [0.0, 0.0])]:
        np.testing.assert_allclose(out.data, want)
    (a - x).sum().backward()
    np.testing.assert_allclose(x.grad.data, [-1.0, -1.0])


# -- issue 9's snippets, with the true values -----------------------------------------------------
def test_grad_of_numpy_det() -> None:
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    if np.linalg.det in HANDLED_FUNCTIONS:  # registered by the linalg ops
        np.testing.assert_allclose(ag.grad(np.linalg.det)(a), [[3.0, -0.5], [-1.0, 2.0]])
    else:
        with pytest.raises(TypeError, match=r"numpy\.linalg\.det has no autograd_core rule"):
            ag.grad(np.linalg.det)(a)


def test_ndarray_dot_of_a_traced_parameter_refuses() -> None:
    X = np.random.default_rng(0).standard_normal((150, 3))
    with pytest.raises(TypeError, match=r"X @ t"):
        ag.grad(lambda th: ag.sigmoid(X.dot(th)).sum())(np.ones(3))
    g = ag.grad(lambda th: ag.sigmoid(X @ th).sum())(np.ones(3))
    s = 1 / (1 + np.exp(-(X @ np.ones(3))))
    np.testing.assert_allclose(g, X.T @ (s * (1 - s)))
    np.testing.assert_allclose(ag.grad(lambda th: ag.sigmoid(np.dot(X, th)).sum())(np.ones(3)), g)


def test_numpy_norm_inside_grad() -> None:
    f = lambda x: (x * 2).sum() + np.linalg.norm(x)  # noqa: E731
    if np.linalg.norm in HANDLED_FUNCTIONS:
        np.testing.assert_allclose(ag.grad(f)(np.array([3.0, 4.0])), [2.6, 2.8])
    else:
        with pytest.raises(TypeError, match=r"numpy\.linalg\.norm"):
            ag.grad(f)(np.array([3.0, 4.0]))
