"""numpy's own functions on Tensors: the table from numpy callables to autograd_core ops.

``Tensor.__array_function__`` and ``Tensor.__array_ufunc__`` look numpy's function up here.
Each op module registers the numpy names it implements next to its own declarations, so the
table grows with the sheet:

    implements(np.linalg.det)(det)          # a numpy function -> our function, numpy's signature
    implements_ufunc(np.tanh)(tanh)         # a ufunc -> our op, called as op(*inputs, **kwargs)

A numpy function missing from these tables, called on a Tensor that requires grad, is refused
with a ``TypeError`` naming it (never computed on the raw data, which would drop the gradient).
"""

from __future__ import annotations

from typing import Any, Callable, Dict

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
