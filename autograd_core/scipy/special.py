"""``scipy.special`` with gradients (needs scipy; ``import autograd_core`` itself never imports it).

One line per rule, grouped by family; each rule uses the family's own functions, so higher
derivatives come for free (gammaln -> digamma -> polygamma(1) -> polygamma(2) ...). Arguments a
function is not differentiable in (orders ``n``/``v``, gammainc's ``a``, betainc's ``a``, ``b``)
refuse a Tensor that requires grad when its gradient is needed, naming the function and argument.

Singular points: the poles of gamma/digamma/polygamma (x = 0, -1, ...) and erfinv(±1) give inf
values and inf/NaN gradients, as the functions themselves do there; logit at 0 and 1 likewise.

>>> import autograd_core as ag
>>> from autograd_core.scipy import special
>>> x = ag.tensor(3.0, requires_grad=True)
>>> special.gammaln(x).backward()
>>> round(x.grad.item(), 6)  # digamma(3) = 1.5 - euler_gamma
0.922784
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import scipy.special as _sc

from .._dispatch import implements_ufunc
from .._primitive import Primitive
from ..ops import exp, log, sigmoid, sign
from ..ops import logsumexp as _logsumexp
from ..ops.elementwise import erf

_SQRT_PI = math.sqrt(math.pi)
_TWO_OVER_SQRT_PI = 2.0 / _SQRT_PI


def _keep(fn: Callable) -> Callable:
    """``fn`` with numpy's dtype rule: float32 arguments give float32 (some scipy routines compute in float64)."""

    def forward(*args: Any) -> Any:
        out = np.asarray(fn(*args))
        floats = [a for a in args if np.asarray(a).dtype.kind == "f"]
        dtype = np.result_type(*floats) if floats else out.dtype
        return out.astype(dtype, copy=False) if out.dtype != dtype and out.dtype.kind == "f" else out

    return forward


def _unary(name: str, fn: Callable, rule: Callable, doc: str) -> Primitive:
    return Primitive(f"scipy.special.{name}", _keep(fn), rule, elementwise=True, batchable=True, doc=doc)


def _no_grad_in(op: str, arg: str) -> Callable:
    def rule(*_: Any, **__: Any) -> Any:
        raise TypeError(
            f"scipy.special.{op}: no gradient with respect to {arg}; pass it as a plain array "
            "(or .detach() it) to differentiate in the other arguments"
        )

    return rule


def _order(fn: Callable) -> Callable:
    """A scipy function of (order, x), with the order an integer-valued array or number."""
    return _keep(lambda n, x: fn(n, x))


# -- gamma family ------------------------------------------------------------------------------
polygamma = Primitive(
    "scipy.special.polygamma",
    _order(_sc.polygamma),
    _no_grad_in("polygamma", "n"),
    lambda g, ans, n, x: g * polygamma(n + 1, x),
    doc="polygamma(n, x): the n-th derivative of digamma.",
)
digamma = _unary("digamma", _sc.digamma, lambda g, ans, x: g * polygamma(1, x), "digamma (psi).")
psi = digamma
gammaln = _unary("gammaln", _sc.gammaln, lambda g, ans, x: g * digamma(x), "log|gamma(x)|.")
gamma = _unary("gamma", _sc.gamma, lambda g, ans, x: g * ans * digamma(x), "The gamma function.")
rgamma = _unary("rgamma", _sc.rgamma, lambda g, ans, x: -g * ans * digamma(x), "1 / gamma(x) (at poles: 0).")
gammasgn = Primitive("scipy.special.gammasgn", _sc.gammasgn, doc="Sign of gamma(x) (no gradient).")
beta = Primitive(
    "scipy.special.beta",
    _keep(_sc.beta),
    lambda g, ans, a, b: g * ans * (digamma(a) - digamma(a + b)),
    lambda g, ans, a, b: g * ans * (digamma(b) - digamma(a + b)),
    doc="The beta function B(a, b).",
)
betaln = Primitive(
    "scipy.special.betaln",
    _keep(_sc.betaln),
    lambda g, ans, a, b: g * (digamma(a) - digamma(a + b)),
    lambda g, ans, a, b: g * (digamma(b) - digamma(a + b)),
    doc="log|B(a, b)|.",
)
gammainc = Primitive(
    "scipy.special.gammainc",
    _keep(_sc.gammainc),
    _no_grad_in("gammainc", "a"),
    lambda g, ans, a, x: g * exp((a - 1) * log(x) - x - gammaln(a)),
    doc="Regularized lower incomplete gamma P(a, x); differentiable in x.",
)
gammaincc = Primitive(
    "scipy.special.gammaincc",
    _keep(_sc.gammaincc),
    _no_grad_in("gammaincc", "a"),
    lambda g, ans, a, x: -g * exp((a - 1) * log(x) - x - gammaln(a)),
    doc="Regularized upper incomplete gamma Q(a, x); differentiable in x.",
)
betainc = Primitive(
    "scipy.special.betainc",
    _keep(_sc.betainc),
    _no_grad_in("betainc", "a"),
    _no_grad_in("betainc", "b"),
    lambda g, ans, a, b, x: g * exp((a - 1) * log(x) + (b - 1) * log(1 - x) - betaln(a, b)),
    doc="Regularized incomplete beta I_x(a, b); differentiable in x.",
)


def multigammaln(a: Any, d: int) -> Any:
    """Log of the multivariate gamma function of dimension ``d`` (a composition of gammaln)."""
    if not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"scipy.special.multigammaln: d must be a positive integer, got {d!r}")
    total = d * (d - 1) / 4.0 * math.log(math.pi)
    for j in range(d):
        total = total + gammaln(a - j / 2.0)
    return total


# -- error functions -------------------------------------------------------------------------------
erfc = _unary(
    "erfc",
    _sc.erfc,
    lambda g, ans, x: -g * _TWO_OVER_SQRT_PI * exp(-(x * x)),
    "1 - erf(x), accurate for large x.",
)
erfinv = _unary(
    "erfinv", _sc.erfinv, lambda g, ans, x: g * (_SQRT_PI / 2) * exp(ans * ans), "Inverse of erf."
)
erfcinv = _unary(
    "erfcinv", _sc.erfcinv, lambda g, ans, x: -g * (_SQRT_PI / 2) * exp(ans * ans), "Inverse of erfc."
)
ndtr = _unary(
    "ndtr", _sc.ndtr, lambda g, ans, x: g * exp(-0.5 * x * x) / math.sqrt(2 * math.pi), "Standard normal CDF."
)
log_ndtr = _unary(
    "log_ndtr",
    _sc.log_ndtr,
    lambda g, ans, x: g * exp(-0.5 * x * x - ans) / math.sqrt(2 * math.pi),  # pdf / cdf, kept in logs
    "log of the standard normal CDF, accurate far in the left tail.",
)
ndtri = _unary(
    "ndtri",
    _sc.ndtri,
    lambda g, ans, x: g * math.sqrt(2 * math.pi) * exp(0.5 * ans * ans),
    "Inverse of ndtr.",
)
expit = sigmoid
logit = _unary("logit", _sc.logit, lambda g, ans, x: g / (x * (1 - x)), "log(p / (1 - p)).")


# -- Bessel functions ------------------------------------------------------------------------------
def _leading_term_below_tiny(fn: Callable) -> Callable:
    """scipy's I_v (AMOS) is NaN for 0 < |x| < ~5e-308 (scipy.special.iv(1, 2.2e-308)); there
    I_v(x) = (x/2)^v / gamma(v + 1) to double precision (|v| for integer v, as I_-n = I_n)."""

    def forward(v: Any, x: Any) -> Any:
        out = np.asarray(fn(v, x))
        bad = np.isnan(out) & (np.abs(x) < 1e-300)
        if not np.any(bad):
            return out
        v = np.asarray(v, dtype=float)
        v = np.where(v == np.round(v), np.abs(v), v)
        with np.errstate(all="ignore"):
            return np.where(bad, (np.asarray(x) / 2) ** v / _sc.gamma(v + 1), out).astype(out.dtype)

    return forward


def _bessel(name: str, fn: Callable, rule: Callable, doc: str) -> Primitive:
    return Primitive(f"scipy.special.{name}", _order(fn), _no_grad_in(name, "the order"), rule, doc=doc)


iv = _bessel(
    "iv",
    _leading_term_below_tiny(_sc.iv),
    lambda g, ans, v, x: g * (iv(v - 1, x) + iv(v + 1, x)) / 2,
    "Modified Bessel I_v(x).",
)
ive = _bessel(
    "ive",
    _leading_term_below_tiny(_sc.ive),
    lambda g, ans, v, x: g * ((ive(v - 1, x) + ive(v + 1, x)) / 2 - sign(x) * ans),
    "Exponentially scaled I_v(x) exp(-|x|) (kink at x = 0: sign(0) = 0).",
)
jv = _bessel("jv", _sc.jv, lambda g, ans, v, x: g * (jv(v - 1, x) - jv(v + 1, x)) / 2, "Bessel J_v(x).")
yv = _bessel("yv", _sc.yv, lambda g, ans, v, x: g * (yv(v - 1, x) - yv(v + 1, x)) / 2, "Bessel Y_v(x).")


def i0(x: Any) -> Any:
    """Modified Bessel I_0."""
    return iv(0, x)


def i1(x: Any) -> Any:
    """Modified Bessel I_1."""
    return iv(1, x)


def j0(x: Any) -> Any:
    """Bessel J_0."""
    return jv(0, x)


def j1(x: Any) -> Any:
    """Bessel J_1."""
    return jv(1, x)


def y0(x: Any) -> Any:
    """Bessel Y_0."""
    return yv(0, x)


def y1(x: Any) -> Any:
    """Bessel Y_1."""
    return yv(1, x)


def jn(n: Any, x: Any) -> Any:
    """Bessel J_n for integer n."""
    return jv(n, x)


def yn(n: Any, x: Any) -> Any:
    """Bessel Y_n for integer n (scipy truncates a fractional n, with a warning: refused here)."""
    order = np.asarray(getattr(n, "data", n))
    if order.dtype.kind not in "iub" and np.any(order != np.trunc(order)):
        raise ValueError(
            f"scipy.special.yn: n must be integer-valued, got {n!r}; use yv(v, x) for real orders"
        )
    return yv(n, x)


# -- reductions --------------------------------------------------------------------------------------
logsumexp = _logsumexp  # scipy's signature already: b= weights, keepdims, return_sign

# -- scipy's own ufuncs on Tensors: scipy.special.expit(t) records (Tensor.__array_ufunc__) --------
# Only where ours takes the ufunc's positional arguments in its order; polygamma, multigammaln and
# logsumexp are Python functions (no protocol reaches them: call ours). psi is digamma, jn is jv.
for _name, _ours in [
    ("gammaln", gammaln), ("digamma", digamma), ("gamma", gamma), ("rgamma", rgamma),
    ("gammasgn", gammasgn), ("beta", beta), ("betaln", betaln), ("gammainc", gammainc),
    ("gammaincc", gammaincc), ("betainc", betainc), ("erf", erf), ("erfc", erfc), ("erfinv", erfinv),
    ("erfcinv", erfcinv), ("ndtr", ndtr), ("log_ndtr", log_ndtr), ("ndtri", ndtri), ("expit", expit),
    ("logit", logit), ("iv", iv), ("ive", ive), ("jv", jv), ("yv", yv), ("i0", i0), ("i1", i1),
    ("j0", j0), ("j1", j1), ("y0", y0), ("y1", y1), ("yn", yn),
]:  # fmt: skip
    implements_ufunc(getattr(_sc, _name))(_ours)


__all__ = [
    "beta", "betainc", "betaln", "digamma", "erf", "erfc", "erfcinv", "erfinv", "expit", "gamma",
    "gammainc", "gammaincc", "gammaln", "gammasgn", "i0", "i1", "iv", "ive", "j0", "j1", "jn", "jv",
    "log_ndtr", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "rgamma",
    "y0", "y1", "yn", "yv",
]  # fmt: skip
