"""Rows of complex arithmetic: real inputs x, y meet as z = x + iy inside, the output is real.

Every op that accepts complex input is run on complex values here, so the op table checks its
rule against finite differences (first and second order, float32 = complex64 too). Outputs
go through ``_proj(w) = Re(w (1 - 0.7i)) = Re w + 0.7 Im w`` so both parts of w are checked.
Direct complex inputs (gradcheck perturbing real and imaginary parts) and torch cross-checks
are in ``tests/autograd_core/test_complex.py``.
"""

from __future__ import annotations

from typing import Any, Callable

import autograd_core as ag
from tests.autograd_core.op_table_kit import ANY, DISTINCT, NONZERO, POS, dom, each, fixed, row

SMALL = dom(-1.0, 1.0)


def _z(x: Any, y: Any) -> Any:
    return x + 1j * y


def _proj(w: Any) -> Any:
    return ag.real(w * (1.0 - 0.7j))


def cx(fn: Callable[[Any], Any]) -> Callable[..., Any]:
    """The row function x, y -> _proj(fn(x + iy))."""
    return lambda x, y: _proj(fn(_z(x, y)))


def cx2(fn: Callable[[Any, Any], Any]) -> Callable[..., Any]:
    """The row function a, b, c, d -> _proj(fn(a + ib, c + id))."""
    return lambda a, b, c, d: _proj(fn(_z(a, b), _z(c, d)))


ROWS = [
    # the non-holomorphic primitives
    row("conj", cx(lambda z: ag.conj(z) * (1.5 - 0.5j)), each(ANY, ANY), "conj"),
    row("real_of_square", lambda x, y: ag.real(_z(x, y) * _z(x, y)), each(ANY, ANY), "real"),
    row("imag_of_cube", lambda x, y: ag.imag(_z(x, y) ** 3), each(ANY, ANY), "imag"),
    row("angle", lambda x, y: ag.angle(_z(x, y)), each(POS, ANY), "angle"),  # off the branch cut
    row("abs_complex", lambda x, y: ag.abs(_z(x, y)), each(NONZERO, ANY), "abs"),
    row("abs2_complex", lambda x, y: ag.abs2(_z(x, y) * (2.0 + 1.0j)), each(ANY, ANY)),
    # holomorphic elementwise ops
    row("complex_add_sub", cx2(lambda z, w: z + w - 2.0 * w), each(ANY, ANY, ANY, ANY), "sub"),
    row("complex_mul", cx2(lambda z, w: z * w), each(ANY, ANY, ANY, ANY), "mul"),
    row("complex_div", cx2(lambda z, w: z / w), each(ANY, ANY, NONZERO, ANY), "div"),
    row("complex_neg", cx(lambda z: -z), each(ANY, ANY), "neg"),
    row("complex_exp", cx(ag.exp), each(ANY, ANY), "exp"),
    row("complex_log", cx(ag.log), each(POS, ANY), "log"),
    row("complex_log1p", cx(ag.log1p), each(dom(-0.7, 3.0), ANY), "log1p"),
    row("complex_expm1", cx(ag.expm1), each(ANY, ANY), "expm1"),
    row("complex_sqrt", cx(ag.sqrt), each(POS, ANY), "sqrt"),
    row("complex_sin", cx(ag.sin), each(ANY, ANY), "sin"),
    row("complex_cos", cx(ag.cos), each(ANY, ANY), "cos"),
    row("complex_tan", cx(ag.tan), each(SMALL, SMALL), "tan"),
    row("complex_tanh", cx(ag.tanh), each(SMALL, SMALL), "tanh"),
    row("complex_sigmoid", cx(ag.sigmoid), each(ANY, SMALL), "sigmoid"),
    row("complex_pow_int", cx(lambda z: z**3), each(ANY, ANY), "pow"),
    row("complex_pow_fractional", cx(lambda z: z**2.5), each(POS, ANY), "pow"),
    row("complex_pow_complex_exponent", cx(lambda z: z ** (0.5 + 1.0j)), each(POS, ANY), "pow"),
    row("complex_pow_reflected_base", cx(lambda z: (1.5 + 0.5j) ** z), each(ANY, ANY), "pow"),
    row("complex_pow_tensor_tensor", cx2(lambda z, w: z**w), each(POS, ANY, SMALL, SMALL), "pow"),
    row("real_base_complex_exponent", lambda x, y: _proj(x ** _z(y, y)), each(POS, SMALL), "pow"),
    row(
        "where_complex", lambda x, y: _proj(ag.where(x > 0, _z(x, y), 2.0j * y)), each(NONZERO, ANY), "where"
    ),
    # reductions
    row("complex_sum", cx(lambda z: ag.sum(z * z, axis=0)), fixed((2, 3), (2, 3)), "sum"),
    row("complex_mean", cx(lambda z: ag.mean(z * z)), each(ANY, ANY)),
    row("complex_prod", cx(ag.prod), each(NONZERO, ANY, max_side=2), "prod"),
    row("complex_cumsum", cx(lambda z: ag.cumsum(z * z)), each(ANY, ANY), "cumsum"),
    row("complex_norm", lambda x, y: ag.norm(_z(x, y)), each(NONZERO, ANY), "norm"),
    row(
        "complex_norm_axis",
        lambda x, y: ag.norm(_z(x, y), axis=-1),
        fixed((2, 3), (2, 3), domains=(NONZERO, ANY)),
        "norm",
    ),
    row(
        "complex_var", lambda x, y: ag.var(_z(x, y), axis=-1), fixed((2, 3), (2, 3), domains=(DISTINCT, ANY))
    ),
    row("complex_std", lambda x, y: ag.std(_z(x, y), ddof=1), fixed((4,), (4,), domains=(DISTINCT, ANY))),
    # products and shapes
    row("complex_matmul", cx2(ag.matmul), fixed((2, 3), (2, 3), (3, 2), (3, 2)), "matmul"),
    row(
        "complex_einsum",
        cx2(lambda a, b: ag.einsum("ij,jk->ik", a, b)),
        fixed((2, 3), (2, 3), (3, 2), (3, 2)),
        "einsum",
    ),
    row("complex_dot_with_real", lambda a, b, c: _proj(ag.dot(_z(a, b), c)), fixed((3,), (3,), (3,))),
    row(
        "complex_reshape_transpose",
        cx(lambda z: ag.transpose(ag.reshape(z * z, (3, 2)))),
        fixed((2, 3), (2, 3)),
        "reshape",
    ),
    row("complex_getitem", cx(lambda z: (z * z)[[0, 2, 0]]), fixed((3,), (3,)), "getitem"),
    row(
        "complex_concatenate",
        lambda x, y: _proj(ag.concatenate([_z(x, y), x * 2.0])),
        fixed((2,), (2,)),
        "concatenate",
    ),
    row("complex_setitem", cx(lambda z: ag.setitem(z * z, z[0] * 1j, 1)), fixed((3,), (3,)), "setitem"),
]
