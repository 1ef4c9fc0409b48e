"""numpy.linalg: matrix functions and decompositions, the derivative sheet.

Every rule works on stacks of matrices ``(..., m, n)``, as numpy does, and is written with the
primitives (matmul, solve, where, ...), so second derivatives come from the same rules.
``_T`` is the transpose of the last two axes. A decomposition with several outputs (eigh, eig,
svd, qr) is one primitive whose output packs the parts side by side along a last axis; the
public function slices them out, so their gradients meet again as one packed gradient.

Singular points are refused, naming the op, never turned into NaN gradients: a singular
matrix in inv/solve/slogdet (``LinAlgError`` naming the op), a non-positive-definite one in
cholesky, repeated eigenvalues or singular values when the loss uses the eigenvectors or
singular vectors, complex eigenvalues in eig. det is exact at singular matrices too (its
gradient is the adjugate, computed from an SVD). Gradients that only use eigenvalues or
singular values are returned at repeated values: exact for symmetric functions of them
(``trace``, ``sum(s)``), the tie convention otherwise.

>>> import autograd_core as ag
>>> a = ag.tensor([[2.0, 1.0], [0.5, 3.0]], requires_grad=True)
>>> ag.det(a).backward()
>>> a.grad.numpy()
array([[ 3. , -0.5],
       [-1. ,  2. ]])
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Callable, List, Sequence

import numpy as np

from .._dispatch import implements
from .._primitive import Primitive
from .._tensor import Tensor
from .arithmetic import where
from .linalg import matmul
from .reductions import sum_
from .shape import concatenate, expand_dims, getitem, reshape, swapaxes

EighResult = namedtuple("EighResult", "eigenvalues eigenvectors")
EigResult = namedtuple("EigResult", "eigenvalues eigenvectors")
SVDResult = namedtuple("SVDResult", "U S Vh")
QRResult = namedtuple("QRResult", "Q R")
SlogdetResult = namedtuple("SlogdetResult", "sign logabsdet")

_LinAlgError = np.linalg.LinAlgError


# -- helpers: shapes, masks, packing -------------------------------------------------------------
def _T(x: Any) -> Any:
    return swapaxes(x, -1, -2)


def _raw(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _square(op: str, a: Any) -> None:
    if np.ndim(a) < 2 or np.shape(a)[-1] != np.shape(a)[-2]:
        raise ValueError(f"{op}: expected a (stack of) square matrices (..., n, n), got shape {np.shape(a)}")


def _matrices(op: str, a: Any) -> None:
    if np.ndim(a) < 2:
        raise ValueError(f"{op}: expected a (stack of) matrices (..., m, n), got shape {np.shape(a)}")


def _lapack(op: str, fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run numpy's ``fn``; a ``LinAlgError`` comes back naming ``op`` and the input's shape."""
    try:
        return fn(*args, **kwargs)
    except _LinAlgError as err:
        raise _LinAlgError(f"{op}: {err} (input shape {np.shape(args[0])})") from None


def _eye(n: int, dtype: Any) -> np.ndarray:
    return np.eye(n, dtype=dtype)


def _diag(v: Any) -> Any:
    """(..., n) -> (..., n, n) with ``v`` on the diagonal."""
    n = v.shape[-1]
    return expand_dims(v, -1) * _eye(n, v.dtype)


def _diagonal(m: Any) -> Any:
    """(..., n, n) -> (..., n): the diagonal."""
    return sum_(m * _eye(m.shape[-1], m.dtype), axis=-1)


def _phi(x: Any, lower: bool = True) -> Any:
    """The lower (upper) triangle of ``x`` with its diagonal halved (Murray's Φ)."""
    n = x.shape[-1]
    mask = np.tril(np.ones((n, n)), -1) + 0.5 * np.eye(n)
    return x * (mask if lower else mask.T).astype(x.dtype)


def _read_triangle(s: Any, lower: bool) -> Any:
    """Gradient for a routine that reads one triangle of a symmetric input.

    ``s`` is the gradient for a symmetric perturbation; an entry below the diagonal stands
    for two entries of the symmetric matrix (counted twice), the other triangle is never read.
    """
    return _phi(s + _T(s), lower)


def _spacing(w: np.ndarray, gap: np.ndarray, op: str, what: str) -> None:
    """Refuse a gradient that divides by the gap between two equal (or numerically equal) values."""
    n = w.shape[-1]
    scale = np.max(np.abs(w), axis=-1, keepdims=True)[..., None] if w.size else 0
    tol = 10 * n * np.finfo(w.dtype).eps * scale
    off = ~np.eye(n, dtype=bool)
    if np.any((np.abs(gap) <= tol) & off):
        raise ValueError(
            f"{op}: the gradient through the {what} is undefined where two of the values are equal "
            f"(repeated: {np.round(w, 6).tolist()}, shape {w.shape}); a loss that uses only the values, "
            "or a symmetric function of the tied ones, is differentiable there"
        )


def _inverse_gap(w: Any, squared: bool = False) -> Any:
    """F[..., i, j] = 1 / (w_j - w_i) off the diagonal, 0 on it (w squared for svd)."""
    if squared:
        w = w * w
    gap = expand_dims(w, -2) - expand_dims(w, -1)
    eye = np.eye(w.shape[-1], dtype=bool)
    return where(eye, 0.0, 1.0 / where(eye, 1.0, gap))


def _pack(parts: Sequence[np.ndarray], batch: tuple) -> np.ndarray:
    return np.concatenate([p.reshape(batch + (-1,)) for p in parts], axis=-1)


def _unpack(packed: Any, batch: tuple, shapes: Sequence[tuple]) -> List[Any]:
    parts, start = [], 0
    lead = (slice(None),) * len(batch)
    for shape in shapes:
        size = int(np.prod(shape))
        parts.append(reshape(getitem(packed, lead + (slice(start, start + size),)), batch + shape))
        start += size
    return parts


def _negligible(values: np.ndarray, shape: tuple) -> np.ndarray:
    """Which of ``values`` (singular values, R's diagonal) are zero to working precision: numpy's
    matrix_rank tolerance, max(m, n) · eps · the largest of them."""
    mags = np.abs(values)
    top = np.max(mags, axis=-1, keepdims=True) if mags.size else 0
    return mags <= max(shape[-2:]) * np.finfo(values.dtype).eps * top


def _zero(g: Any) -> bool:
    return not np.any(_raw(g))


# -- inverse, solve, determinants -----------------------------------------------------------------
def _inv_forward(a: Any) -> np.ndarray:
    _square("inv", a)
    return _lapack("inv", np.linalg.inv, a)


inv = Primitive(
    "inv",
    _inv_forward,
    lambda g, ans, a: -matmul(matmul(_T(ans), g), _T(ans)),  # d(A⁻¹) = -A⁻¹ dA A⁻¹
    doc="Matrix inverse (batched); a singular matrix raises LinAlgError naming inv.",
)


def _solve_forward(a: Any, b: Any) -> np.ndarray:
    _square("solve", a)
    return _lapack("solve", np.linalg.solve, a, b)


def _solve_vjp(g: Any, ans: Any, a: Any, b: Any) -> list:
    # b is a vector exactly when it is 1-D (numpy 2); the transposed system gives both gradients.
    if b.ndim == 1:
        gb = getitem(solve(_T(a), expand_dims(g, -1)), (..., 0))
        return [-expand_dims(gb, -1) * expand_dims(ans, -2), gb]
    gb = solve(_T(a), g)
    return [-matmul(gb, _T(ans)), gb]


solve = Primitive(
    "solve",
    _solve_forward,
    joint=_solve_vjp,
    doc="Solve a @ x = b (batched; 1-D b is a vector); a singular a raises LinAlgError naming solve.",
)


def _exclusive_prod(s: np.ndarray) -> np.ndarray:
    """prod_{j != i} s_j along the last axis, without dividing (exact with zeros)."""
    ones = np.ones(s.shape[:-1] + (1,), dtype=s.dtype)
    left = np.cumprod(np.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
    right = np.cumprod(np.concatenate([ones, s[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return left * right


def _adjugate_forward(a: np.ndarray) -> np.ndarray:
    # adj(A) = det(U) det(V) V diag(prod_{j != i} s_j) Uᵀ for A = U diag(s) Vᵀ: exact when A is singular.
    u, s, vh = np.linalg.svd(a)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * np.matmul(
        np.swapaxes(vh, -1, -2) * _exclusive_prod(s)[..., None, :], _T(u)
    )


def _adjugate_vjp(g: Any, ans: Any, a: Any) -> Any:
    # adj(A) = det(A) A⁻¹ where A is invertible; its second derivative at a singular A is not derived.
    if np.any(_negligible(np.linalg.svd(_raw(a), compute_uv=False), a.shape)):
        raise ValueError(
            f"det: the second derivative at a singular matrix is not implemented (shape {a.shape}); "
            "first derivatives there are exact"
        )
    ai = inv(a)
    return det(a)[..., None, None] * (
        sum_(g * ai, axis=(-2, -1), keepdims=True) * _T(ai) - matmul(matmul(_T(ai), g), _T(ai))
    )


_adjugate = Primitive(
    "adjugate", _adjugate_forward, _adjugate_vjp, doc="Adjugate det(A)·A⁻¹ of square matrices (det's rule)."
)


def _det_forward(a: Any) -> np.ndarray:
    _square("det", a)
    return np.linalg.det(a)


det = Primitive(
    "det",
    _det_forward,
    lambda g, ans, a: expand_dims(expand_dims(g, -1), -1) * _T(_adjugate(a)),  # d det = tr(adj(A) dA)
    doc="Determinant (batched); the gradient is the adjugate, exact at singular matrices.",
)


def _logabsdet_forward(a: Any) -> np.ndarray:
    _square("slogdet", a)
    return np.linalg.slogdet(a)[1]


def _logabsdet_vjp(g: Any, ans: Any, a: Any) -> Any:
    if np.any(np.isneginf(_raw(ans))):  # log|det| = -inf: its gradient is infinite
        raise _LinAlgError(
            f"slogdet: the gradient of log|det| at a singular matrix is infinite (shape {a.shape})"
        )
    return expand_dims(expand_dims(g, -1), -1) * _T(inv(a))  # d log|det A| = tr(A⁻¹ dA)


_logabsdet = Primitive(
    "logabsdet", _logabsdet_forward, _logabsdet_vjp, doc="log|det a| (slogdet's second output)."
)


def slogdet(a: Any) -> SlogdetResult:
    """Sign and log of the absolute determinant; the sign is piecewise constant (no gradient).

    >>> import autograd_core as ag
    >>> ag.slogdet(ag.tensor([[2.0, 0.0], [0.0, -3.0]])).logabsdet.numpy().round(4)
    np.float64(1.7918)
    """
    _square("slogdet", a)
    sign = np.linalg.slogdet(_raw(a))[0]
    return SlogdetResult(Tensor(sign) if isinstance(a, Tensor) else sign, _logabsdet(a))


def pinv(a: Any, rcond: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Any:
    """Moore-Penrose pseudo-inverse; exact where the rank (singular values above the cutoff) is locally constant.

    >>> import autograd_core as ag
    >>> ag.pinv(ag.tensor([[2.0, 0.0]])).numpy()
    array([[0.5],
           [0. ]])
    """
    kw = {} if rtol is None else {"rtol": rtol}
    return _pinv(a, rcond=rcond, hermitian=hermitian, **kw)


def _pinv_forward(a: Any, rcond: Any = None, hermitian: bool = False, **kw: Any) -> np.ndarray:
    _matrices("pinv", a)
    if rcond is not None:
        kw["rcond"] = rcond
    return _lapack("pinv", np.linalg.pinv, a, hermitian=hermitian, **kw)


def _pinv_vjp(g: Any, ans: Any, a: Any, **kw: Any) -> Any:
    # Golub & Pereyra, at constant rank: -A⁺ᵀ G A⁺ᵀ + (I - A A⁺) Gᵀ A⁺ A⁺ᵀ + A⁺ᵀ A⁺ Gᵀ (I - A⁺ A).
    m, n = a.shape[-2], a.shape[-1]
    p, pt, gt = ans, _T(ans), _T(g)
    left = _eye(m, a.dtype) - matmul(a, p)
    right = _eye(n, a.dtype) - matmul(p, a)
    return (
        -matmul(matmul(pt, g), pt)
        + matmul(matmul(left, gt), matmul(p, pt))
        + matmul(matmul(pt, p), matmul(gt, right))
    )


_pinv = Primitive("pinv", _pinv_forward, _pinv_vjp, doc="Moore-Penrose pseudo-inverse (batched).")


def cholesky(a: Any, /, *, upper: bool = False) -> Any:
    """Cholesky factor of a positive-definite matrix: lower L with a = L Lᵀ (reads a's lower triangle).

    >>> import autograd_core as ag
    >>> ag.cholesky(ag.tensor([[4.0, 2.0], [2.0, 5.0]])).numpy()
    array([[2., 0.],
           [1., 2.]])
    """
    return _cholesky(a, upper=upper)


def _cholesky_forward(a: Any, upper: bool = False) -> np.ndarray:
    _square("cholesky", a)
    return _lapack("cholesky", np.linalg.cholesky, a, upper=upper)


def _cholesky_vjp(g: Any, ans: Any, a: Any, upper: bool = False) -> Any:
    # Murray's Φ form: S = L⁻ᵀ Φ(Lᵀ Ḡ) L⁻¹; numpy reads one triangle of a (the upper one when upper=True).
    low, gl = (_T(ans), _T(g)) if upper else (ans, g)
    lt = _T(low)
    s = _T(solve(lt, _T(solve(lt, _phi(matmul(lt, gl))))))
    return _read_triangle(s, lower=not upper)


_cholesky = Primitive("cholesky", _cholesky_forward, _cholesky_vjp, doc="Cholesky factor (batched).")


def matrix_power(a: Any, n: int) -> Any:
    """``a`` raised to the integer power ``n`` by repeated squaring (negative n inverts first).

    >>> import autograd_core as ag
    >>> ag.matrix_power(ag.tensor([[1.0, 1.0], [0.0, 1.0]]), 3).numpy()
    array([[1., 3.],
           [0., 1.]])
    """
    _square("matrix_power", a)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"matrix_power: the exponent must be an integer, got {type(n).__name__}")
    if n == 0:
        eye = np.broadcast_to(_eye(np.shape(a)[-1], _raw(a).dtype), np.shape(a)).copy()
        return Tensor(eye) if isinstance(a, Tensor) else eye
    if n < 0:
        a, n = inv(a), -n
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


# -- eigendecompositions -------------------------------------------------------------------------
def _eigh_forward(a: Any, UPLO: str = "L") -> np.ndarray:
    _square("eigh", a)
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    w, v = _lapack("eigh", np.linalg.eigh, a, UPLO=UPLO)
    return _pack((w, v), w.shape[:-1])


def _eigh_vjp(g: Any, ans: Any, a: Any, UPLO: str = "L") -> Any:
    # A = V diag(w) Vᵀ: S = V (diag(ḡw) + F ∘ Vᵀ ḡV) Vᵀ with F_ij = 1 / (w_j - w_i).
    batch, n = a.shape[:-2], a.shape[-1]
    w, v = _unpack(ans, batch, ((n,), (n, n)))
    gw, gv = _unpack(g, batch, ((n,), (n, n)))
    inner = _diag(gw)
    if not _zero(gv):
        wr = _raw(w)
        _spacing(wr, wr[..., None, :] - wr[..., :, None], "eigh", "eigenvalues (eigenvectors)")
        inner = inner + _inverse_gap(w) * matmul(_T(v), gv)
    return _read_triangle(matmul(matmul(v, inner), _T(v)), lower=UPLO == "L")


_eigh = Primitive(
    "eigh", _eigh_forward, _eigh_vjp, doc="Symmetric eigendecomposition, packed (eigh's primitive)."
)


def eigh(a: Any, UPLO: str = "L") -> EighResult:
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix; reads the ``UPLO`` triangle.

    >>> import autograd_core as ag
    >>> ag.eigh(ag.tensor([[2.0, 1.0], [1.0, 2.0]])).eigenvalues.numpy()
    array([1., 3.])
    """
    packed = _eigh(a, UPLO=UPLO)
    n = np.shape(a)[-1]
    return EighResult(*_unpack(packed, np.shape(a)[:-2], ((n,), (n, n))))


def eigvalsh(a: Any, UPLO: str = "L") -> Any:
    """Eigenvalues of a symmetric matrix, ascending (differentiable also at repeated eigenvalues)."""
    return eigh(a, UPLO=UPLO).eigenvalues


def _eig_forward(a: Any) -> np.ndarray:
    _square("eig", a)
    w, v = _lapack("eig", np.linalg.eig, a)
    return _pack((w, v), w.shape[:-1])


def _eig_vjp(g: Any, ans: Any, a: Any) -> Any:
    # A V = V diag(w), unit columns: ḡA = V⁻ᵀ (diag(ḡw) + F ∘ Vᵀ ḡV') Vᵀ, ḡV' = ḡV - V diag(Vᵀ ḡV).
    if np.iscomplexobj(_raw(ans)) or np.iscomplexobj(_raw(a)):
        raise ValueError(
            f"eig: gradients are implemented for real matrices with real eigenvalues only (shape {a.shape} "
            f"has complex eigenvalues or entries); for a symmetric matrix use eigh"
        )
    batch, n = a.shape[:-2], a.shape[-1]
    w, v = _unpack(ans, batch, ((n,), (n, n)))
    gw, gv = _unpack(g, batch, ((n,), (n, n)))
    inner = _diag(gw)
    if not _zero(gv):
        wr = _raw(w)
        _spacing(wr, wr[..., None, :] - wr[..., :, None], "eig", "eigenvalues (eigenvectors)")
        gv = gv - v * sum_(v * gv, axis=-2, keepdims=True)
        inner = inner + _inverse_gap(w) * matmul(_T(v), gv)
    return solve(_T(v), matmul(inner, _T(v)))


_eig = Primitive("eig", _eig_forward, _eig_vjp, doc="General eigendecomposition, packed (eig's primitive).")


def eig(a: Any) -> EigResult:
    """Eigenvalues and unit eigenvectors of a square matrix (gradients: real eigenvalues only).

    >>> import autograd_core as ag
    >>> ag.eig(ag.tensor([[2.0, 0.0], [1.0, 3.0]])).eigenvalues.numpy()
    array([3., 2.])
    """
    packed = _eig(a)
    n = np.shape(a)[-1]
    return EigResult(*_unpack(packed, np.shape(a)[:-2], ((n,), (n, n))))


def eigvals(a: Any) -> Any:
    """Eigenvalues of a square matrix (gradients: real eigenvalues only)."""
    return eig(a).eigenvalues


# -- singular value and QR decompositions ---------------------------------------------------------
def _svd_shapes(shape: tuple, full_matrices: bool) -> tuple:
    m, n = shape[-2], shape[-1]
    k = min(m, n)
    return ((m, m if full_matrices else k), (k,), (n if full_matrices else k, n))


def _svd_forward(a: Any, full_matrices: bool = True, hermitian: bool = False) -> np.ndarray:
    _matrices("svd", a)
    u, s, vh = _lapack("svd", np.linalg.svd, a, full_matrices=full_matrices, hermitian=hermitian)
    return _pack((u, s, vh), s.shape[:-1])


def _svd_vjp(g: Any, ans: Any, a: Any, full_matrices: bool = True, hermitian: bool = False) -> Any:
    # Townsend's F form with F_ij = 1/(s_j² - s_i²):
    #   ḡA = U[(F∘(UᵀḡU - ḡUᵀU)) S + diag(ḡs) + S (F∘(VᵀḡV - ḡVᵀV))]Vᵀ + (I - UUᵀ) ḡU S⁻¹ Vᵀ + U S⁻¹ ḡVᵀ (I - VVᵀ)
    if hermitian:
        raise ValueError("svd: gradients with hermitian=True are not implemented; use hermitian=False")
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    k = min(m, n)
    shapes = _svd_shapes(a.shape, full_matrices)
    u, s, vh = _unpack(ans, batch, shapes)
    gu, gs, gvh = _unpack(g, batch, shapes)
    if full_matrices:  # the columns past k are any orthonormal completion: no gradient can flow to them
        if not (
            _zero(getitem(gu, (..., slice(k, None))))
            and _zero(getitem(gvh, (..., slice(k, None), slice(None))))
        ):
            raise ValueError(
                f"svd: with full_matrices=True the singular vectors past min(m, n) = {k} are not unique "
                f"(shape {a.shape}), so the loss must not use them; use full_matrices=False"
            )
        u, gu = getitem(u, (..., slice(0, k))), getitem(gu, (..., slice(0, k)))
        vh, gvh = getitem(vh, (..., slice(0, k), slice(None))), getitem(gvh, (..., slice(0, k), slice(None)))
    v, gv = _T(vh), _T(gvh)
    inner = _diag(gs)
    if _zero(gu) and _zero(gv):
        return matmul(matmul(u, inner), vh)
    sr = _raw(s)
    _spacing(sr, sr[..., None, :] ** 2 - sr[..., :, None] ** 2, "svd", "singular values (singular vectors)")
    f = _inverse_gap(s, squared=True)
    sm = expand_dims(s, -2)  # right-multiplying by diag(s) scales columns
    ut_gu, vt_gv = matmul(_T(u), gu), matmul(_T(v), gv)
    inner = inner + (f * (ut_gu - _T(ut_gu))) * sm + _T(sm) * (f * (vt_gv - _T(vt_gv)))
    out = matmul(matmul(u, inner), vh)
    if m > k or n > k:
        if np.any(_negligible(sr, a.shape)):
            raise ValueError(
                f"svd: the gradient through the singular vectors of a rank-deficient non-square matrix "
                f"(shape {a.shape}, singular values {np.round(sr, 6).tolist()}) is undefined"
            )
        if m > k:
            out = out + matmul((gu - matmul(u, ut_gu)) / sm, vh)
        if n > k:
            out = out + matmul(u / sm, _T(gv - matmul(v, vt_gv)))
    return out


_svd = Primitive("svd", _svd_forward, _svd_vjp, doc="Singular value decomposition, packed (svd's primitive).")


def _svdvals_forward(a: Any, hermitian: bool = False) -> np.ndarray:
    _matrices("svd", a)
    return _lapack("svd", np.linalg.svd, a, compute_uv=False, hermitian=hermitian)


def _svdvals_vjp(g: Any, ans: Any, a: Any, hermitian: bool = False) -> Any:
    if hermitian:  # numpy then reads one triangle only, through eigvalsh
        raise ValueError("svd: gradients with hermitian=True are not implemented; use hermitian=False")
    u, _, vh = svd(a, full_matrices=False)  # ds_i = u_iᵀ dA v_i
    return matmul(u * expand_dims(g, -2), vh)


_svdvals = Primitive(
    "svdvals", _svdvals_forward, _svdvals_vjp, doc="Singular values, descending (svd with compute_uv=False)."
)


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Any:
    """Singular value decomposition ``a = U @ diag(S) @ Vh`` (numpy's defaults: full matrices).

    >>> import autograd_core as ag
    >>> ag.svd(ag.tensor([[3.0, 0.0], [0.0, -2.0]]), compute_uv=False).numpy()
    array([3., 2.])
    """
    if not compute_uv:
        return _svdvals(a, hermitian=hermitian) if hermitian else _svdvals(a)
    packed = _svd(a, full_matrices=full_matrices, hermitian=hermitian)
    return SVDResult(*_unpack(packed, np.shape(a)[:-2], _svd_shapes(np.shape(a), full_matrices)))


def svdvals(x: Any, /) -> Any:
    """Singular values, descending (``numpy.linalg.svdvals``)."""
    return _svdvals(x)


def _qr_shapes(shape: tuple, complete: bool) -> tuple:
    m, n = shape[-2], shape[-1]
    k = m if complete else min(m, n)
    return ((m, k), (k, n))


def _qr_forward(a: Any, complete: bool = False) -> np.ndarray:
    _matrices("qr", a)
    q, r = _lapack("qr", np.linalg.qr, a, mode="complete" if complete else "reduced")
    return _pack((q, r), q.shape[:-2])


def _qr_square_vjp(gq: Any, gr: Any, q: Any, r: Any) -> Any:
    # A = QR with m >= n: ḡA = (ḡQ + Q copyltu(M)) R⁻ᵀ, M = R ḡRᵀ - ḡQᵀ Q, copyltu(M) = tril(M) + tril(M, -1)ᵀ.
    mm = matmul(r, _T(gr)) - matmul(_T(gq), q)
    n = mm.shape[-1]
    low = np.tril(np.ones((n, n), dtype=mm.dtype))
    sym = mm * low + _T(mm * (low - np.eye(n, dtype=mm.dtype)))
    if np.any(_negligible(np.diagonal(_raw(r), axis1=-2, axis2=-1), r.shape)):
        raise ValueError(
            f"qr: the gradient is undefined for rank-deficient input (R has a zero diagonal, shape {r.shape})"
        )
    return _T(solve(r, _T(gq + matmul(q, sym))))


def _qr_vjp(g: Any, ans: Any, a: Any, complete: bool = False) -> Any:
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    q, r = _unpack(ans, batch, _qr_shapes(a.shape, complete))
    gq, gr = _unpack(g, batch, _qr_shapes(a.shape, complete))
    if complete and m > n:  # Q's columns past n complete it arbitrarily; R's rows past n are zeros
        if not _zero(getitem(gq, (..., slice(n, None)))):
            raise ValueError(
                f"qr: with mode='complete' the columns of Q past n = {n} are not unique (shape {a.shape}), "
                "so the loss must not use them; use mode='reduced'"
            )
        q, gq = getitem(q, (..., slice(0, n))), getitem(gq, (..., slice(0, n)))
        r, gr = getitem(r, (..., slice(0, n), slice(None))), getitem(gr, (..., slice(0, n), slice(None)))
    if m >= n:
        return _qr_square_vjp(gq, gr, q, r)
    # Wide: A = [X | Y], X = Q R₁ square, R = [R₁ | Qᵀ Y].
    r1, gr1 = getitem(r, (..., slice(0, m))), getitem(gr, (..., slice(0, m)))
    gr2 = getitem(gr, (..., slice(m, None)))
    y = getitem(a, (..., slice(m, None)))
    gx = _qr_square_vjp(gq + matmul(y, _T(gr2)), gr1, q, r1)
    return concatenate([gx, matmul(q, gr2)], axis=-1)


_qr = Primitive("qr", _qr_forward, _qr_vjp, doc="QR decomposition, packed (qr's primitive).")


def qr(a: Any, mode: str = "reduced") -> Any:
    """QR decomposition (modes 'reduced', 'complete', 'r'; 'raw' has no gradient).

    >>> import autograd_core as ag
    >>> q, r = ag.qr(ag.tensor([[3.0, 1.0], [4.0, 2.0]]))
    >>> abs(r.numpy()).round(4)
    array([[5. , 2.2],
           [0. , 0.4]])
    """
    if mode == "raw":
        if isinstance(a, Tensor) and a.requires_grad:
            raise ValueError("qr: mode='raw' (Householder reflectors) has no gradient; use mode='reduced'")
        return np.linalg.qr(_raw(a), mode="raw")
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode must be 'reduced', 'complete', 'r' or 'raw', got {mode!r}")
    complete = mode == "complete"
    q, r = _unpack(_qr(a, complete=complete), np.shape(a)[:-2], _qr_shapes(np.shape(a), complete))
    return r if mode == "r" else QRResult(q, r)


def multi_dot(arrays: Sequence[Any], *, out: Any = None) -> Any:
    """Product of a chain of matrices, left to right (1-D ends as in numpy.linalg.multi_dot)."""
    if out is not None:
        raise TypeError("multi_dot: out= is not supported; use the returned value")
    if len(arrays) < 2:
        raise ValueError(f"multi_dot: expected at least two arrays, got {len(arrays)}")
    result = arrays[0]
    for b in arrays[1:]:
        result = matmul(result, b)
    return result


for _np_fn, _ours in [
    (np.linalg.inv, inv),
    (np.linalg.solve, solve),
    (np.linalg.det, det),
    (np.linalg.slogdet, slogdet),
    (np.linalg.pinv, pinv),
    (np.linalg.cholesky, cholesky),
    (np.linalg.matrix_power, matrix_power),
    (np.linalg.eigh, eigh),
    (np.linalg.eigvalsh, eigvalsh),
    (np.linalg.eig, eig),
    (np.linalg.eigvals, eigvals),
    (np.linalg.svd, svd),
    (np.linalg.svdvals, svdvals),
    (np.linalg.qr, qr),
    (np.linalg.multi_dot, multi_dot),
]:
    implements(_np_fn)(_ours)
