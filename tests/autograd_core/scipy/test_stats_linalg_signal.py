"""autograd_core.scipy.stats / linalg / signal: values equal scipy's; gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import gradcheck, gradgradcheck

ss = pytest.importorskip("scipy.stats")
import scipy.linalg as sl  # noqa: E402
import scipy.signal as sg  # noqa: E402

from autograd_core.scipy import linalg as L  # noqa: E402
from autograd_core.scipy import signal as G  # noqa: E402
from autograd_core.scipy import stats as S  # noqa: E402

X = np.array([0.2, 0.5, 0.7])
RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 3)) + 3 * np.eye(3)


def _close(ours, theirs) -> None:
    np.testing.assert_allclose(ours.data, theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("fn", "pdf logpdf cdf logcdf sf logsf".split())
def test_norm(fn: str) -> None:
    _close(getattr(S.norm, fn)(ag.tensor(X), 0.3, 1.7), getattr(ss.norm, fn)(X, 0.3, 1.7))
    assert gradcheck(lambda x, loc, scale: getattr(S.norm, fn)(x, loc, scale), X, 0.3, 1.7)


@pytest.mark.parametrize("fn", ["pdf", "logpdf"])
def test_t_and_chi2(fn: str) -> None:
    _close(getattr(S.t, fn)(ag.tensor(X), 3.5, 0.1, 2.0), getattr(ss.t, fn)(X, 3.5, 0.1, 2.0))
    assert gradcheck(lambda x, df, loc, scale: getattr(S.t, fn)(x, df, loc, scale), X, 3.5, 0.1, 2.0)
    _close(getattr(S.chi2, fn)(ag.tensor(X), 3.5), getattr(ss.chi2, fn)(X, 3.5))
    assert gradcheck(lambda x, df: getattr(S.chi2, fn)(x, df), X, 3.5)


@pytest.mark.parametrize("fn", ["pdf", "logpdf", "cdf"])
def test_beta_gamma_poisson(fn: str) -> None:
    _close(getattr(S.beta, fn)(ag.tensor(X), 1.5, 2.5), getattr(ss.beta, fn)(X, 1.5, 2.5))
    _close(getattr(S.gamma, fn)(ag.tensor(X), 1.5, 0.0, 2.0), getattr(ss.gamma, fn)(X, 1.5, 0.0, 2.0))
    k, pfn = np.array([0.0, 1.0, 3.0]), {"pdf": "pmf", "logpdf": "logpmf", "cdf": "cdf"}[fn]
    _close(getattr(S.poisson, pfn)(k, ag.tensor(2.5)), getattr(ss.poisson, pfn)(k, 2.5))
    assert gradcheck(lambda mu: getattr(S.poisson, pfn)(k, mu), np.array(2.5))
    assert gradcheck(lambda x: getattr(S.beta, fn)(x, 1.5, 2.5), X)
    if fn != "cdf":  # the cdfs are not differentiable in the shape parameter (gammainc's a)
        assert gradcheck(lambda x, a, scale: getattr(S.gamma, fn)(x, a, 0.0, scale), X, 1.5, 2.0)


def test_dirichlet_and_multivariate_normal() -> None:
    alpha, x1, x2 = (
        np.array([1.5, 2.0, 3.0]),
        np.array([0.2, 0.3, 0.5]),
        np.array([[0.2, 0.1], [0.3, 0.6], [0.5, 0.3]]),
    )
    _close(S.dirichlet.logpdf(ag.tensor(x1), alpha), ss.dirichlet.logpdf(x1, alpha))
    _close(S.dirichlet.pdf(ag.tensor(x2), alpha), ss.dirichlet.pdf(x2, alpha))
    assert gradcheck(lambda a: S.dirichlet.logpdf(x2, a), alpha)
    cov, mean = np.array([[2.0, 0.3], [0.3, 1.0]]), np.array([0.1, -0.2])
    pts = np.array([[0.5, 1.0], [1.5, -1.0], [0.0, 0.0]])
    _close(
        S.multivariate_normal.logpdf(ag.tensor(pts), mean, cov), ss.multivariate_normal.logpdf(pts, mean, cov)
    )
    _close(
        S.multivariate_normal.pdf(ag.tensor(pts[0]), mean, cov), ss.multivariate_normal.pdf(pts[0], mean, cov)
    )
    assert gradcheck(lambda x, m, c: S.multivariate_normal.logpdf(x, m, c), pts, mean, cov)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("trans", [0, 1, "T"])
@pytest.mark.parametrize("unit", [False, True])
def test_solve_triangular(lower: bool, trans, unit: bool) -> None:
    for rhs in (RNG.standard_normal((3, 2)), RNG.standard_normal(3)):
        kw = dict(trans=trans, lower=lower, unit_diagonal=unit)
        _close(L.solve_triangular(ag.tensor(A), rhs, **kw), sl.solve_triangular(A, rhs, **kw))
        assert gradcheck(lambda a, b: L.solve_triangular(a, b, **kw), A, rhs)


def test_sylvester_and_sqrtm() -> None:
    b, q = RNG.standard_normal((2, 2)) + 2 * np.eye(2), RNG.standard_normal((3, 2))
    _close(L.solve_sylvester(ag.tensor(A), b, q), sl.solve_sylvester(A, b, q))
    assert gradcheck(L.solve_sylvester, A, b, q) and gradgradcheck(L.solve_sylvester, A, b, q)
    spd = A @ A.T
    np.testing.assert_allclose(L.sqrtm(ag.tensor(spd)).data, sl.sqrtm(spd), rtol=1e-10)
    assert gradcheck(L.sqrtm, spd) and gradgradcheck(L.sqrtm, spd)
    with pytest.raises(ValueError, match="sqrtm: the square root of this real matrix is complex"):
        L.sqrtm(ag.tensor(-np.eye(2), requires_grad=True)).sum().backward(np.array(1.0 + 0j))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_convolve(mode: str) -> None:
    x, k = RNG.standard_normal((5, 4)), RNG.standard_normal((2, 3))
    np.testing.assert_allclose(
        G.convolve(ag.tensor(x), k, mode=mode).data, sg.convolve(x, k, mode=mode), atol=1e-12
    )
    np.testing.assert_allclose(
        G.convolve(ag.tensor(k), x, mode=mode).data, sg.convolve(k, x, mode=mode), atol=1e-12
    )
    assert gradcheck(lambda a, c: G.convolve(a, c, mode=mode), x, k)
    assert gradcheck(lambda a, c: G.convolve(a, c, mode=mode), k, x)
    with pytest.raises(ValueError, match="convolve: mode must be"):
        G.convolve(x, k, mode="wrap")
