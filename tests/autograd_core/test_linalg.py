"""numpy.linalg: values against numpy, ill-conditioned inputs, singular points, torch cross-checks.

Gradients on well-posed inputs are checked by the op table (rows/linalg_rows.py); this file covers
what a table row cannot: numpy's exact values for every function and ``ord``, behaviour at the
singular points each rule documents, and agreement with torch.linalg.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ag
import autograd_core.numpy.linalg as agl
from autograd_core import gradcheck
from autograd_core._dispatch import HANDLED_FUNCTIONS

RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
SYM = A + A.T
SPD = A @ A.T + np.eye(3)
STACK = RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3)
TALL = RNG.standard_normal((4, 3))
WIDE = RNG.standard_normal((2, 4))


def _grad(f: Callable, x: np.ndarray) -> np.ndarray:
    t = ag.tensor(x, requires_grad=True)
    f(t).backward()
    return t.grad.data


def _numeric(f: Callable, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        out[i] = (float(f(ag.tensor(x + d)).data) - float(f(ag.tensor(x - d)).data)) / (2 * eps)
    return out


# -- forward values equal numpy's ----------------------------------------------------------------
VALUES = [
    ("inv", lambda m: agl.inv(m), lambda m: np.linalg.inv(m), STACK),
    ("pinv", lambda m: agl.pinv(m), lambda m: np.linalg.pinv(m), TALL),
    ("pinv_rcond", lambda m: agl.pinv(m, rcond=0.5), lambda m: np.linalg.pinv(m, rcond=0.5), TALL),
    ("det", lambda m: agl.det(m), lambda m: np.linalg.det(m), STACK),
    ("slogdet", lambda m: agl.slogdet(m)[1], lambda m: np.linalg.slogdet(m)[1], STACK),
    ("cholesky", lambda m: agl.cholesky(m), lambda m: np.linalg.cholesky(m), SPD),
    (
        "cholesky_upper",
        lambda m: agl.cholesky(m, upper=True),
        lambda m: np.linalg.cholesky(m, upper=True),
        SPD,
    ),
    ("eigh_w", lambda m: agl.eigh(m)[0], lambda m: np.linalg.eigh(m)[0], SYM),
    ("eigh_v_upper", lambda m: agl.eigh(m, UPLO="U")[1], lambda m: np.linalg.eigh(m, UPLO="U")[1], A),
    ("eigvalsh", lambda m: agl.eigvalsh(m), lambda m: np.linalg.eigvalsh(m), SYM),
    ("eig_w", lambda m: agl.eig(m)[0], lambda m: np.linalg.eig(m)[0], SYM),
    ("eigvals", lambda m: agl.eigvals(m), lambda m: np.linalg.eigvals(m), STACK),
    ("svd_u_full", lambda m: agl.svd(m)[0], lambda m: np.linalg.svd(m)[0], TALL),
    (
        "svd_vh_reduced",
        lambda m: agl.svd(m, full_matrices=False)[2],
        lambda m: np.linalg.svd(m, False)[2],
        WIDE,
    ),
    ("svd_s", lambda m: agl.svd(m, compute_uv=False), lambda m: np.linalg.svd(m, compute_uv=False), STACK),
    (
        "svd_s_hermitian",
        lambda m: agl.svd(m, compute_uv=False, hermitian=True),
        lambda m: np.linalg.svd(m, compute_uv=False, hermitian=True),
        A,
    ),
    ("svdvals", lambda m: agl.svdvals(m), lambda m: np.linalg.svdvals(m), WIDE),
    ("qr_q", lambda m: agl.qr(m)[0], lambda m: np.linalg.qr(m)[0], TALL),
    ("qr_r_complete", lambda m: agl.qr(m, "complete")[1], lambda m: np.linalg.qr(m, "complete")[1], TALL),
    ("qr_mode_r", lambda m: agl.qr(m, "r"), lambda m: np.linalg.qr(m, "r"), WIDE),
    ("matrix_power_5", lambda m: agl.matrix_power(m, 5), lambda m: np.linalg.matrix_power(m, 5), STACK),
    ("matrix_power_-3", lambda m: agl.matrix_power(m, -3), lambda m: np.linalg.matrix_power(m, -3), A),
    ("matrix_power_0", lambda m: agl.matrix_power(m, 0), lambda m: np.linalg.matrix_power(m, 0), STACK),
    ("solve", lambda m: agl.solve(m, TALL[:3]), lambda m: np.linalg.solve(m, TALL[:3]), A),
    ("multi_dot", lambda m: agl.multi_dot([m, m, TALL.T]), lambda m: np.linalg.multi_dot([m, m, TALL.T]), A),
    (
        "matrix_norm",
        lambda m: agl.matrix_norm(m, ord="nuc"),
        lambda m: np.linalg.matrix_norm(m, ord="nuc"),
        STACK,
    ),
    ("vector_norm", lambda m: agl.vector_norm(m, ord=3), lambda m: np.linalg.vector_norm(m, ord=3), STACK),
    (
        "vector_norm_axes",
        lambda m: agl.vector_norm(m, axis=(0, 2), keepdims=True),
        lambda m: np.linalg.vector_norm(m, axis=(0, 2), keepdims=True),
        STACK,
    ),
]


@pytest.mark.parametrize("name, ours, theirs, x", VALUES, ids=[v[0] for v in VALUES])
def test_values_equal_numpy(name: str, ours: Callable, theirs: Callable, x: np.ndarray) -> None:
    out = ours(ag.tensor(x))
    assert isinstance(out, ag.Tensor)
    np.testing.assert_allclose(out.data, theirs(x), rtol=1e-12, atol=1e-12)


NORM_CASES = [
    (ord_, axis, keepdims, x)
    for x, axes in [
        (RNG.standard_normal(5), [None, 0, -1]),
        (RNG.standard_normal((3, 4)), [None, 0, 1, (0, 1), (1, 0)]),
        (RNG.standard_normal((2, 3, 4)), [(0, 2), (2, 1), -1]),
    ]
    for axis in axes
    for ord_ in [None, "fro", "nuc", 0, 0.5, 1, -1, 2, -2, 3, np.inf, -np.inf]
    for keepdims in (False, True)
]


def _norm_or_error(fn: Callable, x: Any, ord_: Any, axis: Any, keepdims: bool) -> Any:
    try:
        return fn(x, ord=ord_, axis=axis, keepdims=keepdims)
    except ValueError as err:
        return err


@pytest.mark.parametrize("ord_, axis, keepdims, x", NORM_CASES)
def test_norm_equals_numpy_for_every_ord(ord_: Any, axis: Any, keepdims: bool, x: np.ndarray) -> None:
    expected = _norm_or_error(np.linalg.norm, x, ord_, axis, keepdims)
    ours = _norm_or_error(ag.norm, ag.tensor(x, requires_grad=True), ord_, axis, keepdims)
    if isinstance(expected, Exception):  # numpy refuses ('nuc' of a vector, 3-D without axis, ...): so do we
        assert isinstance(ours, ValueError) and "norm" in str(ours)
        return
    assert not isinstance(ours, Exception), ours
    np.testing.assert_allclose(ours.data, expected, rtol=1e-12)
    assert ours.shape == np.shape(expected)
    if ord_ != 0:
        ours.sum().backward() if ours.ndim else ours.backward()


@pytest.mark.parametrize("ord_", [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
def test_matrix_norm_gradients(ord_: Any) -> None:
    x = RNG.standard_normal((3, 4))
    assert gradcheck(lambda t: ag.norm(t, ord=ord_), x)


@pytest.mark.parametrize("ord_", [None, 1, 2, 3, 0.5, -1, np.inf, -np.inf, "fro", "nuc", -2])
def test_every_norm_has_gradient_zero_at_zero(ord_: Any) -> None:
    x = np.zeros((2, 3)) if ord_ in ("fro", "nuc", -2) else np.zeros(3)
    g = _grad(lambda t: ag.norm(t, ord=ord_), x)
    assert np.all(g == 0) and np.all(np.isfinite(g))


def test_norm_zero_counts_nonzeros_without_a_gradient() -> None:
    t = ag.tensor([0.0, 2.0, -1.0], requires_grad=True)
    n = ag.norm(t, ord=0)
    assert n.item() == 2.0 and not n.requires_grad


def test_issue_9_norm_snippet() -> None:
    g = ag.grad(lambda x: (x * 2).sum() + ag.norm(x))(np.array([3.0, 4.0]))
    np.testing.assert_allclose(g, [2.6, 2.8])


def test_det_gradient_from_issue_9() -> None:
    np.testing.assert_allclose(_grad(ag.det, np.array([[2.0, 1.0], [0.5, 3.0]])), [[3.0, -0.5], [-1.0, 2.0]])


# -- singular points: the documented behaviour ---------------------------------------------------
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


@pytest.mark.parametrize(
    "name, call",
    [
        ("inv", lambda t: ag.inv(t)),
        ("solve", lambda t: ag.solve(t, np.ones(2))),
        ("cholesky", lambda t: ag.cholesky(t)),
    ],
)
def test_singular_forward_raises_linalgerror_naming_the_op(name: str, call: Callable) -> None:
    with pytest.raises(np.linalg.LinAlgError, match=f"^{name}: "):
        call(ag.tensor(SINGULAR, requires_grad=True))


def test_det_gradient_at_singular_matrices_is_the_adjugate() -> None:
    np.testing.assert_allclose(_grad(ag.det, SINGULAR), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    rank1 = np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 2.0])  # rank n - 2: the adjugate is 0
    np.testing.assert_allclose(_grad(ag.det, rank1), np.zeros((3, 3)), atol=1e-12)
    rank2 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    np.testing.assert_allclose(_grad(ag.det, rank2), _numeric(ag.det, rank2), atol=1e-7)


def test_det_second_derivative_at_a_singular_matrix_refuses() -> None:
    with pytest.raises(ValueError, match="det: the second derivative at a singular matrix"):
        ag.hessian(ag.det)(np.zeros((2, 2)))


def test_slogdet_gradient_at_a_singular_matrix_refuses() -> None:
    t = ag.tensor(SINGULAR, requires_grad=True)
    out = ag.slogdet(t).logabsdet
    assert out.item() == -np.inf
    with pytest.raises(np.linalg.LinAlgError, match="slogdet: the gradient of log|det| at a singular matrix"):
        out.backward()


def test_repeated_eigenvalues() -> None:
    eye = np.eye(3)
    # a symmetric function of tied eigenvalues is differentiable: d trace(A) / dA = I
    np.testing.assert_allclose(_grad(lambda t: ag.eigvalsh(t).sum(), eye), eye, atol=1e-12)
    with pytest.raises(ValueError, match="eigh: the gradient through the eigenvalues.*repeated"):
        _grad(lambda t: (ag.eigh(t)[1] ** 2).sum(), eye)
    with pytest.raises(ValueError, match="eig: .*repeated"):
        _grad(lambda t: (ag.eig(t)[1] ** 2).sum(), eye)


def test_eig_with_complex_eigenvalues_refuses_gradients() -> None:
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])
    w = ag.eig(ag.tensor(rotation, requires_grad=True))[0]
    np.testing.assert_allclose(np.sort_complex(w.data), [-1j, 1j])
    with pytest.raises(
        ValueError, match="eig: gradients are implemented for real matrices with real eigenvalues"
    ):
        (w * 1.0).sum().backward(np.array(1.0 + 0j))


def test_repeated_and_zero_singular_values() -> None:
    q = np.linalg.qr(RNG.standard_normal((3, 3)))[0]
    np.testing.assert_allclose(
        _grad(lambda t: ag.svd(t, compute_uv=False).sum(), q), q, atol=1e-10
    )  # d nuc = U Vᵀ
    with pytest.raises(ValueError, match="svd: the gradient through the singular values.*repeated"):
        _grad(lambda t: (ag.svd(t)[0] ** 2).sum(), q)
    rank1 = np.outer([1.0, 2.0, 3.0], [1.0, 2.0])  # tall, singular values (s, 0)
    with pytest.raises(
        ValueError, match="svd: the gradient through the singular vectors of a rank-deficient"
    ):
        _grad(lambda t: (ag.svd(t, full_matrices=False)[0][:, 0] ** 2).sum(), rank1)


def test_svd_full_matrices_extra_columns_refuse() -> None:
    with pytest.raises(ValueError, match="svd: with full_matrices=True the singular vectors past"):
        _grad(lambda t: (ag.svd(t)[0] ** 2).sum(), TALL)
    # using only the first min(m, n) columns is fine, and equals the reduced decomposition's gradient
    f_full = lambda t: (ag.svd(t)[0][:, :3] ** 2 * np.arange(3.0)).sum()  # noqa: E731
    f_red = lambda t: (ag.svd(t, full_matrices=False)[0] ** 2 * np.arange(3.0)).sum()  # noqa: E731
    np.testing.assert_allclose(_grad(f_full, TALL), _grad(f_red, TALL), atol=1e-12)


def test_qr_rank_deficient_and_raw() -> None:
    with pytest.raises(ValueError, match="qr: the gradient is undefined for rank-deficient input"):
        _grad(lambda t: ag.qr(t)[1].sum(), np.outer([1.0, 2.0, 3.0], [1.0, 1.0]))
    with pytest.raises(ValueError, match="qr: mode='raw'"):
        ag.qr(ag.tensor(TALL, requires_grad=True), mode="raw")
    with pytest.raises(ValueError, match="qr: with mode='complete' the columns of Q past"):
        _grad(lambda t: ag.qr(t, mode="complete")[0].sum(), TALL)


def test_bad_shapes_name_the_op() -> None:
    with pytest.raises(ValueError, match="inv: expected a .*square.*\\(2, 3\\)"):
        ag.inv(ag.tensor(np.ones((2, 3)), requires_grad=True))
    with pytest.raises(ValueError, match="det: expected"):
        ag.det(np.ones(3))
    with pytest.raises(TypeError, match="matrix_power: the exponent must be an integer"):
        ag.matrix_power(A, 1.5)
    with pytest.raises(ValueError, match="eigh: UPLO must be"):
        ag.eigh(A, UPLO="X")


# -- ill-conditioned but valid inputs --------------------------------------------------------------
HILBERT = 1.0 / (np.arange(4)[:, None] + np.arange(4)[None, :] + 1.0)  # condition number 1.6e4


@pytest.mark.parametrize(
    "name, f",
    [
        ("inv", lambda t: (ag.inv(t) * HILBERT).sum()),
        ("solve", lambda t: ag.solve(t, np.ones(4)).sum()),
        ("det", ag.det),
        ("slogdet", lambda t: ag.slogdet(t).logabsdet),
        ("cholesky", lambda t: ag.cholesky(t).sum()),
        ("eigvalsh", lambda t: (ag.eigvalsh(t) * np.arange(4.0)).sum()),
        ("pinv", lambda t: (ag.pinv(t) * HILBERT).sum()),
    ],
)
def test_ill_conditioned_inputs(name: str, f: Callable) -> None:
    """Hilbert(4), cond 1.6e4: gradients agree with central differences to rtol 1e-4 of their scale
    (finite differences lose about cond * 1e-10 there, the rules themselves nothing more)."""
    analytic, numeric = _grad(f, HILBERT), _numeric(f, HILBERT, eps=1e-8)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-4 * np.abs(numeric).max())


# -- numpy names and modules ------------------------------------------------------------------------
def test_numpy_names_are_registered_for_dispatch() -> None:
    for name in "inv pinv solve det slogdet cholesky eigh eigvalsh eig eigvals svd svdvals qr norm matrix_power multi_dot".split():
        assert HANDLED_FUNCTIONS[getattr(np.linalg, name)] is getattr(agl, name), name


def test_dropin_module_has_every_numpy_linalg_name() -> None:
    assert set(agl.__all__) >= set(np.linalg.__all__)
    for name in np.linalg.__all__:
        assert hasattr(agl, name), name
    assert agl.cond is np.linalg.cond and agl.LinAlgError is np.linalg.LinAlgError
    assert ag.det is agl.det and ag.linalg.inv is ag.inv


# -- torch cross-checks ----------------------------------------------------------------------------------
def _torch_case(name: str) -> tuple:
    torch = pytest.importorskip("torch")
    tl = torch.linalg
    sv = lambda m: m[0] @ torch.diag(m[1] ** 2) @ m[2]  # noqa: E731  (sign-invariant use of U, S, Vh)
    cases = {
        "inv": (ag.inv, tl.inv, STACK),
        "det": (ag.det, tl.det, STACK),
        "slogdet": (lambda t: ag.slogdet(t)[1], lambda t: tl.slogdet(t)[1], STACK),
        "solve": (lambda t: ag.solve(t, TALL[:3]), lambda t: tl.solve(t, torch.tensor(TALL[:3])), A),
        "pinv": (ag.pinv, tl.pinv, TALL),
        "cholesky": (ag.cholesky, lambda t: tl.cholesky(torch.tril(t) + torch.tril(t, -1).mT), SPD),
        "eigh": (
            lambda t: ag.eigh(t)[1] ** 2,
            lambda t: tl.eigh(torch.tril(t) + torch.tril(t, -1).mT)[1] ** 2,
            SYM,
        ),
        "svd": (
            lambda t: (lambda u, s, vh: u @ (vh * s[:, None] ** 2))(*ag.svd(t, full_matrices=False)),
            lambda t: sv(tl.svd(t, full_matrices=False)),
            TALL,
        ),
        "qr": (lambda t: ag.qr(t)[0] ** 2 + 0.0, lambda t: tl.qr(t)[0] ** 2, TALL),
        "norm_nuc": (lambda t: ag.norm(t, "nuc"), lambda t: tl.matrix_norm(t, "nuc"), TALL),
        "norm_2": (lambda t: ag.norm(t, 2), lambda t: tl.matrix_norm(t, 2), TALL),
        "norm_p3": (lambda t: ag.norm(t, 3, axis=0), lambda t: tl.vector_norm(t, 3, dim=0), TALL),
        "matrix_power": (lambda t: ag.matrix_power(t, -2), lambda t: tl.matrix_power(t, -2), STACK),
    }
    return (torch, *cases[name])


@pytest.mark.torch
@pytest.mark.parametrize(
    "name", "inv det slogdet solve pinv cholesky eigh svd qr norm_nuc norm_2 norm_p3 matrix_power".split()
)
def test_torch_cross_check(name: str) -> None:
    torch, ours, theirs, x = _torch_case(name)
    t = ag.tensor(x, requires_grad=True)
    out = ours(t)
    w = np.random.default_rng(1).standard_normal(out.shape)
    (out * w).sum().backward()
    tt = torch.tensor(x, requires_grad=True)
    tout = theirs(tt)
    (tout * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-8, atol=1e-9)
