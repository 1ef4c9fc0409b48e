"""One table-driven gradient test over every registered op (MyGrad's backprop_test_factory style).

Each row names the primitive it checks (``op``), or none for a public composition, and
gives the call, the input domains and fixed arguments. For every hypothesis example the
test runs the row in float64 and float32 with a random upstream gradient and checks:
inputs not mutated; each gradient has its input's shape and dtype; values match central
finite differences (``gradcheck`` with ``grad_output``); ``.backward`` agrees with ``vjp``;
float32 gradients agree with float64 ones; and, for smooth rows, second derivatives
(``gradgradcheck``; on larger inputs along a random 2-D slice through them, which keeps
it cheap). A second table lists the non-differentiable ops: their outputs never require
grad. ``test_table_covers_every_registered_op`` makes a new op without a row fail.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd_core as ag
from autograd_core import Tensor, gradcheck, gradgradcheck
from tests.autograd_core import rows as _row_modules
from tests.autograd_core.op_table_kit import (
    ANY,
    DISTINCT,
    EVEN,
    KINK0,
    NONZERO,
    ODD,
    POS,
    Row,
    _concat_inputs,
    _where_inputs,
    _with_zeros,
    abs_distinct,
    dom,
    each,
    fixed,
    grid,
    one,
    row,
)

R = ag.REGISTRY  # internal primitives (adjoints, helpers) are reached by name

IDX_BOOL = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])

ROWS = [
    # arithmetic and selection ---------------------------------------------------------------
    row("add", ag.add, each(ANY, ANY), "add"),
    row("add_scalar_reflected", lambda x: 2.5 + x, one(), "add"),
    row("sub", ag.sub, each(ANY, ANY), "sub"),
    row("sub_reflected", lambda x: 1.5 - x, one(), "sub"),
    row("mul", ag.mul, each(ANY, ANY), "mul"),
    row("mul_fanout_same_tensor", lambda x: x * x, one(), "mul"),
    row("div", ag.div, each(ANY, NONZERO), "div"),
    row("div_reflected", lambda x: 2.0 / x, one(NONZERO), "div"),
    row("neg", ag.neg, one(), "neg"),
    row("maximum", ag.maximum, each(ODD, EVEN), "maximum"),
    row("minimum", ag.minimum, each(ODD, EVEN), "minimum"),
    row("maximum_const", lambda x: ag.maximum(x, 0.03125), one(EVEN), "maximum"),
    row("where", lambda x, y, cond: ag.where(cond, x, y), _where_inputs(), "where"),
    row(
        "where_double_idiom",
        lambda x: ag.where(x > 0, ag.log(ag.where(x > 0, x, 1.0)), 0.0),
        one(NONZERO),
        "where",
    ),
    row("clip", lambda x: ag.clip(x, -1.0, 1.0), one(dom(exclude=[(-1.01, -0.99), (0.99, 1.01)])), "clip"),
    row("clip_low_only", lambda x: ag.clip(x, 0.5, None), one(dom(exclude=(0.49, 0.51))), "clip"),
    row("clip_method_high_only", lambda x: x.clip(None, -0.5), one(dom(exclude=(-0.51, -0.49))), "clip"),
    # elementwise math ---------------------------------------------------------------------
    row("exp", ag.exp, one(), "exp"),
    row("log", ag.log, one(POS), "log"),
    row("log1p", ag.log1p, one(dom(-0.8, 3.0)), "log1p"),
    row("expm1", ag.expm1, one(), "expm1"),
    row("sqrt", ag.sqrt, one(POS), "sqrt"),
    row("sin", ag.sin, one(), "sin"),
    row("cos", ag.cos, one(), "cos"),
    row("tan", ag.tan, one(dom(-1.2, 1.2)), "tan"),
    row("tanh", ag.tanh, one(), "tanh"),
    row("abs", ag.abs, one(KINK0), "abs"),
    row("sign", ag.sign, one(KINK0), "sign"),
    row("erf", ag.erf, one(), "erf"),
    row("pow_tensor_tensor", ag.power, each(POS, dom(-2.0, 2.0)), "pow"),
    row("pow_square", lambda x: x**2, one(), "pow"),
    row("pow_cube", lambda x: x**3, one(), "pow"),
    row("pow_int_exponent_zero", lambda x: x**0, one(), "pow"),
    row("pow_sqrt", lambda x: x**0.5, one(POS), "pow"),
    row("pow_negative_fractional", lambda x: x**-1.5, one(POS), "pow"),
    row("pow_reflected_base", lambda x: 2.0**x, one(), "pow"),
    # activations ------------------------------------------------------------------------------
    row("sigmoid", ag.sigmoid, one(dom(-8.0, 8.0)), "sigmoid"),
    row("relu", ag.relu, one(KINK0), "relu"),
    row("leaky_relu", lambda x: ag.leaky_relu(x, 0.1), one(KINK0), "leaky_relu"),
    row("leaky_relu_default", ag.leaky_relu, one(KINK0), "leaky_relu"),
    row("elu", ag.elu, one(KINK0), "elu"),
    row("elu_alpha", lambda x: ag.elu(x, alpha=0.5), one(KINK0), "elu"),
    row("softplus", ag.softplus, one(dom(-8.0, 8.0)), "softplus"),
    row("step", ag.step, one(KINK0), "step"),
    row("selu", ag.selu, one(KINK0)),
    row("silu", ag.silu, one()),
    row("gelu", ag.gelu, one()),
    row("gelu_tanh", lambda x: ag.gelu(x, approximate="tanh"), one()),
    # shapes and indexing --------------------------------------------------------------------
    row("reshape_reversed", lambda x: ag.reshape(x, x.shape[::-1]), one(), "reshape"),
    row("reshape_method_flat", lambda x: x.reshape(-1), one(), "reshape"),
    row("transpose", ag.transpose, one(), "transpose"),
    row("transpose_axes", lambda x: ag.transpose(x, (1, 2, 0)), one(min_dims=3), "transpose"),
    row("transpose_negative_axes", lambda x: ag.transpose(x, (-1, 0, 1)), one(min_dims=3), "transpose"),
    row("T_property", lambda x: x.T, one(min_dims=2, max_dims=2), "transpose"),
    row("permute", lambda x: ag.permute(x, 2, 0, 1), one(min_dims=3)),
    row(
        "broadcast_to",
        lambda x: ag.broadcast_to(x, (2,) + tuple(3 if d == 1 else d for d in x.shape)),
        one(),
        "broadcast_to",
    ),
    row("sum_to_leading", lambda x: ag.sum_to(x, x.shape[1:]), one(min_dims=1), "sum_to"),
    row(
        "sum_to_ones",
        lambda x: ag.sum_to(x, tuple(1 if i % 2 == 0 else d for i, d in enumerate(x.shape))),
        one(),
        "sum_to",
    ),
    # float32 rounding in the forward: a wider eps keeps finite differences meaningful
    row("astype_float32", lambda x: ag.astype(x, np.float32) * 2.0, one(), "astype", eps=1e-2),
    row("astype_float64", lambda x: ag.astype(x, np.float64), one(), "astype", keeps_dtype=False),
    row("getitem_int", lambda x: x[1], fixed((3, 4)), "getitem"),
    row("getitem_slices", lambda x: x[::2, 1:], fixed((3, 4)), "getitem"),
    row("getitem_newaxis_ellipsis", lambda x: x[None, ..., -1], fixed((2, 3, 4)), "getitem"),
    row("getitem_bool", lambda x: x[IDX_BOOL], fixed((3, 4)), "getitem"),
    row("getitem_int_array_repeats", lambda x: x[[0, 2, 0, 0]], fixed((3, 2)), "getitem"),
    row("getitem_int_arrays_pairs", lambda x: x[[0, 1, 1], [2, 2, 0]], fixed((3, 4)), "getitem"),
    row("getitem_tensor_index", lambda x: x[ag.tensor([2, 0, 2])], fixed((3,)), "getitem"),
    row("scatter_basic", lambda x: R["scatter"](x, (slice(1, 3),), (4, 2)), fixed((2, 2)), "scatter"),
    row("scatter_repeats", lambda x: R["scatter"](x, ([1, 1, 3],), (5,)), fixed((3,)), "scatter"),
    row("setitem_basic", lambda x, v: ag.setitem(x, v, 1), fixed((3, 4), (4,)), "setitem"),
    row(
        "setitem_slice_scalar", lambda x, v: ag.setitem(x, v, (slice(None), 0)), fixed((3, 2), ()), "setitem"
    ),
    row("setitem_int_array", lambda x, v: ag.setitem(x, v, ([0, 2],)), fixed((4,), (2,)), "setitem"),
    row(
        "setitem_int_array_repeats", lambda x, v: ag.setitem(x, v, ([0, 2, 0],)), fixed((4,), (3,)), "setitem"
    ),
    row("concatenate_axis0", lambda *xs: ag.concatenate(xs, axis=0), _concat_inputs(0), "concatenate"),
    row("concatenate_axis1", lambda *xs: ag.concatenate(xs, axis=1), _concat_inputs(1), "concatenate"),
    row("concatenate_single", lambda x: ag.concatenate([x]), fixed((3,)), "concatenate"),
    row("pad_widths", lambda x: ag.pad(x, ((1, 0), (0, 2)), constant_values=1.5), fixed((2, 3)), "pad"),
    row("pad_int", lambda x: ag.pad(x, 1), one(min_dims=1), "pad"),
    row("take_flat_repeats", lambda x: ag.take(x, [0, 5, 0, 3]), fixed((2, 3)), "take"),
    row("take_axis", lambda x: ag.take(x, [[0, 0], [2, 1]], axis=1), fixed((2, 3)), "take"),
    row("untake", lambda x: R["untake"](x, [1, 1, 0], None, (2, 2)), fixed((3,)), "untake"),
    row("untake_axis", lambda x: R["untake"](x, [2, 2], 0, (3, 2)), fixed((2, 2)), "untake"),
    row(
        "gather_axis1", lambda x: ag.gather(x, np.array([[0, 0], [3, 1], [2, 2]]), 1), fixed((3, 4)), "gather"
    ),
    row("gather_axis0", lambda x: ag.gather(x, np.array([[2, 0, 2, 1]]), 0), fixed((3, 4)), "gather"),
    row(
        "ungather",
        lambda x: R["ungather"](x, np.array([[0, 0], [1, 0]]), 1, (2, 3)),
        fixed((2, 2)),
        "ungather",
    ),
    row("swapaxes", lambda x: ag.swapaxes(x, 0, -1), one(min_dims=1)),
    row("squeeze_all", ag.squeeze, fixed((1, 3, 1))),
    row("squeeze_axis", lambda x: ag.squeeze(x, 2), fixed((2, 3, 1))),
    row("expand_dims", lambda x: ag.expand_dims(x, -1), one()),
    row("flatten", ag.flatten, one()),
    row("flatten_middle", lambda x: ag.flatten(x, 1, 2), one(min_dims=3)),
    row("stack", lambda *xs: ag.stack(xs), fixed((2, 3), (2, 3), (2, 3))),
    row("stack_last_axis", lambda x, y: ag.stack([x, y], axis=-1), fixed((2, 3), (2, 3))),
    row(
        "split_sections",
        lambda x: ag.stack([p * (i + 1.0) for i, p in enumerate(ag.split(x, 2, axis=1))]),
        fixed((3, 4)),
    ),
    row(
        "split_indices",
        lambda x: ag.concatenate([p * (i + 1.0) for i, p in enumerate(ag.split(x, [1, 3]))]),
        fixed((4,)),
    ),
    # products -----------------------------------------------------------------------------------
    row("matmul_2d_2d", ag.matmul, fixed((2, 3), (3, 4)), "matmul"),
    row("matmul_operator_1d_1d", lambda a, b: a @ b, fixed((3,), (3,)), "matmul"),
    row("matmul_2d_1d", ag.matmul, fixed((2, 3), (3,)), "matmul"),
    row("matmul_1d_2d", ag.matmul, fixed((3,), (3, 2)), "matmul"),
    row("matmul_batched_broadcast", ag.matmul, fixed((2, 1, 3, 2), (3, 2, 4)), "matmul"),
    row("matmul_1d_batched", ag.matmul, fixed((3,), (2, 3, 2)), "matmul"),
    row("matmul_batched_1d", ag.matmul, fixed((2, 2, 3), (3,)), "matmul"),
    row("einsum_matmul", lambda a, b: ag.einsum("ij,jk->ik", a, b), fixed((2, 3), (3, 2)), "einsum"),
    row("einsum_total", lambda a: ag.einsum("ij->", a), fixed((2, 3)), "einsum"),
    row("einsum_inner", lambda a, b: ag.einsum("i,i->", a, b), fixed((3,), (3,)), "einsum"),
    row(
        "einsum_batched", lambda a, b: ag.einsum("bij,bjk->bik", a, b), fixed((2, 2, 3), (2, 3, 2)), "einsum"
    ),
    row("einsum_hadamard", lambda a, b: ag.einsum("ij,ij->ij", a, b), fixed((2, 3), (2, 3)), "einsum"),
    row("einsum_transpose_reduce", lambda a: ag.einsum("ijk->kj", a), fixed((2, 3, 2)), "einsum"),
    row("einsum_outer_implicit", lambda a, b: ag.einsum("i,j", a, b), fixed((2,), (3,)), "einsum"),
    row(
        "einsum_summed_inside_operand", lambda a, b: ag.einsum("ij,k->k", a, b), fixed((2, 3), (2,)), "einsum"
    ),
    row(
        "einsum_three_operands",
        lambda a, b, c: ag.einsum("i,ij,j->", a, b, c),
        fixed((2,), (2, 3), (3,)),
        "einsum",
    ),
    row("dot_1d", ag.dot, fixed((3,), (3,))),
    row("dot_2d_1d", ag.dot, fixed((2, 3), (3,))),
    row("dot_scalar", ag.dot, fixed((), (2, 2))),
    row("outer", ag.outer, fixed((3,), (2, 2))),
    # reductions ---------------------------------------------------------------------------------
    row("sum_all", ag.sum, one(), "sum"),
    row("sum_axis0", lambda x: ag.sum(x, axis=0), one(min_dims=1), "sum"),
    row("sum_axes_keepdims", lambda x: x.sum(axis=(0, -1), keepdims=True), one(min_dims=2), "sum"),
    row("max_all", ag.max, one(DISTINCT), "max"),
    row("max_axis_keepdims", lambda x: x.max(axis=-1, keepdims=True), one(DISTINCT, min_dims=1), "max"),
    row("min_all", ag.min, one(DISTINCT), "min"),
    row("min_axis0", lambda x: ag.min(x, axis=0), one(DISTINCT, min_dims=1), "min"),
    row("prod_all", ag.prod, one(NONZERO, max_side=2), "prod"),
    row("prod_axis_keepdims", lambda x: ag.prod(x, axis=-1, keepdims=True), one(NONZERO, min_dims=1), "prod"),
    row("prod_with_zeros", ag.prod, _with_zeros((2, 3)), "prod"),
    row("prod_axis_with_zeros", lambda x: x.prod(axis=1), _with_zeros((2, 3)), "prod"),
    row(
        "prod_except_self",
        lambda x: R["prod_except_self"](x, 0),
        one(NONZERO, min_dims=1),
        "prod_except_self",
    ),
    row("cumsum_flat", ag.cumsum, one(), "cumsum"),
    row("cumsum_axis0", lambda x: ag.cumsum(x, axis=0), one(min_dims=1), "cumsum"),
    row("cumsum_method_last", lambda x: x.cumsum(axis=-1), one(min_dims=2), "cumsum"),
    row("logsumexp_all", ag.logsumexp, one(), "logsumexp"),
    row(
        "logsumexp_axis_keepdims",
        lambda x: ag.logsumexp(x, axis=-1, keepdims=True),
        one(min_dims=1),
        "logsumexp",
    ),
    row("softmax_last", ag.softmax, one(min_dims=1), "softmax"),
    row("softmax_axis0", lambda x: x.softmax(axis=0), one(min_dims=2), "softmax"),
    row("log_softmax_last", ag.log_softmax, one(min_dims=1), "log_softmax"),
    row("log_softmax_axis0", lambda x: x.log_softmax(axis=0), one(min_dims=2), "log_softmax"),
    row("norm_all", ag.norm, one(NONZERO), "norm"),
    row("norm_axis_keepdims", lambda x: ag.norm(x, axis=-1, keepdims=True), one(NONZERO, min_dims=1), "norm"),
    row("norm_ord1", lambda x: ag.norm(x, ord=1, axis=0), one(KINK0, min_dims=1)),
    row("norm_inf", lambda x: ag.norm(ag.reshape(x, (-1,)), ord=np.inf), one(abs_distinct)),
    row("mean_all", ag.mean, one()),
    row("mean_axis_keepdims", lambda x: x.mean(axis=0, keepdims=True), one(min_dims=1)),
    row("var", ag.var, one(DISTINCT, min_dims=1, min_side=2)),
    row("var_ddof_axis", lambda x: x.var(axis=-1, ddof=1), one(DISTINCT, min_dims=1, min_side=2)),
    row("std", ag.std, one(DISTINCT, min_dims=1, min_side=2)),
    row(
        "std_axis_keepdims", lambda x: ag.std(x, axis=0, keepdims=True), one(DISTINCT, min_dims=2, min_side=2)
    ),
]

# Non-differentiable primitives: name -> (call on Tensors, numpy reference, input shapes).
NO_GRAD = {
    "eq": (lambda x, y: x == y, np.equal, 2),
    "ne": (lambda x, y: x != y, np.not_equal, 2),
    "lt": (lambda x, y: x < y, np.less, 2),
    "le": (ag.less_equal, np.less_equal, 2),
    "gt": (ag.greater, np.greater, 2),
    "ge": (lambda x, y: x >= y, np.greater_equal, 2),
    "logical_and": (lambda x, y: (x > 0) & (y > 0), lambda x, y: (x > 0) & (y > 0), 2),
    "logical_or": (lambda x, y: ag.logical_or(x > 0, y > 0), lambda x, y: (x > 0) | (y > 0), 2),
    "logical_not": (lambda x: ~(x > 0), lambda x: ~(x > 0), 1),
    "floor": (ag.floor, np.floor, 1),
    "ceil": (lambda x: x.ceil(), np.ceil, 1),
    "round": (ag.round, np.round, 1),
    "isnan": (ag.isnan, np.isnan, 1),
    "isfinite": (ag.isfinite, np.isfinite, 1),
    "clip_mask": (lambda x: R["clip_mask"](x, -1.0, 1.0), lambda x: (x >= -1) & (x <= 1), 1),
    "tie_share": (
        lambda x: R["tie_share"](x, ag.max(x, axis=-1, keepdims=True).detach(), -1),
        lambda x: (x == x.max(-1, keepdims=True)) / (x == x.max(-1, keepdims=True)).sum(-1, keepdims=True),
        1,
    ),
    "argmax": (lambda x: x.argmax(axis=-1), lambda x: np.argmax(x, axis=-1), 1),
    "argmin": (lambda x: ag.argmin(x), np.argmin, 1),
    "one_hot": (
        lambda x: ag.one_hot(ag.astype(ag.floor(x) + 3, np.int64), 7),
        lambda x: np.eye(7)[(np.floor(x) + 3).astype(int)],
        1,
    ),
}


# Rows and non-differentiable ops of the other groups (tests/autograd_core/rows/*.py).
for _info in pkgutil.iter_modules(_row_modules.__path__):
    _module = importlib.import_module(f"{_row_modules.__name__}.{_info.name}")
    ROWS += getattr(_module, "ROWS", [])
    NO_GRAD.update(getattr(_module, "NO_GRAD", {}))


# -- the checks ------------------------------------------------------------------------------


def _ops_in_graph(out: Tensor) -> set:
    names, stack, seen = set(), [out], set()
    while stack:
        t = stack.pop()
        if t.grad_fn is None or id(t) in seen:
            continue
        seen.add(id(t))
        names.add(t.grad_fn.name)
        stack.extend(t.grad_fn.inputs)
    return names


def _second_order(f: Callable, xs: tuple, upstream: np.ndarray, rng: np.random.Generator, eps: float) -> None:
    """gradgradcheck, on the inputs when small, else on a random 2-D slice x + s0*d0 + s1*d1."""
    if sum(x.size for x in xs) <= 3:
        gradgradcheck(f, *xs, eps=eps, grad_output=upstream)
        return
    d0 = [rng.standard_normal(x.shape) for x in xs]
    d1 = [rng.standard_normal(x.shape) for x in xs]

    def on_slice(s: Tensor) -> Any:
        return f(*[x + s[0] * a + s[1] * b for x, a, b in zip(xs, d0, d1)])

    gradgradcheck(on_slice, np.zeros(2), eps=eps, grad_output=upstream)


@pytest.mark.parametrize("case", ROWS, ids=[r.name for r in ROWS])
@given(data=st.data())
def test_op_gradients(case: Row, data: Any) -> None:
    xs, kw = data.draw(case.inputs, label="inputs")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))

    def f(*ts: Any) -> Any:
        return case.fn(*ts, **kw)

    originals = [x.copy() for x in xs]
    leaves = [Tensor(x, requires_grad=True) for x in xs]  # shares the arrays: mutation shows up
    out = f(*leaves)
    assert isinstance(out, Tensor) and out.requires_grad
    if case.op is not None:
        assert case.op in _ops_in_graph(out), f"row {case.name} does not exercise {case.op}"
    upstream = rng.standard_normal(out.shape)
    upstream_copy = upstream.copy()
    out.backward(upstream)
    for leaf, x, orig in zip(leaves, xs, originals):
        assert leaf.grad.shape == x.shape and leaf.grad.dtype == np.float64
        np.testing.assert_array_equal(x, orig, err_msg="the op mutated its input")
    np.testing.assert_array_equal(upstream, upstream_copy, err_msg="backward mutated the upstream gradient")

    # Values: central finite differences in float64, in the random upstream direction.
    assert gradcheck(f, *xs, eps=case.eps, grad_output=upstream)
    _, back = ag.vjp(f, *xs)
    via_vjp = back(upstream)
    via_vjp = via_vjp if isinstance(via_vjp, tuple) else (via_vjp,)
    for leaf, g in zip(leaves, via_vjp):
        np.testing.assert_allclose(leaf.grad.data, g, rtol=1e-10, atol=1e-12)

    # float32 end to end: float32 out, float32 gradients, close to the float64 ones.
    leaves32 = [Tensor(x.astype(np.float32), requires_grad=True) for x in xs]
    out32 = f(*leaves32)
    if case.keeps_dtype:
        assert out32.dtype == np.float32, f"{case.name} upcast float32 to {out32.dtype}"
    out32.backward(upstream.astype(out32.dtype))
    for leaf32, leaf in zip(leaves32, leaves):
        assert leaf32.grad.dtype == np.float32 and leaf32.grad.shape == leaf.shape
        scale = 1.0 + float(np.max(np.abs(leaf.grad.data), initial=0.0))
        np.testing.assert_allclose(leaf32.grad.data, leaf.grad.data, rtol=2e-3, atol=2e-3 * scale)

    if case.smooth:
        _second_order(f, xs, upstream, rng, case.eps)


@pytest.mark.parametrize("name", sorted(NO_GRAD))
@given(data=st.data())
def test_non_differentiable_ops_do_not_require_grad(name: str, data: Any) -> None:
    call, reference, arity = NO_GRAD[name]
    xs = data.draw(each(*[grid()] * arity, min_side=1).map(lambda a: a[0]), label="inputs")
    xs = tuple(x if x.ndim else x.reshape(1) for x in xs)  # argmin and friends on 1-D and up
    leaves = [Tensor(x, requires_grad=True) for x in xs]
    out = call(*leaves)
    assert isinstance(out, Tensor)
    assert not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(out.data, reference(*xs))


def _own_registry() -> set:
    """The op names autograd_core itself registers (other packages, e.g. nn, add their own)."""
    code = (
        "import importlib.util, json, autograd_core\n"
        "if importlib.util.find_spec('scipy'): import autograd_core.scipy  # its rules have rows too\n"
        "print(json.dumps(sorted(autograd_core.REGISTRY)))"
    )
    names = json.loads(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )
    return {n for n in names if not n.startswith("Function:")}


def test_table_covers_every_registered_op() -> None:
    registered = _own_registry()
    differentiable = {n for n in registered if R[n].differentiable}
    tested = {r.op for r in ROWS if r.op is not None}
    assert tested <= differentiable, f"rows name unknown or non-differentiable ops: {tested - differentiable}"
    assert differentiable - tested == set(), (
        f"differentiable ops without a gradient row: {differentiable - tested}"
    )
    non_diff = registered - differentiable
    assert non_diff == set(NO_GRAD), f"non-differentiable ops without a row: {non_diff - set(NO_GRAD)}"
