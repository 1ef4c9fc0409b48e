"""Threads: grad mode and anomaly mode are per thread; concurrent training is deterministic."""

import sys
import threading

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import detect_anomaly, enable_grad, is_grad_enabled, no_grad, tensor
from tests.reliability._scale import scaled

STEPS = scaled(150, 1500)


@pytest.fixture
def frequent_switches():
    # Make the interpreter switch threads every few bytecodes, so interleavings happen.
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def _run_threads(targets):
    results = [None] * len(targets)
    errors = []
    start = threading.Barrier(len(targets), timeout=30)  # all run at once, not one after another

    def wrap(i, fn):
        try:
            start.wait()
            results[i] = fn()
        except BaseException as err:  # reported in the main thread
            errors.append(err)

    threads = [threading.Thread(target=wrap, args=(i, fn)) for i, fn in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def test_grad_mode_is_per_thread(frequent_switches):
    both_inside = threading.Barrier(2, timeout=30)
    x = tensor([1.0, 2.0], requires_grad=True)

    def in_no_grad():
        with no_grad():
            both_inside.wait()
            out = [(x * 2).requires_grad for _ in range(200)]
            both_inside.wait()
            return is_grad_enabled(), out

    def recording():
        both_inside.wait()
        out = [(x * 2).requires_grad for _ in range(200)]
        both_inside.wait()
        return is_grad_enabled(), out

    (quiet_mode, quiet), (loud_mode, loud) = _run_threads([in_no_grad, recording])
    assert quiet_mode is False and not any(quiet)
    assert loud_mode is True and all(loud)
    assert is_grad_enabled()  # the main thread was never affected


def test_new_threads_start_recording_even_if_the_parent_is_in_no_grad():
    with no_grad():
        (mode,) = _run_threads([is_grad_enabled])
        assert mode is True
        with enable_grad():
            assert is_grad_enabled()
        assert not is_grad_enabled()


def test_anomaly_mode_is_per_thread(frequent_switches):
    both_inside = threading.Barrier(2, timeout=30)

    def hunting():
        with detect_anomaly():
            both_inside.wait()
            try:
                with np.errstate(invalid="ignore"):
                    ag.log(tensor([-1.0], requires_grad=True))
            except ag.AnomalyError:
                return "raised"
            finally:
                both_inside.wait()
        return "silent"

    def relaxed():
        both_inside.wait()
        try:
            with np.errstate(invalid="ignore"):
                out = ag.log(tensor([-1.0], requires_grad=True))
            return "nan" if np.isnan(out.data).all() else "finite"
        finally:
            both_inside.wait()

    assert _run_threads([hunting, relaxed]) == ["raised", "nan"]


def _train(seed, optimizer):
    nn = pytest.importorskip("nn")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((32, 3)).astype(np.float32)
    y = (X.sum(axis=1, keepdims=True) > 0).astype(np.float32)
    model = nn.MLP(3, [8, 8], 1, activation="tanh", seed=seed)
    opt = getattr(nn.optim, optimizer)(model.parameters(), lr=0.05)
    loss_fn = nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    return losses, model.state_dict()


def _assert_same_run(a, b):
    assert a[0] == b[0]  # every loss, bit for bit
    assert a[1].keys() == b[1].keys()
    for name in a[1]:
        np.testing.assert_array_equal(a[1][name], b[1][name])


def test_concurrent_training_matches_training_alone(frequent_switches):
    jobs = [(0, "SGD"), (1, "Adam"), (2, "SGD"), (3, "RMSprop")]
    alone = [_train(seed, opt) for seed, opt in jobs]
    together = _run_threads([lambda s=seed, o=opt: _train(s, o) for seed, opt in jobs])
    for a, b in zip(alone, together):
        _assert_same_run(a, b)
    assert alone[0][0] != alone[2][0]  # different seeds really are different runs


def _engine_only_fit(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((16, 4))
    target = rng.standard_normal(16)
    w = tensor(rng.standard_normal(4) * 0.1, requires_grad=True)
    history = []
    for _ in range(STEPS):
        loss = ag.mean((ag.tanh(X @ w) - target) ** 2)
        w.grad = None
        loss.backward()
        with no_grad():
            w -= 0.1 * w.grad
        history.append(loss.item())
    second = ag.hessian(lambda v: ag.mean((ag.tanh(X @ v) - target) ** 2))(w.data)
    return history, w.data.copy(), second


def test_concurrent_engine_only_loops_and_transforms_match_alone(frequent_switches):
    seeds = [10, 11, 12]
    alone = [_engine_only_fit(s) for s in seeds]
    together = _run_threads([lambda s=s: _engine_only_fit(s) for s in seeds])
    for a, b in zip(alone, together):
        assert a[0] == b[0]
        np.testing.assert_array_equal(a[1], b[1])
        np.testing.assert_array_equal(a[2], b[2])


def test_accumulating_into_a_shared_leaf_from_four_threads_loses_nothing(frequent_switches):
    # Each thread's backward adds 2 to every element of w.grad; nothing may be lost between
    # one thread reading w.grad and writing the sum back.
    n = scaled(2_000, 20_000)
    w = tensor(np.zeros(4), requires_grad=True)

    def work():
        for _ in range(n):
            (w * 2).sum().backward()

    _run_threads([work] * 4)
    np.testing.assert_array_equal(w.grad.numpy(), np.full(4, 2.0 * 4 * n))
