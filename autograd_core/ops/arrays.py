"""numpy's array manipulation: shapes, stacking, splitting, sorting, differences, constructors.

Everything differentiable here is a composition of the shape primitives (reshape, transpose,
getitem, take, gather, concatenate, broadcast_to, where), so each gradient is the adjoint
shape move; no new derivative rule. Conventions: ``sort``/``partition`` route each gradient
to the element the stable argsort placed there (tied values: each keeps its own); ``amax``/
``amin`` split ties evenly, as ``max``. Constructors return Tensors that need no grad.

>>> import autograd_core as ag
>>> x = ag.tensor([3.0, 1.0, 2.0], requires_grad=True)
>>> (ag.sort(x) * ag.tensor([1.0, 10.0, 100.0])).sum().backward()
>>> x.grad.numpy()          # 3.0 landed last, 1.0 first
array([100.,   1.,  10.])
>>> ag.vstack([x, ag.flip(x)]).shape, ag.diff(x).numpy()
((2, 3), array([-2.,  1.]))
"""

from __future__ import annotations

import operator
from typing import Any, List, Sequence

import numpy as np

from .._dispatch import UnsupportedArgumentError, implements
from .._primitive import Primitive
from .._tensor import Tensor
from ._helpers import normalize_axes
from .arithmetic import maximum, minimum, not_equal, where
from .reductions import max_, min_, sum_
from .shape import (
    astype,
    broadcast_to,
    concatenate,
    expand_dims,
    gather,
    getitem,
    reshape,
    scatter,
    split,
    take,
    transpose,
)

_NOVALUE: Any = np._NoValue  # numpy's own "argument not given" marker, so dispatched calls match


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _axis(axis: Any, ndim: int, op: str) -> int:
    return normalize_axes(operator.index(axis), ndim, op)[0]


def _on_axis(axis: int, s: slice) -> tuple:
    """An index applying slice ``s`` to ``axis`` only."""
    return (slice(None),) * axis + (s,)


# -- non-differentiable primitives: outputs never require grad ---------------------------------
argsort = Primitive("argsort", np.argsort, doc="Indices that sort ``a`` along ``axis`` (no gradient).")
argpartition = Primitive("argpartition", np.argpartition, doc="Indices that partition ``a`` (no gradient).")
searchsorted = Primitive(
    "searchsorted", np.searchsorted, doc="Insertion indices into sorted ``a`` (no gradient)."
)
_nonzero = Primitive(
    "nonzero", lambda a: np.array(np.nonzero(a)), doc="Indices of nonzero elements, stacked."
)
_unique = Primitive(
    "unique",
    lambda ar, axis=None, equal_nan=True: np.unique(ar, axis=axis, equal_nan=equal_nan),
    doc="Sorted unique values (no gradient).",
)
_unique_part = Primitive(
    "unique_part",
    lambda ar, part, axis=None, equal_nan=True: np.unique(ar, True, True, True, axis, equal_nan=equal_nan)[
        part
    ],
    doc="numpy.unique's index (part 1), inverse (2) or counts (3) (no gradient).",
)
implements(np.argsort)(argsort)
implements(np.argpartition)(argpartition)
implements(np.searchsorted)(searchsorted)


@implements(np.nonzero)
def nonzero(a: Any) -> tuple:
    """Indices of the nonzero elements, one index array per axis (no gradient)."""
    stacked = _nonzero(a)
    return tuple(stacked[i] for i in range(len(stacked)))


@implements(np.unique)
def unique(
    ar: Any,
    return_index: bool = False,
    return_inverse: bool = False,
    return_counts: bool = False,
    axis: Any = None,
    *,
    equal_nan: bool = True,
    sorted: bool = True,
) -> Any:
    """Sorted unique values, and optionally numpy's index, inverse and counts (no gradient)."""
    values = _unique(ar, axis=axis, equal_nan=equal_nan)
    if not (return_index or return_inverse or return_counts):
        return values
    wanted = [part for part, flag in ((1, return_index), (2, return_inverse), (3, return_counts)) if flag]
    return (values, *[_unique_part(ar, part, axis=axis, equal_nan=equal_nan) for part in wanted])


# -- constructors: Tensors that need no grad (``full`` and ``linspace`` take Tensor values) ----
def _constructor(np_fn: Any, name: str, like: bool = False):
    def make(*args: Any, **kwargs: Any) -> Tensor:
        if like and args:
            args = (_raw(args[0]), *args[1:])
        return Tensor(np_fn(*args, **kwargs))

    make.__name__ = name
    make.__doc__ = f"``numpy.{name}`` as a Tensor that needs no grad."
    return make


zeros, ones, empty, eye, identity, arange = (
    _constructor(getattr(np, n), n) for n in ("zeros", "ones", "empty", "eye", "identity", "arange")
)
zeros_like, ones_like, empty_like = (  # numpy's names dispatch through ops._numpy_api
    _constructor(getattr(np, n), n, like=True) for n in ("zeros_like", "ones_like", "empty_like")
)


def full(shape: Any, fill_value: Any, dtype: Any = None, order: str = "C") -> Tensor:
    """``numpy.full``; a Tensor ``fill_value`` stays on the tape (the gradient sums over copies)."""
    if not isinstance(fill_value, Tensor):
        return Tensor(np.full(shape, fill_value, dtype=dtype, order=order))
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    out = broadcast_to(fill_value, shape) * 1  # * 1: a fresh array even when no broadcast is needed
    return out if dtype is None else astype(out, np.dtype(dtype))


@implements(np.full_like)
def full_like(
    a: Any, fill_value: Any, dtype: Any = None, order: str = "K", subok: bool = True, shape: Any = None
) -> Any:
    """``numpy.full_like``; a Tensor ``fill_value`` stays on the tape."""
    if not isinstance(fill_value, Tensor):
        return Tensor(np.full_like(_raw(a), fill_value, dtype=dtype, order=order, subok=subok, shape=shape))
    return full(np.shape(a) if shape is None else shape, fill_value, dtype=dtype or np.result_type(_raw(a)))


@implements(np.linspace)
def linspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: Any = None,
    axis: int = 0,
) -> Any:
    """``numpy.linspace``, differentiable in ``start`` and ``stop`` (numpy's own arithmetic, step by step)."""
    if not (isinstance(start, Tensor) or isinstance(stop, Tensor)):
        out = np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
        return (Tensor(out[0]), out[1]) if retstep else Tensor(out)
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"linspace: number of samples, {num}, must be non-negative")
    div = (num - 1) if endpoint else num
    dt = np.result_type(_raw(start), _raw(stop), 1.0)
    start, stop = (v if isinstance(v, Tensor) else np.asarray(v, dtype=dt) for v in (start, stop))
    delta = stop - start
    y = np.arange(0, num, dtype=dt).reshape((-1,) + (1,) * np.ndim(delta))
    if div > 0:
        step = delta / div
        y = (y / div) * delta if np.any(_raw(step) == 0) else y * step  # numpy's denormal branch
    else:
        step, y = np.nan, y * delta
    y = y + start
    if endpoint and num > 1:
        last = broadcast_to(
            stop if np.result_type(_raw(stop)) == y.dtype else astype(stop, y.dtype), y.shape[1:]
        )
        y = concatenate([getitem(y, slice(None, -1)), expand_dims(last, 0)])
    if axis != 0:
        y = moveaxis(y, 0, axis)
    if dtype is not None:
        dtype = np.dtype(dtype)
        y = astype(np.floor(_raw(y)), dtype) if dtype.kind in "iu" else astype(y, dtype)
    return (y, step) if retstep else y


# -- axes ---------------------------------------------------------------------------------------
@implements(np.moveaxis)
def moveaxis(a: Any, source: Any, destination: Any) -> Any:
    """Move axes ``source`` to positions ``destination``; the others keep their order."""
    ndim = np.ndim(a)
    src = [_axis(s, ndim, "moveaxis") for s in np.atleast_1d(source).tolist()]
    dst = [_axis(d, ndim, "moveaxis") for d in np.atleast_1d(destination).tolist()]
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source {source!r} and destination {destination!r} differ in length")
    order = [n for n in range(ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, tuple(order))


@implements(np.rollaxis)
def rollaxis(a: Any, axis: int, start: int = 0) -> Any:
    """Roll ``axis`` backwards until it lies at position ``start`` (numpy's older moveaxis)."""
    n = np.ndim(a)
    axis = _axis(axis, n, "rollaxis")
    start = start + n if start < 0 else start
    if not 0 <= start < n + 1:
        raise ValueError(f"rollaxis: start {start} must lie in [{-n}, {n}] for {n} dimensions")
    start = start - 1 if axis < start else start
    axes = [i for i in range(n) if i != axis]
    axes.insert(start, axis)
    return transpose(a, tuple(axes))


@implements(np.ravel)
def ravel(a: Any, order: str = "C") -> Any:
    """Flatten to 1-D in ``order`` 'C' (rows first) or 'F' (columns first)."""
    if order == "F":
        return reshape(transpose(a), (-1,))
    if order not in ("C", "A", "K"):
        raise ValueError(f"ravel: order must be 'C', 'F', 'A' or 'K', got {order!r}")
    raw = np.asarray(_raw(a))
    if order == "C" or raw.ndim < 2 or raw.flags.c_contiguous:
        return reshape(a, (-1,))
    if raw.flags.f_contiguous:
        return reshape(transpose(a), (-1,))  # 'A' and 'K' follow the memory layout
    if order == "A":
        return reshape(a, (-1,))
    raise UnsupportedArgumentError(
        f"ravel: order='K' of a non-contiguous array (strides {raw.strides}) is not supported; use 'C' or 'F'"
    )


def _at_least(x: Any, n: int) -> Any:
    shape = np.shape(x)
    if len(shape) >= n:
        return x if isinstance(x, Tensor) else np.asarray(x)
    new = {0: (1,) * n, 1: {1: shape, 2: (1,) + shape, 3: (1,) + shape + (1,)}[n], 2: shape + (1,)}[
        len(shape)
    ]
    return reshape(x, new)


def _atleast(n: int):
    def at_least(*arys: Any) -> Any:
        out = tuple(_at_least(a, n) for a in arys)
        return out[0] if len(out) == 1 else out

    at_least.__name__ = f"atleast_{n}d"
    at_least.__doc__ = f"Each input viewed with at least {n} dimensions (numpy's placement of new axes)."
    return at_least


atleast_1d = implements(np.atleast_1d)(_atleast(1))
atleast_2d = implements(np.atleast_2d)(_atleast(2))
atleast_3d = implements(np.atleast_3d)(_atleast(3))


# -- reordering -----------------------------------------------------------------------------------
@implements(np.flip)
def flip(m: Any, axis: Any = None) -> Any:
    """Reverse the order of elements along ``axis`` (all axes when None)."""
    axes = normalize_axes(axis, np.ndim(m), "flip")
    return getitem(m, tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(np.ndim(m))))


@implements(np.fliplr)
def fliplr(m: Any) -> Any:
    """Reverse columns (axis 1); needs 2 or more dimensions."""
    if np.ndim(m) < 2:
        raise ValueError(f"fliplr: input must have at least 2 dimensions, got shape {np.shape(m)}")
    return flip(m, 1)


@implements(np.flipud)
def flipud(m: Any) -> Any:
    """Reverse rows (axis 0); needs 1 or more dimensions."""
    if np.ndim(m) < 1:
        raise ValueError("flipud: input must have at least 1 dimension, got a 0-d array")
    return flip(m, 0)


@implements(np.rot90)
def rot90(m: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> Any:
    """Rotate by 90 degrees ``k`` times in the plane of ``axes`` (from the first axis towards the second)."""
    axes, ndim = tuple(axes), np.ndim(m)
    if len(axes) != 2 or axes[0] == axes[1] or abs(axes[0] - axes[1]) == ndim:
        raise ValueError(f"rot90: axes must be two different axes, got {axes!r} for {ndim} dimensions")
    a0, a1 = (_axis(a, ndim, "rot90") for a in axes)
    k %= 4
    if k == 0:
        return getitem(m, ...)
    if k == 2:
        return flip(flip(m, a0), a1)
    perm = list(range(ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    return transpose(flip(m, a1), tuple(perm)) if k == 1 else flip(transpose(m, tuple(perm)), a1)


@implements(np.roll)
def roll(a: Any, shift: Any, axis: Any = None) -> Any:
    """Shift elements cyclically by ``shift`` along ``axis`` (the flattened array when None)."""
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), np.shape(a))
    ndim = np.ndim(a)
    pairs = np.broadcast(np.asarray(shift), np.asarray(axis))
    if pairs.ndim > 1:
        raise ValueError("roll: 'shift' and 'axis' should be scalars or 1-D sequences")
    shifts = dict.fromkeys(range(ndim), 0)
    for sh, ax in pairs:
        shifts[_axis(ax, ndim, "roll")] += int(sh)
    for ax, sh in shifts.items():
        n = np.shape(a)[ax]
        if sh % max(n, 1):
            a = take(a, (np.arange(n) - sh) % n, axis=ax)
    return a


@implements(np.sort)
def sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None) -> Any:
    """Sorted copy along ``axis`` (flattened when None); tied values each keep their own gradient."""
    if order is not None:
        raise UnsupportedArgumentError("sort: 'order' (structured arrays) is not supported on Tensors")
    if axis is None:
        a, axis = ravel(a), -1
    return gather(a, argsort(a, axis=axis, kind="stable"), axis)  # the op, not np.argsort: compile replays it


@implements(np.partition)
def partition(a: Any, kth: Any, axis: Any = -1, kind: str = "introselect", order: Any = None) -> Any:
    """numpy's partition (kth element in place, smaller before, larger after); gradients follow the elements."""
    if order is not None:
        raise UnsupportedArgumentError("partition: 'order' (structured arrays) is not supported on Tensors")
    if axis is None:
        a, axis = ravel(a), -1
    return gather(a, argpartition(a, kth, axis=axis, kind=kind), axis)


# -- repetition -----------------------------------------------------------------------------------
@implements(np.tile)
def tile(A: Any, reps: Any) -> Any:
    """``A`` repeated ``reps`` times along each axis; the gradient sums over the copies."""
    reps = tuple(reps) if np.iterable(reps) else (reps,)
    shape = (1,) * max(0, len(reps) - np.ndim(A)) + np.shape(A)
    reps = (1,) * (len(shape) - len(reps)) + tuple(int(r) for r in reps)
    spread = reshape(A, tuple(v for s in shape for v in (1, s)))
    tiled = broadcast_to(spread, tuple(v for r, s in zip(reps, shape) for v in (r, s)))
    return reshape(tiled, tuple(r * s for r, s in zip(reps, shape)))


@implements(np.repeat)
def repeat(a: Any, repeats: Any, axis: Any = None) -> Any:
    """Each element repeated ``repeats`` times along ``axis`` (the flattened array when None)."""
    if axis is None:
        a, axis = ravel(a), 0
    ax = _axis(axis, np.ndim(a), "repeat")
    return take(a, np.repeat(np.arange(np.shape(a)[ax]), _raw(repeats)), axis=ax)


# -- joining and splitting ----------------------------------------------------------------------
def _cast(out: Any, dtype: Any) -> Any:
    if dtype is None or np.result_type(_raw(out)) == np.dtype(dtype):
        return out
    return astype(out, np.dtype(dtype))


@implements(np.append)
def append(arr: Any, values: Any, axis: Any = None) -> Any:
    """``values`` appended to ``arr`` along ``axis`` (both flattened when None)."""
    if axis is None:
        arr = arr if np.ndim(arr) == 1 else ravel(arr)
        values, axis = ravel(values), np.ndim(arr) - 1
    return concatenate([arr, values], axis=axis)


@implements(np.hstack)
def hstack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """Join along axis 1 (axis 0 for 1-D inputs)."""
    arrs = [_at_least(t, 1) for t in tup]
    return _cast(concatenate(arrs, axis=0 if arrs and np.ndim(arrs[0]) == 1 else 1), dtype)


@implements(np.vstack)
def vstack(tup: Sequence[Any], *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """Join along axis 0, 1-D inputs as rows."""
    return _cast(concatenate([_at_least(t, 2) for t in tup], axis=0), dtype)


row_stack = implements(np.row_stack)(vstack)  # numpy's deprecated alias


@implements(np.dstack)
def dstack(tup: Sequence[Any]) -> Any:
    """Join along axis 2, inputs first given at least 3 dimensions."""
    return concatenate([_at_least(t, 3) for t in tup], axis=2)


@implements(np.column_stack)
def column_stack(tup: Sequence[Any]) -> Any:
    """Join 1-D inputs as columns (2-D inputs as they are) along axis 1."""
    return concatenate([reshape(t, (-1, 1)) if np.ndim(t) < 2 else t for t in tup], axis=1)


@implements(np.array_split)
def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> List[Any]:
    """Split into pieces along ``axis``; unlike ``split``, sections need not divide the length."""
    ax = _axis(axis, np.ndim(ary), "array_split")
    n = np.shape(ary)[ax]
    if np.iterable(indices_or_sections):
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    else:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"array_split: the number of sections must be larger than 0, got {sections}")
        each, extras = divmod(n, sections)
        bounds = np.cumsum([0] + extras * [each + 1] + (sections - extras) * [each]).tolist()
    return [getitem(ary, _on_axis(ax, slice(lo, hi))) for lo, hi in zip(bounds[:-1], bounds[1:])]


def _split_along(name: str, axis_of: Any, min_ndim: int):
    def split_on(ary: Any, indices_or_sections: Any) -> List[Any]:
        if np.ndim(ary) < min_ndim:
            raise ValueError(f"{name}: needs at least {min_ndim} dimensions, got shape {np.shape(ary)}")
        return split(ary, indices_or_sections, axis=axis_of(np.ndim(ary)))

    split_on.__name__ = name
    split_on.__doc__ = f"``numpy.{name}``: ``split`` along axis {axis_of(3)} (equal sections or indices)."
    return split_on


hsplit = implements(np.hsplit)(_split_along("hsplit", lambda nd: 1 if nd > 1 else 0, 1))
vsplit = implements(np.vsplit)(_split_along("vsplit", lambda nd: 0, 2))
dsplit = implements(np.dsplit)(_split_along("dsplit", lambda nd: 2, 3))


class _Concatenator:
    """numpy's ``r_``/``c_``: ``ag.r_[x, 0.0, 1:3]`` concatenates Tensors, scalars and ranges."""

    def __init__(self, axis: int, ndmin: int, trans1d: int, numpy_object: Any) -> None:
        self.axis, self.ndmin, self.trans1d, self._np = axis, ndmin, trans1d, numpy_object

    def __getitem__(self, key: Any) -> Any:
        key = key if isinstance(key, tuple) else (key,)
        if not any(isinstance(k, Tensor) for k in key):
            return Tensor(self._np[key])
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        if isinstance(key[0], str):  # 'axis[,ndmin[,trans1d]]'; numpy's 'r'/'c' matrix modes are not
            try:
                spec = [int(v) for v in key[0].split(",")]
            except ValueError:
                raise ValueError(
                    f"r_/c_: directive {key[0]!r} is not supported with Tensors; use 'axis,ndmin,trans1d'"
                ) from None
            axis, ndmin, trans1d = (spec + [ndmin, trans1d][len(spec) - 1 :])[:3]
            key = key[1:]
        pieces = []
        for item in key:
            if isinstance(item, slice):
                item = self._np[item]  # a constant range, numpy's own
            elif not isinstance(item, Tensor):
                item = np.asarray(item)
            pieces.append(self._promote(item, ndmin, trans1d))
        return concatenate(pieces, axis=axis)

    @staticmethod
    def _promote(item: Any, ndmin: int, trans1d: int) -> Any:
        nd = np.ndim(item)
        if nd >= ndmin:
            return item
        out = reshape(item, (1,) * (ndmin - nd) + np.shape(item))
        if trans1d != -1 and nd > 0:
            k1 = trans1d + (ndmin - nd) + 1 if trans1d < 0 else trans1d
            axes = list(range(ndmin))
            out = transpose(out, tuple(axes[:k1] + axes[ndmin - nd :] + axes[k1 : ndmin - nd]))
        return out


r_ = _Concatenator(0, 1, -1, np.r_)
c_ = _Concatenator(-1, 2, 0, np.c_)


# -- selection, differences ------------------------------------------------------------------------
@implements(np.select)
def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Any:
    """The choice of the first true condition, elementwise (``default`` where none holds)."""
    conds = [c if isinstance(c, Tensor) else np.asarray(c) for c in condlist]
    if len(conds) != len(choicelist):
        raise ValueError(f"select: {len(conds)} conditions but {len(choicelist)} choices")
    if len(conds) == 0:
        raise ValueError("select: an empty condition list is not possible")
    for i, c in enumerate(conds):
        if np.result_type(_raw(c)).kind != "b":
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean, got dtype {c.dtype}")
    out = default
    for cond, choice in zip(reversed(conds), reversed(list(choicelist))):
        out = where(cond, choice, out)
    return out


@implements(np.diff)
def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = _NOVALUE, append: Any = _NOVALUE) -> Any:
    """The ``n``-th forward difference a[i+1] - a[i] along ``axis``."""
    if n < 0:
        raise ValueError(f"diff: order must be non-negative, got {n}")
    if n == 0:
        return a
    nd = np.ndim(a)
    if nd == 0:
        raise ValueError("diff: requires input that is at least one dimensional")
    ax = _axis(axis, nd, "diff")
    edge = list(np.shape(a))
    edge[ax] = 1
    parts = [
        p if np.ndim(p) else broadcast_to(p, tuple(edge)) for p in (prepend, a, append) if p is not _NOVALUE
    ]
    if len(parts) > 1:
        a = concatenate(parts, axis=ax)
    hi, lo = _on_axis(ax, slice(1, None)), _on_axis(ax, slice(None, -1))
    is_bool = np.result_type(_raw(a)).kind == "b"
    for _ in range(n):
        a = not_equal(getitem(a, hi), getitem(a, lo)) if is_bool else getitem(a, hi) - getitem(a, lo)
    return a


def _spacings(varargs: tuple, f_shape: tuple, axes: tuple) -> list:
    if not varargs:
        return [1.0] * len(axes)
    if len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        return [varargs[0]] * len(axes)
    if len(varargs) != len(axes):
        raise TypeError(f"gradient: {len(varargs)} spacings given for {len(axes)} axes")
    out = []
    for d, ax in zip(varargs, axes):
        d = np.asarray(d)
        if d.ndim == 0:
            out.append(d)
            continue
        if d.ndim != 1 or len(d) != f_shape[ax]:
            raise ValueError(f"gradient: coordinates of length {len(d)} do not match axis {ax} of {f_shape}")
        step = np.diff(d.astype(np.float64) if d.dtype.kind in "iu" else d)
        out.append(step[0] if np.ptp(step) == 0 else step)  # uniform coordinates: one spacing
    return out


@implements(np.gradient)
def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """Central differences inside, one-sided (order 1 or 2) at the edges: numpy's formulas."""
    shape = np.shape(f)
    axes = range(len(shape)) if axis is None else np.atleast_1d(axis).tolist()
    axes = tuple(_axis(a, len(shape), "gradient") for a in axes)  # the caller's order
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: edge_order must be 1 or 2, got {edge_order}")
    if np.result_type(_raw(f)).kind not in "fc":
        f = astype(f, np.float64)
    dtype = np.result_type(_raw(f))  # numpy writes into an array of f's dtype: float64 spacings do not upcast
    outs = [
        _cast(_gradient_along(f, ax, dx, edge_order), dtype)
        for ax, dx in zip(axes, _spacings(varargs, shape, axes))
    ]
    return outs[0] if len(outs) == 1 else tuple(outs)


def _gradient_along(f: Any, ax: int, dx: Any, edge_order: int) -> Any:
    n, nd = np.shape(f)[ax], np.ndim(f)
    if n < edge_order + 1:
        raise ValueError(
            f"gradient: shape {np.shape(f)} too small along axis {ax}: at least {edge_order + 1} elements needed"
        )

    def at(lo: Any, hi: Any) -> Any:
        return getitem(f, _on_axis(ax, slice(lo, hi)))

    uniform = np.ndim(dx) == 0
    if uniform:
        inner = (at(2, None) - at(None, -2)) / (2.0 * dx)
    else:
        d1, d2 = (v.reshape((-1,) + (1,) * (nd - ax - 1)) for v in (dx[:-1], dx[1:]))
        a, b, c = -d2 / (d1 * (d1 + d2)), (d2 - d1) / (d1 * d2), d1 / (d2 * (d1 + d2))
        inner = a * at(None, -2) + b * at(1, -1) + c * at(2, None)
    if edge_order == 1:
        first = (at(1, 2) - at(0, 1)) / (dx if uniform else dx[0])
        last = (at(-1, None) - at(-2, -1)) / (dx if uniform else dx[-1])
    elif uniform:
        first = (-1.5 / dx) * at(0, 1) + (2.0 / dx) * at(1, 2) + (-0.5 / dx) * at(2, 3)
        last = (0.5 / dx) * at(-3, -2) + (-2.0 / dx) * at(-2, -1) + (1.5 / dx) * at(-1, None)
    else:
        d1, d2 = dx[0], dx[1]
        a, b, c = -(2.0 * d1 + d2) / (d1 * (d1 + d2)), (d1 + d2) / (d1 * d2), -d1 / (d2 * (d1 + d2))
        first = a * at(0, 1) + b * at(1, 2) + c * at(2, 3)
        d1, d2 = dx[-2], dx[-1]
        a, b, c = d2 / (d1 * (d1 + d2)), -(d2 + d1) / (d1 * d2), (2.0 * d2 + d1) / (d2 * (d1 + d2))
        last = a * at(-3, -2) + b * at(-2, -1) + c * at(-1, None)
    return concatenate([first, inner, last], axis=ax)


# -- diagonals and triangles ----------------------------------------------------------------------
@implements(np.diagonal)
def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The ``offset`` diagonal of the (axis1, axis2) planes, as the last axis."""
    shape, nd = np.shape(a), np.ndim(a)
    if nd < 2:
        raise ValueError(f"diagonal: needs at least 2 dimensions, got shape {shape}")
    a1, a2 = _axis(axis1, nd, "diagonal"), _axis(axis2, nd, "diagonal")
    if a1 == a2:
        raise ValueError(f"diagonal: axis1 and axis2 cannot be the same axis ({axis1}, {axis2})")
    planes = transpose(a, tuple(i for i in range(nd) if i not in (a1, a2)) + (a1, a2))
    rows = np.arange(max(0, min(shape[a1] + min(offset, 0), shape[a2] - max(offset, 0))))
    return getitem(planes, (Ellipsis, rows - min(offset, 0), rows + max(offset, 0)))


@implements(np.diag)
def diag(v: Any, k: int = 0) -> Any:
    """The k-th diagonal of a 2-D ``v``, or a square matrix with 1-D ``v`` on its k-th diagonal."""
    if np.ndim(v) == 2:
        return diagonal(v, k)
    if np.ndim(v) != 1:
        raise ValueError(f"diag: input must be 1- or 2-D, got shape {np.shape(v)}")
    i = np.arange(np.shape(v)[0])
    n = len(i) + abs(k)
    return scatter(v, (i - min(k, 0), i + max(k, 0)), (n, n))


@implements(np.trace)
def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None) -> Any:
    """Sum along the ``offset`` diagonal of the (axis1, axis2) planes."""
    if out is not None:
        raise UnsupportedArgumentError("trace: out= is not supported on Tensors; use the returned value")
    return _cast(sum_(diagonal(a, offset, axis1, axis2), axis=-1), dtype)


@implements(np.tril)
def tril(m: Any, k: int = 0) -> Any:
    """The lower triangle (on and below the k-th diagonal) of the last two axes; zeros above."""
    return where(np.tri(*np.shape(m)[-2:], k=k, dtype=bool), m, 0)


@implements(np.triu)
def triu(m: Any, k: int = 0) -> Any:
    """The upper triangle (on and above the k-th diagonal) of the last two axes; zeros below."""
    return where(np.tri(*np.shape(m)[-2:], k=k - 1, dtype=bool), 0, m)


# -- extrema with numpy's signature ---------------------------------------------------------------
def _extreme(name: str, reduce: Any, pair: Any, fill: float):
    def extreme(
        a: Any,
        axis: Any = None,
        out: Any = None,
        keepdims: bool = False,
        initial: Any = _NOVALUE,
        where: Any = True,
    ) -> Any:
        if out is not None:
            raise UnsupportedArgumentError(
                f"{name}: out= is not supported on Tensors; use the returned value"
            )
        if np.result_type(_raw(a)).kind not in "fc":  # integers and bools: no gradient, numpy's own
            value = getattr(np, name)(_raw(a), axis=axis, keepdims=keepdims, initial=initial, where=where)
            return Tensor(value) if isinstance(a, Tensor) else value
        if where is not True:
            if initial is _NOVALUE:
                raise ValueError(f"{name}: reduction with where= needs an initial= value (numpy's rule)")
            a = _where_fill(where, a, fill)
        result = reduce(a, axis=axis, keepdims=bool(keepdims))
        return result if initial is _NOVALUE else pair(result, initial)

    extreme.__name__ = name
    extreme.__doc__ = f"``numpy.{name}`` (axis, keepdims, initial, where); tied extremes share the gradient."
    return extreme


def _where_fill(mask: Any, a: Any, fill: float) -> Any:
    return where(np.broadcast_to(np.asarray(_raw(mask), dtype=bool), np.shape(a)), a, fill)


amax = implements(np.max, np.amax)(_extreme("amax", max_, maximum, -np.inf))  # with initial= and where=
amin = implements(np.min, np.amin)(_extreme("amin", min_, minimum, np.inf))
