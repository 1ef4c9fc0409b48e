"""Gradient checks against central finite differences, in float64 (complex128 for complex)."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from ._backward import walk
from ._errors import GradcheckError
from ._grad_mode import enable_grad, no_grad
from ._tensor import Tensor

_LOW_PRECISION = ("float16", "float32", "complex64")


def _as_float64_inputs(inputs: Sequence[Any], who: str) -> List[np.ndarray]:
    arrays = []
    for i, x in enumerate(inputs):
        a = np.array(x.data if isinstance(x, Tensor) else x, dtype=None, copy=True)
        if a.dtype.kind not in "fiuc":
            raise TypeError(f"{who}: input {i} must be real or complex numbers, got dtype {a.dtype}")
        arrays.append(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    return arrays


def _evaluate(f: Callable[..., Any], arrays: Sequence[np.ndarray]) -> np.ndarray:
    with no_grad():
        out = f(*[Tensor._make(a) for a in arrays])
    out = np.asarray(out.data if isinstance(out, Tensor) else out)
    # A copy: f may return a view of its input (reshape), which the next perturbation would change.
    return np.array(out, dtype=np.complex128 if out.dtype.kind == "c" else np.float64, copy=True)


def _coords(v: np.ndarray) -> np.ndarray:
    """A real or complex array as a flat real vector: [real parts, imaginary parts] when complex."""
    v = np.asarray(v).reshape(-1)
    return np.concatenate([v.real, v.imag]) if v.dtype.kind == "c" else v


def _analytic(f: Callable[..., Any], arrays: Sequence[np.ndarray], seed: np.ndarray) -> List[np.ndarray]:
    leaves = [Tensor._make(a.copy()).requires_grad_(True) for a in arrays]
    with enable_grad():
        out = f(*leaves)
    if not isinstance(out, Tensor) or not out.requires_grad:
        return [np.zeros_like(a) for a in arrays]
    grads = walk(out, seed.reshape(out.shape), True, False, leaves)
    return [np.zeros_like(a) if g is None else np.asarray(g, dtype=a.dtype) for g, a in zip(grads, arrays)]


def _seeds(base: np.ndarray, grad_output: Optional[Any]) -> List[np.ndarray]:
    """Upstream gradients: one per real coordinate of the output (1, then i, for complex)."""
    if grad_output is not None:
        seed = np.asarray(grad_output)
        dtype = np.complex128 if seed.dtype.kind == "c" or base.dtype.kind == "c" else np.float64
        return [seed.astype(dtype).reshape(base.shape)]
    eye = np.eye(base.size, dtype=base.dtype)
    seeds = [eye[k].reshape(base.shape) for k in range(base.size)]
    if base.dtype.kind == "c":
        seeds += [1j * s for s in seeds]
    return seeds


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
    analytic and numeric values of the worst mismatch. Complex inputs and outputs are
    checked part by part: the real and the imaginary part of each element are perturbed
    (PyTorch's convention, ``z.grad = dL/dx + i dL/dy``).

    >>> from autograd_core import gradcheck, tanh
    >>> gradcheck(lambda x: tanh(x) * x, [0.5, -1.0, 2.0])
    True
    """
    arrays = _as_float64_inputs(inputs, "gradcheck")
    base = _evaluate(f, arrays)
    seeds = _seeds(base, grad_output)
    numeric_jacobians = [_numeric_jacobian(f, arrays, a, eps) for a in arrays]
    try:
        for k, seed in enumerate(seeds):
            analytic = _analytic(f, arrays, seed)
            for i, (a, jac) in enumerate(zip(arrays, numeric_jacobians)):
                numeric = _coords(seed) @ jac  # the real coordinates of the input's gradient
                if a.dtype.kind == "c":
                    numeric = numeric[: a.size] + 1j * numeric[a.size :]
                numeric = numeric.reshape(a.shape)
                out_index = None if grad_output is not None else k
                _compare(analytic[i], numeric, i, out_index, base.size, atol, rtol)
    except GradcheckError as err:
        raise GradcheckError(f"{err}{_precision_note(f, inputs, arrays, eps)}") from None
    return True


def _numeric_jacobian(
    f: Callable[..., Any], arrays: Sequence[np.ndarray], a: np.ndarray, eps: float
) -> np.ndarray:
    """Central differences, one column per real coordinate of ``a`` (real parts, then
    imaginary parts), one row per real coordinate of f's output."""
    columns = []
    steps = (eps, 1j * eps) if a.dtype.kind == "c" else (eps,)
    for step in steps:
        for j in range(a.size):
            index = np.unravel_index(j, a.shape)  # writes into ``a`` itself, whatever its layout
            keep = a[index]
            a[index] = keep + step
            plus = _coords(_evaluate(f, arrays))
            a[index] = keep - step
            minus = _coords(_evaluate(f, arrays))
            a[index] = keep
            columns.append((plus - minus) / (2 * eps))
    size = _coords(_evaluate(f, arrays)).size
    return np.stack(columns, axis=1) if columns else np.zeros((size, 0))


def _precision_note(
    f: Callable[..., Any], inputs: Sequence[Any], arrays: Sequence[np.ndarray], eps: float
) -> str:
    """Why a check may fail for rounding alone: f, or the inputs given, in float32/float16."""
    with no_grad():
        out = f(*[Tensor._make(a) for a in arrays])
    dtype = np.asarray(out.data if isinstance(out, Tensor) else out).dtype
    given = {str(np.asarray(x.data if isinstance(x, Tensor) else x).dtype) for x in inputs}
    if str(dtype) in _LOW_PRECISION:
        where = f"f computes in {dtype} even on float64 inputs (float32 parameters?)"
    elif given & set(_LOW_PRECISION):
        where = f"the inputs were {'/'.join(sorted(given & set(_LOW_PRECISION)))} (checked as float64)"
    else:
        return ""
    return (
        f"; note: {where}, and finite differences with eps={eps} drown in its rounding: check in "
        "float64 (model.double(), or inputs and parameters with dtype=np.float64)"
    )


def _compare(
    analytic: np.ndarray,
    numeric: np.ndarray,
    i: int,
    out_index: Optional[int],
    out_size: int,
    atol: float,
    rtol: float,
) -> None:
    parts = [("", analytic, numeric)]
    if analytic.dtype.kind == "c" or numeric.dtype.kind == "c":
        parts = [
            (" (real part)", analytic.real, numeric.real),
            (" (imaginary part)", analytic.imag, numeric.imag),
        ]
    for part, a, n in parts:
        error = np.abs(a - n) - (atol + rtol * np.abs(n))
        bad = ~(error <= 0)  # NaN counts as a mismatch
        if not bad.any():
            continue
        j = int(np.argmax(np.where(bad, np.nan_to_num(error, nan=np.inf), -np.inf)))
        index = np.unravel_index(j, a.shape) if a.ndim else ()
        where = ""
        if out_index is not None:
            k = out_index % out_size
            kind = " (imaginary part)" if out_index >= out_size else ""
            where = f" for output element {k}{kind}"
        raise GradcheckError(
            f"gradcheck: input {i}, element {tuple(int(t) for t in index)}{part}{where}: analytic "
            f"{a.reshape(-1)[j]!r} vs numeric {n.reshape(-1)[j]!r} "
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
    out = _evaluate(f, arrays)
    shape = out.shape
    if grad_output is None:
        rng = np.random.default_rng(0)
        v = rng.standard_normal(shape)
        if out.dtype.kind == "c":
            v = v + 1j * rng.standard_normal(shape)
    else:
        v = np.asarray(grad_output)
        v = v.astype(np.complex128 if v.dtype.kind == "c" else np.float64).reshape(shape)

    def first_derivative(*xs: Tensor) -> Tensor:
        from .ops import concatenate, reshape

        with enable_grad():
            watched = [x if x.requires_grad else Tensor._make(x.data).requires_grad_(True) for x in xs]
            out = f(*watched)
            if not out.requires_grad:
                return Tensor._make(np.zeros(sum(x.size for x in xs)))
            grads = walk(out, Tensor._make(v), True, True, watched)
            parts = [
                reshape(g, (-1,)) if g is not None else Tensor._make(np.zeros(x.size, dtype=x.dtype))
                for g, x in zip(grads, xs)
            ]
            return concatenate(parts)

    return gradcheck(first_derivative, *arrays, eps=eps, atol=atol, rtol=rtol)
