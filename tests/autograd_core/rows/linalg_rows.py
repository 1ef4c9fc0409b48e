"""Rows for numpy.linalg: inverses, determinants, decompositions, norms (one line per op).

Per-op domains keep every input away from the op's singular points: well-conditioned matrices
(diagonally dominant) for inv/solve/det, positive definite ones for cholesky, eigenvalues and
singular values at least 0.6 apart (and away from 0) for eigh/eig/svd, so finite differences in
float64 and float32 gradients are meaningful. Losses of eigenvectors and singular vectors are
sign-invariant where the sign is arbitrary (products u_i v_iᵀ, squares), as any real loss must be.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from hypothesis import strategies as st

import autograd_core as ag
from tests.autograd_core.numpy_recipes import recipe
from tests.autograd_core.op_table_kit import _draw_inputs, dom, row

R = ag.REGISTRY


def _ENTRIES(shape: tuple) -> Any:
    """Entries in [-1, 1] plus a fixed dense offset: hypothesis shrinks towards zeros, and at matrices
    with exactly zero sub-columns LAPACK's Householder steps (QR, eig) switch sign conventions, a
    jump that finite differences would straddle."""
    offset = 0.25 * np.random.default_rng(7).standard_normal(shape)
    return dom(-1.0, 1.0)(shape).map(lambda m: m + offset)


def _mT(x: np.ndarray) -> np.ndarray:
    return np.swapaxes(x, -1, -2)


def wellcond(shape: tuple) -> Any:
    """Diagonally dominant square matrices (entries within 1.25 of 0 off the diagonal, n + 1 on it)."""
    return _ENTRIES(shape).map(lambda m: m + (shape[-1] + 1.0) * np.eye(shape[-1]))


def spd(shape: tuple) -> Any:
    """Symmetric positive definite: B Bᵀ + n I."""
    return _ENTRIES(shape).map(lambda b: b @ _mT(b) + shape[-1] * np.eye(shape[-1]))


def _orthogonal(m: np.ndarray) -> np.ndarray:
    q, r = np.linalg.qr(m + 2.0 * np.eye(m.shape[-2], m.shape[-1]))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


def _spaced(shape: tuple, start: float) -> Any:
    """Values start, start + 1, ... jittered by less than 0.4: gaps of at least 0.6."""
    return dom(0.0, 0.4)(shape).map(lambda j: start + np.arange(shape[-1]) + j)


def sym_separated(shape: tuple) -> Any:
    """Symmetric matrices Q diag(w) Qᵀ with eigenvalues -1.5, -0.5, ... (gaps >= 0.6)."""
    return st.tuples(_ENTRIES(shape), _spaced(shape[:-1], -1.5)).map(
        lambda qw: _orthogonal(qw[0]) @ (qw[1][..., :, None] * _mT(_orthogonal(qw[0])))
    )


def real_eig(shape: tuple) -> Any:
    """P diag(w) P⁻¹ with P near the identity: real, well separated eigenvalues."""
    return st.tuples(_ENTRIES(shape), _spaced(shape[:-1], -1.5)).map(
        lambda pw: (
            (np.eye(shape[-1]) + 0.3 * pw[0])
            @ (pw[1][..., :, None] * np.linalg.inv(np.eye(shape[-1]) + 0.3 * pw[0]))
        )
    )


def separated_sv(shape: tuple) -> Any:
    """U diag(s) Vᵀ with singular values 0.8, 1.8, ... (gaps >= 0.6, away from 0)."""
    m, n = shape[-2:]
    k = min(m, n)
    return st.tuples(
        _ENTRIES(shape[:-2] + (m, k)), _ENTRIES(shape[:-2] + (n, k)), _spaced(shape[:-2] + (k,), 0.8)
    ).map(lambda usv: _orthogonal(usv[0]) @ (usv[2][..., :, None] * _mT(_orthogonal(usv[1]))))


def full_rank(shape: tuple) -> Any:
    """Matrices with their leading min(m, n) block diagonally dominant (full rank, R well away from 0)."""
    return _ENTRIES(shape).map(lambda m: m + (min(shape[-2:]) + 1.0) * np.eye(shape[-2], shape[-1]))


def mats(*shapes: tuple, domains: tuple, **kw: Any) -> Any:
    return _draw_inputs(domains, st.just(shapes), kw)


def _sq(f: Callable) -> Callable:
    """A sign-invariant loss of a decomposition's vectors: elementwise squares."""
    return lambda *a: f(*a) ** 2


def _svd_all(a: Any, full: bool = False) -> Any:
    u, s, vh = ag.svd(a, full_matrices=full)
    k = s.shape[-1]
    # U diag(s²) Vh and s: each term is invariant to the sign of a (u_i, v_i) pair.
    return ag.concatenate(
        [ag.reshape((u[..., :k] * s[..., None, :] ** 2) @ vh[..., :k, :], (-1,)), ag.reshape(s, (-1,))]
    )


def _qr_fixed(a: Any, mode: str = "reduced") -> Any:
    q, r = ag.qr(a, mode=mode)
    k = min(a.shape[-2:])
    return ag.concatenate([ag.reshape(q[..., :k], (-1,)), ag.reshape(r, (-1,))])


ROWS = [
    # inverses, solves, determinants ---------------------------------------------------------------
    row("inv", ag.inv, mats((3, 3), domains=(wellcond,)), "inv"),
    row("inv_batched", ag.inv, mats((2, 2, 2), domains=(wellcond,)), "inv"),
    row("solve_matrix", ag.solve, mats((3, 3), (3, 2), domains=(wellcond, _ENTRIES)), "solve"),
    row("solve_vector", ag.solve, mats((3, 3), (3,), domains=(wellcond, _ENTRIES)), "solve"),
    row("solve_batched_vector_rhs", ag.solve, mats((2, 3, 3), (3,), domains=(wellcond, _ENTRIES)), "solve"),
    row("solve_batched", ag.solve, mats((2, 2, 2), (2, 2, 3), domains=(wellcond, _ENTRIES)), "solve"),
    row("det", ag.det, mats((3, 3), domains=(wellcond,)), "det"),
    row("det_batched", ag.det, mats((2, 2, 2), domains=(_ENTRIES,)), "det"),
    row("adjugate", R["adjugate"], mats((3, 3), domains=(wellcond,)), "adjugate"),
    row("slogdet", lambda a: ag.slogdet(a).logabsdet, mats((2, 3, 3), domains=(wellcond,)), "logabsdet"),
    row("pinv_tall", ag.pinv, mats((4, 2), domains=(full_rank,)), "pinv"),
    row("pinv_wide_batched", ag.pinv, mats((2, 2, 3), domains=(full_rank,)), "pinv"),
    row("pinv_square", ag.pinv, mats((3, 3), domains=(wellcond,)), "pinv"),
    row("matrix_power_3", lambda a: ag.matrix_power(a, 3), mats((2, 2), domains=(_ENTRIES,))),
    row("matrix_power_neg2", lambda a: ag.matrix_power(a, -2), mats((2, 3, 3), domains=(wellcond,))),
    row(
        "multi_dot",
        lambda a, b, c: ag.multi_dot([a, b, c]),
        mats((3,), (3, 2), (2, 2), domains=(_ENTRIES,) * 3),
    ),
    # decompositions ---------------------------------------------------------------------------------
    row("cholesky", ag.cholesky, mats((3, 3), domains=(spd,)), "cholesky"),
    row(
        "cholesky_batched_upper",
        lambda a: ag.cholesky(a, upper=True),
        mats((2, 3, 3), domains=(spd,)),
        "cholesky",
    ),
    row("eigh_values", lambda a: ag.eigh(a)[0], mats((3, 3), domains=(sym_separated,)), "eigh"),
    row("eigh_vectors", _sq(lambda a: ag.eigh(a)[1]), mats((3, 3), domains=(sym_separated,)), "eigh"),
    row(
        "eigh_upper_batched",
        _sq(lambda a: ag.eigh(a, UPLO="U")[1]),
        mats((2, 3, 3), domains=(sym_separated,)),
        "eigh",
    ),
    row("eigvalsh", ag.eigvalsh, mats((2, 2, 2), domains=(sym_separated,)), "eigh"),
    row("eig_values", lambda a: ag.eig(a)[0], mats((3, 3), domains=(real_eig,)), "eig"),
    row("eig_vectors", _sq(lambda a: ag.eig(a)[1]), mats((2, 3, 3), domains=(real_eig,)), "eig"),
    row("svd_square", _svd_all, mats((3, 3), domains=(separated_sv,)), "svd"),
    row("svd_tall_batched", _svd_all, mats((2, 4, 2), domains=(separated_sv,)), "svd"),
    row("svd_wide", _svd_all, mats((2, 4), domains=(separated_sv,)), "svd"),
    row("svd_full_tall", lambda a: _svd_all(a, full=True), mats((3, 2), domains=(separated_sv,)), "svd"),
    row(
        "svd_vectors_squared",
        _sq(lambda a: ag.svd(a, full_matrices=False)[0]),
        mats((3, 2), domains=(separated_sv,)),
        "svd",
    ),
    row(
        "svdvals", lambda a: ag.svd(a, compute_uv=False), mats((2, 3, 2), domains=(separated_sv,)), "svdvals"
    ),
    row("qr_tall", _qr_fixed, mats((4, 3), domains=(full_rank,)), "qr"),
    row("qr_square_batched", _qr_fixed, mats((2, 3, 3), domains=(full_rank,)), "qr"),
    row("qr_wide", _qr_fixed, mats((2, 4), domains=(full_rank,)), "qr"),
    row("qr_complete_tall", lambda a: _qr_fixed(a, "complete"), mats((4, 2), domains=(full_rank,)), "qr"),
    row("qr_r", lambda a: ag.qr(a, mode="r"), mats((3, 2), domains=(full_rank,)), "qr"),
    # norms (numpy.linalg.norm) ------------------------------------------------------------------------
    row("norm_matrix_fro", lambda a: ag.norm(a, "fro"), mats((3, 2), domains=(_ENTRIES,)), "norm"),
    row("norm_matrix_nuc", lambda a: ag.norm(a, "nuc"), mats((3, 2), domains=(separated_sv,)), "svdvals"),
    row("norm_matrix_2", lambda a: ag.norm(a, 2), mats((2, 3), domains=(separated_sv,)), "svdvals"),
    row(
        "norm_matrix_neg2_axes",
        lambda a: ag.norm(a, -2, axis=(0, 2), keepdims=True),
        mats((3, 2, 2), domains=(_ENTRIES,)),
        "svdvals",
    ),
    row("norm_matrix_1", lambda a: ag.norm(a, 1), mats((3, 3), domains=(_ENTRIES,)), smooth=False),
    row(
        "norm_matrix_neg1_axes",
        lambda a: ag.norm(a, -1, axis=(2, 0)),
        mats((3, 2, 3), domains=(_ENTRIES,)),
        smooth=False,
    ),
    row("norm_matrix_inf", lambda a: ag.norm(a, np.inf), mats((2, 3), domains=(_ENTRIES,)), smooth=False),
    row(
        "norm_matrix_neginf_keepdims",
        lambda a: ag.norm(a, -np.inf, axis=(1, 2), keepdims=True),
        mats((2, 2, 3), domains=(_ENTRIES,)),
        smooth=False,
    ),
    row("norm_vector_p3", lambda a: ag.norm(a, 3, axis=-1), mats((2, 3), domains=(dom(0.2, 2.0),))),
    row("norm_vector_p_half", lambda a: ag.norm(a, 0.5), mats((3,), domains=(dom(0.2, 2.0),))),
    row(
        "norm_vector_neg1",
        lambda a: ag.norm(a, -1, axis=0, keepdims=True),
        mats((3, 2), domains=(dom(0.2, 2.0),)),
    ),
    row("norm_vector_neginf", lambda a: ag.norm(a, -np.inf), mats((3,), domains=(_ENTRIES,)), smooth=False),
]


# -- numpy's own names on Tensors (test_numpy_dispatch): each multi-output call is read as one real,
# sign-invariant array (eigenvector squares, U diag(s²) Vh), as in the rows above.
def _np_eigh(a: Any) -> Any:
    w, v = np.linalg.eigh(a)
    return np.concatenate([np.ravel(w), np.ravel(v**2)])


def _np_eig(a: Any) -> Any:
    w, v = np.linalg.eig(a)
    return np.concatenate([np.ravel(w), np.ravel(v**2)])


def _np_svd(a: Any, **kw: Any) -> Any:
    u, s, vh = np.linalg.svd(a, **kw)
    k = s.shape[-1]
    return np.concatenate([np.ravel((u[..., :k] * s[..., None, :] ** 2) @ vh[..., :k, :]), np.ravel(s)])


def _np_qr(a: Any) -> Any:
    q, r = np.linalg.qr(a)
    return np.concatenate([np.ravel(q), np.ravel(r)])


LA = np.linalg
NUMPY_RECIPES = [
    recipe(
        LA.inv, lambda a: LA.inv(a), mats((3, 3), domains=(wellcond,)), torch=lambda t, a: t.linalg.inv(a)
    ),
    recipe(LA.solve, lambda a, b: LA.solve(a, b), mats((2, 3, 3), (2, 3, 2), domains=(wellcond, _ENTRIES))),
    recipe(
        LA.det, lambda a: LA.det(a), mats((2, 3, 3), domains=(wellcond,)), torch=lambda t, a: t.linalg.det(a)
    ),
    recipe(LA.slogdet, lambda a: LA.slogdet(a)[0] * LA.slogdet(a)[1], mats((3, 3), domains=(wellcond,))),
    recipe(LA.pinv, lambda a: LA.pinv(a), mats((4, 2), domains=(full_rank,))),
    recipe(LA.cholesky, lambda a: LA.cholesky(a), mats((2, 3, 3), domains=(spd,))),
    recipe(
        LA.cholesky, lambda a: LA.cholesky(a, upper=True), mats((3, 3), domains=(spd,)), name="cholesky_upper"
    ),
    recipe(LA.matrix_power, lambda a: LA.matrix_power(a, 3), mats((2, 2), domains=(_ENTRIES,))),
    recipe(
        LA.matrix_power,
        lambda a: LA.matrix_power(a, -2),
        mats((3, 3), domains=(wellcond,)),
        name="matrix_power_neg",
    ),
    recipe(LA.eigh, _np_eigh, mats((2, 3, 3), domains=(sym_separated,))),
    recipe(
        LA.eigh, lambda a: LA.eigh(a, UPLO="U")[0], mats((3, 3), domains=(sym_separated,)), name="eigh_upper"
    ),
    recipe(LA.eigvalsh, lambda a: LA.eigvalsh(a), mats((3, 3), domains=(sym_separated,))),
    recipe(LA.eig, _np_eig, mats((3, 3), domains=(real_eig,))),
    recipe(LA.eigvals, lambda a: LA.eigvals(a), mats((2, 3, 3), domains=(real_eig,))),
    recipe(LA.svd, _np_svd, mats((3, 3), domains=(separated_sv,))),
    recipe(
        LA.svd,
        lambda a: _np_svd(a, full_matrices=False),
        mats((2, 4, 2), domains=(separated_sv,)),
        name="svd_reduced",
    ),
    recipe(
        LA.svd,
        lambda a: LA.svd(a, compute_uv=False),
        mats((2, 3), domains=(separated_sv,)),
        name="svd_values",
    ),
    recipe(LA.svdvals, lambda a: LA.svdvals(a), mats((2, 3, 2), domains=(separated_sv,))),
    recipe(LA.qr, _np_qr, mats((4, 3), domains=(full_rank,))),
    recipe(LA.qr, lambda a: LA.qr(a, mode="r"), mats((3, 2), domains=(full_rank,)), name="qr_r"),
    recipe(
        LA.multi_dot,
        lambda a, b, c: LA.multi_dot([a, b, c]),
        mats((3,), (3, 2), (2, 2), domains=(_ENTRIES,) * 3),
    ),
]
