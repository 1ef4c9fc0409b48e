"""Complex numbers: exact gradients in PyTorch's convention, or a clear refusal.

For a real-valued L of complex z = x + iy, ``z.grad = dL/dx + i dL/dy``. Every op that accepts
complex input is gradchecked here on complex inputs (real and imaginary parts perturbed), first
and second order, and cross-checked against torch, which uses the same convention.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, GradcheckError, Primitive, Tensor, gradcheck, gradgradcheck

RNG = np.random.default_rng(7)


def _c(*shape: int, re_lo: float = -1.5) -> np.ndarray:
    """Random complex values; ``re_lo`` bounds the real part from below (off branch cuts)."""
    return RNG.uniform(re_lo, 1.5, shape) + 1j * RNG.uniform(-1.5, 1.5, shape)


# name -> (our function of complex inputs, torch's, inputs). Outputs may be complex or real.
CASES: dict = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, (_c(2, 3), _c(3))),
    "sub": (lambda a, b: a - 2.0 * b, lambda a, b: a - 2.0 * b, (_c(2, 3), _c(2, 3))),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, (_c(2, 3), _c(3))),
    "div": (lambda a, b: a / b, lambda a, b: a / b, (_c(3), _c(3, re_lo=0.5))),
    "neg": (lambda a: -a, lambda a: -a, (_c(3),)),
    "mul_real_complex": (lambda a, x: a * x, lambda a, x: a * x, (_c(3), RNG.normal(size=3))),
    "pow_int": (lambda a: a**3, lambda a: a**3, (_c(3),)),
    "pow_fractional": (lambda a: a**1.5, lambda a: a**1.5, (_c(3, re_lo=0.3),)),
    "pow_tensor_tensor": (lambda a, b: a**b, lambda a, b: a**b, (_c(3, re_lo=0.3), _c(3) * 0.5)),
    "exp": (ag.exp, lambda a: a.exp(), (_c(3),)),
    "log": (ag.log, lambda a: a.log(), (_c(3, re_lo=0.3),)),
    "log1p": (ag.log1p, lambda a: a.log1p(), (_c(3, re_lo=0.0),)),
    "expm1": (ag.expm1, lambda a: a.expm1(), (_c(3),)),
    "sqrt": (ag.sqrt, lambda a: a.sqrt(), (_c(3, re_lo=0.3),)),
    "sin": (ag.sin, lambda a: a.sin(), (_c(3),)),
    "cos": (ag.cos, lambda a: a.cos(), (_c(3),)),
    "tan": (ag.tan, lambda a: a.tan(), (_c(3) * 0.5,)),
    "tanh": (ag.tanh, lambda a: a.tanh(), (_c(3) * 0.5,)),
    "sigmoid": (ag.sigmoid, lambda a: a.sigmoid(), (_c(3) * 0.5,)),
    "abs": (ag.abs, lambda a: a.abs(), (_c(2, 3),)),
    "conj": (ag.conj, lambda a: a.conj(), (_c(3),)),
    "real": (ag.real, lambda a: a.real, (_c(3),)),
    "imag": (ag.imag, lambda a: a.imag, (_c(3),)),
    "angle": (ag.angle, lambda a: a.angle(), (_c(3, re_lo=0.3),)),
    "sum_axis": (lambda a: ag.sum(a, axis=0), lambda a: a.sum(0), (_c(2, 3),)),
    "mean": (ag.mean, lambda a: a.mean(), (_c(2, 3),)),
    "prod": (ag.prod, lambda a: a.prod(), (_c(4),)),
    "prod_axis": (lambda a: ag.prod(a, axis=1), lambda a: a.prod(1), (_c(2, 3),)),
    "cumsum": (lambda a: ag.cumsum(a, axis=0), lambda a: a.cumsum(0), (_c(3, 2),)),
    "norm": (ag.norm, lambda a: a.norm(), (_c(2, 3),)),
    "norm_axis": (lambda a: ag.norm(a, axis=1), lambda a: a.norm(dim=1), (_c(2, 3),)),
    "var": (ag.var, lambda a: a.var(correction=0), (_c(2, 3),)),
    "var_axis_ddof": (lambda a: ag.var(a, axis=0, ddof=1), lambda a: a.var(0, correction=1), (_c(3, 2),)),
    "std": (ag.std, lambda a: a.std(correction=0), (_c(2, 3),)),
    "matmul": (ag.matmul, lambda a, b: a @ b, (_c(2, 3), _c(3, 2))),
    "matmul_1d": (ag.matmul, lambda a, b: a @ b, (_c(3), _c(3, 2))),
    "dot": (ag.dot, lambda a, b: a @ b, (_c(3), _c(3))),
    "einsum": (
        lambda a, b: ag.einsum("ij,jk->ik", a, b),
        lambda a, b: __import__("torch").einsum("ij,jk->ik", a, b),
        (_c(2, 3), _c(3, 2)),
    ),
    "reshape_transpose": (
        lambda a: ag.transpose(ag.reshape(a, (3, 2))),
        lambda a: a.reshape(3, 2).T,
        (_c(2, 3),),
    ),
    "getitem": (lambda a: a[[0, 2, 0]], lambda a: a[[0, 2, 0]], (_c(3),)),
    "where": (
        lambda a, b: ag.where(np.array([True, False, True]), a, b),
        lambda a, b: __import__("torch").where(__import__("torch").tensor([True, False, True]), a, b),
        (_c(3), _c(3)),
    ),
    "concatenate": (
        lambda a, b: ag.concatenate([a, b]),
        lambda a, b: __import__("torch").cat([a, b]),
        (_c(2), _c(3)),
    ),
    "abs_of_product": (lambda a: ag.abs(a * (2 + 1j)), lambda a: (a * (2 + 1j)).abs(), (_c(3),)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcheck_on_complex_inputs(name: str) -> None:
    fn, _, inputs = CASES[name]
    assert gradcheck(fn, *inputs)
    assert gradgradcheck(fn, *inputs)


@pytest.mark.torch
@pytest.mark.parametrize("name", sorted(CASES))
def test_complex_gradients_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    ours, theirs, inputs = CASES[name]
    leaves = [Tensor(x.copy(), requires_grad=True) for x in inputs]
    out = ours(*leaves)
    upstream = RNG.normal(size=out.shape)
    if out.dtype.kind == "c":
        upstream = upstream + 1j * RNG.normal(size=out.shape)
    out.backward(upstream)
    t_leaves = [torch.tensor(x, requires_grad=True) for x in inputs]
    t_out = theirs(*t_leaves)
    np.testing.assert_allclose(out.data, t_out.detach().resolve_conj().numpy(), rtol=1e-10, atol=1e-12)
    t_out.backward(torch.tensor(upstream))
    for leaf, t_leaf in zip(leaves, t_leaves):
        assert leaf.grad.dtype == leaf.dtype
        np.testing.assert_allclose(leaf.grad.data, t_leaf.grad.resolve_conj().numpy(), rtol=1e-10, atol=1e-12)


def test_check_grad_keeps_complex_inputs_complex() -> None:
    from autograd_core.testing import check_grad

    assert check_grad(lambda z: z * ag.exp(z), _c(3), second_order=True)
    wrong = Primitive("square_conj", np.square, lambda g, ans, x: g * 2 * np.conj(x), register=False)
    with pytest.raises(GradcheckError, match=r"\((real|imaginary) part\)"):
        check_grad(wrong, _c(3))


def test_abs_of_a_real_input_times_a_complex_constant() -> None:
    # The regression of issue 9: the rules once mixed conventions and gave 1.342.
    g = ag.grad(lambda a: ag.abs(a * (2 + 1j)).sum())(np.array([1.5]))
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, [np.sqrt(5.0)], rtol=1e-12)


def test_a_real_input_meeting_complex_constants_gets_a_real_gradient() -> None:
    x = ag.tensor([0.5, -1.0], requires_grad=True)
    (ag.real(ag.exp(x * 1j)) + ag.imag(x * (3 - 2j))).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, -np.sin(x.data) - 2.0, rtol=1e-12)


@pytest.mark.parametrize(
    "name, ours, numpy_fn",
    [
        ("abs", ag.abs, np.abs),
        ("norm", ag.norm, np.linalg.norm),
        ("norm_axis", lambda z: ag.norm(z, axis=0), lambda z: np.linalg.norm(z, axis=0)),
        ("var", ag.var, np.var),
        ("var_ddof", lambda z: ag.var(z, axis=1, ddof=1), lambda z: np.var(z, axis=1, ddof=1)),
        ("std", ag.std, np.std),
        ("std_axis", lambda z: ag.std(z, axis=0), lambda z: np.std(z, axis=0)),
    ],
)
def test_values_on_complex_input_match_numpy(name: str, ours: Callable, numpy_fn: Callable) -> None:
    z = _c(3, 4)
    got = ours(ag.tensor(z, requires_grad=True))
    want = numpy_fn(z)
    assert got.dtype == np.float64 and np.asarray(want).dtype == np.float64
    np.testing.assert_allclose(got.data, want, rtol=1e-12)


def test_requires_grad_on_complex_is_allowed() -> None:
    z = ag.tensor([1 + 1j], requires_grad=True)
    assert z.requires_grad and z.dtype == np.complex128


REAL_ONLY: dict = {
    "relu": ag.relu,
    "leaky_relu": ag.leaky_relu,
    "elu": ag.elu,
    "sign": ag.sign,
    "maximum": lambda z: ag.maximum(z, 0.5),
    "minimum": lambda z: ag.minimum(z, z * 2),
    "clip": lambda z: ag.clip(z, -1.0, 1.0),
    "max": ag.max,
    "min": lambda z: z.min(axis=0),
    "logsumexp": ag.logsumexp,
    "softmax": ag.softmax,
    "log_softmax": ag.log_softmax,
}


@pytest.mark.parametrize("name", sorted(REAL_ONLY))
def test_real_only_ops_refuse_complex_inputs_that_require_grad(name: str) -> None:
    fn = REAL_ONLY[name]
    z = ag.tensor(_c(2, 3), requires_grad=True)
    with pytest.raises(TypeError, match=rf"^{name}: its derivative rules hold for real numbers only"):
        fn(z)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's own complex warnings, if any
        with ag.no_grad():
            fn(z)  # without a gradient the forward keeps numpy's meaning
        fn(ag.tensor(_c(2, 3)))


@pytest.mark.parametrize("fn", [ag.step, ag.softplus, ag.erf])
def test_ops_numpy_cannot_run_on_complex_refuse_naming_the_op(fn: Callable) -> None:
    with pytest.raises(TypeError, match=rf"^{fn.name}: "):
        fn(ag.tensor(_c(3), requires_grad=True))


def test_backward_and_grad_refuse_a_complex_output_without_upstream_gradient() -> None:
    z = ag.tensor([1 + 2j], requires_grad=True)
    with pytest.raises(TypeError, match="backward: the output is complex"):
        (z * z).sum().backward()
    with pytest.raises(TypeError, match="grad: f returned a complex number"):
        ag.grad(lambda z: (z * z).sum())(np.array([1 + 2j]))
    with pytest.raises(TypeError, match="jacobian: complex inputs and outputs are not supported"):
        ag.jacobian(lambda z: z * z)(np.array([1 + 2j]))


def test_holomorphic_grad_is_the_complex_derivative() -> None:
    z0 = 0.3 + 0.7j
    np.testing.assert_allclose(ag.holomorphic_grad(lambda z: z**3)(z0), 3 * z0**2, rtol=1e-12)
    f = lambda z: ag.sin(z) * ag.exp(z)  # noqa: E731
    want = np.cos(z0) * np.exp(z0) + np.sin(z0) * np.exp(z0)
    np.testing.assert_allclose(ag.holomorphic_grad(f)(np.array(z0)), want, rtol=1e-12)
    # a real point is taken as complex; argnums as in grad; nested for the second derivative
    np.testing.assert_allclose(ag.holomorphic_grad(lambda z: z**2)(2.0), 4.0)
    g = ag.holomorphic_grad(lambda a, b: a * b**2, argnums=(0, 1))(1j, 2.0 + 0j)
    np.testing.assert_allclose(g, (4.0, 4j))
    second = ag.holomorphic_grad(ag.holomorphic_grad(lambda z: z**3))(z0)
    np.testing.assert_allclose(second, 6 * z0, rtol=1e-12)
    assert "holomorphic_grad" in ag.__all__


def test_jvp_and_vjp_of_complex_maps() -> None:
    z = _c(3)
    v = _c(3)
    _, tangent = ag.jvp(lambda z: z * ag.exp(z), z, v)
    np.testing.assert_allclose(tangent, (1 + z) * np.exp(z) * v, rtol=1e-12)
    _, tangent = ag.jvp(lambda z: ag.conj(z) * 2.0, z, v)  # not holomorphic: J v = 2 conj(v)
    np.testing.assert_allclose(tangent, 2 * np.conj(v), rtol=1e-12)
    _, back = ag.vjp(lambda z: z * z, z)
    np.testing.assert_allclose(back(v), v * np.conj(2 * z), rtol=1e-12)  # g * conj(f'(z))


def test_a_custom_function_sees_pytorchs_convention() -> None:
    c = 0.5 - 2.0j

    class Scale(Function):
        @staticmethod
        def forward(ctx: Any, z: np.ndarray) -> np.ndarray:
            return z * c

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * np.conj(c)  # PyTorch's rule for a holomorphic op: g * conj(f'(z))

    z = ag.tensor(_c(3), requires_grad=True)
    ag.abs(Scale.apply(z)).sum().backward()
    ref = ag.tensor(z.data.copy(), requires_grad=True)
    ag.abs(ref * c).sum().backward()
    np.testing.assert_allclose(z.grad.data, ref.grad.data, rtol=1e-12)


def test_gradcheck_catches_a_conjugated_complex_rule() -> None:
    # A holomorphic op whose rule conjugates its derivative: right on reals, wrong on complex.
    wrong = Primitive("square_conj_rule", np.square, lambda g, ans, x: g * 2 * np.conj(x), register=False)
    assert gradcheck(wrong, np.array([0.5, -1.0]))
    with pytest.raises(GradcheckError, match=r"input 0, element \(\d,\) \((real|imaginary) part\)"):
        gradcheck(lambda z: ag.abs(wrong(z)), _c(2))
