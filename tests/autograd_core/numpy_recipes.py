"""Recipes of the numpy dispatch test: how to call each entry of the dispatch table through numpy.

A recipe is one line: the table key (a numpy function or ufunc), a call written with ``np.``
(run once on ndarrays, which is the truth, and once on Tensors, which must dispatch), and the
inputs as in the op table (``op_table_kit``). ``test_numpy_dispatch`` runs the recipes listed
here and those of every module in ``tests/autograd_core/rows/`` that defines ``NUMPY_RECIPES``
(and ``NUMPY_NO_RECIPE = {np.func: "why"}`` for entries that return no array), so a group of
ops registered elsewhere adds its recipes next to its op rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np

from tests.autograd_core.op_table_kit import (
    ANY,
    DISTINCT,
    EVEN,
    KINK0,
    NONZERO,
    ODD,
    POS,
    _concat_inputs,
    dom,
    each,
    fixed,
    one,
)


@dataclass(frozen=True)
class Recipe:
    func: Any  # the dispatch table's key
    call: Callable[..., Any]  # call(*arrays, **kwargs), written with np.<func>
    inputs: Any  # strategy of (float arrays, fixed kwargs), as in op_table_kit
    grad: bool = True  # False: the output must not require grad
    torch: Optional[Callable[..., Any]] = None  # torch_call(torch, *tensors, **kwargs), a cross-check
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or getattr(self.func, "__name__", repr(self.func))


def recipe(func: Any, call: Callable, inputs: Any = None, name: str = "", **options: Any) -> Recipe:
    return Recipe(func, call, one() if inputs is None else inputs, name=name, **options)


RECIPES = [
    # ufuncs, called ----------------------------------------------------------------------------
    recipe(np.add, lambda x, y: np.add(x, y), each(ANY, ANY), torch=lambda t, x, y: t.add(x, y)),
    recipe(np.add, lambda x: np.ones(x.shape) + x, name="ndarray+Tensor"),
    recipe(np.subtract, lambda x, y: np.subtract(x, y), each(ANY, ANY)),
    recipe(np.subtract, lambda x: np.full(x.shape, 2.0) - x, name="ndarray-Tensor"),
    recipe(np.multiply, lambda x, y: np.multiply(x, y), each(ANY, ANY), torch=lambda t, x, y: x * y),
    recipe(np.multiply, lambda x: np.float64(0.5) * x, name="float64*Tensor"),
    recipe(np.true_divide, lambda x, y: np.divide(x, y), each(ANY, NONZERO)),
    recipe(np.true_divide, lambda x: np.full(x.shape, 2.0) / x, one(NONZERO), name="ndarray/Tensor"),
    recipe(np.negative, lambda x: np.negative(x)),
    recipe(np.power, lambda x, y: np.power(x, y), each(POS, dom(-2.0, 2.0))),
    recipe(np.power, lambda x: np.full(x.shape, 1.5) ** x, name="ndarray**Tensor"),
    recipe(np.maximum, lambda x, y: np.maximum(x, y), each(ODD, EVEN)),
    recipe(np.minimum, lambda x, y: np.minimum(x, y), each(ODD, EVEN)),
    recipe(np.exp, lambda x: np.exp(x), torch=lambda t, x: t.exp(x)),
    recipe(np.log, lambda x: np.log(x), one(POS), torch=lambda t, x: t.log(x)),
    recipe(np.log1p, lambda x: np.log1p(x), one(dom(-0.8, 3.0))),
    recipe(np.expm1, lambda x: np.expm1(x)),
    recipe(np.sqrt, lambda x: np.sqrt(x), one(POS), torch=lambda t, x: t.sqrt(x)),
    recipe(np.sin, lambda x: np.sin(x), torch=lambda t, x: t.sin(x)),
    recipe(np.cos, lambda x: np.cos(x)),
    recipe(np.tan, lambda x: np.tan(x), one(dom(-1.2, 1.2))),
    recipe(np.tanh, lambda x: np.tanh(x), torch=lambda t, x: t.tanh(x)),
    recipe(np.absolute, lambda x: np.abs(x), one(KINK0), torch=lambda t, x: t.abs(x)),
    recipe(np.fabs, lambda x: np.fabs(x), one(KINK0)),
    recipe(np.sign, lambda x: np.sign(x), one(KINK0)),
    recipe(np.matmul, lambda x, y: np.matmul(x, y), fixed((2, 3), (3, 4)), torch=lambda t, x, y: x @ y),
    recipe(np.matmul, lambda x: np.ones((2, 3)) @ x, fixed((3,)), name="ndarray@Tensor"),
    recipe(np.floor, lambda x: np.floor(x), grad=False),
    recipe(np.ceil, lambda x: np.ceil(x), grad=False),
    recipe(np.rint, lambda x: np.rint(x), grad=False),
    recipe(np.isnan, lambda x: np.isnan(x), grad=False),
    recipe(np.isfinite, lambda x: np.isfinite(x), grad=False),
    recipe(np.equal, lambda x, y: np.equal(x, y), each(ANY, ANY), grad=False),
    recipe(np.not_equal, lambda x, y: x != y, each(ANY, ANY), grad=False),
    recipe(np.less, lambda x: np.zeros(x.shape) < x, grad=False, name="ndarray<Tensor"),
    recipe(np.less_equal, lambda x, y: np.less_equal(x, y), each(ANY, ANY), grad=False),
    recipe(np.greater, lambda x, y: np.greater(x, y), each(ANY, ANY), grad=False),
    recipe(np.greater_equal, lambda x, y: np.greater_equal(x, y), each(ANY, ANY), grad=False),
    recipe(np.logical_and, lambda x, y: np.logical_and(x > 0, y > 0), each(ANY, ANY), grad=False),
    recipe(np.logical_or, lambda x, y: np.logical_or(x > 0, y > 0), each(ANY, ANY), grad=False),
    recipe(np.logical_not, lambda x: np.logical_not(x > 0), grad=False),
    # ufunc methods: reduce and accumulate -------------------------------------------------------
    recipe(np.add, lambda x: np.add.reduce(x, axis=1), one(min_dims=2), name="add.reduce"),
    recipe(np.add, lambda x: np.add.reduce(x), one(min_dims=1), name="add.reduce_default_axis"),
    recipe(np.multiply, lambda x: np.multiply.reduce(x, axis=0), one(min_dims=1), name="multiply.reduce"),
    recipe(
        np.maximum,
        lambda x: np.maximum.reduce(x, axis=-1, keepdims=True),
        one(DISTINCT, min_dims=1),
        name="maximum.reduce",
    ),
    recipe(
        np.minimum, lambda x: np.minimum.reduce(x, axis=0), one(DISTINCT, min_dims=1), name="minimum.reduce"
    ),
    recipe(np.add, lambda x: np.add.accumulate(x, axis=0), one(min_dims=1), name="add.accumulate"),
    # reductions ------------------------------------------------------------------------------
    recipe(np.sum, lambda x: np.sum(x), torch=lambda t, x: x.sum()),
    recipe(
        np.sum,
        lambda x: np.sum(x, axis=(0, -1), keepdims=True, dtype=None, out=None),
        one(min_dims=2),
        name="sum_axes_keepdims",
    ),
    recipe(np.mean, lambda x: np.mean(x, axis=0), one(min_dims=1), torch=lambda t, x: x.mean(0)),
    recipe(np.prod, lambda x: np.prod(x, axis=-1), one(min_dims=1)),
    recipe(np.max, lambda x: np.max(x, axis=0), one(DISTINCT, min_dims=1)),
    recipe(np.amax, lambda x: np.amax(x, keepdims=True), one(DISTINCT)),
    recipe(np.min, lambda x: np.min(x), one(DISTINCT)),
    recipe(np.amin, lambda x: np.amin(x, axis=-1), one(DISTINCT, min_dims=1)),
    recipe(
        np.var, lambda x: np.var(x, axis=0, ddof=1), one(min_dims=1, min_side=2), torch=lambda t, x: x.var(0)
    ),
    recipe(np.var, lambda x: np.var(x, correction=1), one(min_dims=1, min_side=2), name="var_correction"),
    recipe(np.std, lambda x: np.std(x, axis=-1, keepdims=True), one(DISTINCT, min_dims=1, min_side=2)),
    recipe(np.cumsum, lambda x: np.cumsum(x, axis=0), one(min_dims=1), torch=lambda t, x: x.cumsum(0)),
    recipe(np.cumsum, lambda x: np.cumsum(x), name="cumsum_flat"),
    recipe(np.argmax, lambda x: np.argmax(x, axis=0), one(DISTINCT, min_dims=1), grad=False),
    recipe(np.argmin, lambda x: np.argmin(x), one(DISTINCT), grad=False),
    recipe(
        np.linalg.norm,
        lambda x: np.linalg.norm(x),
        one(NONZERO, min_dims=1),
        torch=lambda t, x: t.linalg.norm(x),
    ),
    recipe(
        np.linalg.norm,
        lambda x: np.linalg.norm(x, ord=1, axis=0),
        one(KINK0, min_dims=2, max_dims=2),
        name="norm_ord1_axis",
    ),
    # products ------------------------------------------------------------------------------------
    recipe(np.dot, lambda x, y: np.dot(x, y), fixed((2, 3), (3,)), torch=lambda t, x, y: x @ y),
    recipe(np.dot, lambda x, y: np.dot(x, y), fixed((), (3,)), name="dot_scalar"),
    recipe(
        np.outer,
        lambda x, y: np.outer(x, y),
        fixed((3,), (2, 2)),
        torch=lambda t, x, y: t.outer(x, y.reshape(-1)),
    ),
    recipe(np.einsum, lambda x, y: np.einsum("ij,jk->ik", x, y, optimize=True), fixed((2, 3), (3, 2))),
    # selection -----------------------------------------------------------------------------------
    recipe(np.where, lambda x, y: np.where(x > 0, x, y), each(NONZERO, ANY)),
    recipe(np.where, lambda x: np.where(x > 0, x, 0.0), one(NONZERO), name="where_scalar"),
    recipe(np.clip, lambda x: np.clip(x, -1.0, 1.0), one(dom(exclude=[(-1.01, -0.99), (0.99, 1.01)]))),
    recipe(np.clip, lambda x: np.clip(x, min=0.5), one(dom(exclude=(0.49, 0.51))), name="clip_min_keyword"),
    # shapes -------------------------------------------------------------------------------------
    recipe(np.concatenate, lambda *xs: np.concatenate(xs, axis=1), _concat_inputs(1)),
    recipe(
        np.concatenate,
        lambda x: np.concatenate([x, np.ones((1,) + x.shape[1:])]),
        one(min_dims=1),
        name="concatenate_with_ndarray",
    ),
    recipe(
        np.concatenate,
        lambda x, y: np.concatenate((x, y), axis=None),
        fixed((2, 2), (3,)),
        name="concatenate_axis_none",
    ),
    recipe(np.stack, lambda x, y: np.stack([x, y], axis=-1), fixed((2, 3), (2, 3))),
    recipe(np.reshape, lambda x: np.reshape(x, (-1,)), torch=lambda t, x: x.reshape(-1)),
    recipe(np.reshape, lambda x: np.reshape(x, shape=x.shape[::-1]), name="reshape_keyword"),
    recipe(np.ravel, lambda x: np.ravel(x)),
    recipe(np.transpose, lambda x: np.transpose(x)),
    recipe(np.transpose, lambda x: np.transpose(x, axes=[1, 2, 0]), one(min_dims=3), name="transpose_axes"),
    recipe(np.swapaxes, lambda x: np.swapaxes(x, 0, -1), one(min_dims=1)),
    recipe(np.squeeze, lambda x: np.squeeze(x, axis=(0, 2)), fixed((1, 3, 1))),
    recipe(np.expand_dims, lambda x: np.expand_dims(x, axis=(0, -1))),
    recipe(np.broadcast_to, lambda x: np.broadcast_to(x, (2, 3)), fixed((3,))),
    recipe(np.pad, lambda x: np.pad(x, ((1, 0), (0, 2)), constant_values=1.5), fixed((2, 3))),
    recipe(np.take, lambda x: np.take(x, [0, 5, 0, 3]), fixed((2, 3))),
    recipe(
        np.take_along_axis, lambda x: np.take_along_axis(x, np.array([[0, 2], [1, 1]]), axis=1), fixed((2, 3))
    ),
    recipe(np.split, lambda x: np.split(x, 2, axis=1), fixed((3, 4))),
    recipe(np.round, lambda x: np.round(x), grad=False),
    recipe(np.around, lambda x: np.around(x), grad=False),
    recipe(np.astype, lambda x: np.astype(x, np.float64) * 2.0),
    recipe(np.copy, lambda x: np.copy(x)),
    recipe(np.zeros_like, lambda x: np.zeros_like(x), grad=False),
    recipe(np.ones_like, lambda x: np.ones_like(x), grad=False),
    recipe(np.full_like, lambda x: np.full_like(x, 2.5), grad=False),
]

# Entries that return no array (metadata): checked in test_metadata_functions instead.
NO_RECIPE = {
    np.shape: "metadata",
    np.ndim: "metadata",
    np.size: "metadata",
    np.result_type: "metadata",
    np.iscomplexobj: "metadata",
    np.isrealobj: "metadata",
    np.empty_like: "uninitialised values: only the shape and dtype are checked",
}
