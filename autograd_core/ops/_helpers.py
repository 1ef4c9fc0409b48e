"""Shape bookkeeping shared by the derivative rules (plain Python, no arrays)."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple, Union

Axis = Optional[Union[int, Sequence[int]]]


def batch_shape(g: Any, ans: Any) -> Tuple[int, ...]:
    """The leading axes ``g`` has beyond the output ``ans``: the seeds of a vectorized backward
    (``jacobian(f, vectorize=True)``), ``()`` in an ordinary one. Rules marked ``batchable`` keep them."""
    return tuple(g.shape[: g.ndim - ans.ndim])


def normalize_axes(axis: Axis, ndim: int, op: str) -> Tuple[int, ...]:
    """Return ``axis`` as a sorted tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int,)) or hasattr(axis, "__index__") else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of bounds for an array of dimension {ndim}")
        out.append(a % ndim if ndim else 0)
    return tuple(sorted(out))


def kept_shape(shape: Tuple[int, ...], axis: Axis, op: str = "reduce") -> Tuple[int, ...]:
    """The shape a reduction over ``axis`` has with ``keepdims=True``."""
    axes = normalize_axes(axis, len(shape), op)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))
