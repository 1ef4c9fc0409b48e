"""Arithmetic, comparison and selection primitives: the derivative sheet.

Kink conventions (tested): ties in maximum/minimum split the gradient evenly;
``where`` routes the gradient to the branch taken and never mixes in the other branch.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from .._primitive import Primitive


def _winner_vjp(beats: Any, first: bool):
    """The rule of maximum (beats = >) or minimum (beats = <) for one argument: the
    gradient goes to the winner, and a tie sends half to each side."""

    def rule(g: Any, ans: Any, x: Any, y: Any) -> Any:
        win = beats(x, y) if first else beats(y, x)
        return where(win, g, where(x == y, g * 0.5, 0))

    return rule


# -- the derivative sheet: forward, then d/d(arg0), d/d(arg1) --------------------------------
add = Primitive(
    "add",
    np.add,
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: g,
    elementwise=True,
    batchable=True,
    doc="x + y with broadcasting.\n\n>>> import autograd_core as ag\n"
    ">>> ag.add(ag.tensor([1.0]), 2.0).numpy()\narray([3.])",
)
sub = Primitive(
    "sub",
    np.subtract,
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: -g,
    elementwise=True,
    batchable=True,
    doc="x - y with broadcasting.\n\n>>> import autograd_core as ag\n"
    ">>> ag.sub(ag.tensor([1.0]), 2.0).numpy()\narray([-1.])",
)
mul = Primitive(
    "mul",
    np.multiply,
    lambda g, ans, x, y: g * y,
    lambda g, ans, x, y: g * x,
    elementwise=True,
    batchable=True,
    doc="x * y with broadcasting.\n\n>>> import autograd_core as ag\n"
    ">>> ag.mul(ag.tensor([3.0]), 2.0).numpy()\narray([6.])",
)
div = Primitive(
    "div",
    np.true_divide,
    lambda g, ans, x, y: g / y,
    lambda g, ans, x, y: -g * ans / y,
    elementwise=True,
    batchable=True,
    doc="x / y (true division) with broadcasting.\n\n>>> import autograd_core as ag\n"
    ">>> ag.div(ag.tensor([3.0]), 2.0).numpy()\narray([1.5])",
)
neg = Primitive(
    "neg",
    np.negative,
    lambda g, ans, x: -g,
    elementwise=True,
    batchable=True,
    doc="-x.\n\n>>> import autograd_core as ag\n>>> ag.neg(ag.tensor([3.0])).numpy()\narray([-3.])",
)
maximum = Primitive(
    "maximum",
    np.maximum,
    _winner_vjp(operator.gt, True),
    _winner_vjp(operator.gt, False),
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="Elementwise max; a tie sends half the gradient to each side.\n\n"
    ">>> import autograd_core as ag\n>>> ag.maximum(ag.tensor([1.0, 5.0]), 2.0).numpy()\n"
    "array([2., 5.])",
)
minimum = Primitive(
    "minimum",
    np.minimum,
    _winner_vjp(operator.lt, True),
    _winner_vjp(operator.lt, False),
    elementwise=True,
    batchable=True,
    real_only=True,
    doc="Elementwise min; a tie sends half the gradient to each side.\n\n"
    ">>> import autograd_core as ag\n>>> ag.minimum(ag.tensor([1.0, 5.0]), 2.0).numpy()\n"
    "array([1., 2.])",
)


def _where_forward(cond: Any, x: Any, y: Any) -> Any:
    cond = np.asarray(cond)
    if cond.dtype != bool:
        raise TypeError(f"where: condition must be boolean, got dtype {cond.dtype}")
    return np.where(cond, x, y)


where = Primitive(
    "where",
    _where_forward,
    None,
    lambda g, ans, c, x, y: where(c, g, 0),
    lambda g, ans, c, x, y: where(c, 0, g),
    batchable=True,
    doc="Pick ``x`` where ``cond`` holds, else ``y``. The gradient of the branch not "
    "taken is exactly 0, but a NaN/inf *computed* in that branch still poisons "
    "the forward: use the double-where idiom, e.g. "
    "``where(x > 0, log(where(x > 0, x, 1)), 0)``.\n\n"
    ">>> import autograd_core as ag\n>>> x = ag.tensor([-1.0, 2.0])\n"
    ">>> ag.where(x > 0, x, 0.0).numpy()\narray([0., 2.])",
)


def _clip_mask_forward(x: Any, lo: Any, hi: Any) -> Any:
    mask = np.ones(np.shape(x), dtype=bool)
    if lo is not None:
        mask = mask & (x >= lo)  # not in place: a bound may broadcast x to a larger shape
    if hi is not None:
        mask = mask & (x <= hi)
    return mask


_clip_mask = Primitive("clip_mask", _clip_mask_forward)


def _clip_forward(x: Any, a_min: Any = None, a_max: Any = None) -> Any:
    if a_min is None and a_max is None:
        raise ValueError("clip: at least one of a_min and a_max must be given")
    return np.clip(x, a_min, a_max)


def _clip_dlo(g: Any, ans: Any, x: Any, a_min: Any = None, a_max: Any = None) -> Any:
    # the lower bound is the output where x < a_min, unless a_max < a_min (then a_max is: numpy's order)
    return where(x < a_min if a_max is None else logical_and(x < a_min, a_min <= a_max), g, 0)


def _clip_dhi(g: Any, ans: Any, x: Any, a_min: Any = None, a_max: Any = None) -> Any:
    return where(x > a_max if a_min is None else logical_or(x > a_max, a_min > a_max), g, 0)


# Kinks: at x == a_min or x == a_max the gradient goes to x, not to the bound.
clip = Primitive(
    "clip",
    _clip_forward,
    lambda g, ans, x, a_min=None, a_max=None: where(_clip_mask(x, a_min, a_max), g, 0),
    _clip_dlo,
    _clip_dhi,
    real_only=True,
    batchable=True,
    doc="Clamp to [a_min, a_max]; the gradient passes to x where a_min <= x <= a_max (as torch.clamp), "
    "else to the bound that is the output.\n\n"
    ">>> import autograd_core as ag\n>>> ag.clip(ag.tensor([-2.0, 0.5, 2.0]), -1, 1).numpy()\n"
    "array([-1. ,  0.5,  1. ])",
)

# -- non-differentiable: outputs never require grad -------------------------------------------
equal = Primitive("eq", np.equal, doc="x == y (no gradient).")
not_equal = Primitive("ne", np.not_equal, doc="x != y (no gradient).")
less = Primitive("lt", np.less, doc="x < y (no gradient).")
less_equal = Primitive("le", np.less_equal, doc="x <= y (no gradient).")
greater = Primitive("gt", np.greater, doc="x > y (no gradient).")
greater_equal = Primitive("ge", np.greater_equal, doc="x >= y (no gradient).")
logical_and = Primitive("logical_and", np.logical_and, doc="x and y (no gradient).")
logical_or = Primitive("logical_or", np.logical_or, doc="x or y (no gradient).")
logical_not = Primitive("logical_not", np.logical_not, doc="not x (no gradient).")
