"""Matrix products: matmul (1-D, 2-D, batched), einsum, dot, outer.

The ``einsum`` primitive takes explicit subscripts without '...' or repeated indices; the
public ``einsum`` rewrites numpy's full syntax into that form (see there).

The matmul rules follow numpy's promotion of 1-D operands: a 1-D left operand is a row,
a 1-D right operand a column; batch broadcasting is undone by the engine.
"""

from __future__ import annotations

import string
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
            return g * b if g.ndim == 0 else expand_dims(g, -1) * b  # a batched g: (B,) -> (B, k)
        return expand_dims(g, -1) * b  # (..., n, 1) * (k,) -> (..., n, k)
    if a.ndim == 1:
        return matmul(expand_dims(g, -2), swapaxes(b, -1, -2))  # (..., 1, k): engine sums to (k,)
    return matmul(g, swapaxes(b, -1, -2))


def _matmul_db(g: Any, ans: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1:
        if b.ndim == 1:
            return g * a if g.ndim == 0 else expand_dims(g, -1) * a
        return expand_dims(a, -1) * expand_dims(g, -2)  # (k, 1) * (..., 1, m) -> (..., k, m)
    if b.ndim == 1:
        if a.ndim == 2:  # g (n,) @ a (n, k): numpy runs the same (1, n) @ (n, k) kernel, no sum_to
            return matmul(g, a)
        return matmul(expand_dims(g, -2), a)  # (..., 1, n) @ (..., n, k) -> (..., 1, k)
    return matmul(swapaxes(a, -1, -2), g)


matmul = Primitive(
    "matmul",
    _matmul_forward,
    _matmul_da,
    _matmul_db,
    batchable=True,
    doc="Matrix product with numpy's rules for 1-D and batched operands.\n\n"
    ">>> import autograd_core as ag\n>>> ag.matmul(ag.tensor([[1.0, 2.0]]), ag.tensor([[3.0], [4.0]])).numpy()\n"
    "array([[11.]])",
)


def _parse_einsum(subscripts: str, n_operands: int) -> tuple:
    spec = subscripts.replace(" ", "")
    if "." in spec:
        raise ValueError(f"einsum: the primitive takes '...' spelled out, got {subscripts!r}; call ag.einsum")
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
            raise ValueError(
                f"einsum: the primitive takes no repeated index in one operand ({t!r}); call ag.einsum"
            )
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
    # Batch axes of g (see batch_shape) get letters of their own, carried through to each gradient.
    batch = "".join(c for c in _LABELS if c not in subscripts)[: g.ndim - ans.ndim]
    grads: List[Any] = [None]
    for i, (term, op) in enumerate(zip(terms, operands)):
        others = [(t, o) for j, (t, o) in enumerate(zip(terms, operands)) if j != i]
        available = set(output).union(*[set(t) for t, _ in others])
        # Indices summed only inside this operand get broadcast back afterwards.
        kept = "".join(c for c in term if c in available)
        spec = ",".join([batch + output] + [t for t, _ in others]) + "->" + batch + kept
        grad = einsum(spec, g, *[o for _, o in others])
        if kept != term:
            sizes = dict(zip(term, op.shape))
            sizes.update(zip(batch + kept, grad.shape))  # a kept index may be broadcast from size 1
            lead = tuple(sizes[c] for c in batch)
            grad = reshape(grad, lead + tuple(sizes[c] if c in kept else 1 for c in term))
            grad = broadcast_to(grad, lead + tuple(sizes[c] for c in term))
        grads.append(grad)
    return grads


_einsum = Primitive("einsum", _einsum_forward, joint=_einsum_vjp, batchable=True)

# numpy's labels for the interleaved format: 0-25 are 'A'-'Z', 26-51 are 'a'-'z'.
_LABELS = string.ascii_uppercase + string.ascii_lowercase


def _from_interleaved(args: tuple) -> tuple:
    """``einsum(a, [0, 1], b, [1, 2], [0, 2])`` as ``('Ab,bc->Ac'-like subscripts, operands)``."""

    def letters(sublist: Any) -> str:
        out = []
        for k in sublist:
            if k is Ellipsis:
                out.append("...")
            elif isinstance(k, (int, np.integer)) and 0 <= k < len(_LABELS):
                out.append(_LABELS[k])
            else:
                raise ValueError(
                    f"einsum: a subscript in the interleaved format must be an int in [0, 52) or ..., got {k!r}"
                )
        return "".join(out)

    pairs, output = (args[:-1], args[-1]) if len(args) % 2 else (args, None)  # odd: the output last
    operands, terms = list(pairs[0::2]), ",".join(letters(s) for s in pairs[1::2])
    return (terms if output is None else f"{terms}->{letters(output)}"), operands


def _expand(subscripts: str, ndims: List[int]) -> tuple:
    """Subscripts with '...' spelled out in fresh letters and the implicit output made explicit."""
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(ndims):
        raise ValueError(f"einsum: {subscripts!r} names {len(terms)} operands but {len(ndims)} were given")
    fresh = [c for c in _LABELS if c not in spec]
    widths = []
    for t, nd in zip(terms, ndims):
        if "." in t.replace("...", "", 1) or ("." in t and "..." not in t):
            raise ValueError(f"einsum: {subscripts!r} has a '.' that is not part of one '...'")
        widths.append(nd - (len(t) - 3) if "..." in t else 0)
        if widths[-1] < 0 or ("..." not in t and len(t) != nd):
            expected = f"at least {len(t) - 3}" if "..." in t else str(len(t))
            raise ValueError(f"einsum: operand {t!r} has {nd} dims, expected {expected} ({subscripts!r})")
    ell = "".join(fresh[: max(widths, default=0)])
    del fresh[: len(ell)]
    terms = [t.replace("...", ell[len(ell) - w :] if w else "") for t, w in zip(terms, widths)]
    if arrow:
        if "..." in output:
            output = output.replace("...", ell)
        elif ell:
            raise ValueError(
                f"einsum: {subscripts!r} broadcasts {len(ell)} dims under '...' but its output has no '...'"
            )
    else:
        letters = "".join(terms)
        output = ell + "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell))
    if len(set(output)) != len(output):
        raise ValueError(f"einsum: the output of {subscripts!r} repeats an index")
    return terms, output, fresh


def einsum(*args: Any) -> Any:
    """Einstein summation with numpy's syntax: ``'...'``, repeated indices in one operand
    (``'ii->i'``, ``'ii'``) and the interleaved format ``einsum(a, [0, 1], b, [1, 2])``.

    >>> import autograd_core as ag
    >>> ag.einsum("ij,j->i", ag.tensor([[1.0, 2.0]]), ag.tensor([3.0, 4.0])).numpy()
    array([11.])
    >>> ag.einsum("ii", ag.tensor([[1.0, 2.0], [3.0, 4.0]])).item()
    5.0
    """
    if not args:
        raise TypeError("einsum: needs subscripts and at least one operand")
    if isinstance(args[0], str):
        subscripts, operands = args[0], list(args[1:])
    elif len(args) >= 2 and isinstance(args[1], (list, tuple)):
        subscripts, operands = _from_interleaved(args)
    else:
        raise TypeError(f"einsum: subscripts must be a string, got {type(args[0]).__name__}")
    terms, output, fresh = _expand(subscripts, [np.ndim(o) for o in operands])
    # A repeated index inside one operand (a diagonal) becomes a fresh index tied to the first
    # by an identity matrix: x[i, i] = sum_a x[i, a] * eye[i, a]. The rules then need no case.
    deltas: List[Any] = []
    for n, (t, op) in enumerate(zip(terms, operands)):
        if len(set(t)) == len(t):
            continue
        shape, seen, renamed = np.shape(op), {}, []
        for axis, c in enumerate(t):
            if c not in seen:
                seen[c] = axis
                renamed.append(c)
                continue
            if shape[axis] != shape[seen[c]]:
                raise ValueError(
                    f"einsum: index {c!r} of operand {t!r} repeats over axes of sizes {shape[seen[c]]} and "
                    f"{shape[axis]} ({subscripts!r})"
                )
            if not fresh:
                raise ValueError(f"einsum: {subscripts!r} has too many indices")
            a = fresh.pop(0)
            renamed.append(a)
            terms.append(c + a)
            dtype = op.dtype if hasattr(op, "dtype") else np.result_type(op)
            deltas.append(np.eye(shape[axis], dtype=dtype))
        terms[n] = "".join(renamed)
    return _einsum(",".join(terms) + "->" + output, *operands, *deltas)


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
