"""Rows for ``ops/math.py``: numpy's elementwise math (one line per op; domains avoid the singular points)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag
from autograd_core.testing import shapes
from tests.autograd_core.numpy_recipes import recipe
from tests.autograd_core.op_table_kit import ANY, EVEN, NONZERO, ODD, POS, dom, each, one, row

INSIDE = dom(-0.9, 0.9)  # arcsin, arccos, arctanh: away from the infinite slopes at ±1


@st.composite
def _mod_inputs(draw, divisor=None):
    """x = (k + f) * y with f in [0.1, 0.9]: x / y stays away from the integers, where mod jumps."""
    shape = draw(shapes(max_dims=2, max_side=3))
    k = draw(hnp.arrays(np.float64, shape, elements=st.integers(-3, 2).map(float)))
    f = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.1, 0.9)))
    if divisor is not None:
        return ((k + f) * divisor,), {}
    y = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.5, 2.0))) * np.where(k % 2 == 0, 1.0, -1.0)
    return ((k + f) * y, y), {}


ROWS = [
    row("arcsin", ag.arcsin, one(INSIDE), "arcsin"),
    row("arccos", ag.arccos, one(INSIDE), "arccos"),
    row("arctan", ag.arctan, one(), "arctan"),
    row("arcsinh", ag.arcsinh, one(), "arcsinh"),
    row("arccosh", ag.arccosh, one(dom(1.1, 4.0)), "arccosh"),
    row("arctanh", ag.arctanh, one(INSIDE), "arctanh"),
    row("sinh", ag.sinh, one(), "sinh"),
    row("cosh", ag.cosh, one(), "cosh"),
    row("exp2", ag.exp2, one(), "exp2"),
    row("log2", ag.log2, one(POS), "log2"),
    row("log10", ag.log10, one(POS), "log10"),
    row("sinc", ag.sinc, one(), "sinc"),
    row("sinc_near_zero_series", ag.sinc, one(dom(-0.03, 0.03)), "sinc"),
    row("arctan2", ag.arctan2, each(NONZERO, NONZERO), "arctan2"),  # y != 0: away from the branch cut
    row("hypot", ag.hypot, each(NONZERO, ANY), "hypot"),
    row("logaddexp", ag.logaddexp, each(ANY, ANY), "logaddexp"),
    row("logaddexp2", ag.logaddexp2, each(ANY, ANY), "logaddexp2"),
    row("mod", ag.mod, _mod_inputs(), "mod"),
    row("mod_operator_scalar", lambda x: x % 1.5, _mod_inputs(1.5), "mod"),
    row("remainder_tensor_operator", lambda x, y: x % y, _mod_inputs(), "mod"),
    row("absolute", ag.absolute, one(NONZERO)),
    row("fabs", ag.fabs, one(NONZERO)),
    row("deg2rad", ag.deg2rad, one()),
    row("radians", ag.radians, one()),
    row("rad2deg", ag.rad2deg, one()),
    row("degrees", ag.degrees, one()),
    row("square", ag.square, one()),
    row("reciprocal", ag.reciprocal, one(NONZERO)),
    row("fmax", ag.fmax, each(ODD, EVEN)),
    row("fmin", ag.fmin, each(ODD, EVEN)),
    row("nan_to_num", ag.nan_to_num, one(), "nan_to_num"),
    row("real", ag.real, one()),
    row("imag", lambda x: ag.imag(x) + x, one()),
    row("conj", ag.conj, one()),
    row("conjugate_method", lambda x: x.conjugate(), one()),
    row("angle", lambda x: ag.angle(x, deg=True) * x, one(NONZERO)),  # 0 or 180: locally constant
    row("real_if_close", ag.real_if_close, one()),
]

# name -> (call on Tensors, numpy reference, number of inputs)
NO_GRAD = {
    "floor_divide": (lambda x, y: x // (abs(y) + 1.0), lambda x, y: x // (np.abs(y) + 1.0), 2),
    "isclose": (lambda x, y: ag.isclose(x, y, atol=0.1), lambda x, y: np.isclose(x, y, atol=0.1), 2),
}

# numpy's own names on Tensors (``test_numpy_dispatch``): one recipe per dispatch table entry.
NUMPY_RECIPES = [
    recipe(np.arcsin, lambda x: np.arcsin(x), one(INSIDE)),
    recipe(np.arccos, lambda x: np.arccos(x), one(INSIDE)),
    recipe(np.arctan, lambda x: np.arctan(x)),
    recipe(np.arcsinh, lambda x: np.arcsinh(x)),
    recipe(np.arccosh, lambda x: np.arccosh(x), one(dom(1.1, 4.0))),
    recipe(np.arctanh, lambda x: np.arctanh(x), one(INSIDE)),
    recipe(np.sinh, lambda x: np.sinh(x)),
    recipe(np.cosh, lambda x: np.cosh(x)),
    recipe(np.exp2, lambda x: np.exp2(x)),
    recipe(np.log2, lambda x: np.log2(x), one(POS)),
    recipe(np.log10, lambda x: np.log10(x), one(POS)),
    recipe(np.sinc, lambda x: np.sinc(x)),
    recipe(np.arctan2, lambda y, x: np.arctan2(y, x), each(NONZERO, NONZERO)),
    recipe(np.hypot, lambda x, y: np.hypot(x, y), each(NONZERO, ANY)),
    recipe(np.logaddexp, lambda x, y: np.logaddexp(x, y), each(ANY, ANY)),
    recipe(np.logaddexp2, lambda x, y: np.logaddexp2(x, y), each(ANY, ANY)),
    recipe(np.remainder, lambda x, y: np.mod(x, y), _mod_inputs()),
    recipe(np.deg2rad, lambda x: np.deg2rad(x)),
    recipe(np.radians, lambda x: np.radians(x)),
    recipe(np.rad2deg, lambda x: np.rad2deg(x)),
    recipe(np.degrees, lambda x: np.degrees(x)),
    recipe(np.square, lambda x: np.square(x)),
    recipe(np.reciprocal, lambda x: np.reciprocal(x), one(NONZERO)),
    recipe(np.fmax, lambda x, y: np.fmax(x, y), each(ODD, EVEN)),
    recipe(np.fmin, lambda x, y: np.fmin(x, y), each(ODD, EVEN)),
    recipe(np.nan_to_num, lambda x: np.nan_to_num(x)),
    recipe(np.real, lambda x: np.real(x)),
    recipe(np.imag, lambda x: np.imag(x)),
    recipe(np.conjugate, lambda x: np.conj(x)),
    recipe(np.angle, lambda x: np.angle(x, deg=True), one(NONZERO)),
    recipe(np.real_if_close, lambda x: np.real_if_close(x)),
    recipe(np.floor_divide, lambda x, y: np.floor_divide(x, y), each(ANY, NONZERO), grad=False),
    recipe(np.isclose, lambda x, y: np.isclose(x, y, atol=0.1), each(ANY, ANY), grad=False),
]
