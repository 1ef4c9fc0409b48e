"""Hypothesis strategies and a one-line gradient check, for users' own test suites.

A gradient-check test for a custom function is a few lines::

    from hypothesis import given
    from autograd_core import testing, tanh

    @given(testing.arrays(testing.shapes()))
    def test_my_op(x):
        assert testing.check_grad(lambda t: tanh(t) * t, x)

Needs the ``test`` extra (hypothesis): ``pip install 'autograd-core[test]'``.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, Tuple, Union

import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as err:  # hypothesis is an optional test dependency, not a runtime one
    raise ImportError(
        "autograd_core.testing needs hypothesis; install the test extra: pip install 'autograd-core[test]'"
    ) from err

from ._grad_mode import no_grad
from ._gradcheck import gradcheck, gradgradcheck
from ._tensor import Tensor

Shape = Tuple[int, ...]
Interval = Tuple[float, float]
Exclude = Union[None, Callable[[float], bool], Interval, Sequence[Interval]]

__all__ = ["arrays", "broadcastable_shapes", "check_grad", "shapes"]


def shapes(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[Shape]:
    """Array shapes with ``min_dims..max_dims`` axes of length ``min_side..max_side``.

    >>> from hypothesis import given
    >>> from autograd_core.testing import shapes
    >>> @given(shapes(min_dims=2, max_dims=2, max_side=2))
    ... def test_matrix_shapes(shape):
    ...     assert len(shape) == 2 and all(1 <= s <= 2 for s in shape)
    >>> test_matrix_shapes()
    """
    _check_sizes("shapes", min_dims, max_dims, min_side, max_side)
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(
    n: int, min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> st.SearchStrategy[Tuple[Shape, ...]]:
    """Tuples of ``n`` shapes that broadcast together (numpy rules), for n-ary ops.

    >>> import numpy as np
    >>> from hypothesis import given
    >>> from autograd_core.testing import broadcastable_shapes
    >>> @given(broadcastable_shapes(2))
    ... def test_pairs(shapes):
    ...     np.broadcast_shapes(*shapes)  # raises if they do not broadcast
    >>> test_pairs()
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"broadcastable_shapes: n must be a positive int, got {n!r}")
    _check_sizes("broadcastable_shapes", min_dims, max_dims, min_side, max_side)
    return hnp.mutually_broadcastable_shapes(
        num_shapes=int(n), min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda b: tuple(b.input_shapes))


def arrays(
    shape: Union[Shape, int, st.SearchStrategy[Shape]],
    dtype: Any = np.float64,
    min_value: float = -3,
    max_value: float = 3,
    exclude: Exclude = None,
    unique: bool = False,
) -> st.SearchStrategy[np.ndarray]:
    """Float arrays of ``shape`` (a tuple or a shapes strategy) with finite values in range.

    ``exclude`` keeps elements away from an op's no-go points (kinks, poles): a predicate
    ``exclude(value) -> True`` to reject, an open interval ``(lo, hi)``, or a sequence of
    intervals. Keep excluded regions small next to the range, or generation slows down.
    ``unique=True`` makes all elements distinct (no ties for max/min).

    >>> import numpy as np
    >>> from hypothesis import given
    >>> from autograd_core.testing import arrays
    >>> @given(arrays((3,), min_value=-1, max_value=1, exclude=(-0.1, 0.1)))
    ... def test_away_from_zero(x):
    ...     assert x.shape == (3,) and x.dtype == np.float64 and np.all(np.abs(x) >= 0.1)
    >>> test_away_from_zero()
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"arrays: dtype must be a floating-point dtype, got {dtype}")
    if not min_value <= max_value:
        raise ValueError(f"arrays: min_value {min_value} is larger than max_value {max_value}")
    width = 8 * dtype.itemsize
    # Bounds must be representable at the dtype's width, or hypothesis refuses them.
    lo, hi = (float(dtype.type(v)) for v in (min_value, max_value))
    elements = st.floats(
        lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=min(width, 64)
    )
    rejected = _exclusion(exclude)
    if rejected is not None:
        elements = elements.filter(lambda v: not rejected(v))
    return hnp.arrays(dtype, shape, elements=elements, unique=unique)


def check_grad(
    f: Callable[..., Any],
    *inputs: Any,
    seed: int = 0,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    second_order: bool = False,
) -> bool:
    """``gradcheck`` of ``f`` at ``inputs`` with a random (seeded) upstream gradient.

    A random upstream gradient catches rules that are only right for ``ones`` (a missing
    transpose, a wrong broadcast). ``second_order=True`` also runs ``gradgradcheck``.
    Returns True or raises ``GradcheckError`` naming the input, index and both values.

    >>> import numpy as np
    >>> from autograd_core import sin
    >>> from autograd_core.testing import check_grad
    >>> check_grad(lambda x: sin(x) * x, np.array([0.5, -1.0]), second_order=True)
    True
    """
    arrays64 = []
    for a in inputs:
        a = np.asarray(a.data if isinstance(a, Tensor) else a)
        arrays64.append(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
    with no_grad():
        out = f(*[Tensor(a.copy()) for a in arrays64])
    out = np.asarray(out.data if isinstance(out, Tensor) else out)
    rng = np.random.default_rng(seed)
    upstream = rng.standard_normal(out.shape)
    if out.dtype.kind == "c":  # complex outputs: both parts of the upstream gradient vary
        upstream = upstream + 1j * rng.standard_normal(out.shape)
    gradcheck(f, *arrays64, eps=eps, atol=atol, rtol=rtol, grad_output=upstream)
    if second_order:
        gradgradcheck(f, *arrays64, eps=eps, atol=atol, rtol=rtol, grad_output=upstream)
    return True


def _check_sizes(who: str, min_dims: int, max_dims: int, min_side: int, max_side: int) -> None:
    if not 0 <= min_dims <= max_dims:
        raise ValueError(
            f"{who}: need 0 <= min_dims <= max_dims, got min_dims={min_dims}, max_dims={max_dims}"
        )
    if not 0 <= min_side <= max_side:
        raise ValueError(
            f"{who}: need 0 <= min_side <= max_side, got min_side={min_side}, max_side={max_side}"
        )


def _exclusion(exclude: Exclude) -> Callable[[float], bool] | None:
    if exclude is None:
        return None
    if callable(exclude):
        return lambda v: bool(exclude(v))
    intervals = [exclude] if _is_interval(exclude) else list(exclude)
    for item in intervals:
        if not _is_interval(item):
            raise TypeError(
                f"arrays: exclude must be a predicate, an interval (lo, hi) or a sequence of them, got {exclude!r}"
            )
    bounds = [(float(lo), float(hi)) for lo, hi in intervals]
    return lambda v: any(lo < v < hi for lo, hi in bounds)


def _is_interval(item: Any) -> bool:
    return (
        isinstance(item, (tuple, list))
        and len(item) == 2
        and all(isinstance(v, (int, float, np.integer, np.floating)) for v in item)
    )
