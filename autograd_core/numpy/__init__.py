"""numpy with gradients: a drop-in namespace for HIPS autograd code (``import autograd_core.numpy as np``).

Every public name of numpy is here: the differentiable ``autograd_core`` version where one
exists (``np.tanh``, ``np.dot``, ``np.sort``, ...), numpy's own otherwise (``np.pi``,
``np.float64``, ``np.newaxis``, ``np.random``, ...). ``np.array`` of a (nested) list of Tensors
stacks them on the tape, so code that builds arrays from traced values keeps its gradient.

>>> import autograd_core.numpy as np
>>> from autograd_core import grad
>>> A = np.random.default_rng(0).standard_normal((3, 2))
>>> grad(lambda x: np.sum(np.tanh(np.dot(A, x))))(np.ones(2)).shape
(2,)
>>> float(grad(lambda x: np.array([x, 2 * x]).sum())(1.5))
3.0
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as _np

import autograd_core as _ag
from autograd_core import Tensor as _Tensor
from autograd_core._tensor import _on_tape
from autograd_core.ops.arrays import _Concatenator

_PUBLIC = sorted(set(_np.__all__) | {n for n in dir(_np) if not n.startswith("_")})

# numpy's own names first: constants, dtypes, submodules, and functions without a gradient.
globals().update({_name: getattr(_np, _name) for _name in _PUBLIC})
from . import fft, linalg  # noqa: E402, F401  (ours: ag.linalg / ag.fft with every numpy name)


def _ours(name: str) -> bool:
    obj = getattr(_ag, name, None)
    return isinstance(obj, _Concatenator) or (
        callable(obj) and not isinstance(obj, (ModuleType, type)) and name not in ("testing",)
    )


# ... then every differentiable (or Tensor-returning) op autograd_core has under numpy's name.
globals().update({_name: getattr(_ag, _name) for _name in _PUBLIC if _ours(_name)})
max, min = _ag.amax, _ag.amin  # noqa: A001  (numpy's signatures: out, keepdims, initial, where)


# numpy's any, all, max, min, sum, abs, round, pow, divmod and bool shadow the builtins in this
# module from here on: the functions below use none of them.
def array(
    object: Any, dtype: Any = None, *, copy: Any = True, order: str = "K", ndmin: int = 0, **kwargs: Any
) -> Any:  # noqa: A002
    """``numpy.array`` as a Tensor, built by ``autograd_core.tensor``: Tensors on the tape, alone or
    in (nested) lists, are copied or stacked on the tape; anything else is numpy's array."""
    if _on_tape(object):
        out = _ag.tensor(object, dtype=dtype)
        return _ag.reshape(out, (1,) * (ndmin - out.ndim) + out.shape) if out.ndim < ndmin else out
    raw = object.data if isinstance(object, _Tensor) else object
    return _Tensor(_np.array(raw, dtype=dtype, copy=copy, order=order, ndmin=ndmin, **kwargs))


def asarray(a: Any, dtype: Any = None, order: Any = None, **kwargs: Any) -> Any:
    """``numpy.asarray``: a Tensor is returned as it is (cast if ``dtype`` differs)."""
    if isinstance(a, _Tensor):
        return a if dtype is None or _np.dtype(dtype) == a.dtype else _ag.astype(a, _np.dtype(dtype))
    if _on_tape(a):
        return _ag.tensor(a, dtype=dtype)
    return _Tensor(_np.asarray(a, dtype, order, **kwargs))


asanyarray = ascontiguousarray = asarray


def where(condition: Any, x: Any = _np._NoValue, y: Any = _np._NoValue) -> Any:
    """``numpy.where``: pick from x or y by ``condition``; with one argument, ``nonzero(condition)``."""
    cond = condition.data if isinstance(condition, _Tensor) else _np.asarray(condition)
    cond = cond if cond.dtype.kind == "b" else cond.astype(_np.bool_)
    if x is _np._NoValue and y is _np._NoValue:
        return _ag.nonzero(cond)
    if x is _np._NoValue or y is _np._NoValue:
        raise ValueError("where: either both or neither of x and y should be given")
    return _ag.where(cond, x, y)


def concatenate(
    arrays: Any, axis: Any = 0, out: Any = None, *, dtype: Any = None, casting: str = "same_kind"
) -> Any:
    """``numpy.concatenate`` (``axis=None`` joins the flattened inputs)."""
    if out is not None:
        raise TypeError("concatenate: out= is not supported on Tensors; use the returned value")
    arrays = [_ag.ravel(a) for a in arrays] if axis is None else list(arrays)
    joined = _ag.concatenate(arrays, axis=0 if axis is None else axis)
    return joined if dtype is None else _ag.astype(joined, _np.dtype(dtype))


def pad(array: Any, pad_width: Any, mode: Any = "constant", **kwargs: Any) -> Any:  # noqa: A002
    """``numpy.pad``: mode 'constant' is differentiable; other modes run numpy's on data that needs no grad."""
    if mode == "constant":
        return _ag.pad(array, pad_width, **kwargs)
    if isinstance(array, _Tensor) and array.requires_grad:
        raise TypeError(f"pad: mode={mode!r} has no gradient rule; only mode='constant' is differentiable")
    return _np.pad(array.data if isinstance(array, _Tensor) else array, pad_width, mode, **kwargs)


def _numpy_reduction(name: str, op: Any, spread: bool = False):
    """``op`` (x, axis, keepdims[, ddof]) with numpy's positional order (a, axis, dtype, out, ...)."""

    def check(a: Any, dtype: Any, out: Any, extra: dict) -> Any:
        if out is not None or extra:
            given = ["out"] * (out is not None) + sorted(extra)
            raise TypeError(f"{name}: {', '.join(given)} not supported on Tensors; use the returned value")
        return a if dtype is None else _ag.astype(a, _np.dtype(dtype))

    if spread:

        def reduce(
            a: Any,
            axis: Any = None,
            dtype: Any = None,
            out: Any = None,
            ddof: int = 0,
            keepdims: bool = False,
            **extra: Any,
        ) -> Any:
            return op(check(a, dtype, out, extra), axis=axis, ddof=ddof, keepdims=keepdims)

    else:

        def reduce(
            a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
        ) -> Any:
            return op(check(a, dtype, out, extra), axis=axis, keepdims=keepdims)

    reduce.__name__ = name
    reduce.__doc__ = f"``numpy.{name}`` with numpy's argument order; see ``autograd_core.{name}``."
    return reduce


sum, mean, prod = (_numpy_reduction(n, getattr(_ag, n)) for n in ("sum", "mean", "prod"))  # noqa: A001
var, std = (_numpy_reduction(n, getattr(_ag, n), spread=True) for n in ("var", "std"))


def cumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """``numpy.cumsum`` with numpy's argument order."""
    return _numpy_reduction("cumsum", lambda x, axis, keepdims: _ag.cumsum(x, axis=axis))(a, axis, dtype, out)


def argmax(a: Any, axis: Any = None, out: Any = None, *, keepdims: bool = False) -> Any:
    """``numpy.argmax`` with numpy's argument order (no gradient)."""
    return _numpy_reduction("argmax", _ag.argmax)(a, axis, None, out, keepdims)


def argmin(a: Any, axis: Any = None, out: Any = None, *, keepdims: bool = False) -> Any:
    """``numpy.argmin`` with numpy's argument order (no gradient)."""
    return _numpy_reduction("argmin", _ag.argmin)(a, axis, None, out, keepdims)


def __getattr__(name: str) -> Any:  # numpy's names outside its __all__ (and lazily loaded ones)
    return getattr(_np, name)


def __dir__() -> list:
    return sorted(set(globals()) | set(_PUBLIC))
