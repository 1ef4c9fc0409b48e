"""The numpy surface of issue 10 item 1: values against numpy, gradients against torch, coverage.

Gradients against finite differences (first and second order, float32 agreement) are the rows
in ``rows/numpy_math.py`` and ``rows/numpy_arrays.py``; this file adds what a row cannot say.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._dispatch import HANDLED_FUNCTIONS, HANDLED_UFUNCS
from tests.autograd_core import test_op_table

DIFFERENTIABLE = (
    "abs absolute fabs arccos arccosh arcsin arcsinh arctan arctan2 arctanh angle real imag conj conjugate "
    "real_if_close deg2rad radians rad2deg degrees exp2 log2 log10 logaddexp logaddexp2 hypot sinh cosh "
    "sinc square reciprocal mod remainder fmax fmin nan_to_num cross diff gradient inner tensordot kron dot "
    "trace diag diagonal tril triu flip fliplr flipud rot90 roll tile repeat moveaxis rollaxis ravel "
    "atleast_1d atleast_2d atleast_3d append array_split hsplit vsplit dsplit hstack vstack column_stack "
    "row_stack r_ c_ select sort partition cumprod linspace full amax amin"
).split()
NON_DIFFERENTIABLE = (
    "argsort searchsorted nonzero unique isclose floor_divide zeros ones eye arange zeros_like ones_like "
    "full_like empty_like"
).split()
# Nothing to dispatch on: no array argument (numpy's like= aside), or not a function.
NO_DISPATCH = {"zeros", "ones", "eye", "arange", "full", "r_", "c_"}

rng = np.random.default_rng(0)


def U(lo: float, hi: float, *shape: int) -> np.ndarray:
    return rng.uniform(lo, hi, shape)


A, B = U(-3, 3, 3, 4), U(-3, 3, 3, 4)
V3, W3, M33 = U(-2, 2, 3), U(-2, 2, 3), U(-2, 2, 3, 3)
BOOL = A > 0

# name -> (call(module, *inputs), inputs): the same call runs on ``autograd_core`` and on ``numpy``.
VALUES = {
    "abs": (lambda m, x: m.abs(x), [A]),
    "absolute": (lambda m, x: m.absolute(x), [A]),
    "fabs": (lambda m, x: m.fabs(x), [A]),
    "arccos": (lambda m, x: m.arccos(x), [U(-1, 1, 3, 4)]),
    "arccosh": (lambda m, x: m.arccosh(x), [U(1, 5, 3, 4)]),
    "arcsin": (lambda m, x: m.arcsin(x), [U(-1, 1, 3, 4)]),
    "arcsinh": (lambda m, x: m.arcsinh(x), [A]),
    "arctan": (lambda m, x: m.arctan(x), [A]),
    "arctan2": (lambda m, y, x: m.arctan2(y, x), [A, B]),
    "arctanh": (lambda m, x: m.arctanh(x), [U(-1, 1, 3, 4)]),
    "angle": (lambda m, x: m.angle(x, deg=True), [A]),
    "real": (lambda m, x: m.real(x), [A]),
    "imag": (lambda m, x: m.imag(x), [A]),
    "conj": (lambda m, x: m.conj(x), [A]),
    "conjugate": (lambda m, x: m.conjugate(x), [A]),
    "real_if_close": (lambda m, x: m.real_if_close(x), [A]),
    "deg2rad": (lambda m, x: m.deg2rad(x), [A * 60]),
    "radians": (lambda m, x: m.radians(x), [A * 60]),
    "rad2deg": (lambda m, x: m.rad2deg(x), [A]),
    "degrees": (lambda m, x: m.degrees(x), [A]),
    "exp2": (lambda m, x: m.exp2(x), [A]),
    "log2": (lambda m, x: m.log2(x), [U(0.1, 5, 3, 4)]),
    "log10": (lambda m, x: m.log10(x), [U(0.1, 5, 3, 4)]),
    "logaddexp": (lambda m, x, y: m.logaddexp(x, y), [A * 100, B]),
    "logaddexp2": (lambda m, x, y: m.logaddexp2(x, y), [A * 100, B]),
    "hypot": (lambda m, x, y: m.hypot(x, y), [A, B]),
    "sinh": (lambda m, x: m.sinh(x), [A]),
    "cosh": (lambda m, x: m.cosh(x), [A]),
    "sinc": (lambda m, x: m.sinc(x), [np.r_[A.ravel(), 0.0, 1e-3, -2.0]]),
    "square": (lambda m, x: m.square(x), [A]),
    "reciprocal": (lambda m, x: m.reciprocal(x), [A]),
    "mod": (lambda m, x, y: m.mod(x, y), [A * 3, B]),
    "remainder": (lambda m, x, y: m.remainder(x, y), [A * 3, B]),
    "fmax": (lambda m, x, y: m.fmax(x, y), [np.where(BOOL, np.nan, A), B]),
    "fmin": (lambda m, x, y: m.fmin(x, y), [A, np.where(BOOL, np.nan, B)]),
    "nan_to_num": (lambda m, x: m.nan_to_num(x, posinf=7.0), [np.r_[A.ravel(), np.nan, np.inf, -np.inf]]),
    "cross": (lambda m, a, b: m.cross(a, b, axisa=0, axisc=0), [U(-1, 1, 3, 2), U(-1, 1, 2, 3)]),
    "diff": (lambda m, x: m.diff(x, n=2, axis=0, prepend=x[:1]), [A]),
    "gradient": (lambda m, x: m.gradient(x, 0.5, [0, 1, 3, 3.5], edge_order=2), [A]),
    "inner": (lambda m, a, b: m.inner(a, b), [A, B]),
    "tensordot": (lambda m, a, b: m.tensordot(a, b, ([0, 1], [1, 0])), [A, B.T]),
    "kron": (lambda m, a, b: m.kron(a, b), [V3, M33]),
    "dot": (lambda m, a, b: m.dot(a, b), [U(-1, 1, 2, 3, 4), U(-1, 1, 5, 4, 2)]),
    "trace": (lambda m, x: m.trace(x, 1), [A]),
    "diag": (lambda m, v: m.diag(v, -1), [V3]),
    "diagonal": (lambda m, x: m.diagonal(x, 1, 1, 0), [U(-1, 1, 3, 4, 2)]),
    "tril": (lambda m, x: m.tril(x, -1), [A]),
    "triu": (lambda m, x: m.triu(x, 1), [A]),
    "flip": (lambda m, x: m.flip(x, 1), [A]),
    "fliplr": (lambda m, x: m.fliplr(x), [A]),
    "flipud": (lambda m, x: m.flipud(x), [A]),
    "rot90": (lambda m, x: m.rot90(x, -1), [A]),
    "roll": (lambda m, x: m.roll(x, (1, 5), (0, 1)), [A]),
    "tile": (lambda m, x: m.tile(x, (2, 1, 2)), [A]),
    "repeat": (lambda m, x: m.repeat(x, [2, 0, 1], axis=0), [A]),
    "moveaxis": (lambda m, x: m.moveaxis(x, [0, 2], [1, 0]), [U(-1, 1, 2, 3, 4)]),
    "rollaxis": (lambda m, x: m.rollaxis(x, 2, 1), [U(-1, 1, 2, 3, 4)]),
    "ravel": (lambda m, x: m.ravel(x, "F"), [A]),
    "atleast_1d": (lambda m, x, y: m.atleast_1d(x, y), [np.float64(2.0), A]),
    "atleast_2d": (lambda m, x: m.atleast_2d(x), [V3]),
    "atleast_3d": (lambda m, x: m.atleast_3d(x), [A]),
    "append": (lambda m, x, y: m.append(x, y), [A, V3]),
    "array_split": (lambda m, x: m.array_split(x, 3, axis=1), [A]),
    "hsplit": (lambda m, x: m.hsplit(x, [1, 3]), [A]),
    "vsplit": (lambda m, x: m.vsplit(x, 3), [A]),
    "dsplit": (lambda m, x: m.dsplit(x, 2), [U(-1, 1, 2, 3, 4)]),
    "hstack": (lambda m, x, y: m.hstack([x, y]), [A, B]),
    "vstack": (lambda m, x, y: m.vstack([x, y]), [V3, M33]),
    "column_stack": (lambda m, x, y: m.column_stack([x, y]), [V3, M33]),
    "row_stack": (lambda m, x, y: m.vstack([x, y]), [V3, M33]),
    "r_": (lambda m, x, y: m.r_[x, 0.5, y, 1:3], [V3, W3]),
    "c_": (lambda m, x, y: m.c_[x, y], [V3, M33]),
    "select": (lambda m, x, y: m.select([x > 0, y > 0], [x, y], 0.5), [A, B]),
    "sort": (lambda m, x: m.sort(x, axis=0), [A]),
    "partition": (lambda m, x: m.partition(x, [1, 2], axis=1), [A]),
    "cumprod": (lambda m, x: m.cumprod(x, axis=1), [A]),
    "linspace": (lambda m, a, b: m.linspace(a, b, 7, axis=1), [V3, W3]),
    "full": (lambda m, v: m.full((2, 3), v), [np.float64(1.5)]),
    "amax": (lambda m, x: m.amax(x, axis=1, initial=0.5, where=x < 2), [A]),
    "amin": (lambda m, x: m.amin(x, axis=(0, 1), keepdims=True), [A]),
    "argsort": (lambda m, x: m.argsort(x, axis=0), [A]),
    "searchsorted": (lambda m, a, v: m.searchsorted(a, v, side="right"), [np.sort(V3), A]),
    "nonzero": (lambda m, x: m.nonzero(x > 0), [A]),
    "unique": (lambda m, x: m.unique(x, return_counts=True, return_inverse=True), [np.round(A)]),
    "isclose": (lambda m, x, y: m.isclose(x, y, atol=0.5), [A, B]),
    "floor_divide": (lambda m, x, y: m.floor_divide(x, y), [A * 3, B]),
    "zeros": (lambda m: m.zeros((2, 3), dtype=np.float32), []),
    "ones": (lambda m: m.ones(3), []),
    "eye": (lambda m: m.eye(3, 4, k=1), []),
    "arange": (lambda m: m.arange(1, 7, 2), []),
    "zeros_like": (lambda m, x: m.zeros_like(x), [A]),
    "ones_like": (lambda m, x: m.ones_like(x, dtype=np.float32), [A]),
    "full_like": (lambda m, x: m.full_like(x, 2.5), [A]),
    "empty_like": (lambda m, x: m.empty_like(x).shape, [A]),
}


# Products summed by BLAS in our case and by numpy's own loops in numpy's: equal up to rounding.
SUMMATION_ORDER = {"dot", "tensordot", "inner"}


def _raw(out):
    if isinstance(out, (tuple, list)):
        return [_raw(o) for o in out]
    return out.data if isinstance(out, Tensor) else out


@pytest.mark.parametrize("name", sorted(VALUES))
@pytest.mark.parametrize("requires_grad", [False, True])
def test_values_equal_numpy(name: str, requires_grad: bool) -> None:
    call, inputs = VALUES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # numpy's own, e.g. 2-vector cross
        expected = call(np, *inputs)
        ours = call(ag, *[Tensor(x, requires_grad=requires_grad and x.dtype.kind == "f") for x in inputs])
    if isinstance(expected, tuple) and not isinstance(expected[0], int):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(expected)
    for got, want in zip(_as_list(_raw(ours)), _as_list(expected)):
        assert np.asarray(got).dtype == np.asarray(want).dtype, name
        if name in SUMMATION_ORDER:
            np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15, err_msg=name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)


def _as_list(x):
    return [np.asarray(v) for v in x] if isinstance(x, (tuple, list)) else [np.asarray(x)]


def test_every_name_is_exported_registered_and_tested() -> None:
    row_names = [r.name for r in test_op_table.ROWS]
    problems = []
    for name in DIFFERENTIABLE + NON_DIFFERENTIABLE:
        if not hasattr(ag, name):
            problems.append(f"{name}: missing from autograd_core")
            continue
        if name not in VALUES:
            problems.append(f"{name}: no value comparison with numpy")
        np_fn = getattr(np, name)
        if name not in NO_DISPATCH and np_fn not in HANDLED_FUNCTIONS and np_fn not in HANDLED_UFUNCS:
            problems.append(f"{name}: numpy.{name} has no dispatch entry")
        if name in DIFFERENTIABLE and not any(r == name or r.startswith(name + "_") for r in row_names):
            problems.append(f"{name}: no gradient row")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NON_DIFFERENTIABLE)
def test_non_differentiable_companions_return_tensors_that_need_no_grad(name: str) -> None:
    call, inputs = VALUES[name]
    out = call(ag, *[Tensor(x, requires_grad=x.dtype.kind == "f") for x in inputs])
    outs = out if isinstance(out, tuple) else (out,)
    if name == "empty_like":
        outs = (ag.empty_like(Tensor(A, requires_grad=True)),)
    for o in outs:
        assert isinstance(o, Tensor) and not o.requires_grad and o.grad_fn is None


# -- conventions at singular points and kinks ---------------------------------------------------
def _grad(f, *xs):
    return ag.grad(f, argnums=tuple(range(len(xs))))(*[np.asarray(x, dtype=float) for x in xs])


def test_sinc_is_smooth_at_zero_to_second_order() -> None:
    assert ag.grad(lambda x: ag.sinc(x))(0.0) == 0.0
    assert ag.grad(ag.grad(lambda x: ag.sinc(x)))(0.0) == pytest.approx(-(math.pi**2) / 3, rel=1e-12)
    for x in (1e-2 - 1e-12, 1e-2 + 1e-12):  # the seam between series and formula
        assert ag.grad(ag.sinc)(x) == pytest.approx(ag.grad(ag.sinc)(1e-2), rel=1e-8)


def test_arctan2_and_hypot_have_gradient_zero_at_the_origin() -> None:
    assert [float(g) for g in _grad(ag.arctan2, 0.0, 0.0)] == [0.0, 0.0]
    assert [float(g) for g in _grad(ag.hypot, 0.0, 0.0)] == [0.0, 0.0]


def test_inverse_trig_slopes_are_the_true_infinities_at_the_ends() -> None:
    with np.errstate(divide="ignore"):
        assert ag.grad(ag.arccos)(1.0) == -np.inf and ag.grad(ag.arcsin)(-1.0) == np.inf
        assert ag.grad(ag.arctanh)(1.0) == np.inf and ag.grad(ag.arccosh)(1.0) == np.inf


def test_mod_at_a_jump_takes_the_right_continuous_branch() -> None:
    gx, gy = _grad(ag.mod, 3.0, 1.5)  # x / y = 2 exactly: mod = x - 2y just right of the jump
    assert (float(gx), float(gy)) == (1.0, -2.0)


def test_sort_ties_keep_one_gradient_each_and_amax_ties_split() -> None:
    w = np.array([1.0, 10.0, 100.0])
    g = ag.grad(lambda x: (ag.sort(x) * w).sum())(np.array([2.0, 1.0, 2.0]))
    np.testing.assert_array_equal(g, [10.0, 1.0, 100.0])  # stable: the first 2.0 sorts first
    np.testing.assert_array_equal(ag.grad(lambda x: ag.amax(x))(np.array([2.0, 1.0, 2.0])), [0.5, 0.0, 0.5])


def test_nan_to_num_and_fmax_pass_no_gradient_to_replaced_values() -> None:
    x = np.array([1.0, np.nan, np.inf])
    np.testing.assert_array_equal(ag.grad(lambda t: ag.nan_to_num(t).sum())(x), [1.0, 0.0, 0.0])
    gx, gy = _grad(lambda a, b: ag.fmax(a, b).sum(), [np.nan, 1.0, 2.0], [0.5, np.nan, 2.0])
    np.testing.assert_array_equal(gx, [0.0, 1.0, 0.5])
    np.testing.assert_array_equal(gy, [1.0, 0.0, 0.5])


def test_complex_inputs_that_need_grad_are_refused_where_no_complex_rule_exists() -> None:
    z = Tensor(np.array([1.0 + 2.0j]), requires_grad=True)
    for op in (ag.real_if_close, ag.nan_to_num):
        with pytest.raises(TypeError, match="complex input"):
            op(z)
    # real, imag, conj and angle are ops/complex.py's exact primitives (tests/autograd_core/test_complex.py)
    assert ag.imag(z).item() == 2.0 and ag.angle(z, deg=True).item() == pytest.approx(63.43494882)


# -- operators, methods, constructors -----------------------------------------------------------
def test_mod_and_floordiv_operators() -> None:
    x = Tensor(np.array([7.5, -2.0]), requires_grad=True)
    np.testing.assert_array_equal((x % 2).data, np.array([7.5, -2.0]) % 2)
    np.testing.assert_array_equal((10.0 % x).data, 10.0 % np.array([7.5, -2.0]))
    np.testing.assert_array_equal((x // 2).data, [3.0, -1.0])
    assert not (x // 2).requires_grad and not (3.0 // x).requires_grad
    (x % 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


def test_sort_method_sorts_in_place_like_ndarray() -> None:
    x = Tensor(np.array([3.0, 1.0, 2.0]), requires_grad=True)
    with pytest.raises(ValueError, match="sort: a leaf tensor that requires grad"):
        x.sort()
    y = x * 1.0
    assert y.sort() is None
    np.testing.assert_array_equal(y.data, [1.0, 2.0, 3.0])
    (y * Tensor(np.array([1.0, 10.0, 100.0]))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [100.0, 1.0, 10.0])
    plain = Tensor(np.array([2.0, 1.0]))
    plain.sort()
    np.testing.assert_array_equal(plain.data, [1.0, 2.0])


def test_methods_match_ndarray_methods() -> None:
    x = Tensor(M33, requires_grad=True)
    for name, args in [
        ("trace", ()),
        ("diagonal", (1,)),
        ("repeat", (2, 1)),
        ("cumprod", (0,)),
        ("ravel", ()),
    ]:
        np.testing.assert_array_equal(getattr(x, name)(*args).data, getattr(M33, name)(*args), err_msg=name)
    np.testing.assert_array_equal(x.argsort(axis=0).data, M33.argsort(axis=0))
    assert [t.data.tolist() for t in Tensor(BOOL).nonzero()] == [v.tolist() for v in BOOL.nonzero()]


def test_linspace_retstep_integer_dtype_and_gradient_in_endpoints() -> None:
    y, step = ag.linspace(Tensor(np.array(0.0), requires_grad=True), 1.0, 5, retstep=True)
    assert float(step.item()) == 0.25 and y.requires_grad
    np.testing.assert_array_equal(
        ag.linspace(Tensor(np.array(0.0), requires_grad=True), 9.0, 4, dtype=int).data, [0, 3, 6, 9]
    )
    ga, gb = _grad(lambda a, b: ag.linspace(a, b, 5).sum(), 0.0, 1.0)  # sum = 5 (a + b) / 2
    assert (float(ga), float(gb)) == (2.5, 2.5)


def test_full_of_a_tensor_is_a_fresh_array_on_the_tape() -> None:
    v = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    out = ag.full((2,), v)
    assert out.data is not v.data and np.shares_memory(out.data, v.data) is False
    ag.full((3, 2), v).sum().backward()
    np.testing.assert_array_equal(v.grad.data, [3.0, 3.0])


def test_bad_arguments_are_refused_naming_the_op() -> None:
    x = Tensor(A, requires_grad=True)
    for call, match in [
        (lambda: ag.diagonal(x, 0, 1, 1), "diagonal: axis1 and axis2"),
        (lambda: ag.cross(x, x), "cross: vectors must have 2 or 3"),
        (lambda: ag.tensordot(x, x, ([0], [1])), "tensordot: shape-mismatch"),
        (lambda: ag.diff(Tensor(np.array(1.0)), 1), "diff: requires input"),
        (lambda: ag.gradient(Tensor(np.ones(2)), edge_order=2), "gradient: shape"),
        (lambda: ag.select([BOOL], [x, x]), "select: 1 conditions but 2"),
        (lambda: ag.amax(x, where=BOOL), "amax: reduction with where= needs an initial"),
        (lambda: ag.moveaxis(x, 0, 5), "moveaxis: axis 5 is out of bounds"),
        (lambda: ag.sort(x, order="a"), "sort: 'order'"),
    ]:
        with pytest.raises((ValueError, TypeError), match=match):
            call()


# -- torch cross-checks (skipped when torch is absent) -------------------------------------------
TORCH = {
    "arcsin": (lambda m, x: m.arcsin(x), lambda t, x: t.asin(x), [U(-0.9, 0.9, 3, 4)]),
    "arccos": (lambda m, x: m.arccos(x), lambda t, x: t.acos(x), [U(-0.9, 0.9, 3, 4)]),
    "arccosh": (lambda m, x: m.arccosh(x), lambda t, x: t.acosh(x), [U(1.1, 4, 3, 4)]),
    "arcsinh": (lambda m, x: m.arcsinh(x), lambda t, x: t.asinh(x), [A]),
    "arctanh": (lambda m, x: m.arctanh(x), lambda t, x: t.atanh(x), [U(-0.9, 0.9, 3, 4)]),
    "arctan2": (lambda m, y, x: m.arctan2(y, x), lambda t, y, x: t.atan2(y, x), [A, B]),
    "sinh": (lambda m, x: m.sinh(x), lambda t, x: t.sinh(x), [A]),
    "cosh": (lambda m, x: m.cosh(x), lambda t, x: t.cosh(x), [A]),
    "exp2": (lambda m, x: m.exp2(x), lambda t, x: t.exp2(x), [A]),
    "log2": (lambda m, x: m.log2(x), lambda t, x: t.log2(x), [U(0.1, 3, 3, 4)]),
    "log10": (lambda m, x: m.log10(x), lambda t, x: t.log10(x), [U(0.1, 3, 3, 4)]),
    "sinc": (lambda m, x: m.sinc(x), lambda t, x: t.sinc(x), [A]),
    "hypot": (lambda m, x, y: m.hypot(x, y), lambda t, x, y: t.hypot(x, y), [A, B]),
    "logaddexp": (lambda m, x, y: m.logaddexp(x, y), lambda t, x, y: t.logaddexp(x, y), [A, B]),
    "logaddexp2": (lambda m, x, y: m.logaddexp2(x, y), lambda t, x, y: t.logaddexp2(x, y), [A, B]),
    "mod": (lambda m, x, y: m.mod(x, y), lambda t, x, y: t.remainder(x, y), [A * 3, B]),
    "fmax": (lambda m, x, y: m.fmax(x, y), lambda t, x, y: t.fmax(x, y), [A, B]),
    "cross": (
        lambda m, a, b: m.cross(a, b),
        lambda t, a, b: t.linalg.cross(a, b),
        [U(-1, 1, 4, 3), U(-1, 1, 4, 3)],
    ),
    "diff": (lambda m, x: m.diff(x, 2, 0), lambda t, x: t.diff(x, 2, 0), [A]),
    "inner": (lambda m, a, b: m.inner(a, b), lambda t, a, b: t.inner(a, b), [A, B]),
    "tensordot": (lambda m, a, b: m.tensordot(a, b, 1), lambda t, a, b: t.tensordot(a, b, 1), [A, B.T]),
    "kron": (lambda m, a, b: m.kron(a, b), lambda t, a, b: t.kron(a, b), [A, M33]),
    "trace": (lambda m, x: m.trace(x), lambda t, x: t.trace(x), [A]),
    "diag": (lambda m, x: m.diag(x, 1), lambda t, x: t.diag(x, 1), [V3]),
    "diagonal": (lambda m, x: m.diagonal(x, 1), lambda t, x: t.diagonal(x, 1), [A]),
    "tril": (lambda m, x: m.tril(x, -1), lambda t, x: t.tril(x, -1), [A]),
    "triu": (lambda m, x: m.triu(x, 1), lambda t, x: t.triu(x, 1), [A]),
    "flip": (lambda m, x: m.flip(x, 1), lambda t, x: t.flip(x, [1]), [A]),
    "rot90": (lambda m, x: m.rot90(x, 3), lambda t, x: t.rot90(x, 3), [A]),
    "roll": (lambda m, x: m.roll(x, 2, 1), lambda t, x: t.roll(x, 2, 1), [A]),
    "tile": (lambda m, x: m.tile(x, (2, 3)), lambda t, x: t.tile(x, (2, 3)), [A]),
    "repeat": (lambda m, x: m.repeat(x, 2, 0), lambda t, x: t.repeat_interleave(x, 2, 0), [A]),
    "moveaxis": (lambda m, x: m.moveaxis(x, 0, 1), lambda t, x: t.moveaxis(x, 0, 1), [A]),
    "sort": (lambda m, x: m.sort(x, 0), lambda t, x: t.sort(x, 0).values, [A]),
    "cumprod": (lambda m, x: m.cumprod(x, 1), lambda t, x: t.cumprod(x, 1), [np.where(BOOL, 0.0, A)]),
    "amax": (
        lambda m, x: m.amax(x, 0),
        lambda t, x: t.amax(x, 0),
        [np.round(A)],
    ),  # ties split evenly in both
    "hstack": (lambda m, x, y: m.hstack([x, y]), lambda t, x, y: t.hstack([x, y]), [A, B]),
    "column_stack": (
        lambda m, x, y: m.column_stack([x, y]),
        lambda t, x, y: t.column_stack([x, y]),
        [V3, M33],
    ),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", sorted(TORCH))
def test_gradients_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    ours, theirs, inputs = TORCH[name]
    leaves = [Tensor(x, requires_grad=True) for x in inputs]
    out = ours(ag, *leaves)
    upstream = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(upstream)
    tleaves = [torch.tensor(x, requires_grad=True) for x in inputs]
    tout = theirs(torch, *tleaves)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    tout.backward(torch.tensor(upstream))
    for leaf, tleaf in zip(leaves, tleaves):
        np.testing.assert_allclose(leaf.grad.data, tleaf.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


def test_compiled_data_dependent_ops_follow_new_inputs() -> None:
    # sort's order, nan_to_num's mask, fmax's NaN picks and angle's sign come from recorded ops,
    # so a compiled replay recomputes them instead of reusing the traced inputs' values.
    def f(x):
        return (
            (ag.sort(x) * ag.arange(3.0)).sum()
            + ag.nan_to_num(x).sum()
            + ag.fmax(x, 0.0).sum()
            + ag.angle(x).sum()
        )

    step = ag.compile(ag.value_and_grad(f))
    for x in (np.array([3.0, -1.0, 2.0]), np.array([-5.0, 4.0, 0.5]), np.array([1.0, np.nan, -2.0])):
        with np.errstate(invalid="ignore"):
            value, g = step(x)
            want_value, want_g = ag.value_and_grad(f)(x)
        np.testing.assert_array_equal(value, want_value)
        np.testing.assert_array_equal(g, want_g)
    assert step.stats["traces"] == 1 and step.stats["eager"] == 0
