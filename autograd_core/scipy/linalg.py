"""``scipy.linalg`` with gradients: solve_triangular, solve_sylvester, sqrtm (2-D matrices).

Rules: solve_triangular by the transposed solve, the gradient for ``a`` kept to the triangle it
reads; solve_sylvester (A X + X B = Q) by the transposed Sylvester equation; sqrtm (X X = A) by
the Sylvester equation Xᵀ Ā + Ā Xᵀ = Ḡ, which is singular when A has a zero eigenvalue or two
eigenvalues of X sum to 0: scipy's error then names the op.

>>> import numpy as np, autograd_core as ag
>>> from autograd_core.scipy import linalg
>>> a = ag.tensor([[4.0, 0.0], [0.0, 9.0]], requires_grad=True)
>>> linalg.sqrtm(a).sum().backward()
>>> a.grad.numpy()  # 1 / (2 sqrt(a_ii)) on the diagonal, 1 / (sqrt(a_00) + sqrt(a_11)) off it
array([[0.25      , 0.2       ],
       [0.2       , 0.16666667]])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg as _sl

from .._dispatch import implements
from .._primitive import Primitive
from .._tensor import Tensor
from ..ops.decompositions import _T
from ..ops.linalg import matmul
from ..ops.shape import expand_dims

_TRANS = {0: 0, "N": 0, 1: 1, "T": 1, 2: 1, "C": 1}


def _tri_mask(n: int, lower: bool, unit: bool, dtype: Any) -> np.ndarray:
    mask = np.tril(np.ones((n, n)), -1 if unit else 0)
    return (mask if lower else mask.T).astype(dtype)


def _solve_tri_forward(
    a: Any, b: Any, trans: Any = 0, lower: bool = False, unit_diagonal: bool = False
) -> np.ndarray:
    if np.ndim(a) != 2 or np.shape(a)[0] != np.shape(a)[1]:
        raise ValueError(f"solve_triangular: a must be a square matrix, got shape {np.shape(a)}")
    return _sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


def _solve_tri_vjp(
    g: Any, ans: Any, a: Any, b: Any, trans: Any = 0, lower: bool = False, unit_diagonal: bool = False
) -> list:
    # op(A) X = B, op = identity or transpose: B̄ = op(A)⁻ᵀ Ḡ, Ā = -B̄ Xᵀ (or -X B̄ᵀ when transposed), on A's triangle.
    t = _TRANS[trans]
    gb = solve_triangular(a, g, trans=1 - t, lower=lower, unit_diagonal=unit_diagonal)
    col_b, col_x = (expand_dims(gb, -1), expand_dims(ans, -1)) if b.ndim == 1 else (gb, ans)
    ga = -(matmul(col_x, _T(col_b)) if t else matmul(col_b, _T(col_x)))
    return [ga * _tri_mask(a.shape[-1], lower, unit_diagonal, ga.dtype), gb]


_solve_tri = Primitive(
    "scipy.linalg.solve_triangular",
    _solve_tri_forward,
    joint=_solve_tri_vjp,
    doc="Solve a triangular system.",
)


def solve_triangular(
    a: Any,
    b: Any,
    trans: Any = 0,
    lower: bool = False,
    unit_diagonal: bool = False,
    overwrite_b: bool = False,
    check_finite: bool = True,
) -> Any:
    """Solve ``a x = b`` (``trans=1``: ``aᵀ x = b``) reading only the ``lower`` (or upper) triangle of ``a``."""
    if trans not in _TRANS:
        raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}")
    return _solve_tri(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal)


def _sylvester_vjp(g: Any, ans: Any, a: Any, b: Any, q: Any) -> list:
    gq = solve_sylvester(_T(a), _T(b), g)  # the adjoint equation Aᵀ Q̄ + Q̄ Bᵀ = Ḡ
    return [-matmul(gq, _T(ans)), -matmul(_T(ans), gq), gq]


def _sylvester_forward(a: Any, b: Any, q: Any) -> np.ndarray:
    return _sl.solve_sylvester(a, b, q)


solve_sylvester = Primitive(
    "scipy.linalg.solve_sylvester", _sylvester_forward, joint=_sylvester_vjp, doc="Solve A X + X B = Q for X."
)


def _sqrtm_forward(a: Any) -> np.ndarray:
    if np.ndim(a) != 2 or np.shape(a)[0] != np.shape(a)[1]:
        raise ValueError(f"sqrtm: a must be a square matrix, got shape {np.shape(a)}")
    return np.asarray(_sl.sqrtm(a))


def _sqrtm_vjp(g: Any, ans: Any, a: Any) -> Any:
    if np.iscomplexobj(ans.data if isinstance(ans, Tensor) else ans) and not np.iscomplexobj(
        a.data if isinstance(a, Tensor) else a
    ):
        raise ValueError(
            f"sqrtm: the square root of this real matrix is complex (shape {a.shape}): no real gradient"
        )
    return solve_sylvester(_T(ans), _T(ans), g)


sqrtm = Primitive("scipy.linalg.sqrtm", _sqrtm_forward, _sqrtm_vjp, doc="Principal matrix square root.")

for _sc_fn, _ours in [
    (_sl.solve_triangular, solve_triangular),
    (_sl.solve_sylvester, solve_sylvester),
    (_sl.sqrtm, sqrtm),
]:
    implements(_sc_fn)(_ours)

__all__ = ["solve_sylvester", "solve_triangular", "sqrtm"]
