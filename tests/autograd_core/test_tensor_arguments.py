"""Every Tensor argument is differentiated or refused: op parameters, pow exponents, user Primitives."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Primitive, tensor


def test_clip_bounds_get_gradients() -> None:
    x = tensor([-2.0, 0.3, 1.0, 5.0], requires_grad=True)
    lo = tensor(0.5, requires_grad=True)
    hi = tensor([2.0, 2.0, 2.0, 2.0], requires_grad=True)
    ag.clip(x, lo, hi).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 1.0, 0.0])
    assert lo.grad.item() == 2.0  # -2.0 and 0.3 are clipped up to lo
    np.testing.assert_array_equal(hi.grad.numpy(), [0.0, 0.0, 0.0, 1.0])


def test_activation_slopes_and_pad_value_get_gradients() -> None:
    x = np.array([-2.0, -0.5, 1.0])
    np.testing.assert_allclose(ag.grad(lambda s: ag.leaky_relu(x, s).sum())(0.1), -2.5)
    np.testing.assert_allclose(
        ag.grad(lambda a: ag.elu(x, alpha=a).sum())(0.7), np.expm1(-2.0) + np.expm1(-0.5)
    )
    np.testing.assert_allclose(ag.grad(lambda c: ag.pad(x, 2, constant_values=c).sum())(1.5), 4.0)
    with pytest.raises(NotImplementedError, match="pad: a gradient for per-side constant_values"):
        ag.grad(lambda c: ag.pad(x, 1, constant_values=c).sum())(np.array([1.0, 2.0]))


def test_leaky_relu_slope_against_torch() -> None:
    torch = pytest.importorskip("torch")
    x = np.array([-2.0, -0.5, 0.25, 1.0])
    ts = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    (torch.where(torch.tensor(x) > 0, torch.tensor(x), ts * torch.tensor(x))).sum().backward()
    np.testing.assert_allclose(ag.grad(lambda s: ag.leaky_relu(x, s).sum())(0.7), ts.grad.item())


def test_logsumexp_b_matches_scipy() -> None:
    special = pytest.importorskip("scipy.special")
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)), rng.uniform(0.1, 2.0, (3, 4))
    for axis in (None, 0, 1):
        np.testing.assert_allclose(ag.logsumexp(a, axis=axis, b=b), special.logsumexp(a, axis=axis, b=b))
    out, sign = ag.logsumexp(ag.tensor(a), axis=1, b=b - 1.0, return_sign=True)
    want, want_sign = special.logsumexp(a, axis=1, b=b - 1.0, return_sign=True)
    np.testing.assert_allclose(out.numpy(), want)
    np.testing.assert_array_equal(sign.numpy(), want_sign)
    assert not sign.requires_grad
    np.testing.assert_allclose(ag.logsumexp(a, b=b, keepdims=True), special.logsumexp(a, b=b, keepdims=True))
    with pytest.raises(ValueError, match="logsumexp: b of shape"):
        ag.logsumexp(a, b=np.ones((2, 3, 4)))


def test_array_exponent_under_hessian_and_jvp() -> None:
    p, x = np.array([2.0, 3.0]), np.array([1.5, 2.0])
    np.testing.assert_allclose(ag.hessian(lambda t: (t**p).sum())(x), np.diag(p * (p - 1) * x ** (p - 2)))
    np.testing.assert_allclose(ag.jvp(lambda t: t**p, x, np.ones(2))[1], p * x ** (p - 1))
    np.testing.assert_allclose(ag.hessian(lambda q: (x**q).sum())(p), np.diag(x**p * np.log(x) ** 2))
    np.testing.assert_allclose(ag.jvp(lambda q: x**q, p, np.ones(2))[1], x**p * np.log(x))


def test_a_user_primitive_without_a_rule_for_an_argument_raises_when_it_is_needed() -> None:
    scale = Primitive("scale_x", lambda x, w: x * w, lambda g, ans, x, w: g * w, register=False)
    x, w = tensor([1.0, 2.0], requires_grad=True), tensor([3.0, 4.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match=r"scale_x: no VJP rule for argument 1 \('w'\)"):
        scale(x, w).sum().backward()
    scale(x, w.detach()).sum().backward()  # a constant w needs no rule
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])
    later = Primitive("shift_y", lambda x, y: x + y, None, lambda g, ans, x, y: g, register=False)
    with pytest.raises(NotImplementedError, match=r"shift_y: no VJP rule for argument 0 \('x'\)"):
        ag.grad(lambda t: later(t, 1.0).sum())(np.ones(2))
    kw_only = Primitive("kw_only", lambda x, *, k=1.0: x * k, lambda g, ans, x, k=1.0: g * k, register=False)
    with pytest.raises(NotImplementedError, match="kw_only: argument 'k' is a Tensor that requires grad"):
        kw_only(x, k=w)
    np.testing.assert_array_equal(kw_only(x, k=w.detach()).data, [3.0, 8.0])


def test_piecewise_constant_ops_keep_their_documented_behaviour() -> None:
    x = tensor([0.4, -1.6], requires_grad=True)
    for out in (ag.floor(x), ag.round(x), x > 0, ag.ceil(x)):
        assert not out.requires_grad
    ag.sign(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])
