"""``numpy.linalg`` with gradients: ``import autograd_core as ag`` then ``ag.linalg.det(t)``.

Every public name of ``numpy.linalg``: ours where differentiable (inv, pinv, solve, det, slogdet,
cholesky, eigh, eigvalsh, eig, eigvals, svd, svdvals, qr, norm, matrix_norm, vector_norm,
matrix_power, multi_dot, matmul, outer, matrix_transpose), numpy's own otherwise (cond,
matrix_rank, lstsq, tensorinv, ...; called on a Tensor that requires grad, numpy's dispatch
refuses them). The differentiable ones are also top-level: ``ag.det``, ``ag.inv``, ``ag.solve``, ...
The rules and their singular points are in ``autograd_core/ops/decompositions.py``.

>>> import autograd_core as ag
>>> a = ag.tensor([[4.0, 1.0], [1.0, 3.0]], requires_grad=True)
>>> ag.linalg.slogdet(a).logabsdet.backward()
>>> a.grad.numpy().round(4)  # inv(a).T
array([[ 0.2727, -0.0909],
       [-0.0909,  0.3636]])
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from .ops import matmul, outer, swapaxes
from .ops.decompositions import (
    EighResult,
    EigResult,
    QRResult,
    SlogdetResult,
    SVDResult,
    cholesky,
    det,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    inv,
    matrix_power,
    multi_dot,
    pinv,
    qr,
    slogdet,
    solve,
    svd,
    svdvals,
)
from .ops.reductions import norm

LinAlgError = _np.linalg.LinAlgError


def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:
    """Matrix norm over the last two axes (``numpy.linalg.matrix_norm``)."""
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


def vector_norm(x: Any, /, *, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Any:
    """Vector norm over ``axis`` (all elements, flattened, when None) (``numpy.linalg.vector_norm``)."""
    from .ops import reshape

    if axis is None:
        shape = _np.shape(x)
        out = norm(reshape(x, (-1,)), ord=ord, axis=0)
        return reshape(out, (1,) * len(shape)) if keepdims else out
    if isinstance(axis, tuple) and len(axis) != 1:
        from .ops import transpose

        nd = _np.ndim(x)
        axes = tuple(a % nd for a in axis)
        rest = [d for d in range(nd) if d not in axes]
        moved = transpose(x, tuple(rest + list(axes)))
        flat = reshape(moved, tuple(_np.shape(x)[d] for d in rest) + (-1,))
        out = norm(flat, ord=ord, axis=-1)
        if keepdims:
            out = reshape(out, tuple(1 if d in axes else _np.shape(x)[d] for d in range(nd)))
        return out
    return norm(x, ord=ord, axis=axis, keepdims=keepdims)


def matrix_transpose(x: Any, /) -> Any:
    """Transpose of the last two axes (``numpy.linalg.matrix_transpose``)."""
    if _np.ndim(x) < 2:
        raise ValueError(f"matrix_transpose: input must be at least 2-D, got shape {_np.shape(x)}")
    return swapaxes(x, -1, -2)


# numpy's own for the rest (no rule: numpy's dispatch refuses them on Tensors that require grad).
cond = _np.linalg.cond
cross = _np.linalg.cross
diagonal = _np.linalg.diagonal
lstsq = _np.linalg.lstsq
matrix_rank = _np.linalg.matrix_rank
tensordot = _np.linalg.tensordot
tensorinv = _np.linalg.tensorinv
tensorsolve = _np.linalg.tensorsolve
trace = _np.linalg.trace
vecdot = _np.linalg.vecdot

__all__ = [
    "EigResult",
    "EighResult",
    "LinAlgError",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "cholesky",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "lstsq",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "multi_dot",
    "norm",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "tensorinv",
    "tensorsolve",
    "trace",
    "vecdot",
    "vector_norm",
]
