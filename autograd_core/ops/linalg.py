"""Matrix products: matmul (1-D, 2-D, batched), einsum, dot, outer.

The matmul rules follow numpy's promotion of 1-D operands: a 1-D left operand is a row,
a 1-D right operand a column; batch broadcasting is undone by the engine.
"""

from __future__ import annotations

from typing import Any, List

import numpy as np

from .._primitive import Primitive
from .shape import broadcast_to, expand_dims, reshape, swapaxes


def _matmul_forward(a: Any, b: Any) -> Any:
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        raise ValueError(
            f"matmul: operands must have at least 1 dimension, got shapes {np.shape(a)} and {np.shape(b)}"
        )
    try:
        return np.matmul(a, b)
    except ValueError:
        raise ValueError(
            f"matmul: shapes {np.shape(a)} and {np.shape(b)} are not aligned "
            f"(inner dimensions {np.shape(a)[-1]} and {np.shape(b)[-2] if np.ndim(b) > 1 else np.shape(b)[0]})"
        ) from None


def _matmul_da(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if b.ndim == 1:
        if a.ndim == 1:
            return g * b
        return expand_dims(g, -1) * b  # (..., n, 1) * (k,) -> (..., n, k)
    if a.ndim == 1:
        return matmul(expand_dims(g, -2), swapaxes(b, -1, -2))  # (..., 1, k): engine sums to (k,)
    return matmul(g, swapaxes(b, -1, -2))


def _matmul_db(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1:
        if b.ndim == 1:
            return g * a
        return expand_dims(a, -1) * expand_dims(g, -2)  # (k, 1) * (..., 1, m) -> (..., k, m)
    if b.ndim == 1:
        return matmul(expand_dims(g, -2), a)  # (..., 1, n) @ (..., n, k) -> (..., 1, k)
    return matmul(swapaxes(a, -1, -2), g)


matmul = Primitive(
    "matmul",
    _matmul_forward,
    _matmul_da,
    _matmul_db,
    doc="Matrix product with numpy's rules for 1-D and batched operands.\n\n"
    ">>> import autograd_core as ag\n>>> ag.matmul(ag.tensor([[1.0, 2.0]]), ag.tensor([[3.0], [4.0]])).numpy()\n"
    "array([[11.]])",
)


def _parse_einsum(subscripts: str, n_operands: int) -> tuple:
    spec = subscripts.replace(" ", "")
    if "." in spec:
        raise ValueError(f"einsum: ellipsis ('...') is not supported, got {subscripts!r}")
    if "->" in spec:
        inputs, output = spec.split("->")
    else:
        inputs = spec
        letters = inputs.replace(",", "")
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    terms = inputs.split(",")
    if len(terms) != n_operands:
        raise ValueError(f"einsum: {subscripts!r} names {len(terms)} operands but {n_operands} were given")
    for t in terms:
        if len(set(t)) != len(t):
            raise ValueError(f"einsum: a repeated index inside one operand ({t!r}) is not supported")
    return terms, output


def _einsum_forward(subscripts: str, *operands: Any) -> Any:
    terms, output = _parse_einsum(subscripts, len(operands))
    for t, op in zip(terms, operands):
        if len(t) != np.ndim(op):
            raise ValueError(f"einsum: operand {t!r} has {np.ndim(op)} dims, expected {len(t)}")
    try:
        return np.einsum(f"{','.join(terms)}->{output}", *operands)
    except ValueError as err:
        shapes = [np.shape(o) for o in operands]
        raise ValueError(f"einsum: {subscripts!r} does not fit shapes {shapes}: {err}") from None


def _einsum_vjp(g: Any, ans: Any, subscripts: str, *operands: Any) -> List[Any]:
    terms, output = _parse_einsum(subscripts, len(operands))
    grads: List[Any] = [None]
    for i, (term, op) in enumerate(zip(terms, operands)):
        others = [(t, o) for j, (t, o) in enumerate(zip(terms, operands)) if j != i]
        available = set(output).union(*[set(t) for t, _ in others])
        # Indices summed only inside this operand get broadcast back afterwards.
        kept = "".join(c for c in term if c in available)
        spec = ",".join([output] + [t for t, _ in others]) + "->" + kept
        grad = einsum(spec, g, *[o for _, o in others])
        if kept != term:
            sizes = dict(zip(term, op.shape))
            grad = reshape(grad, tuple(sizes[c] if c in kept else 1 for c in term))
            grad = broadcast_to(grad, op.shape)
        grads.append(grad)
    return grads


_einsum = Primitive("einsum", _einsum_forward, joint=_einsum_vjp)


def einsum(subscripts: str, *operands: Any) -> Any:
    """Einstein summation (numpy syntax, no ellipsis or repeated index within one operand).

    >>> import autograd_core as ag
    >>> ag.einsum("ij,j->i", ag.tensor([[1.0, 2.0]]), ag.tensor([3.0, 4.0])).numpy()
    array([11.])
    """
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string, got {type(subscripts).__name__}")
    return _einsum(subscripts, *operands)


def dot(a: Any, b: Any) -> Any:
    """``numpy.dot``: scalars, vectors, matrices and N-D operands.

    >>> import autograd_core as ag
    >>> ag.dot(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])).item()
    11.0
    """
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        from .products import dot_nd  # N-D: a's last axis against b's second-to-last

        return dot_nd(a, b)
    return matmul(a, b)


def outer(a: Any, b: Any) -> Any:
    """Outer product of two vectors (inputs are flattened, as numpy.outer).

    >>> import autograd_core as ag
    >>> ag.outer(ag.tensor([1.0, 2.0]), ag.tensor([3.0])).numpy()
    array([[3.],
           [6.]])
    """
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))
