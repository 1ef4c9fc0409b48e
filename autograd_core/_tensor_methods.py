"""Operators and methods of ``Tensor``, each a thin call into an op.

Kept apart from ``_tensor`` so that the ops can import ``Tensor`` without a cycle.
In-place operators write into the array when nothing is being recorded (an optimizer
step under ``no_grad``); when the tensor is on the tape they rebind it to a new node and
bump its version, so any earlier op that saved the old value refuses to backward.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from . import ops
from ._dispatch import array_function, array_ufunc
from ._grad_mode import STATE, TRACE
from ._primitive import mark_modified
from ._tensor import NODE_SLOTS, Tensor


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _raw_index(idx: Any) -> Any:
    if isinstance(idx, tuple):
        return tuple(_raw(i) for i in idx)
    return _raw(idx)


def _binary(op: Any, name: str, reflected: bool = False):
    method = op.as_method(reflected)
    method.__name__ = name
    method.__doc__ = f"``{name}``: see ``autograd_core.{op.name}``."
    return method


def _needs_tape(self: Tensor, other: Any) -> bool:
    return STATE.enabled and (self.requires_grad or (isinstance(other, Tensor) and other.requires_grad))


def _leaf_error(self: Tensor, op_name: str) -> ValueError:
    return ValueError(
        f"{op_name}: a leaf tensor that requires grad (shape {self.shape}) cannot be modified "
        "in place while recording; wrap the update in `with no_grad():`"
    )


def _record_inplace(self: Tensor, op: Any, *rest: Any) -> None:
    """Make ``self`` the output of ``op(old self, *rest)`` on the tape.

    The version is bumped first, so ops that saved the old ``self`` refuse to backward
    while the new node (recorded after the bump) accepts it; a stand-in carries the old
    value and node, also where ``self`` appears among ``rest`` (``x *= x``).
    """
    old = _shadow(self)
    self._base = None  # rebound to a new array below: no longer an alias of anything
    mark_modified(self)
    result = op(old, *[old if r is self else r for r in rest])
    _take_node(self, result)
    self.data = result.data
    self.requires_grad = result.requires_grad


def _take_node(dst: Tensor, src: Tensor) -> None:
    """Make ``dst`` carry ``src``'s tape node (the node slots live on the tensor)."""
    dst._prim = src._prim
    if src._prim is not None:
        for slot in NODE_SLOTS[1:]:
            setattr(dst, slot, getattr(src, slot))
        for slot in ("_const", "_site"):  # set on some nodes only
            if hasattr(src, slot):
                setattr(dst, slot, getattr(src, slot))


def _shadow(self: Tensor) -> Tensor:
    """A stand-in for the tensor's value before an in-place op (same data, same node)."""
    old = Tensor._make(self.data)
    _take_node(old, self)
    old.requires_grad = self.requires_grad
    old._version = self._version
    base = getattr(self, "_base", None)
    if base is not None:
        old._base = base
    return old


def _inplace(op: Any, ufunc: Any, name: str):
    def method(self: Tensor, other: Any) -> Tensor:
        if _needs_tape(self, other):
            if self._prim is None and self.requires_grad:
                raise _leaf_error(self, name)
            _record_inplace(self, op, other)
            return self
        try:
            ufunc(self.data, _raw(other), out=self.data, casting="same_kind")
        except (ValueError, TypeError) as err:
            raise type(err)(
                f"{name}: cannot update shape {self.shape} dtype {self.dtype} in place with "
                f"shape {np.shape(_raw(other))}: {err}"
            ) from None
        mark_modified(self)
        return self

    method.__name__ = name
    method.__doc__ = f"In-place ``{name}``; bumps the tensor's version."
    return method


def _setitem(self: Tensor, idx: Any, value: Any) -> None:
    idx = _raw_index(idx)
    if _needs_tape(self, value):
        if self._prim is None and self.requires_grad:
            raise _leaf_error(self, "setitem")
        _record_inplace(self, ops.setitem, value, idx)
        return
    self.data[idx] = _raw(value)
    mark_modified(self)


def _getitem(self: Tensor, idx: Any) -> Tensor:
    if STATE.flags & TRACE:  # an index computed from the inputs is a decision compile must re-check
        for i in idx if isinstance(idx, tuple) else (idx,):
            if isinstance(i, Tensor):
                STATE.trace.guard(i)
    return ops.getitem(self, _raw_index(idx))


def _reduction(op: Any):
    def method(self: Tensor, axis: Any = None, keepdims: bool = False) -> Tensor:
        return op(self, axis=axis, keepdims=keepdims)

    method.__name__ = op.name if hasattr(op, "name") else op.__name__
    method.__doc__ = f"See ``autograd_core.{method.__name__}``."
    return method


def _unary(op: Any):
    method = op.as_unary_method()
    method.__name__ = op.name
    method.__doc__ = f"See ``autograd_core.{op.name}``."
    return method


def _reshape(self: Tensor, *shape: Any) -> Tensor:
    """Reshape; accepts ``t.reshape(2, 3)`` or ``t.reshape((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return ops.reshape(self, shape)


def _transpose(self: Tensor, *axes: Any) -> Tensor:
    """Permute axes, as numpy (reverse them when none are given); PyTorch's swap is ``swapaxes``."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    if len(axes) == 2 and self.ndim != 2:
        raise ValueError(
            f"transpose: numpy's transpose takes a permutation of all {self.ndim} axes, got {axes}; "
            f"to swap two axes (PyTorch's transpose) use swapaxes{axes}"
        )
    if len(axes) == 2 and tuple(int(a) % 2 for a in axes) == (0, 1):
        warnings.warn(
            f"transpose{axes}: the identity permutation (numpy's meaning), so nothing moves; to swap "
            f"the two axes (PyTorch's transpose{axes}) use swapaxes{axes} or .T",
            stacklevel=2,
        )
    return ops.transpose(self, axes or None)


def _permute(self: Tensor, *axes: Any) -> Tensor:
    """Permute axes, PyTorch-style: ``t.permute(2, 0, 1)`` (the same as numpy's transpose with axes)."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return ops.transpose(self, axes or None)


_METHODS = {
    "__add__": _binary(ops.add, "__add__"),
    "__radd__": _binary(ops.add, "__radd__", reflected=True),
    "__sub__": _binary(ops.sub, "__sub__"),
    "__rsub__": _binary(ops.sub, "__rsub__", reflected=True),
    "__mul__": _binary(ops.mul, "__mul__"),
    "__rmul__": _binary(ops.mul, "__rmul__", reflected=True),
    "__truediv__": _binary(ops.div, "__truediv__"),
    "__rtruediv__": _binary(ops.div, "__rtruediv__", reflected=True),
    "__pow__": _binary(ops.power, "__pow__"),
    "__rpow__": _binary(ops.power, "__rpow__", reflected=True),
    "__matmul__": _binary(ops.matmul, "__matmul__"),
    "__rmatmul__": _binary(ops.matmul, "__rmatmul__", reflected=True),
    "__lt__": _binary(ops.less, "__lt__"),
    "__le__": _binary(ops.less_equal, "__le__"),
    "__gt__": _binary(ops.greater, "__gt__"),
    "__ge__": _binary(ops.greater_equal, "__ge__"),
    "__eq__": _binary(ops.equal, "__eq__"),
    "__ne__": _binary(ops.not_equal, "__ne__"),
    "__and__": _binary(ops.logical_and, "__and__"),
    "__or__": _binary(ops.logical_or, "__or__"),
    "__rand__": _binary(ops.logical_and, "__rand__", reflected=True),
    "__ror__": _binary(ops.logical_or, "__ror__", reflected=True),
    "__invert__": _unary(ops.logical_not),
    "__neg__": _unary(ops.neg),
    "__abs__": _unary(ops.abs_),
    "__iadd__": _inplace(ops.add, np.add, "__iadd__"),
    "__isub__": _inplace(ops.sub, np.subtract, "__isub__"),
    "__imul__": _inplace(ops.mul, np.multiply, "__imul__"),
    "__itruediv__": _inplace(ops.div, np.true_divide, "__itruediv__"),
    "__ipow__": _inplace(ops.power, np.power, "__ipow__"),
    "__getitem__": _getitem,
    "__setitem__": _setitem,
    "sum": _reduction(ops.sum_),
    "mean": _reduction(ops.mean),
    "prod": _reduction(ops.prod),
    "max": _reduction(ops.max_),
    "min": _reduction(ops.min_),
    "logsumexp": _reduction(ops.logsumexp),
    "argmax": _reduction(ops.argmax),
    "argmin": _reduction(ops.argmin),
    "reshape": _reshape,
    "transpose": _transpose,
    "permute": _permute,
}
for _op in (
    ops.exp,
    ops.log,
    ops.log1p,
    ops.expm1,
    ops.sqrt,
    ops.sin,
    ops.cos,
    ops.tan,
    ops.tanh,
    ops.sign,
    ops.sigmoid,
    ops.relu,
    ops.softplus,
    ops.floor,
    ops.ceil,
    ops.step,
):
    _METHODS[_op.name] = _unary(_op)
_METHODS["abs"] = _unary(ops.abs_)

_METHODS["__array_ufunc__"] = array_ufunc
_METHODS["__array_function__"] = array_function

for _name, _method in _METHODS.items():
    setattr(Tensor, _name, _method)


def _add_method(fn: Any) -> Any:
    setattr(Tensor, fn.__name__, fn)
    return fn


@_add_method
def var(self: Tensor, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Variance; see ``autograd_core.var``."""
    return ops.var(self, axis=axis, ddof=ddof, keepdims=keepdims)


@_add_method
def std(self: Tensor, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Standard deviation; see ``autograd_core.std``."""
    return ops.std(self, axis=axis, ddof=ddof, keepdims=keepdims)


@_add_method
def softmax(self: Tensor, axis: int = -1) -> Tensor:
    """Softmax along ``axis``; see ``autograd_core.softmax``."""
    return ops.softmax(self, axis=axis)


@_add_method
def log_softmax(self: Tensor, axis: int = -1) -> Tensor:
    """Log-softmax along ``axis``; see ``autograd_core.log_softmax``."""
    return ops.log_softmax(self, axis=axis)


@_add_method
def cumsum(self: Tensor, axis: Any = None) -> Tensor:
    """Cumulative sum; see ``autograd_core.cumsum``."""
    return ops.cumsum(self, axis=axis)


@_add_method
def norm(self: Tensor, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Vector norm; see ``autograd_core.norm``."""
    return ops.norm(self, ord=ord, axis=axis, keepdims=keepdims)


@_add_method
def clip(self: Tensor, a_min: Any = None, a_max: Any = None) -> Tensor:
    """Clamp to [a_min, a_max]; see ``autograd_core.clip``."""
    return ops.clip(self, a_min, a_max)


@_add_method
def leaky_relu(self: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Leaky ReLU; see ``autograd_core.leaky_relu``."""
    return ops.leaky_relu(self, negative_slope)


@_add_method
def astype(self: Tensor, dtype: Any) -> Tensor:
    """Cast to ``dtype`` (differentiable); see ``autograd_core.astype``."""
    return ops.astype(self, np.dtype(dtype))


@_add_method
def swapaxes(self: Tensor, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes."""
    return ops.swapaxes(self, axis1, axis2)


@_add_method
def squeeze(self: Tensor, axis: Any = None) -> Tensor:
    """Remove length-1 axes."""
    return ops.squeeze(self, axis)


@_add_method
def expand_dims(self: Tensor, axis: int) -> Tensor:
    """Insert a length-1 axis."""
    return ops.expand_dims(self, axis)


@_add_method
def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge axes start_dim..end_dim (all by default)."""
    return ops.flatten(self, start_dim, end_dim)


@_add_method
def broadcast_to(self: Tensor, shape: Any) -> Tensor:
    """Broadcast to ``shape``."""
    return ops.broadcast_to(self, tuple(shape))


@_add_method
def dot(self: Tensor, other: Any) -> Tensor:
    """``numpy.dot``-style product."""
    return ops.dot(self, other)


@_add_method
def matmul(self: Tensor, other: Any) -> Tensor:
    """Matrix product (``@``)."""
    return ops.matmul(self, other)


def _add_method_as(name: str) -> Any:
    def add(fn: Any) -> Any:
        fn.__name__ = name
        setattr(Tensor, name, fn)
        return fn

    return add


@_add_method_as("__round__")
def _round(self: Tensor, ndigits: Any = None) -> Tensor:
    """``round(t, 3)``: a Tensor rounded half to even, as numpy (no gradient)."""
    return ops.round_(self) if ndigits is None else ops.round_(self, ndigits)


@_add_method_as("any")
def _any(self: Tensor, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Whether any element is nonzero (over ``axis``), as a bool Tensor.

    >>> from autograd_core import tensor
    >>> bool(tensor([0.0, 2.0]).any()), bool(tensor([0.0, 2.0]).all())
    (True, False)
    """
    return Tensor._make(np.asarray(np.any(self.data, axis=axis, keepdims=keepdims)))


@_add_method_as("all")
def _all(self: Tensor, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Whether every element is nonzero (over ``axis``), as a bool Tensor."""
    return Tensor._make(np.asarray(np.all(self.data, axis=axis, keepdims=keepdims)))


@_add_method
def clone(self: Tensor) -> Tensor:
    """A copy in new memory that stays on the tape (PyTorch's ``clone``; also ``copy()``).

    >>> from autograd_core import tensor
    >>> x = tensor([1.0], requires_grad=True)
    >>> (x.clone() * 2).sum().backward(); x.grad.numpy()
    array([2.])
    """
    return ops.copy(self)


Tensor.copy = clone


@_add_method
def view(self: Tensor, *shape: Any) -> Tensor:
    """PyTorch's ``view``: here the same as ``reshape`` (the result may be a copy)."""
    return _reshape(self, *shape)


@_add_method
def pow(self: Tensor, exponent: Any) -> Tensor:
    """``self ** exponent``; see ``autograd_core.pow``."""
    return ops.power(self, exponent)


@_add_method_as("float")
def _to_float32(self: Tensor) -> Tensor:
    """Cast to float32 (differentiable; PyTorch's ``t.float()``)."""
    return ops.astype(self, np.dtype(np.float32))


@_add_method_as("double")
def _to_float64(self: Tensor) -> Tensor:
    """Cast to float64 (differentiable; PyTorch's ``t.double()``)."""
    return ops.astype(self, np.dtype(np.float64))


@_add_method
def zero_(self: Tensor) -> Tensor:
    """Set every element to 0 in place and return ``self`` (meant for gradients: ``w.grad.zero_()``).

    Refused on a tensor that requires grad while recording; ``t.grad = None`` also resets.

    >>> from autograd_core import tensor
    >>> w = tensor([1.0], requires_grad=True)
    >>> (w * 3).sum().backward(); w.grad.zero_().numpy()
    array([0.])
    """
    if STATE.enabled and self.requires_grad:
        raise ValueError(
            f"zero_: the tensor (shape {self.shape}) requires grad and is on the tape; zero its gradient "
            "(t.grad.zero_() or t.grad = None), or wrap the update in `with no_grad():`"
        )
    self.data[...] = 0
    mark_modified(self)
    return self


Tensor.T = property(lambda self: ops.transpose(self), doc="The tensor with its axes reversed.")


# -- ndarray methods of the wider numpy surface (ops.math, ops.arrays, ops.products) ----------
for _name, _method in {
    "__mod__": _binary(ops.mod, "__mod__"),
    "__rmod__": _binary(ops.mod, "__rmod__", reflected=True),
    "__floordiv__": _binary(ops.floor_divide, "__floordiv__"),
    "__rfloordiv__": _binary(ops.floor_divide, "__rfloordiv__", reflected=True),
}.items():
    setattr(Tensor, _name, _method)


@_add_method
def ravel(self: Tensor, order: str = "C") -> Tensor:
    """Flatten to 1-D; see ``autograd_core.ravel``."""
    return ops.ravel(self, order)


@_add_method
def repeat(self: Tensor, repeats: Any, axis: Any = None) -> Tensor:
    """Repeat elements; see ``autograd_core.repeat``."""
    return ops.repeat(self, repeats, axis)


@_add_method
def diagonal(self: Tensor, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """A diagonal; see ``autograd_core.diagonal``."""
    return ops.diagonal(self, offset, axis1, axis2)


@_add_method
def trace(
    self: Tensor, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None, out: Any = None
) -> Tensor:
    """Sum along a diagonal; see ``autograd_core.trace``."""
    return ops.trace(self, offset, axis1, axis2, dtype, out)


@_add_method
def cumprod(self: Tensor, axis: Any = None, dtype: Any = None, out: Any = None) -> Tensor:
    """Running product; see ``autograd_core.cumprod``."""
    return ops.cumprod(self, axis, dtype, out)


@_add_method
def argsort(self: Tensor, axis: Any = -1, kind: Any = None, order: Any = None) -> Tensor:
    """Indices that sort the tensor (no gradient)."""
    return ops.argsort(self, axis=axis, kind=kind, order=order)


@_add_method
def searchsorted(self: Tensor, v: Any, side: str = "left", sorter: Any = None) -> Tensor:
    """Insertion indices of ``v`` into this sorted 1-D tensor (no gradient)."""
    return ops.searchsorted(self, v, side=side, sorter=sorter)


@_add_method
def nonzero(self: Tensor) -> tuple:
    """Indices of the nonzero elements, one tensor per axis (no gradient)."""
    return ops.nonzero(self)


@_add_method
def conj(self: Tensor) -> Tensor:
    """Complex conjugate (the tensor itself when real)."""
    return ops.conj(self)


Tensor.conjugate = conj


@_add_method
def sort(self: Tensor, axis: Any = -1, kind: Any = None, order: Any = None) -> None:
    """Sort in place along ``axis``, as ``ndarray.sort`` (``autograd_core.sort`` returns a copy)."""
    if STATE.enabled and self.requires_grad:
        if self._prim is None:
            raise _leaf_error(self, "sort")
        _record_inplace(self, lambda t: ops.sort(t, axis, kind, order))
        return
    self.data.sort(axis=axis, kind=kind, order=order)
    mark_modified(self)
