"""Fuzzing: random chains of 1-8 registered ops over random broadcastable shapes, their
composed gradient checked against central finite differences and against torch.

Each op is one row of ``OPS``: when it applies to the current shape, what it draws
(an axis, a second operand's shape), the autograd_core call, the torch call, and a guard
that rejects points within reach of a kink (relu at 0, ties in max) or of overflow, where
finite differences are meaningless. Domain-restricted ops get a wrapped argument
(``log(v * v + 0.5)``) so a random chain stays in their domain.

``HYPOTHESIS_PROFILE=thorough`` runs 2,000 chains per test.
"""

from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core import REGISTRY, no_grad

KINK = 1e-3  # reject points this close to a kink of the op's derivative
LIMIT = 1e3  # reject chains whose intermediate values leave [-LIMIT, LIMIT]


class Op(NamedTuple):
    applies: Callable[[Tuple[int, ...]], bool]
    plan: Callable[[Any, Tuple[int, ...]], Tuple[Dict[str, Any], Optional[Tuple[int, ...]]]]  # (draw, shape)
    ag_fn: Callable[[Any, Any, Dict[str, Any]], Any]
    torch_fn: Callable[[Any, Any, Dict[str, Any], Any], Any]
    guard: Callable[[np.ndarray, Any, Dict[str, Any]], bool] = lambda v, e, p: True


def _always(shape):
    return True


def _has_axes(shape):
    return len(shape) >= 1


def _no_plan(draw, shape):
    return {}, None


def _far_from(v, *points):
    return all(np.all(np.abs(np.asarray(v) - c) > KINK) for c in points)


def _broadcast_operand(draw, shape):
    """A second operand whose shape broadcasts with ``shape`` (the result may grow)."""
    other = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=1, base_shape=shape, max_dims=3, max_side=3)
    ).input_shapes[0]
    return {}, other


def _axis_plan(draw, shape, allow_none=True):
    choices = list(range(-len(shape), len(shape))) + ([None] if allow_none else [])
    return {"axis": draw(st.sampled_from(choices)), "keepdims": draw(st.booleans())}, None


def _int_axis_plan(draw, shape):
    return {"axis": draw(st.integers(-len(shape), len(shape) - 1))}, None


def _t_reduce(torch_fn, v, p):
    """Apply a torch reduction taking ``dim``/``keepdim`` with numpy's axis=None semantics."""
    axis, keepdims = p["axis"], p["keepdims"]
    if axis is None:
        out = torch_fn(v.reshape(-1), 0, False)
        return out.reshape((1,) * v.dim()) if keepdims else out
    return torch_fn(v, axis, keepdims)


def _top_gap_ok(v, p, largest=True):
    """Max/min have a kink where the two best elements tie."""
    v = np.asarray(v)
    axis = p["axis"]
    flat = v.reshape(-1) if axis is None else np.moveaxis(v, axis, -1)
    ordered = np.sort(flat, axis=-1)
    if ordered.shape[-1] < 2:
        return True
    gap = (ordered[..., -1] - ordered[..., -2]) if largest else (ordered[..., 1] - ordered[..., 0])
    return bool(np.all(gap > KINK))


def _matmul_plan(draw, shape):
    return {}, (shape[-1], draw(st.integers(1, 3)))


def _concat_plan(draw, shape):
    axis = draw(st.integers(0, len(shape) - 1))
    other = list(shape)
    other[axis] = draw(st.integers(1, 2))
    return {"axis": axis}, tuple(other)


def _index_plan(draw, shape):
    idx = draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=4))
    return {"idx": np.array(idx)}, None


def _take_plan(draw, shape):
    size = int(np.prod(shape))
    return {"idx": np.array(draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=5)))}, None


def _gather_plan(draw, shape):
    axis = draw(st.integers(0, len(shape) - 1))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    idx_shape = list(shape)
    idx_shape[axis] = draw(st.integers(1, 3))
    return {"axis": axis, "idx": rng.integers(0, shape[axis], idx_shape)}, None


def _setitem_plan(draw, shape):
    return {}, shape[1:]


def _t_setitem(torch, v, e):
    return torch.cat([e.unsqueeze(0), v[1:]], dim=0)


def _t_step(torch, v):
    return (v >= 0).to(v.dtype) + 0 * v  # torch.heaviside has no derivative; ours is 0


def _sum_to_plan(draw, shape):
    return {"shape": (1,) + tuple(shape[1:])}, None


# name: Op(applies, plan, autograd_core call, torch call, guard). Names are the primitive's
# registered name where the row exercises that primitive directly.
OPS: Dict[str, Op] = {
    "neg": Op(_always, _no_plan, lambda v, e, p: -v, lambda v, e, p, t: -v),
    "copy": Op(_always, _no_plan, lambda v, e, p: ag.copy(v), lambda v, e, p, t: t.clone(v)),
    "exp": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.exp(v),
        lambda v, e, p, t: t.exp(v),
        lambda v, e, p: np.all(v < 5),
    ),
    "expm1": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.expm1(v),
        lambda v, e, p, t: t.expm1(v),
        lambda v, e, p: np.all(v < 5),
    ),
    "log": Op(_always, _no_plan, lambda v, e, p: ag.log(v * v + 0.5), lambda v, e, p, t: t.log(v * v + 0.5)),
    "log1p": Op(_always, _no_plan, lambda v, e, p: ag.log1p(v * v), lambda v, e, p, t: t.log1p(v * v)),
    "sqrt": Op(
        _always, _no_plan, lambda v, e, p: ag.sqrt(v * v + 0.25), lambda v, e, p, t: t.sqrt(v * v + 0.25)
    ),
    "tanh": Op(_always, _no_plan, lambda v, e, p: ag.tanh(v), lambda v, e, p, t: t.tanh(v)),
    "sigmoid": Op(_always, _no_plan, lambda v, e, p: ag.sigmoid(v), lambda v, e, p, t: t.sigmoid(v)),
    "sin": Op(_always, _no_plan, lambda v, e, p: ag.sin(v), lambda v, e, p, t: t.sin(v)),
    "cos": Op(_always, _no_plan, lambda v, e, p: ag.cos(v), lambda v, e, p, t: t.cos(v)),
    "tan": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.tan(v),
        lambda v, e, p, t: t.tan(v),
        lambda v, e, p: np.all(np.abs(v) < 1.2),
    ),
    "erf": Op(_always, _no_plan, lambda v, e, p: ag.erf(v), lambda v, e, p, t: t.erf(v)),
    "softplus": Op(
        _always, _no_plan, lambda v, e, p: ag.softplus(v), lambda v, e, p, t: t.nn.functional.softplus(v)
    ),
    "gelu": Op(_always, _no_plan, lambda v, e, p: ag.gelu(v), lambda v, e, p, t: t.nn.functional.gelu(v)),
    "silu": Op(_always, _no_plan, lambda v, e, p: ag.silu(v), lambda v, e, p, t: t.nn.functional.silu(v)),
    "elu": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.elu(v),
        lambda v, e, p, t: t.nn.functional.elu(v),
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "selu": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.selu(v),
        lambda v, e, p, t: t.nn.functional.selu(v),
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "relu": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.relu(v),
        lambda v, e, p, t: t.relu(v),
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "leaky_relu": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.leaky_relu(v, 0.1),
        lambda v, e, p, t: t.nn.functional.leaky_relu(v, 0.1),
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "abs": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.abs(v),
        lambda v, e, p, t: t.abs(v),
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "sign": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.sign(v) + v,
        lambda v, e, p, t: t.sign(v) + v,
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "step": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.step(v) + v,
        lambda v, e, p, t: _t_step(t, v) + v,
        lambda v, e, p: _far_from(v, 0.0),
    ),
    "clip": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.clip(v, -1.0, 1.0),
        lambda v, e, p, t: t.clamp(v, -1.0, 1.0),
        lambda v, e, p: _far_from(v, -1.0, 1.0),
    ),
    "square": Op(_always, _no_plan, lambda v, e, p: v**2, lambda v, e, p, t: v**2),
    "add": Op(_always, _broadcast_operand, lambda v, e, p: v + e, lambda v, e, p, t: v + e),
    "sub": Op(_always, _broadcast_operand, lambda v, e, p: e - v, lambda v, e, p, t: e - v),
    "mul": Op(_always, _broadcast_operand, lambda v, e, p: v * e, lambda v, e, p, t: v * e),
    "div": Op(
        _always, _broadcast_operand, lambda v, e, p: v / (e * e + 0.5), lambda v, e, p, t: v / (e * e + 0.5)
    ),
    "pow": Op(
        _always, _broadcast_operand, lambda v, e, p: (v * v + 0.5) ** e, lambda v, e, p, t: (v * v + 0.5) ** e
    ),
    "maximum": Op(
        _always,
        _broadcast_operand,
        lambda v, e, p: ag.maximum(v, e),
        lambda v, e, p, t: t.maximum(v, e),
        lambda v, e, p: _far_from(np.asarray(v) - e, 0.0),
    ),
    "minimum": Op(
        _always,
        _broadcast_operand,
        lambda v, e, p: ag.minimum(v, e),
        lambda v, e, p, t: t.minimum(v, e),
        lambda v, e, p: _far_from(np.asarray(v) - e, 0.0),
    ),
    "where": Op(
        _always,
        _broadcast_operand,
        lambda v, e, p: ag.where(v > e, v * 2.0, e),
        lambda v, e, p, t: t.where(v > e, v * 2.0, e),
        lambda v, e, p: _far_from(np.asarray(v) - e, 0.0),
    ),
    "matmul": Op(_has_axes, _matmul_plan, lambda v, e, p: v @ e, lambda v, e, p, t: v @ e),
    "einsum": Op(
        lambda s: len(s) == 2,
        _matmul_plan,
        lambda v, e, p: ag.einsum("ij,jk->ik", v, e),
        lambda v, e, p, t: t.einsum("ij,jk->ik", v, e),
    ),
    "concatenate": Op(
        _has_axes,
        _concat_plan,
        lambda v, e, p: ag.concatenate([v, e], axis=p["axis"]),
        lambda v, e, p, t: t.cat([v, e], dim=p["axis"]),
    ),
    "setitem": Op(
        _has_axes, _setitem_plan, lambda v, e, p: ag.setitem(v, e, 0), lambda v, e, p, t: _t_setitem(t, v, e)
    ),
    "sum": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.sum(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.sum(d, keepdim=k), v, p),
    ),
    "mean": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.mean(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.mean(d, keepdim=k), v, p),
    ),
    "max": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.max(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.amax(d, keepdim=k), v, p),
        lambda v, e, p: _top_gap_ok(v, p),
    ),
    "min": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.min(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.amin(d, keepdim=k), v, p),
        lambda v, e, p: _top_gap_ok(v, p, largest=False),
    ),
    "logsumexp": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.logsumexp(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: t.logsumexp(x, d, keepdim=k), v, p),
    ),
    "prod": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.prod(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.prod(d, keepdim=k), v, p),
    ),
    "norm": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.norm(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: t.linalg.vector_norm(x, dim=d, keepdim=k), v, p),
        lambda v, e, p: np.all(np.sqrt(np.sum(np.square(v), axis=p["axis"])) > KINK),
    ),
    "var": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.var(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.var(d, correction=0, keepdim=k), v, p),
    ),
    "std": Op(
        _always,
        _axis_plan,
        lambda v, e, p: ag.std(v, axis=p["axis"], keepdims=p["keepdims"]),
        lambda v, e, p, t: _t_reduce(lambda x, d, k: x.std(d, correction=0, keepdim=k), v, p),
        lambda v, e, p: np.all(np.var(v, axis=p["axis"]) > KINK),
    ),
    "softmax": Op(
        _has_axes,
        _int_axis_plan,
        lambda v, e, p: ag.softmax(v, axis=p["axis"]),
        lambda v, e, p, t: t.softmax(v, dim=p["axis"]),
    ),
    "log_softmax": Op(
        _has_axes,
        _int_axis_plan,
        lambda v, e, p: ag.log_softmax(v, axis=p["axis"]),
        lambda v, e, p, t: t.log_softmax(v, dim=p["axis"]),
    ),
    "cumsum": Op(
        _has_axes,
        _int_axis_plan,
        lambda v, e, p: ag.cumsum(v, axis=p["axis"]),
        lambda v, e, p, t: t.cumsum(v, dim=p["axis"]),
    ),
    "cumprod": Op(
        _has_axes,
        _int_axis_plan,
        lambda v, e, p: ag.cumprod(v, axis=p["axis"]),
        lambda v, e, p, t: t.cumprod(v, dim=p["axis"]),
    ),
    "nan_to_num": Op(_always, _no_plan, lambda v, e, p: ag.nan_to_num(v), lambda v, e, p, t: t.nan_to_num(v)),
    "reshape": Op(_always, _no_plan, lambda v, e, p: ag.reshape(v, (-1,)), lambda v, e, p, t: v.reshape(-1)),
    "transpose": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.transpose(v),
        lambda v, e, p, t: v.permute(tuple(reversed(range(v.dim())))),
    ),
    "swapaxes": Op(
        _has_axes, _no_plan, lambda v, e, p: ag.swapaxes(v, 0, -1), lambda v, e, p, t: v.swapaxes(0, -1)
    ),
    "expand_dims": Op(
        lambda s: len(s) < 3,
        _no_plan,
        lambda v, e, p: ag.expand_dims(v, 0),
        lambda v, e, p, t: v.unsqueeze(0),
    ),
    "squeeze": Op(
        _always,
        _no_plan,
        lambda v, e, p: ag.squeeze(v),
        lambda v, e, p, t: v.reshape([s for s in v.shape if s != 1]),
    ),
    "broadcast_to": Op(
        lambda s: len(s) < 3,
        _no_plan,
        lambda v, e, p: ag.broadcast_to(v, (2,) + np.shape(v)),
        lambda v, e, p, t: v.expand((2,) + tuple(v.shape)),
    ),
    "sum_to": Op(
        _has_axes,
        _sum_to_plan,
        lambda v, e, p: ag.sum_to(v, p["shape"]),
        lambda v, e, p, t: v.sum(0, keepdim=True),
    ),
    "getitem": Op(
        _has_axes, _index_plan, lambda v, e, p: v[p["idx"]], lambda v, e, p, t: v[t.as_tensor(p["idx"])]
    ),
    "getitem_slice": Op(_has_axes, _no_plan, lambda v, e, p: v[::-1], lambda v, e, p, t: t.flip(v, [0])),
    "take": Op(
        _always,
        _take_plan,
        lambda v, e, p: ag.take(v, p["idx"]),
        lambda v, e, p, t: t.take(v, t.as_tensor(p["idx"])),
    ),
    "gather": Op(
        _has_axes,
        _gather_plan,
        lambda v, e, p: ag.gather(v, p["idx"], p["axis"]),
        lambda v, e, p, t: t.gather(v, p["axis"], t.as_tensor(p["idx"])),
    ),
    "pad": Op(
        _has_axes,
        _no_plan,
        lambda v, e, p: ag.pad(v, 1),
        lambda v, e, p, t: t.nn.functional.pad(v, (1, 1) * v.dim()),
    ),
}

# Registered differentiable primitives the fuzzer does not compose, and why.
NOT_FUZZED = {
    "conj": "the identity on real values; complex rules: tests/autograd_core/test_complex.py",
    "angle": "a step (0 or pi) on real values; complex rules: tests/autograd_core/test_complex.py",
    "astype": "a float32 round trip is below finite-difference resolution",
    "scatter": "getitem's adjoint: runs in every getitem backward",
    "untake": "take's adjoint: runs in every take backward",
    "ungather": "gather's adjoint: runs in every gather backward",
    "prod_except_self": "prod's rule helper: runs in every prod backward",
    "logsumexp_b": "logsumexp with weights b=: its own rows check it (rows/tensor_arguments.py)",
}
# numpy.linalg / numpy.fft / autograd_core.scipy need per-op domains (positive definite, separated
# eigenvalues, poles): the op table's rows and test_linalg / test_fft / tests/autograd_core/scipy
# check them there, against finite differences and torch.
NOT_FUZZED.update(
    dict.fromkeys(
        "inv solve det adjugate logabsdet pinv cholesky eigh eig svd svdvals qr fftn rfftn irfftn".split(),
        "needs a per-op domain: rows/linalg_rows.py, rows/fft_rows.py",
    )
)


class Chain(NamedTuple):
    steps: List[Tuple[str, Dict[str, Any], Optional[int]]]  # (op, params, index of its extra input)
    inputs: List[np.ndarray]


@st.composite
def chains(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    inputs = [rng.uniform(-2, 2, shape)]
    steps = []
    current = np.ones(shape)
    for _ in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from([n for n, op in OPS.items() if op.applies(current.shape)]))
        params, extra_shape = OPS[name].plan(draw, current.shape)
        extra = None
        if extra_shape is not None:
            inputs.append(rng.uniform(-2, 2, extra_shape))
            extra = len(inputs) - 1
        steps.append((name, params, extra))
        current = np.asarray(
            OPS[name].ag_fn(current, None if extra is None else np.ones(extra_shape), params)
        )
    return Chain(steps, inputs)


def _run(chain, leaves, call, guard=False):
    """Apply the chain to ``leaves`` with ``call(op, v, e, params)``; with ``guard``, reject
    the example (hypothesis ``assume``) if a step is near a kink or leaves [-LIMIT, LIMIT]."""
    v = leaves[0]
    for name, params, extra in chain.steps:
        e = None if extra is None else leaves[extra]
        if guard:
            assume(OPS[name].guard(np.asarray(v), None if e is None else np.asarray(e), params))
        v = call(OPS[name], v, e, params)
        if guard:
            assume(np.all(np.abs(np.asarray(v)) <= LIMIT))
    return v


def _ag_chain(chain):
    return lambda *leaves: _run(chain, leaves, lambda op, v, e, p: op.ag_fn(v, e, p))


def _checked(chain):
    """The chain's output on its inputs (plain arrays), rejecting unsuitable examples."""
    note(f"steps: {[(name, params) for name, params, _ in chain.steps]}")
    note(f"input shapes: {[x.shape for x in chain.inputs]}")
    with no_grad():
        out = np.asarray(_run(chain, chain.inputs, lambda op, v, e, p: op.ag_fn(v, e, p), guard=True))
    return out


def _grad_output(chain, shape):
    return np.random.default_rng(len(chain.steps)).standard_normal(shape)


@given(chains())
def test_random_chain_gradient_matches_finite_differences(chain):
    out = _checked(chain)
    assert ag.gradcheck(_ag_chain(chain), *chain.inputs, grad_output=_grad_output(chain, out.shape))


@given(chains())
def test_random_chain_value_and_gradient_match_torch(chain):
    torch = pytest.importorskip("torch")
    out = _checked(chain)
    go = _grad_output(chain, out.shape)
    value, pullback = ag.vjp(_ag_chain(chain), *chain.inputs)
    ours = pullback(go)
    ours = ours if isinstance(ours, (tuple, list)) else (ours,)
    leaves = [torch.tensor(x, requires_grad=True) for x in chain.inputs]
    t_out = _run(chain, leaves, lambda op, v, e, p: op.torch_fn(v, e, p, torch))
    t_out.backward(torch.tensor(go))
    np.testing.assert_allclose(np.asarray(value), t_out.detach().numpy(), rtol=1e-9, atol=1e-12)
    for mine, leaf in zip(ours, leaves):
        theirs = np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()
        np.testing.assert_allclose(np.asarray(mine), theirs, rtol=1e-7, atol=1e-10)


def test_every_differentiable_primitive_is_fuzzed_or_excused():
    differentiable = {
        name
        for name, prim in REGISTRY.items()
        if prim.differentiable
        and not name.startswith("Function:")
        and prim.forward.__module__.startswith("autograd_core")
    }
    missing = {
        n for n in differentiable - set(OPS) - set(NOT_FUZZED) if not n.startswith("scipy.")
    }  # rows/scipy_rows.py
    assert missing == set(), f"add a row to OPS (or a reason to NOT_FUZZED) for {sorted(missing)}"
