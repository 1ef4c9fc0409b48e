"""Rows for ``ops/arrays.py`` and ``ops/products.py``: shapes, stacking, sorting, differences, products."""

from __future__ import annotations

import numpy as np

import autograd_core as ag
from tests.autograd_core.numpy_recipes import recipe
from tests.autograd_core.op_table_kit import DISTINCT, NONZERO, ODD, _with_zeros, fixed, one, row

MASK = np.array([[True, False, True], [False, False, False]])


def _weighted(pieces):
    """Pieces of a split, scaled differently and joined: each piece's gradient is checked."""
    return ag.concatenate([ag.ravel(p) * (i + 1.0) for i, p in enumerate(pieces)])


def _sorted_in_place(x):
    y = x * 1.0
    y.sort(axis=0)
    return y


ROWS = [
    # axes and order
    row("moveaxis", lambda x: ag.moveaxis(x, 0, -1), one(min_dims=1)),
    row("moveaxis_many", lambda x: ag.moveaxis(x, [0, 1], [-1, 0]), fixed((2, 3, 4))),
    row("rollaxis", lambda x: ag.rollaxis(x, 2), fixed((2, 3, 4))),
    row("ravel", ag.ravel, one()),
    row("ravel_method_fortran", lambda x: x.ravel("F"), one(min_dims=2)),
    row("atleast_1d", ag.atleast_1d, one(max_dims=1)),
    row("atleast_2d", ag.atleast_2d, one(max_dims=2)),
    row("atleast_3d", ag.atleast_3d, one(max_dims=3)),
    row("flip", ag.flip, one()),
    row("flip_axes", lambda x: ag.flip(x, (0, -1)), one(min_dims=2)),
    row("fliplr", ag.fliplr, one(min_dims=2)),
    row("flipud", ag.flipud, one(min_dims=1)),
    row("rot90", ag.rot90, fixed((2, 3))),
    row("rot90_k2", lambda x: ag.rot90(x, 2), fixed((2, 3))),
    row("rot90_k3_axes", lambda x: ag.rot90(x, 3, (2, 0)), fixed((2, 3, 4))),
    row("roll", lambda x: ag.roll(x, 2), one()),
    row("roll_axes", lambda x: ag.roll(x, (1, -1), (0, 1)), fixed((3, 4))),
    row("sort", ag.sort, one(DISTINCT, min_dims=1)),
    row("sort_axis0", lambda x: ag.sort(x, axis=0), one(DISTINCT, min_dims=2)),
    row("sort_flattened", lambda x: ag.sort(x, axis=None), one(DISTINCT)),
    row("sort_method_in_place", _sorted_in_place, one(DISTINCT, min_dims=1)),
    row("partition", lambda x: ag.partition(x, 1), fixed((2, 4), domains=(DISTINCT,))),
    row(
        "partition_axis0_kths", lambda x: ag.partition(x, [0, 2], axis=0), fixed((4, 2), domains=(DISTINCT,))
    ),
    # repetition, joining, splitting
    row("tile", lambda x: ag.tile(x, (2, 1, 3)), one(max_dims=2)),
    row("tile_int", lambda x: ag.tile(x, 2), one(max_dims=2)),
    row("repeat", lambda x: ag.repeat(x, 2), one()),
    row("repeat_method_axis", lambda x: x.repeat([1, 0, 2], axis=1), fixed((2, 3))),
    row("append", ag.append, fixed((2, 3), (4,))),
    row("append_axis", lambda x, v: ag.append(x, v, axis=1), fixed((2, 3), (2, 2))),
    row("hstack", lambda x, y: ag.hstack([x, y]), fixed((2, 3), (2, 1))),
    row("hstack_1d", lambda x, y: ag.hstack((x, y)), fixed((3,), (2,))),
    row("vstack", lambda x, y: ag.vstack([x, y]), fixed((3,), (2, 3))),
    row("row_stack", lambda x, y: ag.row_stack([x, y]), fixed((2, 2), (1, 2))),
    row("column_stack", lambda x, y: ag.column_stack([x, y]), fixed((3,), (3, 2))),
    row("dstack", lambda x, y: ag.dstack([x, y]), fixed((2, 3), (2, 3, 2))),
    row("r_", lambda x, y: ag.r_[x, 0.5, y, 1:3], fixed((2,), (3,)), keeps_dtype=False),  # numpy upcasts too
    row("r_directive", lambda x, y: ag.r_["1", x, y], fixed((2, 2), (2, 3))),
    row("c_", lambda x, y: ag.c_[x, y], fixed((3,), (3, 2))),
    row("array_split", lambda x: _weighted(ag.array_split(x, 3)), fixed((7,))),
    row("array_split_indices_axis", lambda x: _weighted(ag.array_split(x, [1, 5], axis=1)), fixed((2, 4))),
    row("hsplit", lambda x: _weighted(ag.hsplit(x, 2)), fixed((2, 4))),
    row("vsplit", lambda x: _weighted(ag.vsplit(x, [1])), fixed((3, 2))),
    row("dsplit", lambda x: _weighted(ag.dsplit(x, 2)), fixed((1, 2, 4))),
    # diagonals, triangles, selection
    row("diag_vector", lambda v: ag.diag(v, 1), fixed((3,))),
    row("diag_matrix", lambda m: ag.diag(m, -1), fixed((3, 4))),
    row("diagonal", lambda x: x.diagonal(), fixed((3, 4))),
    row("diagonal_offset_axes", lambda x: ag.diagonal(x, -1, 2, 0), fixed((3, 2, 4))),
    row("trace", ag.trace, fixed((3, 3))),
    row("trace_method_offset_axes", lambda x: x.trace(1, 1, 2), fixed((2, 3, 4))),
    row("tril", ag.tril, one(min_dims=2)),
    row("triu_k", lambda x: ag.triu(x, 1), fixed((2, 3, 4))),
    row(
        "select",
        lambda x, y: ag.select([x.data > 0, x.data < -1], [x, y], 0.5),
        fixed((3, 4), (3, 4), domains=(ODD, ODD)),
    ),
    row("amax", lambda x: ag.amax(x, axis=0), one(DISTINCT, min_dims=1)),
    row(
        "amin_initial_where",
        lambda x: ag.amin(x, axis=-1, initial=5.0, where=MASK),
        fixed((2, 3), domains=(DISTINCT,)),
    ),
    row("amax_keepdims", lambda x: ag.amax(x, axis=(0, 1), keepdims=True), one(DISTINCT, min_dims=2)),
    # differences
    row("diff", ag.diff, one(min_dims=1)),
    row("diff_n2_axis0", lambda x: ag.diff(x, n=2, axis=0), fixed((4, 3))),
    row(
        "diff_prepend_append",
        lambda x, p: ag.diff(x, prepend=p, append=0.5),
        fixed((2, 3), (2, 1)),
        keeps_dtype=False,
    ),
    row("gradient", ag.gradient, fixed((5,))),
    row(
        "gradient_2d_spacing_edge2", lambda x: ag.stack(ag.gradient(x, 0.5, 2.0, edge_order=2)), fixed((3, 4))
    ),
    row("gradient_coordinates", lambda x: ag.gradient(x, np.array([0.0, 0.5, 1.5, 1.7, 3.0])), fixed((5,))),
    row(
        "gradient_coordinates_edge2_axis",
        lambda x: ag.gradient(x, [0.0, 1.0, 3.0], axis=1, edge_order=2),
        fixed((2, 3)),
    ),
    # constructors with Tensor values
    row("linspace", lambda a, b: ag.linspace(a, b, 5), fixed((), ())),
    row(
        "linspace_arrays_axis",
        lambda a, b: ag.linspace(a, b, 4, endpoint=False, axis=-1),
        fixed((2,), (3, 1)),
    ),
    row("full", lambda v: ag.full((2, 3), v), fixed(())),
    row("full_like", lambda x, v: ag.full_like(x, v) * x, fixed((2, 3), (3,))),
    # products
    row("cumprod", ag.cumprod, one(NONZERO, max_side=3), "cumprod"),
    row("cumprod_method_axis", lambda x: x.cumprod(axis=-1), one(NONZERO, min_dims=1), "cumprod"),
    row("cumprod_with_zeros", lambda x: ag.cumprod(x, axis=1), _with_zeros((2, 3)), "cumprod"),
    row("cross", ag.cross, fixed((3,), (3,))),
    row("cross_batched_axes", lambda a, b: ag.cross(a, b, axisa=0, axisb=-1, axisc=0), fixed((3, 2), (2, 3))),
    row("cross_2d_vectors", ag.cross, fixed((2,), (2,))),
    row("cross_2_and_3", ag.cross, fixed((4, 2), (3,))),
    row("cross_3_and_2", ag.cross, fixed((3,), (2,))),
    row("inner", ag.inner, fixed((2, 3), (4, 3))),
    row("tensordot", ag.tensordot, fixed((2, 3, 4), (3, 4, 2))),
    row(
        "tensordot_axes_lists", lambda a, b: ag.tensordot(a, b, ([0, 2], [2, 0])), fixed((2, 3, 4), (4, 5, 2))
    ),
    row("tensordot_outer", lambda a, b: ag.tensordot(a, b, 0), fixed((2,), (3,))),
    row("kron", ag.kron, fixed((2, 3), (2, 2))),
    row("kron_mixed_ndim", ag.kron, fixed((3,), (2, 2))),
    row("dot_nd", ag.dot, fixed((2, 2, 3), (4, 3, 2))),
    row("dot_nd_vector", ag.dot, fixed((2, 2, 3), (3,))),
]

NO_GRAD = {
    "argsort": (lambda x: ag.argsort(x, kind="stable"), lambda x: np.argsort(x, kind="stable"), 1),
    "searchsorted": (
        lambda a, v: ag.searchsorted(ag.sort(a, axis=None), v, side="right"),
        lambda a, v: np.searchsorted(np.sort(a, axis=None), v, side="right"),
        2,
    ),
    "nonzero": (lambda x: ag.stack(ag.nonzero(x > 0)), lambda x: np.stack(np.nonzero(x > 0)), 1),
    "unique": (ag.unique, np.unique, 1),
    "unique_part": (
        lambda x: ag.unique(x, return_counts=True)[1],
        lambda x: np.unique(x, return_counts=True)[1],
        1,
    ),
    "argpartition": (
        lambda x: ag.argpartition(ag.ravel(x), 0),
        lambda x: np.argpartition(np.ravel(x), 0),
        1,
    ),
}

# numpy's own names on Tensors (``test_numpy_dispatch``): one recipe per dispatch table entry.
NUMPY_RECIPES = [
    recipe(np.moveaxis, lambda x: np.moveaxis(x, [0, 1], [-1, 0]), fixed((2, 3, 4))),
    recipe(np.rollaxis, lambda x: np.rollaxis(x, 2), fixed((2, 3, 4))),
    recipe(np.ravel, lambda x: np.ravel(x, "F"), one(min_dims=2), name="ravel_F"),
    recipe(np.atleast_1d, lambda x: np.atleast_1d(x), one(max_dims=1)),
    recipe(np.atleast_2d, lambda x, y: np.atleast_2d(x, y), fixed((), (3,))),
    recipe(np.atleast_3d, lambda x: np.atleast_3d(x), one(max_dims=3)),
    recipe(np.flip, lambda x: np.flip(x, (0, -1)), one(min_dims=2)),
    recipe(np.fliplr, lambda x: np.fliplr(x), one(min_dims=2)),
    recipe(np.flipud, lambda x: np.flipud(x), one(min_dims=1)),
    recipe(np.rot90, lambda x: np.rot90(x, 3, (2, 0)), fixed((2, 3, 4))),
    recipe(np.roll, lambda x: np.roll(x, (1, -1), (0, 1)), fixed((3, 4))),
    recipe(np.sort, lambda x: np.sort(x, axis=0), one(DISTINCT, min_dims=2)),
    recipe(np.partition, lambda x: np.partition(x, 1), fixed((2, 4), domains=(DISTINCT,))),
    recipe(np.tile, lambda x: np.tile(x, (2, 1, 3)), one(max_dims=2)),
    recipe(np.repeat, lambda x: np.repeat(x, [1, 0, 2], axis=1), fixed((2, 3))),
    recipe(np.append, lambda x, v: np.append(x, v, axis=1), fixed((2, 3), (2, 2))),
    recipe(np.hstack, lambda x, y: np.hstack([x, y]), fixed((2, 3), (2, 1))),
    recipe(np.vstack, lambda x, y: np.vstack([x, y]), fixed((3,), (2, 3))),
    recipe(np.row_stack, lambda x, y: np.vstack((x, y)), fixed((2, 2), (1, 2))),
    recipe(np.dstack, lambda x, y: np.dstack([x, y]), fixed((2, 3), (2, 3, 2))),
    recipe(np.column_stack, lambda x, y: np.column_stack([x, y]), fixed((3,), (3, 2))),
    recipe(np.array_split, lambda x: np.array_split(x, 3), fixed((7,))),
    recipe(np.hsplit, lambda x: np.hsplit(x, 2), fixed((2, 4))),
    recipe(np.vsplit, lambda x: np.vsplit(x, [1]), fixed((3, 2))),
    recipe(np.dsplit, lambda x: np.dsplit(x, 2), fixed((1, 2, 4))),
    recipe(
        np.select,
        lambda x, y: np.select([x > 0, y < -1], [x, y], 0.5),
        fixed((3, 4), (3, 4), domains=(ODD, ODD)),
    ),
    recipe(np.diff, lambda x: np.diff(x, n=2, axis=0), fixed((4, 3))),
    recipe(np.gradient, lambda x: np.gradient(x, 0.5, [0.0, 1.0, 3.0], edge_order=2), fixed((3, 3))),
    recipe(np.diagonal, lambda x: np.diagonal(x, -1, 2, 0), fixed((3, 2, 4))),
    recipe(np.diag, lambda v: np.diag(v, 1), fixed((3,))),
    recipe(np.trace, lambda x: np.trace(x, 1, 1, 2), fixed((2, 3, 4))),
    recipe(np.tril, lambda x: np.tril(x, -1), one(min_dims=2)),
    recipe(np.triu, lambda x: np.triu(x, 1), fixed((2, 3, 4))),
    recipe(np.amax, lambda x: np.amax(x, axis=0), one(DISTINCT, min_dims=1)),
    recipe(
        np.amin, lambda x: np.amin(x, axis=-1, initial=5.0, where=MASK), fixed((2, 3), domains=(DISTINCT,))
    ),
    recipe(
        np.max,
        lambda x: np.max(x, axis=1, initial=-5.0),
        fixed((2, 3), domains=(DISTINCT,)),
        name="max_initial",
    ),
    recipe(np.linspace, lambda a, b: np.linspace(a, b, 4, endpoint=False, axis=-1), fixed((2,), (3, 1))),
    recipe(np.full_like, lambda x, v: np.full_like(x, v), fixed((2, 3), (3,)), name="full_like_tensor_fill"),
    recipe(np.cumprod, lambda x: np.cumprod(x, axis=-1), one(NONZERO, min_dims=1)),
    recipe(np.tensordot, lambda a, b: np.tensordot(a, b, ([0, 2], [2, 0])), fixed((2, 3, 4), (4, 5, 2))),
    recipe(np.inner, lambda a, b: np.inner(a, b), fixed((2, 3), (4, 3))),
    recipe(np.kron, lambda a, b: np.kron(a, b), fixed((3,), (2, 2))),
    recipe(np.cross, lambda a, b: np.cross(a, b, axisa=0, axisb=-1, axisc=0), fixed((3, 2), (2, 3))),
    recipe(np.dot, lambda a, b: np.dot(a, b), fixed((2, 2, 3), (4, 3, 2)), name="dot_nd"),
    recipe(np.argsort, lambda x: np.argsort(x, axis=0, kind="stable"), one(min_dims=1), grad=False),
    recipe(np.argpartition, lambda x: np.argpartition(x, 0), one(min_dims=1), grad=False),
    recipe(np.searchsorted, lambda a, v: np.searchsorted(np.sort(a), v), fixed((4,), (2, 3)), grad=False),
    recipe(np.nonzero, lambda x: np.nonzero(x > 0), fixed((3, 4)), grad=False),
    recipe(np.unique, lambda x: np.unique(np.round(x), return_counts=True), fixed((3, 4)), grad=False),
]
