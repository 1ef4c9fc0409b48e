"""odeint: gradients in y0, t and the parameters against the analytic solution's derivatives."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag

pytest.importorskip("scipy.integrate")
from autograd_core.scipy.integrate import odeint  # noqa: E402

TOL = dict(rtol=1e-11, atol=1e-11)
T = np.array([0.0, 0.4, 1.1, 2.0])


def decay(y, t, k):
    return -k * y


def test_exponential_decay_gradients_match_the_analytic_solution() -> None:
    """y(t) = y0 exp(-k t): d/dy0 = exp(-k t), d/dk = -t y(t), d/dt_i = w_i · f(y(t_i)), d/dt_0 = -sum of those."""
    y0, k = np.array([1.5, -0.5]), np.array(0.7)
    w = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3], [-1.0, 1.0]])  # upstream weights per time and state

    def loss(y0_, t_, k_):
        return (odeint(decay, y0_, t_, (k_,), **TOL) * w).sum()

    gy0, gt, gk = ag.grad(loss, argnums=(0, 1, 2))(y0, T, k)
    y = y0 * np.exp(-k * T)[:, None]
    np.testing.assert_allclose(gy0, (w * np.exp(-k * T)[:, None]).sum(0), rtol=1e-7)
    np.testing.assert_allclose(gk, (w * -T[:, None] * y).sum(), rtol=1e-7)
    # moving t_i (i > 0) moves y(t_i) along f; moving t_0 shifts every later point the other way
    np.testing.assert_allclose(gt[1:], (w * -k * y).sum(1)[1:], rtol=1e-7)
    np.testing.assert_allclose(gt[0], -(w[1:] * -k * y[1:]).sum(), rtol=1e-7)
    np.testing.assert_allclose(odeint(decay, y0, T, (k,), **TOL), y, rtol=1e-9)


def test_harmonic_oscillator_parameter_gradient() -> None:
    """x'' = -w² x from (1, 0): x(t) = cos(w t), so d x(t) / dw = -t sin(w t)."""

    def spring(y, t, omega):
        return ag.stack([y[1], -(omega**2) * y[0]])

    g = ag.grad(lambda om: odeint(spring, np.array([1.0, 0.0]), T, (om,), **TOL)[:, 0].sum())(np.array(1.3))
    np.testing.assert_allclose(g, (-T * np.sin(1.3 * T)).sum(), rtol=1e-6)


def test_second_derivatives_refuse() -> None:
    with pytest.raises(NotImplementedError, match="odeint: second derivatives"):
        ag.hessian(lambda k: odeint(decay, np.array([1.0]), T, (k,), **TOL).sum())(np.array(0.5))
