"""numpy's elementwise math beyond the basics: one line per rule (x, y inputs; ans the output).

Forwards are numpy's own ufuncs, so values are numpy's bit for bit. Singular points and kinks
are written next to each rule; the true derivative is used where it exists (inf included).

>>> import autograd_core as ag
>>> x = ag.tensor([0.5], requires_grad=True)
>>> ag.arcsin(x).sum().backward()         # d/dx arcsin x = 1 / sqrt(1 - x**2)
>>> round(x.grad.item(), 6)
1.154701
>>> ag.hypot(ag.tensor([3.0]), 4.0).item(), (ag.tensor([7.5]) % 2).item()
(5.0, 1.5)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._dispatch import implements, implements_ufunc
from .._primitive import Primitive
from .._tensor import Tensor
from . import complex as _complex
from .arithmetic import maximum, minimum, where
from .elementwise import abs_, cos, exp, isfinite, isnan, sqrt

_LN2, _LN10, _PI = math.log(2.0), math.log(10.0), math.pi


def _unary(name: str, forward: Any, rule: Any, doc: str) -> Primitive:
    return Primitive(name, forward, rule, elementwise=True, batchable=True, doc=doc)


def _binary(name: str, forward: Any, dx: Any, dy: Any, doc: str) -> Primitive:
    return Primitive(name, forward, dx, dy, elementwise=True, batchable=True, doc=doc)


def _safe(d: Any) -> Any:
    """``d`` with its zeros replaced by 1: a divisor that makes x/d exactly 0 where x = d = 0."""
    return where(d == 0, 1, d)


# -- unary: the sheet ------------------------------------------------------------------------
# arcsin, arccos at ±1 and arctanh at ±1: the true derivative, ±inf.
arcsin = _unary("arcsin", np.arcsin, lambda g, ans, x: g / sqrt(1 - x * x), "Inverse sine.")
arccos = _unary("arccos", np.arccos, lambda g, ans, x: -g / sqrt(1 - x * x), "Inverse cosine.")
arctan = _unary("arctan", np.arctan, lambda g, ans, x: g / (1 + x * x), "Inverse tangent.")
arcsinh = _unary("arcsinh", np.arcsinh, lambda g, ans, x: g / sqrt(x * x + 1), "Inverse hyperbolic sine.")
# arccosh at 1: +inf (true derivative); sqrt(x-1)*sqrt(x+1) keeps precision near 1.
arccosh = _unary("arccosh", np.arccosh, lambda g, ans, x: g / (sqrt(x - 1) * sqrt(x + 1)), "Inverse cosh.")
arctanh = _unary("arctanh", np.arctanh, lambda g, ans, x: g / (1 - x * x), "Inverse hyperbolic tangent.")
sinh = _unary("sinh", np.sinh, lambda g, ans, x: g * cosh(x), "Hyperbolic sine.")
cosh = _unary("cosh", np.cosh, lambda g, ans, x: g * sinh(x), "Hyperbolic cosine.")
exp2 = _unary("exp2", np.exp2, lambda g, ans, x: g * (ans * _LN2), "2 ** x.")
log2 = _unary("log2", np.log2, lambda g, ans, x: g / (x * _LN2), "Base-2 logarithm.")
log10 = _unary("log10", np.log10, lambda g, ans, x: g / (x * _LN10), "Base-10 logarithm.")


def _sinc_slope(x: Any) -> Any:
    # sinc'(x) = (cos(pi x) - sinc x) / x; for |x| < 1e-2 (0/0 at 0, cancellation near it) its
    # Taylor series -pi^2 x/3 (1 - p/10 + p^2/280 - p^3/15120), p = (pi x)^2: exact to 1e-20
    # there, and differentiable at 0 too (sinc''(0) = -pi^2/3), so higher orders stay right.
    small = abs_(x) < 1e-2
    xs, t = where(small, 1.0, x), where(small, x, 0.0)
    p = (_PI * t) * (_PI * t)
    series = (-(_PI**2) / 3) * t * (1 - p * (1 / 10 - p * (1 / 280 - p / 15120)))
    return where(small, series, (cos(_PI * xs) - sinc(xs)) / xs)


sinc = _unary("sinc", np.sinc, lambda g, ans, x: g * _sinc_slope(x), "sin(pi x) / (pi x), 1 at 0.")

# -- binary: the sheet -----------------------------------------------------------------------
# arctan2 and hypot at the origin (undefined): gradient 0 there, as |x| and norm at 0.
arctan2 = _binary(
    "arctan2",
    np.arctan2,
    lambda g, ans, y, x: g * x / _safe(x * x + y * y),
    lambda g, ans, y, x: -g * y / _safe(x * x + y * y),
    "Angle of the point (x, y): arctan2(y, x), in (-pi, pi].",
)
hypot = _binary(
    "hypot",
    np.hypot,
    lambda g, ans, x, y: g * x / _safe(ans),
    lambda g, ans, x, y: g * y / _safe(ans),
    "sqrt(x**2 + y**2) without overflow.",
)
# logaddexp at x = y = -inf: NaN (0/0 of probabilities), as numpy's own arithmetic gives.
logaddexp = _binary(
    "logaddexp",
    np.logaddexp,
    lambda g, ans, x, y: g * exp(x - ans),
    lambda g, ans, x, y: g * exp(y - ans),
    "log(exp(x) + exp(y)), computed stably.",
)
logaddexp2 = _binary(
    "logaddexp2",
    np.logaddexp2,
    lambda g, ans, x, y: g * exp2(x - ans),
    lambda g, ans, x, y: g * exp2(y - ans),
    "log2(2**x + 2**y), computed stably.",
)
# mod jumps where x / y is an integer; the rule there is the right-continuous branch's.
mod = _binary(
    "mod",
    np.remainder,
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: -g * floor_divide(x, y),
    "x mod y with the sign of y (numpy's remainder, Python's %).",
)

# -- non-differentiable: outputs never require grad -------------------------------------------
floor_divide = Primitive("floor_divide", np.floor_divide, doc="x // y, floor(x / y) (no gradient).")
isclose = Primitive("isclose", np.isclose, doc="Elementwise |x - y| <= atol + rtol |y| (no gradient).")

for _op, _ufuncs in (
    (arcsin, [np.arcsin]),
    (arccos, [np.arccos]),
    (arctan, [np.arctan]),
    (arcsinh, [np.arcsinh]),
    (arccosh, [np.arccosh]),
    (arctanh, [np.arctanh]),
    (sinh, [np.sinh]),
    (cosh, [np.cosh]),
    (exp2, [np.exp2]),
    (log2, [np.log2]),
    (log10, [np.log10]),
    (arctan2, [np.arctan2]),
    (hypot, [np.hypot]),
    (logaddexp, [np.logaddexp]),
    (logaddexp2, [np.logaddexp2]),
    (mod, [np.remainder]),  # np.mod is np.remainder
    (floor_divide, [np.floor_divide]),
):
    implements_ufunc(*_ufuncs)(_op)
implements(np.sinc)(sinc)
implements(np.isclose)(isclose)


# -- compositions ------------------------------------------------------------------------------
absolute = fabs = abs_
remainder = mod


@implements_ufunc(np.deg2rad, np.radians)
def deg2rad(x: Any) -> Any:
    """Degrees to radians: x * (pi / 180)."""
    return x * (_PI / 180)


@implements_ufunc(np.rad2deg, np.degrees)
def rad2deg(x: Any) -> Any:
    """Radians to degrees: x * (180 / pi)."""
    return x * (180 / _PI)


radians, degrees = deg2rad, rad2deg


@implements_ufunc(np.square)
def square(x: Any) -> Any:
    """x * x."""
    return x * x


def _is_float(x: Any) -> bool:
    return np.result_type(x.data if isinstance(x, Tensor) else x).kind == "f"


@implements_ufunc(np.reciprocal)
def reciprocal(x: Any) -> Any:
    """1 / x (integer inputs keep numpy's integer reciprocal, which has no gradient)."""
    if not _is_float(x):
        return _wrap_like(x, np.reciprocal(x.data if isinstance(x, Tensor) else x))
    return 1.0 / x


@implements_ufunc(np.fmax)
def fmax(x: Any, y: Any) -> Any:
    """Elementwise max ignoring NaN (the other value wins); ties split as ``maximum``."""
    return where(isnan(y), x, where(isnan(x), y, maximum(x, y)))


@implements_ufunc(np.fmin)
def fmin(x: Any, y: Any) -> Any:
    """Elementwise min ignoring NaN (the other value wins); ties split as ``minimum``."""
    return where(isnan(y), x, where(isnan(x), y, minimum(x, y)))


def _nan_to_num_forward(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None
) -> Any:
    return np.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)


# nan_to_num: the gradient passes where x is finite; the replaced NaN/±inf entries get 0.
_nan_to_num = Primitive(
    "nan_to_num",
    _nan_to_num_forward,
    lambda g, ans, x, copy=True, nan=0.0, posinf=None, neginf=None: where(isfinite(x), g, 0),
    batchable=True,
    doc="NaN and ±inf replaced by finite numbers.",
)


@implements(np.nan_to_num)
def nan_to_num(x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None) -> Any:
    """NaN and ±inf replaced by finite numbers; the gradient passes where x was finite, 0 elsewhere."""
    _refuse_complex(x, "nan_to_num")
    return _nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


# -- complex parts, for real inputs (complex ones that need grad are refused) ------------------
def _refuse_complex(x: Any, op: str) -> None:
    if isinstance(x, Tensor) and x.requires_grad and x.dtype.kind == "c":
        raise TypeError(
            f"{op}: complex input (shape {x.shape}, dtype {x.dtype}) that requires grad is not "
            "supported yet; detach it, or split it into real and imaginary float tensors"
        )


def _wrap_like(x: Any, value: Any) -> Any:
    """``value`` as a Tensor that needs no grad if ``x`` is a Tensor, else as numpy gave it."""
    return Tensor(value) if isinstance(x, Tensor) else value


def _constant(x: Any, value: Any) -> Any:
    """``value`` (x's shape) as a function of x with zero derivative: it is locally constant."""
    return where(np.ones(np.shape(value), dtype=bool), value, x)


def _complex_part(op: str, np_fn: Any, real_case: Any):
    def part(x: Any, *args: Any, **kwargs: Any) -> Any:
        _refuse_complex(x, op)
        raw = x.data if isinstance(x, Tensor) else x
        if np.iscomplexobj(raw) or not _is_float(x):
            return _wrap_like(x, np_fn(raw, *args, **kwargs))
        return real_case(x, raw, *args, **kwargs)

    part.__name__ = op
    return part


# real, imag, conj and angle are ops/complex.py's primitives (exact for complex input too);
# numpy's names dispatch to them here.
real = implements(np.real)(_complex.real)
imag = implements(np.imag)(_complex.imag)
conj = conjugate = implements_ufunc(np.conjugate)(_complex.conj)


@implements(np.angle)
def angle(z: Any, deg: bool = False) -> Any:
    """Argument of z (``deg=True`` in degrees); gradient 0 at 0 and for real z."""
    a = _complex.angle(z)
    return a * (180 / _PI) if deg else a


real_if_close = implements(np.real_if_close)(
    _complex_part("real_if_close", np.real_if_close, lambda x, raw, tol=100: x)
)
real_if_close.__doc__ = "x itself for real x; complex x with tiny imaginary parts becomes real."
