"""Graph lifecycle: a graph is freed by backward unless retained, and says so when reused."""

import gc
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Function, GradientError, tensor


def _graph(x):
    h = x * 2.0
    return ag.exp(h).sum() + (h * h).sum()


def _expected_grad(x):
    return 2 * np.exp(2 * x) + 8 * x


def test_second_backward_without_retain_graph_raises_saying_so():
    x = tensor([0.5, -1.0], requires_grad=True)
    y = _graph(x)
    y.backward()
    first = x.grad.data.copy()
    with pytest.raises(GradientError, match="retain_graph=True") as info:
        y.backward()
    assert "freed" in str(info.value)
    np.testing.assert_array_equal(x.grad.data, first)  # the failed call changed nothing


def test_retain_graph_accumulates_exactly_twice():
    x = tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = _graph(x)
    y.backward(retain_graph=True)
    once = x.grad.data.copy()
    np.testing.assert_allclose(once, _expected_grad(x.data), rtol=1e-12)
    y.backward()  # the last backward may free the graph
    np.testing.assert_array_equal(x.grad.data, once + once)
    with pytest.raises(GradientError, match="retain_graph"):
        y.backward()
    np.testing.assert_array_equal(x.grad.data, once + once)


def test_create_graph_retains_by_default():
    x = tensor([0.3], requires_grad=True)
    y = (x**3).sum()
    y.backward(create_graph=True)
    y.backward()  # retain_graph defaulted to create_graph=True: still there
    np.testing.assert_allclose(x.grad.data, [2 * 3 * 0.3**2])


def test_branch_freed_by_one_backward_is_refused_by_another():
    x = tensor([1.0, 2.0], requires_grad=True)
    shared = ag.tanh(x)
    a = (shared * 3.0).sum()
    b = (shared * shared).sum()
    a.backward()
    with pytest.raises(GradientError, match="tanh"):
        b.backward()


def test_separate_graphs_accumulate_into_the_leaf():
    x = tensor([1.0, -2.0], requires_grad=True)
    _graph(x).backward()
    _graph(x).backward()
    np.testing.assert_allclose(x.grad.data, 2 * _expected_grad(x.data), rtol=1e-12)


def test_backward_releases_intermediates_while_the_output_lives():
    x = tensor(np.linspace(-1, 1, 1000), requires_grad=True)
    h = x * 2.0
    e = ag.exp(h)
    y = (e * ag.sin(h)).sum()
    tensor_ref, array_ref, saved_output_ref = weakref.ref(h), weakref.ref(h.data), weakref.ref(e.data)
    del h, e
    gc.disable()  # prove refcounting frees them: nothing is left for the cycle collector
    assert tensor_ref() is not None  # the graph holds them until backward
    try:
        y.backward()
        assert tensor_ref() is None and array_ref() is None and saved_output_ref() is None
    finally:
        gc.enable()
    assert y.grad_fn.inputs == ()  # the output's node let go of its inputs too


def test_retained_graph_keeps_intermediates_until_the_output_goes():
    x = tensor([1.0, 2.0], requires_grad=True)
    h = ag.exp(x)
    y = (h * h).sum()
    ref = weakref.ref(h)
    del h
    y.backward(retain_graph=True)
    assert ref() is not None
    del y
    assert ref() is None


def test_grad_transform_leaves_no_graph_behind():
    x = np.array([0.1, 0.2, 0.3])
    refs = []

    def f(t):
        h = ag.tanh(t) * 3.0
        refs.append(weakref.ref(h))
        return ag.sum(h * h)

    g = ag.grad(f)(x)
    np.testing.assert_allclose(g, 2 * 3 * np.tanh(x) * 3 * (1 - np.tanh(x) ** 2), rtol=1e-12)
    assert refs[0]() is None


class _SaveBig(Function):
    saved = []

    @staticmethod
    def forward(ctx, x):
        t = np.tanh(x)
        scratch = np.ones(10_000)  # something only backward needs
        _SaveBig.saved.append(weakref.ref(scratch))
        ctx.save_for_backward(t, scratch)
        return t

    @staticmethod
    def backward(ctx, g):
        t, scratch = ctx.saved_tensors
        return g * (1 - t * t) * scratch[: t.size].reshape(t.shape)


def test_function_saved_arrays_released_after_backward():
    x = tensor([0.5, 1.0], requires_grad=True)
    z = _SaveBig.apply(x)
    z.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1 - np.tanh(x.data) ** 2)
    assert _SaveBig.saved[-1]() is None
