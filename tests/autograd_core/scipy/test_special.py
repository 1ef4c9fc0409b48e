"""autograd_core.scipy.special: values equal scipy's, refused arguments, and scipy stays optional."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import autograd_core as ag

sc = pytest.importorskip("scipy.special")
from autograd_core.scipy import special as S  # noqa: E402

X = np.array([0.35, 0.8, 1.7, 2.9])
UNARY = "gammaln digamma psi gamma rgamma gammasgn erf erfc ndtr log_ndtr expit i0 i1 j0 j1 y0 y1".split()
UNIT = "erfinv logit ndtri".split()


@pytest.mark.parametrize("name", UNARY + UNIT + ["erfcinv"])
def test_unary_values_equal_scipy(name: str) -> None:
    x = X / 3 if name in UNIT else (X / 2 if name == "erfcinv" else X)
    for dtype in (np.float64, np.float32):
        out = getattr(S, name)(ag.tensor(x.astype(dtype)))
        assert out.dtype == dtype
        np.testing.assert_allclose(
            out.data, getattr(sc, name)(x.astype(dtype)), rtol=1e-6 if dtype == np.float32 else 1e-14
        )


@pytest.mark.parametrize(
    "name, args",
    [
        ("polygamma", (3,)),
        ("iv", (2.5,)),
        ("ive", (1,)),
        ("jv", (0.5,)),
        ("jn", (2,)),
        ("yv", (1.5,)),
        ("yn", (3,)),
        ("gammainc", (1.2,)),
        ("gammaincc", (0.4,)),
        ("betainc", (1.5, 0.5)),
    ],
)
def test_functions_of_an_order_or_shape_equal_scipy(name: str, args: tuple) -> None:
    x = X / 3 if name == "betainc" else X
    np.testing.assert_allclose(
        getattr(S, name)(*args, ag.tensor(x)).data, getattr(sc, name)(*args, x), rtol=1e-13
    )


def test_two_argument_and_composed_functions_equal_scipy() -> None:
    np.testing.assert_allclose(S.beta(ag.tensor(X), X[::-1]).data, sc.beta(X, X[::-1]), rtol=1e-13)
    np.testing.assert_allclose(S.betaln(ag.tensor(X), X[::-1]).data, sc.betaln(X, X[::-1]), rtol=1e-13)
    np.testing.assert_allclose(
        S.multigammaln(ag.tensor(X + 2), 4).data, sc.multigammaln(X + 2, 4), rtol=1e-13
    )
    w = np.array([0.5, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(S.logsumexp(ag.tensor(X), b=w).data, sc.logsumexp(X, b=w), rtol=1e-14)
    np.testing.assert_allclose(S.logsumexp(ag.tensor(X)).data, sc.logsumexp(X), rtol=1e-14)


def test_gradient_values() -> None:
    x = ag.tensor(X, requires_grad=True)
    S.gammaln(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, sc.digamma(X), rtol=1e-13)
    x = ag.tensor(X, requires_grad=True)
    S.gammainc(1.5, x).sum().backward()
    np.testing.assert_allclose(x.grad.data, X**0.5 * np.exp(-X) / sc.gamma(1.5), rtol=1e-12)
    assert ag.gradcheck(lambda t: S.betainc(0.7, 1.4, t), X / 3)


@pytest.mark.parametrize(
    "call, arg",
    [
        (lambda a: S.gammainc(a, 1.0), "a"),
        (lambda a: S.betainc(a, 1.0, 0.3), "a"),
        (lambda a: S.betainc(1.0, a, 0.3), "b"),
        (lambda a: S.polygamma(a, 1.0), "n"),
        (lambda a: S.iv(a, 1.0), "the order"),
    ],
)
def test_arguments_without_a_gradient_refuse(call, arg: str) -> None:
    a = ag.tensor(1.5, requires_grad=True)
    with pytest.raises(TypeError, match=f"no gradient with respect to {arg}"):
        call(a).backward()


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="multigammaln: d must be a positive integer"):
        S.multigammaln(ag.tensor(3.0), 0)
    assert S.logsumexp is ag.logsumexp


def test_import_autograd_core_does_not_import_scipy() -> None:
    code = "import sys, autograd_core, autograd_core.numpy.linalg, autograd_core.numpy.fft; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_erf_uses_scipy_when_installed() -> None:
    x = np.linspace(-3, 3, 7).astype(np.float32)
    out = ag.erf(ag.tensor(x))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, sc.erf(x))


def test_scipy_ufuncs_on_tensors_record() -> None:
    x = ag.tensor([-1.5, 0.25, 2.0], requires_grad=True)
    y = sc.expit(x)  # scipy's own ufunc: Tensor.__array_ufunc__ finds our sigmoid
    assert isinstance(y, ag.Tensor) and y.requires_grad
    np.testing.assert_allclose(y.data, sc.expit(x.data), rtol=1e-15)
    (y * np.array([1.0, 2.0, 3.0])).sum().backward()
    s = sc.expit(x.data)
    np.testing.assert_allclose(x.grad.data, np.array([1.0, 2.0, 3.0]) * s * (1 - s), rtol=1e-14)
    p = ag.tensor([0.3, 0.6], requires_grad=True)
    sc.betainc(1.5, 2.5, p).sum().backward()  # three arguments, differentiable in the last
    want = p.data**0.5 * (1 - p.data) ** 1.5 / sc.beta(1.5, 2.5)  # the beta(1.5, 2.5) density
    np.testing.assert_allclose(p.grad.data, want, rtol=1e-12)


def test_scipy_ufuncs_find_their_rules_without_importing_autograd_core_scipy() -> None:
    code = (
        "import sys, scipy.special as sc, autograd_core as ag\n"
        "assert 'autograd_core.scipy.special' not in sys.modules\n"
        "y = sc.gammaln(ag.tensor([2.5], requires_grad=True))\n"
        "assert y.requires_grad, y\n"
        "try:\n"
        "    sc.zetac(ag.tensor([2.5], requires_grad=True))\n"
        "except TypeError as err:\n"
        "    print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("scipy.special.zetac has no autograd_core rule"), out


def test_yn_refuses_a_fractional_order() -> None:
    with pytest.raises(ValueError, match="yn: n must be integer-valued"):
        sc.yn(2.5, ag.tensor([1.0], requires_grad=True))
    np.testing.assert_allclose(S.yn(2, ag.tensor([1.0])).data, sc.yn(2, [1.0]), rtol=1e-13)


def test_scipy_functions_refuse_a_tensor_that_requires_grad() -> None:
    # scipy.linalg / scipy.signal are not numpy functions: no protocol reaches our rules, and
    # np.asarray refuses the Tensor (never a silently dropped gradient); ours are in autograd_core.scipy.
    import scipy.linalg as sl
    import scipy.signal as sg

    a = ag.tensor(np.eye(2) * 2.0, requires_grad=True)
    calls = [
        lambda: sl.solve_triangular(a, np.ones(2)),
        lambda: sl.solve_sylvester(a, a, np.eye(2)),
        lambda: sl.sqrtm(a),
        lambda: sg.convolve(a, a),
    ]
    for call in calls:
        with pytest.raises(TypeError, match="requires grad"):
            call()


def test_iv_is_finite_near_the_smallest_normal() -> None:
    x = np.array([2.2e-308, -2.2e-308, 1e-308])  # scipy's iv (AMOS) gives NaN here; i0/i1 do not
    np.testing.assert_allclose(S.iv(1, ag.tensor(x)).data, sc.i1(x), rtol=1e-12)
    np.testing.assert_allclose(S.iv(0, ag.tensor(x)).data, sc.i0(x), rtol=1e-12)
    np.testing.assert_allclose(S.iv(-0.5, ag.tensor(x[[0, 2]])).data, np.sqrt(2 / (np.pi * x[[0, 2]])))
    t = ag.tensor(x, requires_grad=True)
    sc.i1(t).sum().backward()  # I1'(0) = 1/2
    np.testing.assert_allclose(t.grad.data, 0.5)
