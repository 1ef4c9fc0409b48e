"""numpy's names for the ops: the entries of the dispatch table, with numpy's signatures.

``np.tanh(t)``, ``np.sum(t, axis=(0, 1), keepdims=True)``, ``np.concatenate([t, a])`` find
our op here (see ``autograd_core._dispatch``). Each adapter takes numpy's keyword names and
defaults; an argument we do not implement (``out=``, ``order='F'``, a ``dtype`` that changes
the result) raises ``UnsupportedArgumentError``, which the protocol turns into a refusal when a
gradient is involved and into plain numpy on the data when none is.

>>> import numpy as np, autograd_core as ag
>>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> np.sum(np.tanh(x) * np.ones(2), axis=0).grad_fn.name
'sum'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dispatch import HANDLED_FUNCTIONS, UnsupportedArgumentError, implements, implements_ufunc
from .._tensor import Tensor, tensor
from . import arithmetic as ar
from . import elementwise as el
from . import linalg as la
from . import reductions as rd
from . import shape as sh
from ._helpers import normalize_axes

_NO = np._NoValue  # numpy's own "argument not given"

# -- ufuncs: numpy calls op(*inputs); reduce/accumulate go through np.sum & co. below --------
_UFUNCS = {
    ar.add: (np.add,),
    ar.sub: (np.subtract,),
    ar.mul: (np.multiply,),
    ar.div: (np.true_divide,),  # np.divide is np.true_divide
    ar.neg: (np.negative,),
    ar.maximum: (np.maximum,),
    ar.minimum: (np.minimum,),
    ar.equal: (np.equal,),
    ar.not_equal: (np.not_equal,),
    ar.less: (np.less,),
    ar.less_equal: (np.less_equal,),
    ar.greater: (np.greater,),
    ar.greater_equal: (np.greater_equal,),
    ar.logical_and: (np.logical_and,),
    ar.logical_or: (np.logical_or,),
    ar.logical_not: (np.logical_not,),
    el.power: (np.power,),
    el.exp: (np.exp,),
    el.log: (np.log,),
    el.log1p: (np.log1p,),
    el.expm1: (np.expm1,),
    el.sqrt: (np.sqrt,),
    el.sin: (np.sin,),
    el.cos: (np.cos,),
    el.tan: (np.tan,),
    el.tanh: (np.tanh,),
    el.abs_: (np.absolute, np.fabs),  # np.abs is np.absolute; fabs is abs on real input
    el.sign: (np.sign,),
    el.floor: (np.floor,),
    el.ceil: (np.ceil,),
    el.round_: (np.rint,),  # both round half to even
    el.isnan: (np.isnan,),
    el.isfinite: (np.isfinite,),
    la.matmul: (np.matmul,),
}
for _op, _ufuncs in _UFUNCS.items():
    implements_ufunc(*_ufuncs)(_op)


def _plain(name: str, **given: Any) -> None:
    """Refuse the numpy arguments we do not implement unless they are at their default."""
    for key, value in given.items():
        if value is not None and value is not _NO and not (key == "where" and value is True):
            raise UnsupportedArgumentError(f"{name}: {key}={value!r} is not implemented")


def _same_dtype(name: str, a: Any, dtype: Any) -> None:
    if dtype is not None and np.dtype(dtype) != np.result_type(a.dtype if isinstance(a, Tensor) else a):
        raise UnsupportedArgumentError(f"{name}: dtype={dtype!r} is not implemented")


# -- reductions --------------------------------------------------------------------------
def _reduction(op: Any, name: str):
    def reduce(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NO, where=True):
        _plain(name, out=out, initial=initial, where=where)
        _same_dtype(name, a, dtype)
        return op(a, axis=axis, keepdims=bool(keepdims))

    reduce.__name__ = name
    reduce.__doc__ = f"``numpy.{name}`` on Tensors."
    return reduce


implements(np.sum)(_reduction(rd.sum_, "sum"))
implements(np.prod)(_reduction(rd.prod, "prod"))


def _extreme(op: Any, name: str):
    def extreme(a, axis=None, out=None, keepdims=False, initial=_NO, where=True):
        _plain(name, out=out, initial=initial, where=where)
        return op(a, axis=axis, keepdims=bool(keepdims))

    extreme.__name__ = name
    extreme.__doc__ = f"``numpy.{name}`` on Tensors; tied extremes share the gradient evenly."
    return extreme


implements(np.max, np.amax)(_extreme(rd.max_, "max"))
implements(np.min, np.amin)(_extreme(rd.min_, "min"))


@implements(np.mean)
def _mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    _plain("mean", out=out, where=where)
    _same_dtype("mean", a, dtype)
    return rd.mean(a, axis=axis, keepdims=bool(keepdims))


def _spread(op: Any, name: str):
    def spread(
        a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=_NO, correction=_NO
    ):
        _plain(name, out=out, where=where, mean=mean)
        _same_dtype(name, a, dtype)
        if correction is not _NO:
            if ddof != 0:
                raise ValueError(f"{name}: ddof and correction can't be provided simultaneously.")
            ddof = correction
        return op(a, axis=axis, ddof=ddof, keepdims=bool(keepdims))

    spread.__name__ = name
    spread.__doc__ = f"``numpy.{name}`` on Tensors."
    return spread


implements(np.var)(_spread(rd.var, "var"))
implements(np.std)(_spread(rd.std, "std"))


@implements(np.cumsum)
def _cumsum(a, axis=None, dtype=None, out=None):
    _plain("cumsum", out=out)
    _same_dtype("cumsum", a, dtype)
    return rd.cumsum(a, axis=axis)


def _arg(op: Any, name: str):
    def arg(a, axis=None, out=None, *, keepdims=False):
        _plain(name, out=out)
        return op(a, axis=axis, keepdims=bool(keepdims))

    arg.__name__ = name
    arg.__doc__ = f"``numpy.{name}`` on Tensors (no gradient)."
    return arg


implements(np.argmax)(_arg(rd.argmax, "argmax"))
implements(np.argmin)(_arg(rd.argmin, "argmin"))


def _linalg_norm(x, ord=None, axis=None, keepdims=False):
    # Our norm is the 2-norm over any axes, and the 1- and inf-norms of vectors: it is numpy's
    # wherever numpy computes a vector norm or the Frobenius norm; other matrix norms are refused.
    if axis is not None and np.ndim(axis) == 1 and len(axis) == 1:
        axis = axis[0]
    vector = np.ndim(axis) == 0 if axis is not None else np.ndim(x) == 1
    if vector and ord == "fro":
        raise ValueError("Invalid norm order 'fro' for vectors")
    if not (ord in (None, "fro") or vector and ord in (1, 2, np.inf)):
        raise UnsupportedArgumentError(f"linalg.norm: ord={ord!r} with axis={axis!r} on {np.ndim(x)}-D input")
    return rd.norm(x, ord=ord, axis=axis, keepdims=keepdims)


if np.linalg.norm not in HANDLED_FUNCTIONS:  # a fuller norm registered elsewhere wins
    implements(np.linalg.norm)(_linalg_norm)


# -- products ------------------------------------------------------------------------------
@implements(np.dot)
def _dot(a, b, out=None):
    _plain("dot", out=out)
    return la.dot(a, b)


@implements(np.outer)
def _outer(a, b, out=None):
    _plain("outer", out=out)
    return la.outer(a, b)


@implements(np.einsum)
def _einsum(subscripts, *operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    _plain("einsum", out=out, dtype=dtype)  # optimize only changes the order of the work
    return la.einsum(subscripts, *operands)


# -- selection -------------------------------------------------------------------------------
@implements(np.where)
def _where(condition, x=_NO, y=_NO):
    if x is _NO and y is _NO:
        raise UnsupportedArgumentError("where: the one-argument form (nonzero) is not implemented")
    if x is _NO or y is _NO:
        raise ValueError("either both or neither of x and y should be given")
    data = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    if data.dtype != bool:
        condition = data != 0
    return ar.where(condition, x, y)


@implements(np.clip)
def _clip(a, a_min=_NO, a_max=_NO, out=None, *, min=_NO, max=_NO, **kwargs):  # noqa: A002
    _plain("clip", out=out, **kwargs)
    lo = None if a_min is _NO else a_min
    hi = None if a_max is _NO else a_max
    if min is not _NO:
        lo = min
    if max is not _NO:
        hi = max
    return ar.clip(a, lo, hi)


# -- shape -----------------------------------------------------------------------------------
@implements(np.concatenate)
def _concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    _plain("concatenate", out=out, dtype=dtype)
    if axis is None:
        arrays = [sh.reshape(a, (-1,)) for a in arrays]
        axis = 0
    return sh.concatenate(list(arrays), axis=axis)


@implements(np.stack)
def _stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    _plain("stack", out=out, dtype=dtype)
    return sh.stack(list(arrays), axis=axis)


@implements(np.reshape)
def _reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C" or copy is False:
        raise UnsupportedArgumentError(f"reshape: order={order!r}, copy={copy!r} is not implemented")
    if newshape is not None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape() missing 1 required positional argument: 'shape'")
    return sh.reshape(a, shape)


@implements(np.ravel)
def _ravel(a, order="C"):
    if order not in ("C", "A", "K"):
        raise UnsupportedArgumentError(f"ravel: order={order!r} is not implemented")
    return sh.reshape(a, (-1,))


@implements(np.transpose)
def _transpose(a, axes=None):
    return sh.transpose(a, None if axes is None else tuple(axes))


@implements(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    return sh.swapaxes(a, axis1, axis2)


@implements(np.squeeze)
def _squeeze(a, axis=None):
    return sh.squeeze(a, axis)


@implements(np.expand_dims)
def _expand_dims(a, axis):
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    ndim = np.ndim(a) + len(axes)
    for ax in normalize_axes(axes, ndim, "expand_dims"):  # ascending, as numpy places them
        a = sh.expand_dims(a, ax)
    return a


@implements(np.broadcast_to)
def _broadcast_to(array, shape, subok=False):
    return sh.broadcast_to(array, (shape,) if np.ndim(shape) == 0 else tuple(shape))


@implements(np.pad)
def _pad(array, pad_width, mode="constant", **kwargs):
    values = kwargs.pop("constant_values", 0)
    if mode != "constant" or kwargs or np.ndim(values) != 0:
        raise UnsupportedArgumentError(f"pad: mode={mode!r} with {sorted(kwargs) or 'array constant_values'}")
    return sh.pad(array, pad_width, values)


@implements(np.take)
def _take(a, indices, axis=None, out=None, mode="raise"):
    _plain("take", out=out)
    if mode != "raise":
        raise UnsupportedArgumentError(f"take: mode={mode!r} is not implemented")
    return sh.take(a, indices, axis=axis)


@implements(np.take_along_axis)
def _take_along_axis(arr, indices, axis=-1):
    if axis is None:
        return sh.gather(sh.reshape(arr, (-1,)), indices, 0)
    return sh.gather(arr, indices, axis)


@implements(np.split)
def _split(ary, indices_or_sections, axis=0):
    return sh.split(ary, indices_or_sections, axis=axis)


@implements(np.round, np.around)
def _round(a, decimals=0, out=None):
    _plain("round", out=out)
    if decimals != 0:
        raise UnsupportedArgumentError(f"round: decimals={decimals!r} is not implemented")
    return el.round_(a)


@implements(np.astype)
def _astype(x, dtype, /, *, copy=True, device=None):
    _plain("astype", device=device)
    return sh.astype(x, np.dtype(dtype))


@implements(np.copy)
def _copy(a, order="K", subok=False):
    return tensor(a)  # a recorded copy when ``a`` is on the tape


# -- answers that do not depend on the values: metadata and constants --------------------------
def _raw(a: Any) -> Any:
    return a.data if isinstance(a, Tensor) else a


implements(np.shape)(lambda a: np.shape(_raw(a)))
implements(np.ndim)(lambda a: np.ndim(_raw(a)))
implements(np.size)(lambda a, axis=None: np.size(_raw(a), axis))
implements(np.result_type)(lambda *arrays_and_dtypes: np.result_type(*[_raw(a) for a in arrays_and_dtypes]))
implements(np.iscomplexobj)(lambda x: np.iscomplexobj(_raw(x)))
implements(np.isrealobj)(lambda x: np.isrealobj(_raw(x)))


def _like(numpy_fn: Any):
    def like(a, *args, **kwargs):
        for v in (*args, *kwargs.values()):
            if isinstance(v, Tensor) and v.requires_grad:
                raise UnsupportedArgumentError(f"{numpy_fn.__name__}: a fill value on the tape")
        return Tensor._make(numpy_fn(_raw(a), *[_raw(v) for v in args], **kwargs))

    like.__name__ = numpy_fn.__name__
    like.__doc__ = f"``numpy.{numpy_fn.__name__}``: a constant Tensor (no gradient flows into a constant)."
    return like


for _fn in (np.zeros_like, np.ones_like, np.empty_like, np.full_like):
    implements(_fn)(_like(_fn))
