"""numpy's own functions on Tensors: the table from numpy callables to autograd_core ops.

``Tensor.__array_function__`` and ``Tensor.__array_ufunc__`` (``array_function`` and
``array_ufunc`` below) look numpy's function up here. Op modules register the numpy names they
implement (the built-in ops in ``ops/_numpy_api.py``, with numpy's signatures), so the table
grows with the sheet:

    implements(np.linalg.det)(det)          # a numpy function -> our function, numpy's signature
    implements_ufunc(np.tanh)(tanh)         # a ufunc -> our op, called as op(*inputs)

A ufunc's ``reduce``/``accumulate`` use the entries of np.sum, np.prod, np.max, np.min,
np.cumsum, np.cumprod. A numpy function missing from these tables, or an argument an entry
does not implement (``out=``, ``where=``, ...), called with a Tensor that requires grad, is
refused with a ``TypeError`` naming it: never computed on the raw data, which would drop the
gradient. Without such a Tensor, numpy computes on the data and returns its own result.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Dict, Optional

import numpy as np

from ._primitive import Primitive, mark_modified
from ._tensor import Tensor, _holds_tensor

HANDLED_FUNCTIONS: Dict[Any, Callable[..., Any]] = {}
HANDLED_UFUNCS: Dict[Any, Callable[..., Any]] = {}


def implements(*numpy_functions: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as the Tensor implementation of each of ``numpy_functions``.

    >>> import numpy as np
    >>> from autograd_core._dispatch import HANDLED_FUNCTIONS, implements
    >>> @implements(np.fliplr)
    ... def my_fliplr(m):
    ...     return m[:, ::-1]
    >>> HANDLED_FUNCTIONS[np.fliplr] is my_fliplr
    True
    >>> del HANDLED_FUNCTIONS[np.fliplr]
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for f in numpy_functions:
            HANDLED_FUNCTIONS[f] = fn
        return fn

    return register


def implements_ufunc(*ufuncs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as the Tensor implementation of each of ``ufuncs`` (their ``__call__``)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        for u in ufuncs:
            HANDLED_UFUNCS[u] = fn
        return fn

    return register


class UnsupportedArgumentError(TypeError):
    """Raised by a registered function for a numpy argument it does not implement (``out=``,
    ``order='F'``, ...). The protocol then computes on the raw data when no gradient is involved
    and refuses, with this message, when one is."""


# ufunc methods answered by a registered numpy function, looked up in the table at call time
# (so a later registration, such as np.cumprod, is picked up).
_REDUCE_AS = {np.add: np.sum, np.multiply: np.prod, np.maximum: np.max, np.minimum: np.min}
_ACCUMULATE_AS = {np.add: np.cumsum, np.multiply: np.cumprod}
# keyword arguments of a ufunc call that change nothing at these values
_UFUNC_DEFAULTS = {"where": True, "casting": "same_kind", "order": "K", "dtype": None, "subok": True}


def _is_default(key: str, value: Any) -> bool:
    if key not in _UFUNC_DEFAULTS:
        return False
    default = _UFUNC_DEFAULTS[key]
    return value is default or (isinstance(value, str) and value == default)


def _requires_grad(*values: Any) -> bool:
    """Whether ``values`` (nested in lists/tuples) hold a Tensor that requires grad."""
    return _holds_tensor(values, requiring_grad=True)


def _unwrap(value: Any) -> Any:
    if isinstance(value, Tensor):
        return value.data
    if type(value) in (list, tuple):
        return type(value)(_unwrap(v) for v in value)
    return value


def _scipy_special_ufunc(ufunc: Any) -> bool:
    special = sys.modules.get("scipy.special")  # imported already if the caller holds its ufunc
    return special is not None and getattr(special, getattr(ufunc, "__name__", ""), None) is ufunc


def _rule_on_demand(ufunc: Any) -> Optional[Callable[..., Any]]:
    """The rule of a scipy.special ufunc, registered by autograd_core.scipy.special: imported on first
    use, so scipy.special.expit(t) records without the user importing it (and autograd_core itself
    stays numpy-only). None for any other ufunc without a rule."""
    if not _scipy_special_ufunc(ufunc):
        return None
    importlib.import_module("autograd_core.scipy.special")
    return HANDLED_UFUNCS.get(ufunc)


def numpy_name(func: Any) -> str:
    """``numpy.linalg.det`` for np.linalg.det, ``numpy.add`` for the ufunc."""
    if isinstance(func, np.ufunc) and _scipy_special_ufunc(func):
        return f"scipy.special.{func.__name__}"
    module = getattr(func, "__module__", None) or "numpy"
    if isinstance(func, np.ufunc) or module.startswith("numpy._core") or module == "numpy":
        module = "numpy"
    return f"{module}.{getattr(func, '__name__', repr(func))}"


def _describe(args: Any) -> str:
    shapes = [f"{v.shape} {v.dtype}" for v in _flat(args) if isinstance(v, Tensor) and v.requires_grad]
    return ", ".join(shapes)


def _flat(value: Any) -> list:
    if type(value) in (list, tuple):
        return [x for v in value for x in _flat(v)]
    return [value]


def missing_rule(name: str, args: Any, register: str = "implements") -> TypeError:
    """The refusal of a numpy function without a rule, called on a Tensor that requires grad."""
    return TypeError(
        f"{name} has no autograd_core rule and was called on a Tensor that requires grad "
        f"(shape/dtype {_describe(args)}); computing it on the raw data would silently drop the "
        f"gradient. Use the matching autograd_core op if there is one, leave the tape deliberately "
        f"with t.detach(), or add a rule: declare an autograd_core.Primitive and register it with "
        f"autograd_core._dispatch.{register}({name})"
    )


def _refused_argument(name: str, err: Exception) -> TypeError:
    return TypeError(f"{name}: {err} (not supported on a Tensor that requires grad); {_DETACH_HINT}")


_DETACH_HINT = "call it without that argument, or on t.detach() to leave the tape deliberately"


def array_function(self: Tensor, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    """``Tensor.__array_function__``: numpy's non-ufunc functions on Tensors (NEP 18)."""
    fn = HANDLED_FUNCTIONS.get(func)
    if fn is not None:
        try:
            return fn(*args, **kwargs)
        except UnsupportedArgumentError as err:
            if _requires_grad(args, tuple(kwargs.values())):
                raise _refused_argument(numpy_name(func), err) from None
    elif _requires_grad(args, tuple(kwargs.values())):
        raise missing_rule(numpy_name(func), (args, kwargs))
    for t in types:  # another library's array type: let it answer
        if not issubclass(t, (Tensor, np.ndarray)):
            return NotImplemented
    # no gradient involved: numpy on the data, and numpy's own result (an ndarray, as before)
    return func(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()})


def array_ufunc(self: Tensor, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """``Tensor.__array_ufunc__``: numpy's ufuncs on Tensors, also ``ndarray <op> Tensor``."""
    if method == "__call__" and not kwargs:
        op = HANDLED_UFUNCS.get(ufunc)
        if op is None:
            op = _rule_on_demand(ufunc)
        if op is not None:  # np.tanh(t), ndarray * t, ...: the fast path, into the op's own
            if type(op) is Primitive:
                if len(inputs) == 1:
                    return op._apply_unary(self)
                if len(inputs) == 2:
                    return op.call2(*inputs)
            return op(*inputs)
    out = kwargs.get("out")
    if _requires_grad(inputs, out):
        return _tracked_ufunc(ufunc, method, inputs, kwargs)
    result = getattr(ufunc, method)(*_unwrap(inputs), **{k: _unwrap(v) for k, v in kwargs.items()})
    if method == "at" and isinstance(inputs[0], Tensor):  # np.add.at(t, ...) writes into t
        mark_modified(inputs[0])
    if out is None:
        return result
    for t in out:
        if isinstance(t, Tensor):
            mark_modified(t)
    return out[0] if len(out) == 1 else out


def _tracked_ufunc(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    name = numpy_name(ufunc) if method == "__call__" else f"{numpy_name(ufunc)}.{method}"
    if kwargs.get("out") is not None:
        raise TypeError(
            f"{name}: out= cannot hold the result of a recorded op (a Tensor that requires grad is "
            f"involved): writing into a buffer would take the value off the tape. Write "
            f"y = {name}(...) instead (for ndarray += t: a = a + t), or use t.detach()"
        )
    if method == "__call__":
        op = HANDLED_UFUNCS.get(ufunc)
        if op is None:
            op = _rule_on_demand(ufunc)
        extra = [k for k, v in kwargs.items() if k != "out" and not _is_default(k, v)]
        if op is not None:
            if extra:
                raise TypeError(
                    f"{name}: {', '.join(f'{k}=' for k in extra)} is not supported on a Tensor that "
                    f"requires grad; {_DETACH_HINT}"
                )
            return op(*inputs)
    elif method in ("reduce", "accumulate") and len(inputs) == 1:
        fn = HANDLED_FUNCTIONS.get((_REDUCE_AS if method == "reduce" else _ACCUMULATE_AS).get(ufunc))
        if fn is not None:
            kw = dict(kwargs)
            kw.pop("out", None)
            kw.setdefault("axis", 0)  # a ufunc method's default, unlike np.sum's
            try:
                return fn(inputs[0], **kw)
            except UnsupportedArgumentError as err:
                raise _refused_argument(name, err) from None
    raise missing_rule(name, inputs, "implements_ufunc" if method == "__call__" else "implements")
