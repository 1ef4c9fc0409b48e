"""Gradient checks against central finite differences, in float64."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from ._backward import walk
from ._errors import GradcheckError
from ._grad_mode import enable_grad, no_grad
from ._tensor import Tensor


def _as_float64_inputs(inputs: Sequence[Any], who: str) -> List[np.ndarray]:
    arrays = []
    for i, x in enumerate(inputs):
        a = np.array(x.data if isinstance(x, Tensor) else x, dtype=None, copy=True)
        if a.dtype.kind not in "fiu":
            raise TypeError(f"{who}: input {i} must be real numbers, got dtype {a.dtype}")
        arrays.append(a.astype(np.float64))
    return arrays


def _evaluate(f: Callable[..., Any], arrays: Sequence[np.ndarray]) -> np.ndarray:
    with no_grad():
        out = f(*[Tensor._make(a) for a in arrays])
    # A copy: f may return a view of its input (reshape), which the next perturbation would change.
    return np.array(out.data if isinstance(out, Tensor) else out, dtype=np.float64, copy=True)


def _analytic(f: Callable[..., Any], arrays: Sequence[np.ndarray], seed: np.ndarray) -> List[np.ndarray]:
    leaves = [Tensor._make(a.copy()).requires_grad_(True) for a in arrays]
    with enable_grad():
        out = f(*leaves)
    if not isinstance(out, Tensor) or not out.requires_grad:
        return [np.zeros_like(a) for a in arrays]
    grads = walk(out, seed.reshape(out.shape), True, False, leaves)
    return [np.zeros_like(a) if g is None else np.asarray(g, dtype=np.float64) for g, a in zip(grads, arrays)]


def gradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    grad_output: Optional[Any] = None,
) -> bool:
    """Compare the analytic gradient of ``f`` with central finite differences, in float64.

    Checks every element of the Jacobian (one backward per output element), or, when
    ``grad_output`` is given, the vector-Jacobian product with it (one backward). Returns
    True, or raises ``GradcheckError`` naming the input, the element index, and the
    analytic and numeric values of the worst mismatch.

    >>> from autograd_core import gradcheck, tanh
    >>> gradcheck(lambda x: tanh(x) * x, [0.5, -1.0, 2.0])
    True
    """
    arrays = _as_float64_inputs(inputs, "gradcheck")
    base = _evaluate(f, arrays)
    if grad_output is not None:
        seeds = [np.asarray(grad_output, dtype=np.float64).reshape(base.shape)]
    else:
        seeds = [np.eye(base.size, dtype=np.float64)[k].reshape(base.shape) for k in range(base.size)]
    numeric_jacobians = [_numeric_jacobian(f, arrays, a, eps) for a in arrays]
    for k, seed in enumerate(seeds):
        analytic = _analytic(f, arrays, seed)
        for i, (a, jac) in enumerate(zip(arrays, numeric_jacobians)):
            numeric = (seed.reshape(-1) @ jac).reshape(a.shape)
            _compare(analytic[i], numeric, i, k if grad_output is None else None, atol, rtol)
    return True


def _numeric_jacobian(
    f: Callable[..., Any], arrays: Sequence[np.ndarray], a: np.ndarray, eps: float
) -> np.ndarray:
    """Central differences, one column per element of ``a``: shape (f's size, a's size)."""
    columns = []
    for j in range(a.size):
        index = np.unravel_index(j, a.shape)  # writes into ``a`` itself, whatever its layout
        keep = a[index]
        a[index] = keep + eps
        plus = _evaluate(f, arrays).reshape(-1)
        a[index] = keep - eps
        minus = _evaluate(f, arrays).reshape(-1)
        a[index] = keep
        columns.append((plus - minus) / (2 * eps))
    size = _evaluate(f, arrays).size
    return np.stack(columns, axis=1) if columns else np.zeros((size, 0))


def _compare(
    analytic: np.ndarray, numeric: np.ndarray, i: int, out_index: Optional[int], atol: float, rtol: float
) -> None:
    error = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
    bad = ~(error <= 0)  # NaN counts as a mismatch
    if bad.any():
        j = int(np.argmax(np.where(bad, np.nan_to_num(error, nan=np.inf), -np.inf)))
        index = np.unravel_index(j, analytic.shape) if analytic.ndim else ()
        where = f" for output element {out_index}" if out_index is not None else ""
        raise GradcheckError(
            f"gradcheck: input {i}, element {tuple(int(t) for t in index)}{where}: analytic "
            f"{analytic.reshape(-1)[j]!r} vs numeric {numeric.reshape(-1)[j]!r} "
            f"(atol={atol}, rtol={rtol}; {int(bad.sum())} of {bad.size} elements differ)"
        )


def gradgradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    grad_output: Optional[Any] = None,
) -> bool:
    """Check second derivatives: gradcheck the map x ↦ vᵀ·J(x) built with ``create_graph``.

    ``v`` is ``grad_output`` or a fixed random vector.

    >>> from autograd_core import gradgradcheck, tanh
    >>> gradgradcheck(lambda x: tanh(x) * x, [0.5, -1.0])
    True
    """
    arrays = _as_float64_inputs(inputs, "gradgradcheck")
    shape = _evaluate(f, arrays).shape
    if grad_output is None:
        v = np.random.default_rng(0).standard_normal(shape)
    else:
        v = np.asarray(grad_output, dtype=np.float64).reshape(shape)

    def first_derivative(*xs: Tensor) -> Tensor:
        from .ops import concatenate, reshape

        with enable_grad():
            watched = [x if x.requires_grad else Tensor._make(x.data).requires_grad_(True) for x in xs]
            out = f(*watched)
            if not out.requires_grad:
                return Tensor._make(np.zeros(sum(x.size for x in xs)))
            grads = walk(out, Tensor._make(v), True, True, watched)
            parts = [
                reshape(g, (-1,)) if g is not None else Tensor._make(np.zeros(x.size))
                for g, x in zip(grads, xs)
            ]
            return concatenate(parts)

    return gradcheck(first_derivative, *arrays, eps=eps, atol=atol, rtol=rtol)
