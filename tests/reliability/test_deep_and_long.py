"""Deep and long: a huge chain, thousands of training steps, and no_grad that records nothing.

Sizes come from ``RELIABILITY_SCALE`` (see ``_scale.py``): CI runs small versions of the
same checks; ``RELIABILITY_SCALE=full`` runs the issue's sizes (1,000,000 ops, 5,000
steps, 10,000 no_grad calls).
"""

import gc
import sys
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor, no_grad, tensor
from tests.reliability._scale import scaled

CHAIN_OPS = scaled(20_000, 1_000_000)
TRAIN_STEPS = scaled(400, 5_000)
NO_GRAD_CALLS = scaled(1_000, 10_000)
FACTOR = 1.0000001


def _chain(x: Tensor, n_ops: int, keep_at: int):
    """``n_ops`` alternating mul/add ops on ``x``; returns the output and a weakref to one
    intermediate (the tensor produced by op ``keep_at``)."""
    y = x
    middle = None
    for i in range(n_ops):
        y = y * FACTOR if i % 2 else y + 1e-7
        if i == keep_at:
            middle = weakref.ref(y)
    return y, middle


def _live_tensors():
    """Live Tensor objects and how many of them carry a tape node (an op's output)."""
    gc.collect()
    # type(), not isinstance: a dead weakref.proxy left by another library raises on isinstance
    tensors = [o for o in gc.get_objects() if issubclass(type(o), Tensor)]
    nodes = sum(t._prim is not None for t in tensors)
    return len(tensors), nodes


@pytest.mark.slow
def test_deep_chain_backward_has_no_recursion_and_is_freed():
    limit = sys.getrecursionlimit()
    _chain(tensor(np.ones(2), requires_grad=True), 10, 0)[0].sum().backward()  # warm caches first
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        x = tensor(np.array([0.5, -1.5]), requires_grad=True)
        y, middle = _chain(x, CHAIN_OPS, CHAIN_OPS // 2)
        graph_bytes = tracemalloc.get_traced_memory()[0] - before
        out = weakref.ref(y)
        y.sum().backward()
        del y
        left = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert out() is None and middle() is None  # plain refcounting frees the chain: no cycles
    assert sys.getrecursionlimit() == limit
    # Half the ops multiply by FACTOR, the others add: d out / d x = FACTOR ** (n / 2).
    np.testing.assert_allclose(x.grad.data, FACTOR ** (CHAIN_OPS // 2) * np.ones(2), rtol=1e-9)
    print(f"\n{CHAIN_OPS} ops: graph {graph_bytes / 1e6:.1f} MB, {left / 1e3:.1f} kB left after del")
    assert graph_bytes > CHAIN_OPS * 50  # the graph really was built
    # What stays is x, its grad and allocator caches (numpy and pymalloc keep some freed
    # small blocks for reuse): bounded, independent of the chain's length.
    assert left < 500_000


@pytest.mark.slow
def test_deep_chain_never_backpropagated_is_freed_by_del():
    # Deleting the head of a deep unreleased graph must not overflow the C stack either.
    x = tensor(np.array([1.0]), requires_grad=True)
    y, middle = _chain(x, CHAIN_OPS, 3)
    out = weakref.ref(y)
    del y
    assert out() is None and middle() is None


@pytest.mark.slow
def test_deep_chain_with_retain_graph_backprops_twice():
    limit = sys.getrecursionlimit()
    x = tensor(np.array([2.0]), requires_grad=True)
    y, _ = _chain(x, CHAIN_OPS // 10, 0)
    y.backward(np.ones(1), retain_graph=True)
    y.backward(np.ones(1))
    np.testing.assert_allclose(x.grad.data, 2 * FACTOR ** (CHAIN_OPS // 20), rtol=1e-9)
    assert sys.getrecursionlimit() == limit


def _training_setup(seed: int = 0):
    nn = pytest.importorskip("nn")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((64, 2)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] > 0).astype(np.float32).reshape(-1, 1)
    model = nn.MLP(2, [16, 16], 1, activation="tanh", seed=seed)
    opt = nn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    return nn, X, y, model, opt, nn.BCEWithLogitsLoss()


@pytest.mark.slow
def test_long_training_keeps_objects_and_memory_flat():
    nn, X, y, model, opt, loss_fn = _training_setup()
    warmup = TRAIN_STEPS // 10
    samples = []
    tracemalloc.start()
    try:
        for step in range(TRAIN_STEPS):
            opt.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            opt.step()
            loss = None  # a user's loop keeps the last loss alive; measure without it
            if step == warmup:
                counts_after_warmup = _live_tensors()
                memory_after_warmup = tracemalloc.get_traced_memory()[0]
            elif step > warmup and step % (TRAIN_STEPS // 8) == 0:
                samples.append(_live_tensors())
        final_loss = float(loss_fn(model(X), y).item())
        counts_at_end = _live_tensors()
        growth = tracemalloc.get_traced_memory()[0] - memory_after_warmup
    finally:
        tracemalloc.stop()
    print(
        f"\n{TRAIN_STEPS} steps: live (tensors, nodes) after warm-up {counts_after_warmup}, "
        f"at end {counts_at_end}; tracemalloc growth {growth / 1e3:.1f} kB; final loss {final_loss:.4f}"
    )
    assert all(s == counts_after_warmup for s in samples), samples
    assert counts_at_end == counts_after_warmup
    assert counts_at_end[1] == 0  # no graph outlives its step
    assert growth < 2_000_000
    assert np.isfinite(final_loss) and final_loss < 0.69  # it trained; nothing degenerated


def test_no_grad_engine_calls_record_nothing():
    w = tensor(np.random.default_rng(0).standard_normal((4, 3)), requires_grad=True)
    b = tensor(np.zeros(3), requires_grad=True)
    x = np.ones((8, 4))
    seq_before = (w * 1).grad_fn.seq
    tensors_before, nodes_before = _live_tensors()
    with no_grad():
        for _ in range(NO_GRAD_CALLS):
            out = ag.softmax(ag.tanh(x @ w + b), axis=-1).sum()
            assert out.grad_fn is None and not out.requires_grad
    del out
    seq_after = (w * 1).grad_fn.seq
    # Node sequence numbers are global and strictly increasing: a gap of one means no node
    # was even created (and dropped) in between.
    assert seq_after == seq_before + 1
    assert _live_tensors() == (tensors_before, nodes_before)


@pytest.mark.slow
def test_no_grad_model_calls_record_nothing():
    nn, X, _, model, _, _ = _training_setup()
    probe = tensor(np.ones(1), requires_grad=True)
    seq_before = (probe * 1).grad_fn.seq
    counts_before = _live_tensors()
    with no_grad():
        for _ in range(NO_GRAD_CALLS):
            out = model(X)
            assert out.grad_fn is None and not out.requires_grad
    del out
    assert (probe * 1).grad_fn.seq == seq_before + 1
    assert _live_tensors() == counts_before
    assert all(p.grad is None for p in model.parameters())
