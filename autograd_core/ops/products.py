"""Products: cross, inner, tensordot, kron, dot of N-D operands, and the running product cumprod.

All but cumprod are compositions of matmul, reshape, transpose and elementwise products, laid
out as numpy lays them out (so values match numpy's). cumprod is a primitive: its rule divides
by x only when x has no zeros, and otherwise uses exclusive products (exact at zeros).

>>> import autograd_core as ag
>>> a = ag.tensor([1.0, 0.0, 0.0], requires_grad=True)
>>> ag.cross(a, ag.tensor([0.0, 1.0, 0.0])).numpy()
array([0., 0., 1.])
>>> x = ag.tensor([2.0, 0.0, 3.0], requires_grad=True)
>>> ag.cumprod(x).sum().backward()       # d/dx0 (x0 + x0 x1 + x0 x1 x2) = 1 + x1 + x1 x2
>>> x.grad.numpy()
array([1., 8., 0.])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._dispatch import UnsupportedArgumentError, implements
from .._primitive import Primitive
from .._tensor import Tensor
from ._helpers import normalize_axes
from .arithmetic import where
from .linalg import matmul
from .reductions import cumsum, sum_
from .shape import astype, expand_dims, getitem, reshape, stack, transpose


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


# -- cumprod: the sheet ------------------------------------------------------------------------
def _reverse_cumsum(x: Any, axis: int) -> Any:
    flip = (slice(None),) * axis + (slice(None, None, -1),)
    return getitem(cumsum(getitem(x, flip), axis=axis), flip)


def _cumprod_vjp(g: Any, ans: Any, x: Any, axis: int) -> Any:
    # d ans_i / d x_j = prod_{k <= i, k != j} x_k for j <= i. Without zeros that is ans_i / x_j.
    axis %= x.ndim
    if np.all(_raw(x) != 0):
        return _reverse_cumsum(g * ans, axis) / x
    # With zeros: row j of ``pairs`` is x with x_j replaced by 1, whose running product at i >= j
    # is exactly that derivative (O(n^2) along the axis; the recursion keeps higher orders exact).
    to_last = tuple(d for d in range(x.ndim) if d != axis) + (axis,)
    n = x.shape[axis]
    pairs = where(np.eye(n, dtype=bool), 1, expand_dims(transpose(x, to_last), -2))
    below = np.triu(np.ones((n, n), dtype=bool))  # [j, i]: i >= j
    terms = where(below, expand_dims(transpose(g, to_last), -2) * _cumprod(pairs, -1), 0)
    return transpose(sum_(terms, axis=-1), tuple(np.argsort(to_last)))


def _cumprod_forward(x: Any, axis: int) -> Any:
    return np.cumprod(x, axis=axis)


_cumprod = Primitive("cumprod", _cumprod_forward, _cumprod_vjp, doc="Running product along one axis.")


@implements(np.cumprod)
def cumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Running product along ``axis`` (the flattened array when None); exact gradient at zeros."""
    if out is not None:
        raise UnsupportedArgumentError("cumprod: out= is not supported on Tensors; use the returned value")
    if dtype is not None:
        a = astype(a, np.dtype(dtype))
    if axis is None:
        return _cumprod(reshape(a, (-1,)), 0)
    return _cumprod(a, normalize_axes(axis, np.ndim(a), "cumprod")[0])


# -- compositions --------------------------------------------------------------------------------
def _contraction_axes(axes: Any) -> tuple:
    if isinstance(axes, (int, np.integer)):
        return list(range(-int(axes), 0)), list(range(int(axes)))
    axes_a, axes_b = axes
    as_list = lambda v: [int(v)] if isinstance(v, (int, np.integer)) else [int(i) for i in v]
    return as_list(axes_a), as_list(axes_b)


@implements(np.tensordot)
def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum of products over ``axes`` of a and b (an int: a's last and b's first that many)."""
    axes_a, axes_b = _contraction_axes(axes)
    sa, sb = np.shape(a), np.shape(b)
    axes_a = [x % len(sa) if x < 0 else x for x in axes_a] if sa else axes_a
    axes_b = [x % len(sb) if x < 0 else x for x in axes_b] if sb else axes_b
    try:
        fits = len(axes_a) == len(axes_b) and all(sa[i] == sb[j] for i, j in zip(axes_a, axes_b))
    except IndexError:
        fits = False
    if not fits:
        raise ValueError(
            f"tensordot: shape-mismatch for sum: shapes {sa} and {sb} along axes {axes_a}, {axes_b}"
        )
    free_a = [k for k in range(len(sa)) if k not in axes_a]
    free_b = [k for k in range(len(sb)) if k not in axes_b]
    inner = math.prod(sa[i] for i in axes_a)
    at = reshape(transpose(a, tuple(free_a + axes_a)), (math.prod(sa[i] for i in free_a), inner))
    bt = reshape(transpose(b, tuple(axes_b + free_b)), (inner, math.prod(sb[i] for i in free_b)))
    return reshape(matmul(at, bt), tuple(sa[i] for i in free_a) + tuple(sb[i] for i in free_b))


@implements(np.inner)
def inner(a: Any, b: Any) -> Any:
    """Sum of products over the last axes of a and b (a * b for scalars)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b
    return tensordot(a, b, ([-1], [-1]))


def dot_nd(a: Any, b: Any) -> Any:
    """``numpy.dot`` of N-D operands: sum over a's last axis and b's second-to-last."""
    inner_b = -2 if np.ndim(b) > 1 else -1
    if np.shape(a)[-1] != np.shape(b)[inner_b]:
        raise ValueError(
            f"dot: shapes {np.shape(a)} and {np.shape(b)} not aligned: "
            f"{np.shape(a)[-1]} (dim {np.ndim(a) - 1}) != {np.shape(b)[inner_b]} (dim {np.ndim(b) + inner_b})"
        )
    return tensordot(a, b, ([-1], [inner_b]))


@implements(np.kron)
def kron(a: Any, b: Any) -> Any:
    """Kronecker product: blocks a[i, j] * b, for operands of any number of dimensions."""
    nd = max(np.ndim(a), np.ndim(b))
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b
    sa = (1,) * (nd - np.ndim(a)) + np.shape(a)
    sb = (1,) * (nd - np.ndim(b)) + np.shape(b)
    spread_a = reshape(a, tuple(v for s in sa for v in (s, 1)))
    spread_b = reshape(b, tuple(v for s in sb for v in (1, s)))
    return reshape(spread_a * spread_b, tuple(x * y for x, y in zip(sa, sb)))


@implements(np.cross)
def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None) -> Any:
    """Cross product of 3-vectors (or 2-vectors, numpy's z-component) along the given axes."""
    from .arrays import moveaxis

    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    na, nb = np.shape(a)[-1], np.shape(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError(f"cross: vectors must have 2 or 3 components, got {na} and {nb}")
    a0, a1, b0, b1 = (getitem(v, (Ellipsis, i)) for v in (a, b) for i in (0, 1))
    z = a0 * b1 - a1 * b0
    if na == 2 and nb == 2:
        return z
    if na == 2:  # numpy's arithmetic for a missing z-component, term by term
        b2 = getitem(b, (Ellipsis, 2))
        c = stack([a1 * b2, -(a0 * b2), z], axis=-1)
    elif nb == 2:
        a2 = getitem(a, (Ellipsis, 2))
        c = stack([-(a2 * b1), a2 * b0, z], axis=-1)
    else:
        a2, b2 = getitem(a, (Ellipsis, 2)), getitem(b, (Ellipsis, 2))
        c = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, z], axis=-1)
    return moveaxis(c, -1, axisc)
