"""Gradient clipping by norm and by value, against torch and by formula."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd_core import Tensor
from nn.clip import clip_grad_norm_, clip_grad_value_


def _params(grads):
    out = []
    for g in grads:
        p = Tensor(np.zeros(3) if g is None else np.zeros_like(g), requires_grad=True)
        p.grad = None if g is None else Tensor(g.copy())
        out.append(p)
    return out


@pytest.mark.torch
@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.5, math.inf])
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 1e6])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=s) for s in [(3, 4), (5,), ()]]
    ours = _params(grads)
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(theirs, grads):
        t.grad = torch.tensor(g.copy())
    total = clip_grad_norm_(ours, max_norm, norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert isinstance(total, float)
    np.testing.assert_allclose(total, float(ttotal), rtol=1e-12)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.data, t.grad.numpy(), rtol=1e-12, atol=1e-15)


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8), st.floats(1e-3, 1e3))
def test_clipped_norm_is_at_most_max_norm(values, max_norm):
    (p,) = _params([np.array(values)])
    total = clip_grad_norm_(p, max_norm)
    np.testing.assert_allclose(total, np.linalg.norm(values), rtol=1e-12)
    assert np.linalg.norm(p.grad.data) <= max_norm * (1 + 1e-9)
    if total < max_norm:
        np.testing.assert_array_equal(p.grad.data, values)


def test_clip_norm_in_place_skips_none_and_keeps_float32():
    g = np.full(4, 10.0, dtype=np.float32)
    a, b = _params([g, None])
    arr = a.grad.data
    clip_grad_norm_([a, b], 1.0)
    assert a.grad.data is arr and arr.dtype == np.float32 and b.grad is None
    np.testing.assert_allclose(np.linalg.norm(arr), 1.0, rtol=1e-5)
    assert clip_grad_norm_([b], 1.0) == 0.0


def test_clip_grad_value():
    g = np.array([[-3.0, 0.2], [0.7, 9.0]], dtype=np.float32)
    (p,) = _params([g])
    arr = p.grad.data
    clip_grad_value_([p], 0.5)
    assert p.grad.data is arr
    np.testing.assert_array_equal(arr, np.array([[-0.5, 0.2], [0.5, 0.5]], dtype=np.float32))


def test_nonfinite_total_norm_can_raise():
    (p,) = _params([np.array([np.inf, 1.0])])
    with pytest.raises(ValueError, match="clip_grad_norm_.*inf"):
        clip_grad_norm_(p, 1.0, error_if_nonfinite=True)


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda p: clip_grad_norm_(p, -1.0), ValueError, "max_norm"),
        (lambda p: clip_grad_norm_(p, float("nan")), ValueError, "max_norm"),
        (lambda p: clip_grad_norm_(p, 1.0, norm_type=0), ValueError, "norm_type"),
        (lambda p: clip_grad_norm_(p, "1"), TypeError, "max_norm"),
        (lambda p: clip_grad_norm_([np.zeros(2)], 1.0), TypeError, "parameters"),
        (lambda p: clip_grad_value_(p, -0.1), ValueError, "clip_value"),
        (lambda p: clip_grad_value_(p, None), TypeError, "clip_value"),
    ],
)
def test_bad_arguments(call, exc, match):
    params = _params([np.ones(3)])
    with pytest.raises(exc, match=match):
        call(params)
    np.testing.assert_array_equal(params[0].grad.data, np.ones(3))
