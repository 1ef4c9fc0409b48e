"""Shape, indexing and dtype primitives and their derivative rules.

Each primitive's backward is the adjoint shape move: reshape undoes reshape, sum_to undoes
broadcast_to (and vice versa), a scatter undoes a gather.
"""

from __future__ import annotations

from typing import Any, List, Sequence

import numpy as np

from .._primitive import Primitive, ViewPrimitive
from .._tensor import Tensor
from ._helpers import batch_shape, normalize_axes
from .arithmetic import where
from .complex import real

_NUMPY_VALUES = (np.ndarray, np.generic)


def _sum_to_forward(x: np.ndarray, shape: tuple) -> np.ndarray:
    shape = tuple(shape)
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    if lead < 0:
        raise ValueError(f"sum_to: cannot reduce shape {x.shape} to the larger shape {shape}")
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and x.shape[lead + i] != 1
    )
    out = x.sum(axis=axes, keepdims=True) if axes else x
    return out.reshape(shape)


def _broadcast_to_forward(x: np.ndarray, shape: tuple) -> np.ndarray:
    shape = tuple(shape)
    x_shape = x.shape if isinstance(x, _NUMPY_VALUES) else np.shape(x)  # np.shape is a Python call
    if x_shape == shape:
        return x
    # Materialised rather than np.broadcast_to's read-only view: the result feeds further
    # arithmetic (gradients of reductions), and this is cheaper than the stride tricks.
    out = np.empty(shape, dtype=np.result_type(x))
    try:
        out[...] = x
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {x_shape} to {shape}") from None
    if len(x_shape) > len(shape):
        raise ValueError(f"broadcast_to: cannot broadcast shape {np.shape(x)} to the smaller {shape}")
    return out


def _reshape_forward(x: np.ndarray, shape: Any) -> np.ndarray:
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape an array of shape {np.shape(x)} (size {np.size(x)}) into shape {shape}"
        ) from None


def _inverse_axes(axes: Any, ndim: int, lead: int = 0) -> Any:
    """The permutation undoing ``axes`` (negative ones too), behind ``lead`` batch axes kept in front."""
    if axes is None and not lead:
        return None
    order = range(ndim)[::-1] if axes is None else [int(a) % ndim for a in axes]
    return tuple(range(lead)) + tuple(lead + int(i) for i in np.argsort(order))


def _batch_fit(g: Any, ans: Any, shape: tuple, move: Any) -> Any:
    """``move(g, shape)`` (sum_to or broadcast_to) aligning ``shape`` with ``ans``'s axes, behind g's batch axes."""
    batch = batch_shape(g, ans)
    if not batch:
        return move(g, shape)
    pad = (1,) * (ans.ndim - len(shape))
    if move is sum_to:
        return reshape(sum_to(g, batch + pad + tuple(shape)), batch + tuple(shape))
    return broadcast_to(reshape(g, batch + (1,) * (len(shape) - ans.ndim) + ans.shape), batch + tuple(shape))


# -- the derivative sheet ------------------------------------------------------------------
reshape = ViewPrimitive(
    "reshape",
    _reshape_forward,
    lambda g, ans, x, shape: reshape(g, batch_shape(g, ans) + x.shape),
    batchable=True,
    doc="Reshape ``x`` (numpy semantics, -1 allowed); d/dx reshapes back.\n\n"
    ">>> import autograd_core as ag\n>>> ag.reshape(ag.tensor([1.0, 2.0]), (2, 1)).shape\n(2, 1)",
)
transpose = ViewPrimitive(
    "transpose",
    lambda x, axes=None: np.transpose(x, axes),
    lambda g, ans, x, axes=None: transpose(g, _inverse_axes(axes, x.ndim, g.ndim - ans.ndim)),
    batchable=True,
    doc="Permute axes (reverse them when ``axes`` is None).\n\n"
    ">>> import autograd_core as ag\n>>> ag.transpose(ag.tensor([[1.0, 2.0]])).shape\n(2, 1)",
)
broadcast_to = Primitive(
    "broadcast_to",
    _broadcast_to_forward,
    lambda g, ans, x, shape: _batch_fit(g, ans, x.shape, sum_to),
    batchable=True,
    doc="Broadcast ``x`` to ``shape``; the gradient is summed back.\n\n"
    ">>> import autograd_core as ag\n>>> ag.broadcast_to(ag.tensor(1.0), (2, 3)).shape\n(2, 3)",
)
sum_to = Primitive(
    "sum_to",
    _sum_to_forward,
    lambda g, ans, x, shape: _batch_fit(g, ans, x.shape, broadcast_to),
    batchable=True,
    doc="Sum ``x`` down to a shape it was broadcast from (the adjoint of broadcast_to).\n\n"
    ">>> import autograd_core as ag\n>>> ag.sum_to(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), (1, 2)).numpy()\n"
    "array([[4., 6.]])",
)
copy = Primitive(
    "copy",
    lambda x: np.array(x, copy=True),
    lambda g, ans, x: g,
    elementwise=True,
    batchable=True,
    doc="A differentiable copy (``Tensor.clone``): new memory, the gradient passes unchanged.",
)
astype = Primitive(
    "astype",
    lambda x, dtype: np.asarray(x).astype(dtype, copy=False),
    lambda g, ans, x, dtype: cast_gradient(g, x.dtype),
    float_output=False,
    batchable=True,
    doc="Cast to ``dtype``; the gradient is cast back to the input's dtype.\n\n"
    ">>> import autograd_core as ag\n>>> ag.astype(ag.tensor([1.0]), 'float32').dtype\ndtype('float32')",
)


def cast_gradient(g: Any, dtype: np.dtype) -> Any:
    """``g`` in ``dtype``; a real input's gradient is the real part of a complex one."""
    if g.dtype.kind == "c" and dtype.kind != "c":
        g = real(g)
    return g if g.dtype == dtype else astype(g, dtype)


def _is_basic_index(idx: Any) -> bool:
    items = idx if isinstance(idx, tuple) else (idx,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, slice, np.integer)) for i in items)


def _batchable_index(idx: Any) -> bool:
    """Whether ``idx`` behind a batch axis, ``(slice(None),) + idx``, leaves that axis in front of the
    result: not when advanced indices (arrays, and ints or bools beside them) are split apart, for then
    numpy moves their axes first; nor for a Tensor index, which stays a node argument on the tape."""
    items = idx if isinstance(idx, tuple) else (idx,)
    if any(isinstance(i, Tensor) for i in items):
        return False
    arrays = [k for k, i in enumerate(items) if not _is_basic_index(i) or isinstance(i, (bool, np.bool_))]
    if arrays:  # ints beside an array index as arrays too
        arrays = [k for k, i in enumerate(items) if not (i is None or i is Ellipsis or isinstance(i, slice))]
    return not arrays or arrays[-1] - arrays[0] == len(arrays) - 1


def _lead_index(idx: Any, lead: int) -> Any:
    """``idx`` with ``lead`` batch axes in front (see _batchable_index)."""
    return idx if not lead else (slice(None),) * lead + (idx if isinstance(idx, tuple) else (idx,))


def _getitem_forward(x: np.ndarray, idx: Any) -> np.ndarray:
    try:
        return x[idx]
    except (IndexError, TypeError) as err:
        raise IndexError(f"getitem: index {idx!r} does not fit shape {np.shape(x)}: {err}") from None


def _scatter_forward(g: np.ndarray, idx: Any, shape: tuple) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic_index(idx):
        out[idx] = g  # basic indexing selects each element once: plain assignment suffices
    else:
        np.add.at(out, idx, g)  # repeated integer indices must accumulate
    return out


getitem = ViewPrimitive(
    "getitem",
    _getitem_forward,
    lambda g, ans, x, idx: scatter(g, _lead_index(idx, g.ndim - ans.ndim), batch_shape(g, ans) + x.shape),
    batchable=lambda x, idx: _batchable_index(idx),
    doc="``x[idx]`` with basic, slice, boolean or integer-array indices; repeated indices "
    "accumulate in the gradient.\n\n"
    ">>> import autograd_core as ag\n>>> ag.getitem(ag.tensor([1.0, 2.0, 3.0]), slice(1, None)).numpy()\n"
    "array([2., 3.])",
)
scatter = Primitive(
    "scatter",
    _scatter_forward,
    lambda g, ans, x, idx, shape: getitem(g, _lead_index(idx, g.ndim - ans.ndim)),
    batchable=lambda x, idx, shape: _batchable_index(idx),
    doc="Zeros of ``shape`` with ``x`` added at ``idx`` (the adjoint of getitem).\n\n"
    ">>> import autograd_core as ag\n>>> ag.scatter(ag.tensor([5.0]), [0], (2,)).numpy()\narray([5., 0.])",
)


def _setitem_forward(x: np.ndarray, value: Any, idx: Any) -> np.ndarray:
    if np.iscomplexobj(value) and not np.iscomplexobj(x):
        raise TypeError(
            f"setitem: cannot write complex values into a real array of dtype {np.result_type(x)}; "
            "cast it first (x.astype(complex))"
        )
    out = np.array(x, copy=True)
    out[idx] = value
    return out


def _setitem_dx(g, ans, x, value, idx):
    return setitem(g, 0.0, _lead_index(idx, g.ndim - ans.ndim))


def _landed(shape: tuple, idx: Any) -> Any:
    """Which selected positions keep their written value: with repeated integer indices
    only one write per element survives, and the overwritten values get no gradient.
    Found by replaying the same assignment with position labels (None: all of them)."""
    if _is_basic_index(idx):
        return None
    labels = np.zeros(shape, dtype=np.intp)
    picked = labels[idx].shape
    order = np.arange(int(np.prod(picked)), dtype=np.intp).reshape(picked)
    labels[idx] = order
    return labels[idx] == order


def _setitem_dvalue(g, ans, x, value, idx):
    mask = _landed(x.shape, idx)
    picked = getitem(g, _lead_index(idx, g.ndim - ans.ndim))
    return picked if mask is None else where(mask, picked, 0)


setitem = Primitive(
    "setitem",
    _setitem_forward,
    _setitem_dx,
    _setitem_dvalue,
    batchable=lambda x, value, idx: _batchable_index(idx),
    doc="A copy of ``x`` with ``x[idx] = value``; backs ``Tensor.__setitem__`` on tracked tensors.\n\n"
    ">>> import autograd_core as ag\n>>> ag.setitem(ag.tensor([1.0, 2.0]), 9.0, 0).numpy()\narray([9., 2.])",
)


def _concat_forward(*xs: np.ndarray, axis: int = 0) -> np.ndarray:
    try:
        return np.concatenate(xs, axis=axis)
    except ValueError as err:
        shapes = [np.shape(x) for x in xs]
        raise ValueError(f"concatenate: shapes {shapes} do not fit along axis {axis}: {err}") from None


def _concat_vjp(g: Any, ans: Any, *xs: Any, axis: int = 0) -> List[Any]:
    ax = axis % ans.ndim
    lead = (slice(None),) * (g.ndim - ans.ndim + ax)  # behind any batch axes of g too
    grads, start = [], 0
    for x in xs:
        stop = start + x.shape[ax]
        grads.append(getitem(g, lead + (slice(start, stop),)))
        start = stop
    return grads


_concat = Primitive("concatenate", _concat_forward, joint=_concat_vjp, batchable=True)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Any:
    """Join tensors along an existing axis (numpy semantics).

    >>> import autograd_core as ag
    >>> ag.concatenate([ag.tensor([1.0]), ag.tensor([2.0, 3.0])]).numpy()
    array([1., 2., 3.])
    """
    if len(tensors) == 0:
        raise ValueError("concatenate: need at least one tensor, got an empty sequence")
    return _concat(*tensors, axis=axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Any:
    """Join tensors along a new axis.

    >>> import autograd_core as ag
    >>> ag.stack([ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])]).shape
    (2, 2)
    """
    if len(tensors) == 0:
        raise ValueError("stack: need at least one tensor, got an empty sequence")
    shapes = {np.shape(t) for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    return concatenate([expand_dims(t, axis) for t in tensors], axis=axis)


def split(x: Any, indices_or_sections: Any, axis: int = 0) -> List[Any]:
    """Split into pieces along ``axis`` (numpy semantics); each piece is a slice of ``x``.

    >>> import autograd_core as ag
    >>> [p.shape for p in ag.split(ag.tensor([1.0, 2.0, 3.0, 4.0]), 2)]
    [(2,), (2,)]
    """
    shape = np.shape(x)
    ax = normalize_axes(axis, len(shape), "split")[0]
    n = shape[ax]
    if isinstance(indices_or_sections, (int, np.integer)):
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(
                f"split: an axis of length {n} does not divide into {indices_or_sections} equal sections"
            )
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    lead = (slice(None),) * ax
    return [getitem(x, lead + (slice(a, b),)) for a, b in zip(bounds[:-1], bounds[1:])]


def _pad_forward(x: np.ndarray, pad_width: Any, constant_values: float = 0.0) -> np.ndarray:
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)


def _pad_vjp(g, ans, x, pad_width, constant_values=0.0):
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))
    return getitem(g, tuple(slice(int(lo), int(lo) + n) for (lo, _), n in zip(widths, x.shape)))


def _pad_dvalue(g, ans, x, pad_width, constant_values=0.0):
    if np.ndim(constant_values) != 0:
        raise NotImplementedError(
            f"pad: a gradient for per-side constant_values of shape {np.shape(constant_values)} is not "
            "supported; pass one scalar Tensor, or a constant"
        )
    return g.sum() - _pad_vjp(g, ans, x, pad_width).sum()  # every padded element is the value


pad = Primitive(
    "pad",
    _pad_forward,
    _pad_vjp,
    None,
    _pad_dvalue,
    doc="Pad with a constant (``numpy.pad`` with mode='constant'); the gradient is the "
    "un-padded slice.\n\n"
    ">>> import autograd_core as ag\n>>> ag.pad(ag.tensor([1.0]), 1).numpy()\narray([0., 1., 0.])",
)


def _untake_forward(g: np.ndarray, indices: Any, axis: Any, shape: tuple) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    if axis is None:
        np.add.at(out.reshape(-1), np.asarray(indices), g)
    else:
        ax = axis % len(shape)
        np.add.at(out, (slice(None),) * ax + (np.asarray(indices),), g)
    return out


take = Primitive(
    "take",
    lambda x, indices, axis=None: np.take(x, indices, axis=axis),
    lambda g, ans, x, indices, axis=None: untake(
        g, indices, None if axis is None else axis % x.ndim + g.ndim - ans.ndim, batch_shape(g, ans) + x.shape
    ),
    batchable=lambda x, indices, axis=None: axis is not None,  # flattened: the batch axis would be too
    doc="``numpy.take``: elements at ``indices`` along ``axis`` (flattened when None).\n\n"
    ">>> import autograd_core as ag\n>>> ag.take(ag.tensor([5.0, 6.0, 7.0]), [2, 0]).numpy()\narray([7., 5.])",
)
untake = Primitive(
    "untake",
    _untake_forward,
    lambda g, ans, x, indices, axis, shape: take(
        g, indices, axis=None if axis is None else axis % len(shape) + g.ndim - ans.ndim
    ),
    batchable=lambda x, indices, axis, shape: axis is not None,
    doc="The adjoint of take: zeros of ``shape`` with ``x`` added at ``indices``.\n\n"
    ">>> import autograd_core as ag\n>>> ag.untake(ag.tensor([1.0, 1.0]), [1, 1], None, (2,)).numpy()\n"
    "array([0., 2.])",
)


def _full_index(index: np.ndarray, axis: int) -> tuple:
    grids = list(np.indices(index.shape, sparse=True))
    grids[axis] = index
    return tuple(grids)


def _ungather_forward(g: np.ndarray, index: Any, axis: int, shape: tuple) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    index = np.asarray(index)
    np.add.at(out, _full_index(index, axis % len(shape)), g)
    return out


def _gather_forward(x: np.ndarray, index: Any, axis: int) -> np.ndarray:
    index = np.asarray(index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"gather: index must hold integers, got dtype {index.dtype}")
    if index.ndim != np.ndim(x):
        raise ValueError(
            f"gather: index has {index.ndim} dims but the input has {np.ndim(x)} (shape {np.shape(x)})"
        )
    return np.take_along_axis(x, index, axis=axis)


gather = Primitive(
    "gather",
    _gather_forward,
    lambda g, ans, x, index, axis: ungather(g, index, axis, x.shape),
    doc="``numpy.take_along_axis`` (``torch.gather``): pick ``x[..., index, ...]`` along ``axis``.\n\n"
    ">>> import autograd_core as ag\n>>> ag.gather(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), [[1], [0]], 1).numpy()\n"
    "array([[2.],\n       [3.]])",
)
ungather = Primitive(
    "ungather",
    _ungather_forward,
    lambda g, ans, x, index, axis, shape: gather(g, index, axis),
    doc="The adjoint of gather: zeros of ``shape`` with ``x`` added at ``index`` along ``axis``.\n\n"
    ">>> import autograd_core as ag\n>>> ag.ungather(ag.tensor([[1.0]]), [[1]], 1, (1, 2)).numpy()\n"
    "array([[0., 1.]])",
)


# -- compositions ------------------------------------------------------------------------
def swapaxes(x: Any, axis1: int, axis2: int) -> Any:
    """Exchange two axes.

    >>> import autograd_core as ag
    >>> ag.swapaxes(ag.tensor([[1.0, 2.0]]), 0, 1).shape
    (2, 1)
    """
    ndim = np.ndim(x)
    a, b = (normalize_axes(axis1, ndim, "swapaxes")[0], normalize_axes(axis2, ndim, "swapaxes")[0])
    axes = list(range(ndim))
    axes[a], axes[b] = axes[b], axes[a]
    return transpose(x, tuple(axes))


def permute(x: Any, *axes: int) -> Any:
    """Permute axes, torch-style: ``permute(x, 1, 0)``.

    >>> import autograd_core as ag
    >>> ag.permute(ag.tensor([[1.0, 2.0]]), 1, 0).shape
    (2, 1)
    """
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return transpose(x, tuple(axes))


def expand_dims(x: Any, axis: int) -> Any:
    """Insert a length-1 axis at ``axis``.

    >>> import autograd_core as ag
    >>> ag.expand_dims(ag.tensor([1.0, 2.0]), 0).shape
    (1, 2)
    """
    shape = np.shape(x)
    ndim = len(shape) + 1
    if not -ndim <= axis < ndim:
        raise ValueError(f"expand_dims: axis {axis} is out of bounds for a result of dimension {ndim}")
    ax = axis % ndim
    return reshape(x, shape[:ax] + (1,) + shape[ax:])


def squeeze(x: Any, axis: Any = None) -> Any:
    """Remove length-1 axes (all of them, or those in ``axis``).

    >>> import autograd_core as ag
    >>> ag.squeeze(ag.tensor([[1.0, 2.0]])).shape
    (2,)
    """
    shape = np.shape(x)
    axes = normalize_axes(axis, len(shape), "squeeze") if axis is not None else None
    if axes is None:
        new = tuple(s for s in shape if s != 1)
    else:
        bad = [a for a in axes if shape[a] != 1]
        if bad:
            raise ValueError(f"squeeze: axis {bad[0]} has length {shape[bad[0]]}, not 1 (shape {shape})")
        new = tuple(s for i, s in enumerate(shape) if i not in axes)
    return reshape(x, new)


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Any:
    """Merge axes ``start_dim..end_dim`` into one (all axes by default, like numpy).

    >>> import autograd_core as ag
    >>> ag.flatten(ag.tensor([[1.0, 2.0], [3.0, 4.0]])).shape
    (4,)
    """
    shape = np.shape(x)
    if len(shape) == 0:
        return reshape(x, (1,))
    s, e = start_dim % len(shape), end_dim % len(shape)
    if s > e:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {shape}")
    return reshape(x, shape[:s] + (-1,) + shape[e + 1 :])
