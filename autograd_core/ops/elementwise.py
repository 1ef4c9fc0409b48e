"""Elementwise math primitives: the derivative sheet (x is the input, ans the output).

Kink conventions (tested): |x|'(0) = 0; sign and floor-like ops have zero gradient;
sqrt'(0) = inf (the true derivative); ``x ** p`` has derivative 0 at p == 0, is finite at
x = 0 for p >= 1, and its exponent-derivative is taken as 0 where x <= 0 (log undefined).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._primitive import Primitive
from .arithmetic import logical_and, where
from .complex import conj

exp = Primitive(
    "exp",
    np.exp,
    lambda g, ans, x: g * ans,
    elementwise=True,
    batchable=True,
    doc="e**x.\n\n>>> import autograd_core as ag\n>>> ag.exp(ag.tensor([0.0])).numpy()\narray([1.])",
)
log = Primitive(
    "log",
    np.log,
    lambda g, ans, x: g / x,
    elementwise=True,
    batchable=True,
    doc="Natural log.\n\n>>> import autograd_core as ag\n>>> ag.log(ag.tensor([1.0])).numpy()\narray([0.])",
)
log1p = Primitive(
    "log1p",
    np.log1p,
    lambda g, ans, x: g / (1.0 + x),
    elementwise=True,
    batchable=True,
    doc="log(1 + x), accurate near 0.\n\n>>> import autograd_core as ag\n"
    ">>> ag.log1p(ag.tensor([0.0])).numpy()\narray([0.])",
)
expm1 = Primitive(
    "expm1",
    np.expm1,
    lambda g, ans, x: g * (ans + 1.0),
    elementwise=True,
    batchable=True,
    doc="e**x - 1, accurate near 0.\n\n>>> import autograd_core as ag\n"
    ">>> ag.expm1(ag.tensor([0.0])).numpy()\narray([0.])",
)
sqrt = Primitive(
    "sqrt",
    np.sqrt,
    lambda g, ans, x: g / (2.0 * ans),
    elementwise=True,
    batchable=True,
    doc="Square root; its derivative at 0 is inf, as the true one.\n\n"
    ">>> import autograd_core as ag\n>>> ag.sqrt(ag.tensor([4.0])).numpy()\narray([2.])",
)
sin = Primitive(
    "sin",
    np.sin,
    lambda g, ans, x: g * cos(x),
    elementwise=True,
    batchable=True,
    doc="Sine.\n\n>>> import autograd_core as ag\n>>> ag.sin(ag.tensor([0.0])).numpy()\narray([0.])",
)
cos = Primitive(
    "cos",
    np.cos,
    lambda g, ans, x: -g * sin(x),
    elementwise=True,
    batchable=True,
    doc="Cosine.\n\n>>> import autograd_core as ag\n>>> ag.cos(ag.tensor([0.0])).numpy()\narray([1.])",
)
tan = Primitive(
    "tan",
    np.tan,
    lambda g, ans, x: g * (1.0 + ans * ans),
    elementwise=True,
    batchable=True,
    doc="Tangent.\n\n>>> import autograd_core as ag\n>>> ag.tan(ag.tensor([0.0])).numpy()\narray([0.])",
)
tanh = Primitive(
    "tanh",
    np.tanh,
    lambda g, ans, x: g * (1.0 - ans * ans),
    elementwise=True,
    batchable=True,
    doc="Hyperbolic tangent.\n\n>>> import autograd_core as ag\n"
    ">>> ag.tanh(ag.tensor([0.0])).numpy()\narray([0.])",
)


def _abs_vjp(g: Any, ans: Any, x: Any) -> Any:
    # Real: sign(x). Complex (inner form): conj(z) / |z|. Both take 0 at 0.
    if x.dtype.kind != "c":
        return g * sign(x)
    return g * (conj(x) / where(ans == 0, 1, ans))


abs_ = Primitive(
    "abs",
    np.abs,
    _abs_vjp,
    elementwise=True,
    batchable=True,
    doc="|x|, with the convention |x|'(0) = 0.\n\n>>> import autograd_core as ag\n"
    ">>> ag.abs(ag.tensor([-2.0])).numpy()\narray([2.])",
)
sign = Primitive(
    "sign",
    np.sign,
    lambda g, ans, x: g * 0,
    elementwise=True,
    batchable=True,
    real_only=True,  # sign(z) = z / |z| of complex z is not piecewise constant
    doc="Sign of x (-1, 0 or 1); gradient 0 everywhere.\n\n>>> import autograd_core as ag\n"
    ">>> ag.sign(ag.tensor([-2.0, 0.0])).numpy()\narray([-1.,  0.])",
)


def _pow_dx(g: Any, ans: Any, x: Any, p: Any) -> Any:
    # d/dx x**p = p * x**(p-1). At p == 0 the derivative is 0 everywhere, but at x == 0
    # 0 * 0**-1 would be NaN, so exactly those entries take exponent 1 and factor 0.
    # Elsewhere p itself stays in the formula, so d²/dx dp = x**(p-1) (1 + p log x) holds.
    if isinstance(p, (int, float, complex)) or (type(p) is np.ndarray and p.ndim == 0):  # a constant exponent
        return g * 0 if p == 0 else g * (p * x ** (p - 1))
    singular = logical_and(p == 0, x == 0)  # a function, not &: x may be an ndarray and p a Tensor
    p_safe = where(singular, 1, p)
    return g * where(singular, 0, p_safe * x ** (p_safe - 1))


def _pow_dp(g: Any, ans: Any, x: Any, p: Any) -> Any:
    # d/dp x**p = x**p * log(x), defined for x > 0 and taken as 0 elsewhere. The inner
    # where keeps log away from x <= 0 so no NaN is computed (the double-where idiom).
    # A complex power uses the principal log, defined for every x != 0.
    if ans.dtype.kind == "c":
        nonzero = x != 0
        return g * where(nonzero, ans * log(where(nonzero, x, 1) + 0j), 0)
    positive = x > 0
    return g * where(positive, ans * log(where(positive, x, 1)), 0)


def _pow_forward(x: Any, p: Any) -> Any:
    try:
        return np.power(x, p)
    except ValueError as err:
        raise ValueError(f"pow: cannot raise shape {np.shape(x)} to shape {np.shape(p)}: {err}") from None


power = Primitive(
    "pow",
    _pow_forward,
    _pow_dx,
    _pow_dp,
    elementwise=True,
    batchable=True,
    doc="x ** p; the derivative is finite at x = 0 wherever the true one is.\n\n"
    ">>> import autograd_core as ag\n>>> ag.power(ag.tensor([3.0]), 2).numpy()\narray([9.])",
)

_erf_scalar = np.frompyfunc(math.erf, 1, 1)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


_ERF: list = []  # scipy.special.erf when scipy is importable (looked up on first use), else None


def _erf_forward(x: Any) -> Any:
    x = np.asarray(x)
    if not _ERF:
        try:  # lazily: ``import autograd_core`` stays numpy-only
            from scipy.special import erf as scipy_erf
        except ImportError:
            scipy_erf = None
        _ERF.append(scipy_erf)
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    if _ERF[0] is not None:
        return np.asarray(_ERF[0](x), dtype=dtype)
    # frompyfunc returns a bare Python float for 0-d input: asarray keeps it an array.
    return np.asarray(_erf_scalar(x)).astype(dtype)


erf = Primitive(
    "erf",
    _erf_forward,
    lambda g, ans, x: g * (_TWO_OVER_SQRT_PI * exp(-(x * x))),
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="The error function (scipy.special.erf when scipy is installed, else math.erf per element).\n\n>>> import autograd_core as ag\n"
    ">>> ag.erf(ag.tensor([0.0])).numpy()\narray([0.])",
)

# Non-differentiable: outputs never require grad.
floor = Primitive("floor", np.floor, doc="Round down (no gradient).")
ceil = Primitive("ceil", np.ceil, doc="Round up (no gradient).")
round_ = Primitive("round", np.round, doc="Round half to even (no gradient).")
isnan = Primitive("isnan", np.isnan, doc="Elementwise NaN test (no gradient).")
isfinite = Primitive("isfinite", np.isfinite, doc="Elementwise finiteness test (no gradient).")
