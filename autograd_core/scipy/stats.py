"""``scipy.stats`` densities with gradients, as compositions of ops (needs scipy for the special functions).

Each distribution is a namespace of functions with scipy's argument names and defaults:
``norm`` (pdf, logpdf, cdf, logcdf, sf, logsf), ``t`` (pdf, logpdf), ``beta`` (pdf, logpdf, cdf),
``chi2`` (pdf, logpdf, cdf), ``gamma`` (pdf, logpdf, cdf), ``poisson`` (pmf, logpmf, cdf; k is not
differentiable), ``dirichlet`` (pdf, logpdf; quantiles along the first axis, as scipy) and
``multivariate_normal`` (pdf, logpdf; through a Cholesky factor of ``cov``, so the gradient for
``cov`` lands on the lower triangle it reads). Gradients flow to every
continuous argument (``x``, ``loc``, ``scale``, shape parameters, ``mean``, ``cov``) except where a
special function has none: the shape parameters of the cdfs built on gammainc/betainc refuse.

>>> import autograd_core as ag
>>> from autograd_core.scipy import stats
>>> x = ag.tensor(0.5, requires_grad=True)
>>> stats.norm.logpdf(x).backward()
>>> x.grad.item()  # d/dx of -x²/2
-0.5
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np

from ..ops import exp, floor, log, log1p, sum_
from ..ops.decompositions import _diagonal, cholesky, solve
from ..ops.shape import expand_dims, swapaxes
from . import special as sp

_LOG_2PI = math.log(2 * math.pi)


def _log(v: Any) -> Any:
    """log, leaving Python numbers Python numbers (so they do not upcast float32 values)."""
    return math.log(v) if isinstance(v, (int, float)) else log(v)


def _z(x: Any, loc: Any, scale: Any) -> Any:
    return (x - loc) / scale


def _norm_logpdf(x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    z = _z(x, loc, scale)
    return -0.5 * z * z - _log(scale) - 0.5 * _LOG_2PI


norm = SimpleNamespace(
    logpdf=_norm_logpdf,
    pdf=lambda x, loc=0.0, scale=1.0: exp(_norm_logpdf(x, loc, scale)),
    cdf=lambda x, loc=0.0, scale=1.0: sp.ndtr(_z(x, loc, scale)),
    logcdf=lambda x, loc=0.0, scale=1.0: sp.log_ndtr(_z(x, loc, scale)),
    sf=lambda x, loc=0.0, scale=1.0: sp.ndtr(-_z(x, loc, scale)),
    logsf=lambda x, loc=0.0, scale=1.0: sp.log_ndtr(-_z(x, loc, scale)),
)


def _t_logpdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    z = _z(x, loc, scale)
    half = (df + 1) / 2
    return (
        sp.gammaln(half)
        - sp.gammaln(df / 2)
        - 0.5 * _log(df * math.pi)
        - _log(scale)
        - half * log1p(z * z / df)
    )


t = SimpleNamespace(logpdf=_t_logpdf, pdf=lambda x, df, loc=0.0, scale=1.0: exp(_t_logpdf(x, df, loc, scale)))


def _beta_logpdf(x: Any, a: Any, b: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    z = _z(x, loc, scale)
    return (a - 1) * log(z) + (b - 1) * log1p(-z) - sp.betaln(a, b) - _log(scale)


beta = SimpleNamespace(
    logpdf=_beta_logpdf,
    pdf=lambda x, a, b, loc=0.0, scale=1.0: exp(_beta_logpdf(x, a, b, loc, scale)),
    cdf=lambda x, a, b, loc=0.0, scale=1.0: sp.betainc(a, b, _z(x, loc, scale)),
)


def _gamma_logpdf(x: Any, a: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    z = _z(x, loc, scale)
    return (a - 1) * log(z) - z - sp.gammaln(a) - _log(scale)


gamma = SimpleNamespace(
    logpdf=_gamma_logpdf,
    pdf=lambda x, a, loc=0.0, scale=1.0: exp(_gamma_logpdf(x, a, loc, scale)),
    cdf=lambda x, a, loc=0.0, scale=1.0: sp.gammainc(a, _z(x, loc, scale)),
)


def _chi2_logpdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    return _gamma_logpdf(x, df / 2, loc, 2 * scale)  # chi2(df) is gamma(df / 2, scale 2)


chi2 = SimpleNamespace(
    logpdf=_chi2_logpdf,
    pdf=lambda x, df, loc=0.0, scale=1.0: exp(_chi2_logpdf(x, df, loc, scale)),
    cdf=lambda x, df, loc=0.0, scale=1.0: sp.gammainc(df / 2, _z(x, loc, 2 * scale)),
)


def _poisson_logpmf(k: Any, mu: Any, loc: Any = 0) -> Any:
    k = k - loc
    return k * _log(mu) - mu - sp.gammaln(k + 1)


poisson = SimpleNamespace(
    logpmf=_poisson_logpmf,
    pmf=lambda k, mu, loc=0: exp(_poisson_logpmf(k, mu, loc)),
    cdf=lambda k, mu, loc=0: sp.gammaincc(floor(k - loc) + 1, mu),
)


def _dirichlet_logpdf(x: Any, alpha: Any) -> Any:
    alpha_col = alpha if np.ndim(x) == 1 else expand_dims(alpha, -1)
    return sum_((alpha_col - 1) * log(x), axis=0) + sp.gammaln(sum_(alpha)) - sum_(sp.gammaln(alpha))


dirichlet = SimpleNamespace(logpdf=_dirichlet_logpdf, pdf=lambda x, alpha: exp(_dirichlet_logpdf(x, alpha)))


def _mvn_logpdf(x: Any, mean: Any = None, cov: Any = 1) -> Any:
    d = np.shape(x)[-1] if np.ndim(x) else 1
    dev = x if mean is None else x - mean
    cov = cov if np.ndim(cov) == 2 else np.asarray(cov, dtype=float) * np.eye(d)
    low = cholesky(cov)
    white = solve(low, swapaxes(dev, -1, -2) if np.ndim(dev) == 2 else dev)  # L⁻¹ (x - mean)
    maha = sum_(white * white, axis=0)
    return -0.5 * maha - sum_(log(_diagonal(low))) - 0.5 * d * _LOG_2PI


multivariate_normal = SimpleNamespace(
    logpdf=_mvn_logpdf, pdf=lambda x, mean=None, cov=1: exp(_mvn_logpdf(x, mean, cov))
)

__all__ = ["beta", "chi2", "dirichlet", "gamma", "multivariate_normal", "norm", "poisson", "t"]
