"""The backward walk's paths (chain, single-input rules, general rules, heap, held candidate) agree.

Each graph below mixes the walk's fast single-input steps with its general steps; the same
graph recorded with ``create_graph=True`` runs every rule on Tensors through the general
steps only, so the two gradients must be bit-identical, and both must match numpy by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor
from autograd_core._primitive import new_node
from autograd_core._tensor import NODE_SLOTS, SAME_SHAPE0

RNG = np.random.default_rng(13)
X = RNG.standard_normal((5, 3))
W0 = RNG.standard_normal((3, 4))
V0 = RNG.standard_normal(4)


def _loss(x: Tensor, w: Tensor, v: Tensor) -> Tensor:
    h = (x @ w).tanh()  # matmul: one leaf (w) and one op output (x * 1.0) among its inputs
    u = h * v  # both inputs pending: the held candidate joins the heap
    s = ag.softplus(u) - u * u  # fan-out of u, and x * x through mul
    return ag.mean(s * 0.5 + h.sum(axis=0))


def _by_hand(x: np.ndarray, w: np.ndarray, v: np.ndarray) -> tuple:
    a = x @ w
    h = np.tanh(a)
    u = h * v
    n = u.size
    gs = np.full(u.shape, 0.5 / n)
    gh = np.full(h.shape, h.shape[0] / n)  # each column sum of h is broadcast over the rows
    gu = gs * (1.0 / (1.0 + np.exp(-u))) - gs * 2 * u
    gh = gu * v + gh
    gv = (gu * h).sum(axis=0)
    ga = gh * (1 - h * h)
    return x.T @ ga, gv, ga @ w.T


@pytest.mark.parametrize("create_graph", [False, True])
def test_every_walk_path_matches_numpy_by_hand(create_graph: bool) -> None:
    x, w, v = (Tensor(a, requires_grad=True) for a in (X, W0, V0))
    _loss(x * 1.0, w, v).backward(create_graph=create_graph)
    gw, gv, gx = _by_hand(X, W0, V0)
    np.testing.assert_allclose(w.grad.data, gw, rtol=1e-12)
    np.testing.assert_allclose(v.grad.data, gv, rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, gx, rtol=1e-12)


def test_first_order_walk_equals_the_recorded_walk_bit_for_bit() -> None:
    grads = []
    for create_graph in (False, True):
        x, w, v = (Tensor(a, requires_grad=True) for a in (X, W0, V0))
        _loss(x * 1.0, w, v).backward(create_graph=create_graph)
        grads.append([t.grad.data.tobytes() for t in (x, w, v)])
    assert grads[0] == grads[1]


def test_vector_times_matrix_gradient_is_bit_identical_to_the_batched_form() -> None:
    # d(X @ theta)/d(theta) is computed as g @ X; it must equal the (1, n) @ (n, k) form summed back.
    for n, k in ((150, 3), (7, 5), (1000, 64)):
        a = RNG.standard_normal((n, k))
        theta = Tensor(RNG.standard_normal(k), requires_grad=True)
        g = RNG.standard_normal(n)
        (a @ theta).backward(g)
        batched = np.matmul(np.expand_dims(g, -2), a).sum(axis=(0,), keepdims=True).reshape((k,))
        assert theta.grad.data.tobytes() == batched.tobytes()


def test_grad_of_a_single_array_equals_grad_of_it_in_a_tuple() -> None:
    f = lambda t: ag.mean(X @ t - ag.softplus(X @ t))  # noqa: E731
    theta = RNG.standard_normal(3)
    plain = ag.grad(f)(theta)
    packed = ag.grad(lambda p: f(p[0]))((theta,))[0]
    assert type(plain) is np.ndarray and plain.tobytes() == packed.tobytes()


def test_grad_under_no_grad_records_inside_and_restores_the_mode() -> None:
    with ag.no_grad():
        g = ag.grad(lambda t: (t * t).sum())(np.array([1.0, 2.0]))
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    np.testing.assert_array_equal(g, [2.0, 4.0])


@pytest.mark.parametrize(
    "make",
    [
        lambda x, y: x * 0.5,  # an operator with a Python scalar
        lambda x, y: x.tanh(),  # a unary elementwise method
        lambda x, y: x.sum(),  # a unary reduction
        lambda x, y: x * y,  # two tensors
        lambda x, y: 2.0 - x,  # a reflected operator
        lambda x, y: ag.clip(x, 0.0, 1.0),  # three arguments
        lambda x, y: ag.sum(x, axis=0, keepdims=True),  # keyword arguments
    ],
)
def test_every_recording_path_builds_the_same_node_layout(make) -> None:  # type: ignore[no-untyped-def]
    x = Tensor(np.array([0.25, 2.0]), requires_grad=True)
    y = Tensor(np.array([3.0, 4.0]), requires_grad=True)
    t = make(x, y)
    reference = new_node(t._prim, t.data, (x,), (0,))
    for slot in (*NODE_SLOTS, "_grad", "_version", "data", "requires_grad", "_const"):
        assert hasattr(t, slot) == hasattr(reference, slot), slot
    assert t.requires_grad and 0 < t._seq < reference._seq
    assert (t._args is x) == (t._diff is SAME_SHAPE0)
