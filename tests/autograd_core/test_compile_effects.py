"""compile: ``loss.backward()`` inside f writes into the live leaves at every replay, bit for bit
as eager; other changes to state outside f are refused at trace time."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import GradientError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 3))


def twins(dtype=np.float64):
    a = nn.MLP(3, [4], 2, activation="tanh")
    b = nn.MLP(3, [4], 2, activation="tanh")
    for p in a.parameters():
        p.data = p.data.astype(dtype)
    b.load_state_dict(a.state_dict())
    for p, q in zip(a.parameters(), b.parameters()):
        q.data = p.data.copy()
    return a, b


def loss_of(model, x):
    return (model(ag.tensor(x)) ** 2).mean()


def assert_same_grads(a, b):
    for p, q in zip(a.parameters(), b.parameters()):
        if q.grad is None:
            assert p.grad is None
            continue
        assert p.grad.dtype == q.grad.dtype and p.grad.requires_grad is False
        np.testing.assert_array_equal(p.grad.data, q.grad.data)


@pytest.mark.parametrize("retain", [None, True], ids=["freed", "retained"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_backward_inside_compile_accumulates_like_eager_over_many_replays(retain, dtype):
    model, twin = twins(dtype)

    @ag.compile
    def step(x):
        loss = loss_of(model, x)
        loss.backward(retain_graph=retain)
        return loss

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no eager fallback
        for i in range(12):
            if i % 3 == 0:  # zeroed outside some steps, accumulated over the others
                model.zero_grad()
                twin.zero_grad()
            x = (X * (1 + i / 7)).astype(dtype)
            got = step(x)
            want = loss_of(twin, x)
            want.backward()
            np.testing.assert_array_equal(got, want.data)
            assert_same_grads(model, twin)
    assert step.stats["traces"] == 1 and step.stats["replays"] == 11


def test_zero_grad_and_two_backwards_inside_f_are_replayed():
    model, twin = twins()

    def train_step(m, x):
        m.zero_grad()
        loss_of(m, x).backward()
        (loss_of(m, x) * 0.5).backward()  # accumulates onto the first
        return float(0)

    step = ag.compile(lambda x: train_step(model, x))
    for i in range(5):
        x = X + i
        step(x)
        train_step(twin, x)
        assert_same_grads(model, twin)
        grads = [p.grad for p in model.parameters()]
        assert len({id(g.data) for g in grads}) == len(grads)  # no buffer shared between leaves
    assert step.stats["eager"] == 0


def test_a_second_backward_through_a_freed_graph_raises_as_eager():
    model, _ = twins()

    def f(x):
        loss = loss_of(model, x)
        loss.backward()
        loss.backward()
        return loss

    with pytest.raises(GradientError, match="freed"):
        ag.compile(f)(X)


def test_an_optimizer_step_inside_f_is_refused():
    model, _ = twins()
    opt = nn.optim.SGD(model.parameters(), lr=0.1)

    def f(x):
        opt.zero_grad()
        loss = loss_of(model, x)
        loss.backward()
        opt.step()
        return loss

    with pytest.raises(ValueError, match="optimizer"):
        ag.compile(f)(X)


def test_an_in_place_op_on_a_closed_over_tensor_is_refused():
    w = ag.tensor(np.ones(3), requires_grad=True)

    def f(x):
        out = ag.sum(w * x)
        with ag.no_grad():
            w.__imul__(2.0)  # w *= 2.0
        return out

    with pytest.raises(ValueError, match="in place"):
        ag.compile(f)(np.ones(3))


def test_gradient_clipping_inside_f_is_refused():
    model, _ = twins()

    def f(x):
        loss_of(model, x).backward()
        nn.clip_grad_norm_(model.parameters(), 1e-3)
        return 0.0

    with pytest.raises(ValueError, match="grad"):
        ag.compile(f)(X)


def test_assigning_a_gradient_value_inside_f_is_refused():
    w = ag.tensor(np.ones(2), requires_grad=True)

    def f(x):
        w.grad = np.zeros(2)
        return ag.sum(w * x)

    with pytest.raises(ValueError, match="assigns .grad"):
        ag.compile(f)(np.ones(2))


def test_backward_with_create_graph_inside_f_is_refused():
    w = ag.tensor(np.ones(2), requires_grad=True)

    def f(x):
        ag.sum(w * x).backward(create_graph=True)
        return 0.0

    with pytest.raises(ValueError, match="create_graph"):
        ag.compile(f)(np.ones(2))


def test_a_failed_verification_leaves_one_eager_accumulation():
    w = ag.tensor(np.ones(2), requires_grad=True)
    rng = np.random.default_rng(0)

    def noisy(x):  # random numbers: verification fails, the signature runs eagerly
        loss = ag.sum(w * x * rng.standard_normal(2))
        loss.backward()
        return loss

    c = ag.compile(noisy)
    with pytest.warns(ag.CompileWarning):
        out = c(np.ones(2))
    # exactly one backward's worth in w.grad, matching the value returned
    np.testing.assert_array_equal(w.grad.data.sum(), out)


def test_a_version_copied_from_another_process_is_not_taken_for_a_write():
    model, twin = twins()
    for p in model.parameters():
        p._version = 10**12  # as unpickled from a process whose mutation clock ran further
    step = ag.compile(lambda x: loss_of(model, x).backward() or 0.0)
    for i in range(3):
        step(X + i)
        loss_of(twin, X + i).backward()
    assert_same_grads(model, twin)


def test_programs_shows_the_source_of_a_step_that_calls_backward():
    w = ag.tensor(np.ones(2), requires_grad=True)

    def step(x):
        loss = ag.sum(w * x)
        loss.backward()
        return loss

    f = ag.compile(step)
    f(np.ones(2))
    (source,) = f.programs()
    assert source.startswith("def program(x0):") and "# mul" in source
