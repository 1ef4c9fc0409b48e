"""Reductions and normalisations: the derivative sheet.

Each rule first restores the reduced axes of ``g`` (``_keep``), then broadcasts. Ties in
max/min share the gradient evenly among the maximal elements. logsumexp, softmax and
log_softmax subtract the maximum first, so |x| = 1e4 stays finite.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from .._dispatch import implements
from .._primitive import Primitive
from .._tensor import Tensor
from ._helpers import batch_shape, kept_shape, normalize_axes
from .arithmetic import where
from .complex import abs2, conj
from .elementwise import exp, sqrt
from .shape import broadcast_to, expand_dims, getitem, reshape, transpose


def _keep(g: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    """Give ``g`` the reduced axes back as length-1 axes, so it broadcasts against ``x``."""
    if keepdims:
        return g
    lead = g.ndim - x.ndim + len(normalize_axes(axis, x.ndim, "reduce"))  # batch axes of g, kept in front
    return reshape(g, tuple(g.shape[:lead]) + kept_shape(x.shape, axis, "reduce"))


def _reduce_forward(ufunc: Any, fn: Any, name: str):
    reduce = ufunc.reduce

    def forward(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        if type(x) is np.ndarray and x.dtype.kind in "fc" and x.size:
            try:  # the ufunc's own reduce skips numpy's Python-level dispatch in np.sum & co.
                return reduce(x, axis=axis, keepdims=keepdims)
            except (TypeError, ValueError):
                pass  # fall through: a list axis, or a bad one that gets a clear error below
        normalize_axes(axis, np.ndim(x), name)  # a clear error for a bad axis
        if np.size(x) == 0 and name in ("max", "min"):
            raise ValueError(f"{name}: cannot reduce an empty array (shape {np.shape(x)})")
        return fn(x, axis=axis, keepdims=keepdims)

    return forward


def _tie_share_forward(x: Any, ans_kept: Any, axis: Any) -> Any:
    mask = x == ans_kept
    return mask / mask.sum(axis=axis, keepdims=True).astype(x.dtype)


# Non-differentiable helper: 1/k on each of the k tied maxima, 0 elsewhere.
_tie_share = Primitive("tie_share", _tie_share_forward)


def _extreme_vjp(g: Any, ans: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    ans_kept = _keep(ans, x, axis, keepdims)
    return _keep(g, x, axis, keepdims) * _tie_share(x, ans_kept, axis)


def _sum_vjp(g: Any, ans: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if axis is None and not keepdims and g.ndim == 0:  # a 0-d g broadcasts as it is: no reshape
        return broadcast_to(g, x.shape)
    return broadcast_to(_keep(g, x, axis, keepdims), batch_shape(g, ans) + x.shape)


sum_ = Primitive(
    "sum",
    _reduce_forward(np.add, np.sum, "sum"),
    _sum_vjp,
    batchable=True,
    doc="Sum over ``axis`` (all axes when None).\n\n>>> import autograd_core as ag\n"
    ">>> ag.sum(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0).numpy()\narray([4., 6.])",
)
max_ = Primitive(
    "max",
    _reduce_forward(np.maximum, np.max, "max"),
    _extreme_vjp,
    real_only=True,
    batchable=True,
    doc="Maximum over ``axis``; tied maxima share the gradient evenly.\n\n"
    ">>> import autograd_core as ag\n>>> ag.max(ag.tensor([1.0, 3.0, 2.0])).item()\n3.0",
)
min_ = Primitive(
    "min",
    _reduce_forward(np.minimum, np.min, "min"),
    _extreme_vjp,
    real_only=True,
    batchable=True,
    doc="Minimum over ``axis``; tied minima share the gradient evenly.\n\n"
    ">>> import autograd_core as ag\n>>> ag.min(ag.tensor([1.0, 3.0, 2.0])).item()\n1.0",
)


def _prod_except_self_forward(x: Any, axis: Any) -> Any:
    # Exclusive products from both sides: exact even when x holds zeros (no division).
    x = np.asarray(x)
    if axis is None:
        flat = x.reshape(-1)
        return _prod_except_self_forward(flat, 0).reshape(x.shape)
    ax = axis % x.ndim
    moved = np.moveaxis(x, ax, -1)
    ones = np.ones(moved.shape[:-1] + (1,), dtype=x.dtype)
    left = np.cumprod(np.concatenate([ones, moved[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, moved[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis(left * right, -1, ax)


def _prod_except_self_vjp(g: Any, ans: Any, x: Any, axis: Any) -> Any:
    # d(prod_{k != i} x_k)/dx_j = prod_{k not in {i, j}} x_k for j != i.
    if np.all((x.data if isinstance(x, Tensor) else x) != 0):
        total = sum_(g * ans, axis=axis, keepdims=True)
        return (total - g * ans) / x  # = ans_i / x_j summed: O(n), exact without zeros
    if axis is None:
        flat = _prod_except_self_vjp(reshape(g, (-1,)), reshape(ans, (-1,)), reshape(x, (-1,)), 0)
        return reshape(flat, x.shape)
    # With zeros, no division: pairs[..., j, i] is x_i with x_j replaced by 1, so its
    # exclusive product at i != j is prod_{k not in {i, j}} x_k (O(n²) along the axis).
    ax = axis % x.ndim
    to_last = tuple(d for d in range(x.ndim) if d != ax) + (ax,)
    eye = np.eye(x.shape[ax], dtype=bool)
    pairs = where(eye, 1, expand_dims(transpose(x, to_last), -2))
    terms = expand_dims(transpose(g, to_last), -2) * _prod_except_self(pairs, -1)
    return transpose(sum_(where(eye, 0, terms), axis=-1), tuple(np.argsort(to_last)))


_prod_except_self = Primitive(
    "prod_except_self",
    _prod_except_self_forward,
    _prod_except_self_vjp,
    doc="Product of all other elements along ``axis`` (for prod's rule).",
)


def _prod_forward(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    axes = normalize_axes(axis, np.ndim(x), "prod")
    if axis is not None and len(axes) != 1:
        raise ValueError(f"prod: axis must be None or a single int, got {axis!r}")
    return np.prod(x, axis=axis, keepdims=keepdims)


prod = Primitive(
    "prod",
    _prod_forward,
    lambda g, ans, x, axis=None, keepdims=False: _keep(g, x, axis, keepdims) * _prod_except_self(x, axis),
    batchable=True,
    doc="Product over ``axis`` (None or one axis); exact gradient with zeros present.\n\n"
    ">>> import autograd_core as ag\n>>> ag.prod(ag.tensor([2.0, 3.0])).item()\n6.0",
)


def _cumsum_forward(x: Any, axis: Any = None) -> Any:
    if axis is not None:
        normalize_axes(axis, np.ndim(x), "cumsum")
    return np.cumsum(x, axis=axis)


def _cumsum_vjp(g: Any, ans: Any, x: Any, axis: Any = None) -> Any:
    if axis is None:
        return reshape(getitem(cumsum(getitem(g, slice(None, None, -1))), slice(None, None, -1)), x.shape)
    ax = axis % x.ndim + g.ndim - ans.ndim  # behind any batch axes of g
    flip = (slice(None),) * ax + (slice(None, None, -1),)
    return getitem(cumsum(getitem(g, flip), axis=ax), flip)


cumsum = Primitive(
    "cumsum",
    _cumsum_forward,
    _cumsum_vjp,
    batchable=lambda x, axis=None: axis is not None,  # flattened: the batch axis would be flattened in
    doc="Cumulative sum along ``axis`` (flattened when None).\n\n>>> import autograd_core as ag\n"
    ">>> ag.cumsum(ag.tensor([1.0, 2.0, 3.0])).numpy()\narray([1., 3., 6.])",
)


def _logsumexp_forward(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    normalize_axes(axis, np.ndim(x), "logsumexp")
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # all -inf (or inf) rows: keep the arithmetic NaN-free
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer for all -inf
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


_logsumexp = Primitive(
    "logsumexp",
    _logsumexp_forward,
    lambda g, ans, x, axis=None, keepdims=False: (
        _keep(g, x, axis, keepdims) * exp(x - _keep(ans, x, axis, keepdims))
    ),
    real_only=True,
    batchable=True,
    doc="log(sum(exp(x))) over ``axis``, computed stably.\n\n>>> import autograd_core as ag\n"
    ">>> float(ag.logsumexp(ag.tensor([1e4, 1e4])).item() - 1e4)  # doctest: +ELLIPSIS\n"
    "0.693...",
)


def _weighted_sum(a: Any, b: Any, axis: Any) -> tuple:
    """sum(b * exp(a - m)) over ``axis`` and the shift m, both with the axes kept."""
    if np.broadcast_shapes(np.shape(a), np.shape(b)) != np.shape(a):
        raise ValueError(f"logsumexp: b of shape {np.shape(b)} does not broadcast to a's shape {np.shape(a)}")
    normalize_axes(axis, np.ndim(a), "logsumexp")
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    return np.sum(b * np.exp(a - m), axis=axis, keepdims=True), m


def _logsumexp_b_forward(
    a: Any, b: Any, axis: Any = None, keepdims: bool = False, signed: bool = False
) -> Any:
    s, m = _weighted_sum(a, b, axis)
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) = -inf; a negative sum is NaN unless signed
        out = np.log(np.abs(s) if signed else s) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _logsumexp_sign_forward(a: Any, b: Any, axis: Any = None, keepdims: bool = False) -> Any:
    sign = np.sign(_weighted_sum(a, b, axis)[0])
    return sign if keepdims else np.squeeze(sign, axis=axis)


_logsumexp_sign = Primitive(
    "logsumexp_sign", _logsumexp_sign_forward, doc="The sign of sum(b * exp(a)) (no gradient)."
)


def _lse_b_share(g: Any, ans: Any, a: Any, b: Any, axis: Any, keepdims: bool) -> Any:
    # d log|s| / ds = 1 / s = sign(s) e**-ans, with s = sum(b e**a); undefined where s = 0
    sign = _logsumexp_sign(a, b, axis=axis, keepdims=True)
    return _keep(g, a, axis, keepdims) * sign * exp(a - _keep(ans, a, axis, keepdims))


_logsumexp_b = Primitive(
    "logsumexp_b",
    _logsumexp_b_forward,
    lambda g, ans, a, b, axis=None, keepdims=False, signed=False: (
        _lse_b_share(g, ans, a, b, axis, keepdims) * b
    ),
    lambda g, ans, a, b, axis=None, keepdims=False, signed=False: _lse_b_share(g, ans, a, b, axis, keepdims),
    batchable=True,
    doc="log|sum(b * exp(a))| over ``axis`` (NaN for a negative sum unless signed=True), stably.",
)


def logsumexp(
    a: Any, axis: Any = None, b: Any = None, keepdims: bool = False, return_sign: bool = False
) -> Any:
    """log(sum(b * exp(a))) over ``axis``, computed stably (``scipy.special.logsumexp``'s signature).

    ``b`` weights each term and is differentiable; with ``return_sign=True`` the result is
    ``(log|sum|, sign of the sum)``, otherwise a negative weighted sum gives NaN, as scipy does.

    >>> import autograd_core as ag
    >>> float(ag.logsumexp(ag.tensor([1e4, 1e4])).item() - 1e4)  # doctest: +ELLIPSIS
    0.693...
    >>> out, sign = ag.logsumexp(ag.tensor([0.0, 0.0]), b=ag.tensor([1.0, -3.0]), return_sign=True)
    >>> round(out.item(), 4), sign.item()
    (0.6931, -1.0)
    """
    if b is None:
        if not return_sign:
            return _logsumexp(a, axis=axis, keepdims=keepdims)
        b = 1.0
    out = _logsumexp_b(a, b, axis=axis, keepdims=keepdims, signed=return_sign)
    if return_sign:
        return out, _logsumexp_sign(a, b, axis=axis, keepdims=keepdims)
    return out


def _from_end(axis: int, ans: Any) -> int:
    """``axis`` counted from the end, so that batch axes in front of g (see batch_shape) leave it in place."""
    return axis % ans.ndim - ans.ndim if ans.ndim else axis


def _softmax_forward(x: Any, axis: int = -1) -> Any:
    normalize_axes(axis, np.ndim(x), "softmax")
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax_forward(x: Any, axis: int = -1) -> Any:
    normalize_axes(axis, np.ndim(x), "log_softmax")  # name this op, not its helper, in errors
    return x - _logsumexp_forward(x, axis=axis, keepdims=True)


softmax = Primitive(
    "softmax",
    _softmax_forward,
    lambda g, ans, x, axis=-1: ans * (g - sum_(g * ans, axis=_from_end(axis, ans), keepdims=True)),
    real_only=True,
    batchable=True,
    doc="exp(x) / sum(exp(x)) along ``axis``, computed stably.\n\n>>> import autograd_core as ag\n"
    ">>> ag.softmax(ag.tensor([0.0, 0.0])).numpy()\narray([0.5, 0.5])",
)
log_softmax = Primitive(
    "log_softmax",
    _log_softmax_forward,
    lambda g, ans, x, axis=-1: g - exp(ans) * sum_(g, axis=_from_end(axis, ans), keepdims=True),
    real_only=True,
    batchable=True,
    doc="x - logsumexp(x) along ``axis``, computed stably.\n\n>>> import autograd_core as ag\n"
    ">>> ag.log_softmax(ag.tensor([0.0, 0.0])).numpy().round(4)\narray([-0.6931, -0.6931])",
)


def _norm_forward(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    normalize_axes(axis, np.ndim(x), "norm")
    squares = x.real * x.real + x.imag * x.imag if np.iscomplexobj(x) else x * x  # |x|², real
    return np.sqrt(np.sum(squares, axis=axis, keepdims=keepdims))


def _norm_vjp(g: Any, ans: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    # x / |x| (complex, inner form: conj(x) / |x|). At the zero vector the subgradient 0 is
    # used (x / 1 == 0 there): no 0/0.
    ans_kept = _keep(ans, x, axis, keepdims)
    return _keep(g, x, axis, keepdims) * (conj(x) / where(ans_kept == 0, 1, ans_kept))


_norm2 = Primitive(
    "norm",
    _norm_forward,
    _norm_vjp,
    batchable=True,
    doc="Euclidean (Frobenius) norm over ``axis``; gradient 0 at the zero vector.",
)


# -- compositions -------------------------------------------------------------------------
def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Arithmetic mean over ``axis``.

    >>> import autograd_core as ag
    >>> ag.mean(ag.tensor([1.0, 2.0, 3.0])).item()
    2.0
    """
    shape = np.shape(x)
    if axis is None:
        count = math.prod(shape)
    else:
        count = math.prod([shape[a] for a in normalize_axes(axis, len(shape), "mean")])
    if count == 0:
        raise ValueError(f"mean: cannot average over an empty axis (shape {shape}, axis {axis})")
    # A Python int divisor keeps float32 as float32. The common whole-array call passes no
    # keywords, so it takes the operators' fast path (the defaults are the same).
    total = sum_(x) if axis is None and not keepdims else sum_(x, axis=axis, keepdims=keepdims)
    return total / count


def var(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom (numpy's default 0); real for complex x.

    >>> import autograd_core as ag
    >>> ag.var(ag.tensor([1.0, 3.0])).item()
    1.0
    """
    shape = np.shape(x)
    count = int(np.prod([shape[a] for a in normalize_axes(axis, len(shape), "var")]))
    if count - ddof <= 0:
        raise ValueError(f"var: {count} elements with ddof={ddof} leave no degrees of freedom")
    d = x - mean(x, axis=axis, keepdims=True)
    return sum_(abs2(d), axis=axis, keepdims=keepdims) / (count - ddof)  # |d|²: real for complex x


def std(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Any:
    """Standard deviation over ``axis`` (sqrt of var); gradient 0 where all elements are equal.

    >>> import autograd_core as ag
    >>> ag.std(ag.tensor([1.0, 3.0])).item()
    1.0
    """
    v = var(x, axis=axis, ddof=ddof, keepdims=keepdims)
    # Kink: where the elements along the axis are all equal (or there is one), var = 0 and
    # sqrt'(0) = inf meets d(var) = 0; the gradient is taken as 0 there (as norm at 0). The
    # double where keeps sqrt away from 0, so no inf * 0 = NaN is ever computed.
    spread = v > 0
    return where(spread, sqrt(where(spread, v, 1)), 0)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """``numpy.linalg.norm``: vector norms over one axis, matrix norms over two (2-D input by default).

    Vector ``ord``: None/2, ±inf, 0 (a count: no gradient), 1 and any other p. Matrix ``ord``:
    None/'fro', 'nuc', ±1, ±2, ±inf (the 2-norms and 'nuc' from singular values). Kinks: a zero
    element, and a norm equal to 0, get gradient 0; tied maxima (±1, ±inf, ±2) share it evenly.

    >>> import autograd_core as ag
    >>> ag.norm(ag.tensor([3.0, 4.0])).item()
    5.0
    >>> ag.norm(ag.tensor([[1.0, -2.0], [3.0, 4.0]]), ord=1).item()  # the largest column sum
    6.0
    """
    nd = np.ndim(x)
    if axis is None:
        if ord is None:
            return _norm2(x, axis=None, keepdims=keepdims)
        if nd not in (1, 2):
            raise ValueError(
                f"norm: ord={ord!r} without axis needs 1-D or 2-D input, got shape {np.shape(x)}"
            )
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = (operator.index(axis),)
        except TypeError:
            raise TypeError(f"norm: axis must be an int or a tuple of ints, got {axis!r}") from None
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(f"norm: axis must name one or two axes, got {axis!r}")


implements(np.linalg.norm)(norm)


def _zero_at_zero(out: Any) -> Any:
    """The kink convention of every norm: gradient 0 where the norm is 0 (its value unchanged)."""
    data = out.data if isinstance(out, Tensor) else np.asarray(out)
    zero = data == 0
    return where(zero, 0, out) if np.any(zero) else out


def _vector_norm(x: Any, ord: Any, axis: int, keepdims: bool) -> Any:
    from .arithmetic import not_equal
    from .elementwise import abs_
    from .shape import astype

    normalize_axes(axis, np.ndim(x), "norm")
    if ord is None or (not isinstance(ord, str) and ord == 2):
        return _norm2(x, axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors (only for matrices: 'fro', 'nuc')")
    if ord == np.inf:
        return _zero_at_zero(max_(abs_(x), axis=axis, keepdims=keepdims))
    if ord == -np.inf:
        return _zero_at_zero(min_(abs_(x), axis=axis, keepdims=keepdims))
    if ord == 0:  # the number of nonzero entries: piecewise constant, so no gradient
        dtype = np.asarray(x.data if isinstance(x, Tensor) else x).real.dtype
        return sum_(astype(not_equal(x, 0), dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return sum_(abs_(x), axis=axis, keepdims=keepdims)
    p = float(ord)
    a = abs_(x)
    zero = (a.data if isinstance(a, Tensor) else a) == 0
    # (sum |x|^p)^(1/p), as numpy computes it; zero elements take no part in the gradient (the
    # "double where" keeps 0^(p-1) off the tape) and contribute 0 (p > 0) or make the sum inf (p < 0).
    terms = where(zero, 0.0 if p > 0 else np.inf, where(zero, 1.0, a) ** p)
    s = sum_(terms, axis=axis, keepdims=keepdims)
    sd = s.data if isinstance(s, Tensor) else np.asarray(s)
    edge = (sd == 0) | np.isinf(sd)
    with np.errstate(divide="ignore", over="ignore"):
        edge_value = np.power(sd, 1 / p)
    return where(edge, edge_value, where(edge, 1.0, s) ** (1 / p))


def _matrix_norm(x: Any, ord: Any, axis: tuple, keepdims: bool) -> Any:
    from .decompositions import _svdvals
    from .elementwise import abs_

    nd = np.ndim(x)
    row, col = normalize_axes(axis[0], nd, "norm")[0], normalize_axes(axis[1], nd, "norm")[0]
    if row == col:
        raise ValueError(f"norm: duplicate axes given: {axis!r}")
    if ord is None or ord == "fro":
        out = _norm2(x, axis=(row, col), keepdims=False)
    elif ord in ("nuc", 2, -2):
        order = [d for d in range(nd) if d not in (row, col)] + [row, col]
        s = _svdvals(transpose(x, tuple(order)))
        pick = {"nuc": sum_, 2: max_, -2: min_}[ord]
        out = _zero_at_zero(pick(s, axis=-1))
    elif not isinstance(ord, str) and ord in (1, -1, np.inf, -np.inf):
        # 1: the largest column sum (sum over rows), inf: the largest row sum (sum over columns)
        summed, other = (row, col) if ord in (1, -1) else (col, row)
        pick = max_ if ord > 0 else min_
        out = pick(sum_(abs_(x), axis=summed), axis=other - (other > summed))
    else:
        raise ValueError(f"norm: invalid norm order {ord!r} for matrices")
    if keepdims:
        shape = list(np.shape(x))
        shape[row] = shape[col] = 1
        out = reshape(out, tuple(shape))
    return out


# Non-differentiable.
argmax = Primitive(
    "argmax",
    lambda x, axis=None, keepdims=False: np.argmax(x, axis=axis, keepdims=keepdims),
    doc="Index of the maximum (no gradient).\n\n>>> import autograd_core as ag\n"
    ">>> int(ag.argmax(ag.tensor([1.0, 3.0, 2.0])).item())\n1",
)
argmin = Primitive(
    "argmin",
    lambda x, axis=None, keepdims=False: np.argmin(x, axis=axis, keepdims=keepdims),
    doc="Index of the minimum (no gradient).\n\n>>> import autograd_core as ag\n"
    ">>> int(ag.argmin(ag.tensor([1.0, 3.0, 2.0])).item())\n0",
)


def _one_hot_forward(labels: Any, num_classes: int, dtype: Any = np.float64) -> Any:
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind == "f" and labels.size and np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        else:
            raise TypeError(f"one_hot: labels must be integers, got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"one_hot: labels must lie in [0, {num_classes}), got values from {labels.min()} to {labels.max()}"
        )
    return (labels[..., None] == np.arange(num_classes)).astype(dtype)


one_hot = Primitive(
    "one_hot",
    _one_hot_forward,
    doc="One-hot encode integer labels into ``num_classes`` columns (no gradient).\n\n"
    ">>> import autograd_core as ag\n>>> ag.one_hot(ag.tensor([1]), 3).numpy()\narray([[0., 1., 0.]])",
)
