"""Structural tests of the tape: graph shapes, lifetime, modes, dtypes, higher order, Function."""

from __future__ import annotations

import gc
import sys
import threading
import weakref
from typing import Any

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, GradientError, Tensor, enable_grad, no_grad, tensor
from tests.autograd_core.custom_functions import Cube


def leaf(values: Any, dtype: Any = np.float64) -> Tensor:
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


# -- graph shapes ----------------------------------------------------------------------------


def test_fan_out_same_tensor_twice() -> None:
    x = leaf([1.0, -2.0, 3.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, -4.0, 6.0])


@pytest.mark.parametrize("intermediate", [False, True])
def test_fan_out_doubling(intermediate: bool) -> None:
    x = leaf([1.0, 2.0])
    a = x * 1.0 if intermediate else x
    b = a + a
    c = b + b
    c.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 4.0])


def test_diamond() -> None:
    x = leaf([0.3, -1.2])
    a = x * 2.0
    d = a.exp() + a.sin() * a  # a feeds three consumers that meet again
    d.sum().backward()
    xv = x.data
    np.testing.assert_allclose(
        x.grad.data, 2 * np.exp(2 * xv) + 2 * (np.cos(2 * xv) * 2 * xv + np.sin(2 * xv))
    )


def test_deep_diamond_lattice() -> None:
    # Each level uses the previous one twice: 2**depth paths, linear work.
    x = leaf([1.5])
    y = x
    for _ in range(60):
        y = y * 0.5 + y * 0.5
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0])


def test_unused_input_keeps_grad_none() -> None:
    # Documented: a leaf the output does not reach is left untouched (grad None, as torch);
    # the functional transforms return zeros for it instead.
    x, y = leaf([1.0]), leaf([2.0])
    (x * 3).sum().backward()
    assert y.grad is None
    np.testing.assert_array_equal(x.grad.data, [3.0])
    gx, gy = ag.grad(lambda a, b: (a * 3).sum(), argnums=(0, 1))(np.array([1.0]), np.array([2.0]))
    np.testing.assert_array_equal(gy, [0.0])


def test_two_tensors_with_equal_values_are_distinct() -> None:
    x, y = leaf([1.0, 2.0]), leaf([1.0, 2.0])
    (x * 2.0 + y * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
    np.testing.assert_array_equal(y.grad.data, [3.0, 3.0])


def test_gradients_are_only_written_to_leaves() -> None:
    x = leaf([1.0])
    h = x * 2.0
    (h * h).sum().backward()
    assert h.grad is None
    np.testing.assert_array_equal(x.grad.data, [8.0])


def test_constant_branches_are_skipped() -> None:
    x = leaf([1.0])
    c = Tensor(np.array([5.0]))
    (x * c + c.exp()).sum().backward()
    assert c.grad is None and not c.requires_grad
    np.testing.assert_array_equal(x.grad.data, [5.0])


def test_grads_of_two_leaves_do_not_share_memory() -> None:
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x + y).sum().backward()
    x.grad.data[0] = 100.0  # users clip .grad in place
    assert y.grad.data[0] == 1.0


# -- repeated backward and graph lifetime ------------------------------------------------------


def test_repeated_backward_accumulates() -> None:
    x = leaf([1.0, 2.0])
    for _ in range(3):
        (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 12.0])


def test_second_backward_on_freed_graph_names_the_op() -> None:
    x = leaf([1.0, 2.0])
    y = (x.exp() * 2.0).sum()
    y.backward()
    with pytest.raises(GradientError, match="freed") as info:
        y.backward()
    assert "'sum'" in str(info.value) and "retain_graph=True" in str(info.value)


def test_retain_graph_allows_a_second_backward() -> None:
    x = leaf([1.0, 2.0])
    y = (x.exp() * 2.0).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.data, 4 * np.exp([1.0, 2.0]))


def test_graph_is_freed_after_backward() -> None:
    x = leaf(np.ones(1000))
    h = x.exp()
    h_ref, h_data_ref = weakref.ref(h), weakref.ref(h.data)
    y = (h * 3.0).sum()
    del h
    gc.collect()
    assert h_ref() is not None  # still held by the tape, for mul's backward
    y.backward()
    assert h_ref() is None and h_data_ref() is None  # released without waiting for the gc
    assert y.grad_fn.inputs == ()


def test_graph_is_kept_with_retain_graph() -> None:
    x = leaf([1.0])
    h = x.exp()
    h_ref = weakref.ref(h)
    y = (h * 3.0).sum()
    del h
    y.backward(retain_graph=True)
    assert h_ref() is not None
    del y
    assert h_ref() is None


def _chain(n: int) -> None:
    limit = sys.getrecursionlimit()
    x = leaf([1.0])
    y = x
    for _ in range(n):
        y = y * 1.0001
    y.backward(np.ones(1))
    assert sys.getrecursionlimit() == limit
    np.testing.assert_allclose(x.grad.data, [1.0001**n], rtol=1e-9)


def test_deep_chain_backward_without_recursion() -> None:
    _chain(200_000)


@pytest.mark.slow
def test_million_op_chain_backward() -> None:
    _chain(1_000_000)


def test_dropping_a_deep_unused_graph_does_not_crash() -> None:
    x = leaf([1.0])
    y = x
    for _ in range(200_000):
        y = y * 1.0
    del y  # a long chain of nodes is torn down without blowing the C stack


# -- dtypes ----------------------------------------------------------------------------------


def test_float32_end_to_end() -> None:
    x = leaf([0.5, -1.0], np.float32)
    w = leaf([[1.0, 2.0], [3.0, 4.0]], np.float32)
    y = ((x @ w) * 2.5 + 1).tanh().mean() / 3
    assert y.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_python_scalars_do_not_upcast() -> None:
    x = leaf([1.0], np.float32)
    for y in (x * 2.5, 2.5 * x, x + 1, x / 3, x**2, 1.0 - x, ag.maximum(x, 0.5), ag.where(x > 0, x, 0.0)):
        assert y.dtype == np.float32


def test_mixed_precision_gradients_follow_each_input() -> None:
    a, b = leaf([1.0], np.float32), leaf([2.0], np.float64)
    y = a * b
    assert y.dtype == np.float64
    y.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.uint8])
def test_non_float_tensors_refuse_requires_grad(dtype: Any) -> None:
    with pytest.raises(TypeError, match="requires_grad") as info:
        Tensor(np.zeros(3, dtype=dtype), requires_grad=True)
    assert str(np.dtype(dtype)) in str(info.value)
    with pytest.raises(TypeError, match="floating-point"):
        tensor([1, 2]).requires_grad_()


def test_integer_tensors_mix_with_float_ones() -> None:
    x = leaf([1.0, 2.0])
    i = tensor([3, 4])
    (x * i).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])
    assert x.grad.dtype == np.float64


# -- grad modes ------------------------------------------------------------------------------


def test_no_grad_records_nothing() -> None:
    x = leaf([1.0])
    with no_grad():
        y = x * 2
        assert not ag.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert ag.is_grad_enabled()


def test_enable_grad_inside_no_grad_and_decorators() -> None:
    x = leaf([1.0])
    with no_grad():
        with enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad

    @no_grad()
    def frozen(t: Tensor) -> Tensor:
        return t * 2

    assert not frozen(x).requires_grad
    assert ag.is_grad_enabled()


def test_grad_mode_is_thread_local() -> None:
    seen = {}
    entered, release = threading.Event(), threading.Event()

    def worker() -> None:
        entered.wait()
        seen["enabled"] = ag.is_grad_enabled()
        seen["records"] = (leaf([1.0]) * 2).requires_grad
        release.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with no_grad():
        entered.set()
        release.wait(timeout=10)
        assert not ag.is_grad_enabled()
    thread.join()
    assert seen == {"enabled": True, "records": True}


def test_no_grad_restores_mode_after_an_exception() -> None:
    with pytest.raises(RuntimeError):
        with no_grad():
            raise RuntimeError("boom")
    assert ag.is_grad_enabled()


def test_detach_cuts_the_graph_and_shares_data() -> None:
    x = leaf([2.0, 3.0])
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None and d.data is x.data
    (d * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 3.0])


# -- mutation safety -------------------------------------------------------------------------


def test_in_place_change_of_a_saved_input_makes_backward_raise() -> None:
    x = leaf([1.0, 2.0])
    w = Tensor(np.array([3.0, 4.0]))
    y = (x * w).sum()
    with no_grad():
        w += 1.0
    with pytest.raises(GradientError, match=r"'mul'.*modified in place"):
        y.backward()


def test_in_place_write_through_setitem_makes_backward_raise() -> None:
    x = leaf([1.0, 2.0])
    h = x.exp()
    y = (h.sin()).sum()
    with no_grad():
        h[0] = 0.0
    with pytest.raises(GradientError, match="'sin'"):
        y.backward()


def test_in_place_update_of_a_leaf_under_no_grad_is_allowed() -> None:
    x = leaf([1.0, 2.0])
    (x * x).sum().backward()
    with no_grad():
        x -= 0.1 * x.grad
    np.testing.assert_allclose(x.data, [0.8, 1.6])
    with pytest.raises(ValueError, match="in place"):
        x += 1.0  # recording: a leaf that requires grad cannot be overwritten


# -- higher order ----------------------------------------------------------------------------


def test_create_graph_gives_differentiable_grads() -> None:
    x = leaf([0.5, -1.0])
    y = (x**3).sum()
    y.backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * np.array([0.5, -1.0]))


def test_grad_of_grad() -> None:
    f = lambda x: ag.sin(x) * x
    d2 = ag.grad(ag.grad(f))(0.7)
    np.testing.assert_allclose(d2, 2 * np.cos(0.7) - 0.7 * np.sin(0.7))
    d3 = ag.grad(ag.grad(ag.grad(lambda x: x**4)))(1.5)
    np.testing.assert_allclose(d3, 24 * 1.5)


def test_hessian_matches_analytic() -> None:
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 1.0]])
    x = np.array([0.3, -0.2, 0.5])
    f = lambda v: 0.5 * (v @ (A @ v)) + ag.exp(v).sum()
    np.testing.assert_allclose(ag.hessian(f)(x), A + np.diag(np.exp(x)), rtol=1e-12)


def test_hvp_matches_hessian_times_vector() -> None:
    x, v = np.array([0.3, -0.2, 0.5]), np.array([1.0, -2.0, 0.5])
    f = lambda t: (ag.tanh(t) * t.sum()).sum()
    value, hv = ag.hvp(f, x, v)
    np.testing.assert_allclose(hv, ag.hessian(f)(x) @ v, rtol=1e-12)
    np.testing.assert_allclose(value, (np.tanh(x) * x.sum()).sum())


def test_jacobian_and_jvp() -> None:
    W = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    x, v = np.array([0.1, 0.2, -0.3]), np.array([1.0, 0.5, -2.0])
    f = lambda t: ag.tanh(W @ t) * t[0]
    J = ag.jacobian(f)(x)
    y = np.tanh(W @ x)
    expected = (1 - y**2)[:, None] * W * x[0]
    expected[:, 0] += y
    np.testing.assert_allclose(J, expected, rtol=1e-12)
    out, tangent = ag.jvp(f, x, v)
    np.testing.assert_allclose(out, y * x[0])
    np.testing.assert_allclose(tangent, J @ v, rtol=1e-12)


def test_function_first_and_double_backward() -> None:
    x = leaf([2.0, -1.0])
    Cube.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [12.0, 3.0])
    np.testing.assert_allclose(ag.grad(ag.grad(lambda t: Cube.apply(t).sum()))(np.array(2.0)), 12.0)
    np.testing.assert_allclose(
        ag.hessian(lambda t: Cube.apply(t).sum())(np.array([1.0, 2.0])), np.diag([6.0, 12.0])
    )
    assert ag.gradgradcheck(lambda t: Cube.apply(t), np.array([0.5, -1.5]))


def _bad_function(backward: Any) -> type:
    return type(
        "BadGrad",
        (Function,),
        {"forward": staticmethod(lambda ctx, x, y: x * y), "backward": staticmethod(backward)},
    )


@pytest.mark.parametrize(
    ("backward", "message"),
    [
        (lambda ctx, g: g, r"BadGrad\.backward returned 1 gradient\(s\) but forward took 2"),
        (lambda ctx, g: (g, g, g), r"BadGrad\.backward returned 3 gradient\(s\)"),
        (lambda ctx, g: (g.sum(), g), r"BadGrad\.backward returned a gradient of shape \(\) for argument 0"),
        (
            lambda ctx, g: (g, g.astype(np.float32)),
            r"BadGrad\.backward returned a gradient of dtype float32 for argument 1",
        ),
    ],
)
def test_function_with_a_wrong_backward_names_it(backward: Any, message: str) -> None:
    Bad = _bad_function(backward)
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    out = Bad.apply(x, y)
    with pytest.raises(GradientError, match=message):
        out.sum().backward()


def test_function_none_gradient_for_a_constant_argument() -> None:
    Scale = _bad_function(lambda ctx, g: (g * 2.0, None))
    x = leaf([1.0, 2.0])
    Scale.apply(x, np.array([2.0, 2.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
