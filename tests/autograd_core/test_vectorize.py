"""jacobian/hessian(vectorize=True): one batched backward equals the row-by-row one, for every op."""

from __future__ import annotations

import warnings
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import NoGradientWarning, Primitive, Tensor, _batched
from tests.autograd_core.custom_functions import Cube
from tests.autograd_core.op_table_kit import Row
from tests.autograd_core.test_op_table import ROWS

A = np.random.default_rng(0).standard_normal((6, 6)) / np.sqrt(6)


def w5(x: Any) -> Any:  # the benchmark's W5 function
    return (ag.tanh(ag.matmul(A, x)) ** 2).sum()


def assert_same(got: Any, want: Any) -> None:
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", ROWS, ids=[r.name for r in ROWS])
@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_every_op_table_row_vectorized_equals_row_by_row(case: Row, data: Any) -> None:
    xs, kw = data.draw(case.inputs, label="inputs")
    constants = [Tensor(x) for x in xs]  # the rows' functions take Tensors
    row_by_row = _batched._rules_row_by_row
    fell_back = set()

    def watched(t: Tensor, *args: Any) -> Any:
        fell_back.add(t._prim.name)
        return row_by_row(t, *args)

    for n in range(len(xs)):

        def f(x: Any, n: int = n) -> Any:
            return case.fn(*constants[:n], x, *constants[n + 1 :], **kw)

        with warnings.catch_warnings(), mock.patch.object(_batched, "_rules_row_by_row", watched):
            warnings.simplefilter("ignore", NoGradientWarning)
            assert_same(ag.jacobian(f, vectorize=True)(xs[n]), ag.jacobian(f)(xs[n]))
    if case.op is not None and ag.REGISTRY[case.op].batchable is True:
        assert case.op not in fell_back, f"{case.op} is marked batchable but ran row by row"


HESSIAN_CASES = {
    "w5": (w5, (6,)),
    "logsumexp_matrix": (lambda x: ag.logsumexp(x @ x.T, axis=0).sum(), (3, 2)),
    "softmax_entropy": (lambda x: -(ag.softmax(x) * ag.log_softmax(x)).sum(), (4,)),
    "reshape_transpose_getitem": (lambda x: (ag.reshape(x, (2, 3)).T[1:] ** 3).sum() * x[0], (6,)),
    "concat_broadcast_mean": (
        lambda x: ag.mean(ag.concatenate([x, ag.sin(x)]) * ag.broadcast_to(x[:1], (8,)), axis=0),
        (4,),
    ),
    "max_norm_0d_input": (lambda x: ag.norm(ag.stack([x, x**2, ag.exp(x)])) + ag.max(x * 1.0), ()),
    "matmul_1d_1d_and_sum_axis": (lambda x: (x @ ag.sum(ag.outer(x, x), axis=1)) ** 2, (3,)),
}


@pytest.mark.parametrize("name", sorted(HESSIAN_CASES))
def test_hessian_vectorized_equals_row_by_row_and_torch(name: str) -> None:
    f, shape = HESSIAN_CASES[name]
    x = np.random.default_rng(1).standard_normal(shape)
    got = ag.hessian(f, vectorize=True)(x)
    assert_same(got, ag.hessian(f)(x))
    if name == "w5":
        torch = pytest.importorskip("torch")
        At = torch.from_numpy(A)
        want = torch.autograd.functional.hessian(
            lambda t: (torch.tanh(At @ t) ** 2).sum(), torch.from_numpy(x), vectorize=True
        )
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-12)


def test_w5_hessian_never_falls_back_to_row_by_row(monkeypatch: Any) -> None:
    def refuse(t: Tensor, *args: Any) -> None:
        raise AssertionError(f"'{t._prim.name}' ran row by row")

    monkeypatch.setattr(_batched, "_rules_row_by_row", refuse)
    x = np.random.default_rng(2).standard_normal(6)
    assert_same(ag.hessian(w5, vectorize=True)(x), ag.hessian(w5)(x))


def test_unmarked_primitives_run_row_by_row_and_stay_right() -> None:
    calls = []

    def rule(g: Any, ans: Any, x: Any) -> Any:
        calls.append(np.shape(g))
        return g @ np.diag([1.0, 2.0, 3.0])  # not batch-aware: g must be one row of shape (3,)

    scale = Primitive("scale_by_diag", lambda x: x @ np.diag([1.0, 2.0, 3.0]), rule, register=False)

    def f(x: Any) -> Any:
        return ag.tanh(Cube.apply(scale(x)))

    x = np.array([0.3, -0.2, 0.5])
    got = ag.jacobian(f, vectorize=True)(x)
    assert calls == [(3,)] * 3  # one call per seed row
    assert_same(got, ag.jacobian(f)(x))
    assert_same(ag.hessian(lambda x: f(x).sum(), vectorize=True)(x), ag.hessian(lambda x: f(x).sum())(x))


@pytest.mark.parametrize("out_shape", [(), (1,), (3,), (2, 3)])
@pytest.mark.parametrize("in_shape", [(), (2,), (2, 2)])
def test_any_output_and_input_shape_and_dtype(out_shape: tuple, in_shape: tuple) -> None:
    w = np.random.default_rng(3).standard_normal(out_shape + in_shape)

    def f(x: Any) -> Any:
        axes = tuple(range(len(out_shape), len(out_shape) + len(in_shape)))
        return ag.sum(ag.sin(w * x), axis=axes) if axes else ag.sin(w * x)

    for dtype in (np.float64, np.float32):
        x = np.linspace(-1, 1, int(np.prod(in_shape))).reshape(in_shape).astype(dtype)
        got = ag.jacobian(f, vectorize=True)(x)
        want = ag.jacobian(f)(x)
        assert got.shape == out_shape + in_shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6 if dtype == np.float32 else 1e-12, atol=1e-12)


def test_outputs_not_depending_on_x_give_zeros_with_the_warning() -> None:
    with pytest.warns(NoGradientWarning):
        assert_same(ag.jacobian(lambda x: np.ones(3), vectorize=True)(np.zeros(2)), np.zeros((3, 2)))
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    j = ag.jacobian(lambda x: w * 2.0, vectorize=True)(np.zeros(3))  # depends on w only
    assert_same(j.data, np.zeros((2, 3)))
    assert_same(ag.jacobian(lambda x: x[:0] * 2, vectorize=True)(np.zeros(3)), np.zeros((0, 3)))
    with pytest.raises(TypeError, match="complex"):
        ag.jacobian(lambda x: x * 1j, vectorize=True)(np.zeros(2))
    with pytest.raises(TypeError, match="complex"):
        ag.hessian(lambda x: ag.real(x * x).sum(), vectorize=True)(np.zeros(2, dtype=complex))


def test_closing_over_a_tracked_tensor_stays_on_the_tape() -> None:
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    j = ag.jacobian(lambda x: ag.tanh(w * x), vectorize=True)(np.array([0.1, 0.2, 0.3]))
    assert isinstance(j, Tensor) and j.requires_grad
    ag.sum(j).backward()
    got = w.grad.data.copy()
    w.grad = None
    ag.sum(ag.jacobian(lambda x: ag.tanh(w * x))(np.array([0.1, 0.2, 0.3]))).backward()
    assert_same(got, w.grad.data)


def test_nested_grad_through_a_vectorized_jacobian() -> None:
    def loss(x: Any, vectorize: bool) -> Any:
        j = ag.jacobian(lambda y: ag.tanh(ag.matmul(A[:3, :3], y) * x), vectorize=vectorize)(x)
        return ag.sum(j**2)

    x = np.array([0.2, -0.4, 0.9])
    assert_same(ag.grad(lambda x: loss(x, True))(x), ag.grad(lambda x: loss(x, False))(x))
    assert_same(
        ag.hessian(lambda x: loss(x, True), vectorize=True)(x), ag.hessian(lambda x: loss(x, False))(x)
    )


def test_compiled_vectorized_hessian_replays_bit_identically_to_eager() -> None:
    eager, compiled = ag.hessian(w5, vectorize=True), ag.compile(ag.hessian(w5, vectorize=True))
    rng = np.random.default_rng(4)
    for _ in range(3):
        x = rng.standard_normal(6)
        got, want = compiled(x), eager(x)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)
    assert compiled.stats["traces"] == 1 and compiled.stats["replays"] == 2


def test_under_detect_anomaly_it_runs_row_by_row() -> None:
    with ag.detect_anomaly():
        assert_same(ag.hessian(w5, vectorize=True)(np.ones(6)), ag.hessian(w5)(np.ones(6)))


@pytest.mark.parametrize(
    "idx, batchable",
    [
        ((slice(None), 0), True),
        (([0, 1], [1, 0]), True),
        ((0, slice(None), [1, 0]), False),  # an int and an array split by a slice: axes move first
        (([0, 1], slice(None), [1, 0]), False),
        ((Ellipsis, [True, False]), True),
    ],
)
def test_getitem_batches_unless_its_advanced_indices_are_split(idx: Any, batchable: bool) -> None:
    x = np.arange(8.0).reshape(2, 2, 2)
    assert ag.REGISTRY["getitem"].batchable(x, idx) is batchable
    f = lambda t: ag.sin(t)[idx]  # noqa: E731
    assert_same(ag.jacobian(f, vectorize=True)(x), ag.jacobian(f)(x))
