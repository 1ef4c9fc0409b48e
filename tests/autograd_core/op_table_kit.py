"""The kit of the table-driven op test: input domains, the ``Row`` record and its helpers.

``test_op_table`` runs every row; its own rows and those of ``tests/autograd_core/rows/*.py``
(one module per group of ops, each defining ``ROWS`` and optionally ``NO_GRAD``) are merged, so
a new group of ops adds a rows module instead of editing one long table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional, Tuple

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_core.testing import arrays, broadcastable_shapes, shapes

# -- input domains: shape -> strategy of float64 arrays ----------------------------------------


def dom(lo: float = -3.0, hi: float = 3.0, exclude: Any = None) -> Callable:
    return lambda shape: arrays(shape, min_value=lo, max_value=hi, exclude=exclude)


def grid(parity: Optional[int] = None, unique: bool = False, step: float = 1 / 16) -> Callable:
    """Values on a 1/16 grid in [-3, 3]: a tie is exact or at least 1/16 away (never eps).

    Two grids of different parity never tie with each other (maximum/minimum away from x == y).
    """
    if parity is None:
        elements = st.integers(-48, 48).map(lambda k: k * step)
    else:
        elements = st.integers(-24, 23).map(lambda k: (2 * k + parity) * step)
    return lambda shape: hnp.arrays(np.float64, shape, elements=elements, unique=unique)


def abs_distinct(shape: tuple) -> Any:
    """Nonzero grid values with distinct magnitudes (no ties in max |x|), random signs."""
    magnitudes = hnp.arrays(np.float64, shape, elements=st.integers(1, 48).map(lambda k: k / 16), unique=True)
    signs = hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))
    return st.tuples(magnitudes, signs).map(lambda ms: ms[0] * ms[1])


ANY = dom()
POS = dom(0.2, 3.0)
NONZERO = dom(exclude=(-0.25, 0.25))
KINK0 = dom(exclude=(-0.01, 0.01))  # keep finite differences away from a kink at 0
DISTINCT = grid(unique=True)
ODD, EVEN = grid(parity=1), grid(parity=0)


@st.composite
def _draw_inputs(draw: Any, domains: tuple, shape_strategy: Any, kw: dict) -> Tuple[tuple, dict]:
    shps = draw(shape_strategy)
    return tuple(draw(d(s)) for d, s in zip(domains, shps)), kw


def each(*domains: Callable, max_dims: int = 3, min_side: int = 1, max_side: int = 3, **kw: Any) -> Any:
    """Arrays of mutually broadcastable shapes, one per domain."""
    shps = broadcastable_shapes(len(domains), max_dims=max_dims, min_side=min_side, max_side=max_side)
    return _draw_inputs(domains, shps, kw)


def one(
    domain: Callable = ANY,
    min_dims: int = 0,
    max_dims: int = 3,
    min_side: int = 1,
    max_side: int = 3,
    **kw: Any,
) -> Any:
    """One array of any shape in the given range."""
    shps = shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side).map(
        lambda s: (s,)
    )
    return _draw_inputs((domain,), shps, kw)


def fixed(*shps: tuple, domains: Optional[tuple] = None, **kw: Any) -> Any:
    """Arrays of fixed shapes (index-based ops); only the values vary."""
    return _draw_inputs(domains or (ANY,) * len(shps), st.just(shps), kw)


@st.composite
def _where_inputs(draw: Any) -> Tuple[tuple, dict]:
    c, a, b = draw(broadcastable_shapes(3, max_side=3))
    return (draw(ANY(a)), draw(ANY(b))), {"cond": draw(hnp.arrays(bool, c))}


@st.composite
def _concat_inputs(draw: Any, axis: int, n: int = 3) -> Tuple[tuple, dict]:
    base = list(draw(shapes(min_dims=2, max_dims=3, max_side=3)))
    xs = []
    for _ in range(n):
        base[axis] = draw(st.integers(1, 3))
        xs.append(draw(ANY(tuple(base))))
    return tuple(xs), {}


@st.composite
def _with_zeros(draw: Any, shape: tuple) -> Tuple[tuple, dict]:
    x = draw(dom(0.3, 2.0)(shape)) * draw(
        hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))
    )
    zeros = draw(hnp.arrays(bool, shape))  # exact zeros: prod's gradient must not divide by them
    return (np.where(zeros, 0.0, x),), {}


# -- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    fn: Callable[..., Any]
    inputs: Any  # strategy of (float arrays, fixed kwargs for fn)
    op: Optional[str] = None  # the registered primitive under test; None for a composition
    smooth: bool = True  # check second derivatives too
    eps: float = 1e-6
    keeps_dtype: bool = True  # float32 in -> float32 out


def row(name: str, fn: Callable, inputs: Any, op: Optional[str] = None, **options: Any) -> Row:
    return Row(name, fn, inputs, op, **options)
