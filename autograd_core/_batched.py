"""The batched backward of ``jacobian(f, vectorize=True)``: every seed row in one pass.

The gradient of each tensor carries a leading axis of length ``batch``, one entry per seed
(torch's ``vectorize=True``). The rules are the table's own: a primitive marked ``batchable``
(see ``Primitive``) has rules that keep a leading batch axis on ``g`` — elementwise ones do by
broadcasting, shape moves by ``ops._helpers.batch_shape`` — and is called once for the whole
batch; any other primitive (a custom ``Function``, an op left unmarked) is called row by row
and its rows stacked, which is always right, only slower. ``batchable`` may also be a test of
the node's arguments (getitem batches unless its advanced indices are split apart).

Nodes are visited as ``walk`` visits them, in decreasing sequence number from a heap; the walk
stops at the requested inputs. Under ``create_graph`` the rules run on Tensors and are recorded,
so outer transforms (and ``compile``) differentiate through this backward too.

>>> import numpy as np
>>> import autograd_core as ag
>>> ag.jacobian(lambda x: ag.tanh(x) * 2.0, vectorize=True)(np.zeros(2))
array([[2., 0.],
       [0., 2.]])
"""

from __future__ import annotations

import heapq
from contextlib import nullcontext
from typing import Any, List, Sequence, Tuple

import numpy as np

from ._backward import _check_versions, _freed_error, _rules_with_kwargs
from ._errors import GradientError
from ._grad_mode import enable_grad
from ._tensor import Tensor, node_args


def batched_grads(
    root: Tensor, seeds: Any, inputs: Sequence[Tensor], create_graph: bool
) -> Tuple[List[Any], List[Tensor]]:
    """Gradients of ``root`` for ``inputs`` under each row of ``seeds`` (shape ``(batch,) + root.shape``).

    Returns each input's gradients, of shape ``(batch,) + input.shape`` (None where ``root`` does
    not reach it), and the leaves requiring grad that the walk reached beyond ``inputs``.
    """
    batch = seeds.shape[0]
    wanted = {t: None for t in inputs}
    grads = {root: seeds}
    others: List[Tensor] = []
    heap = [(-root._seq, root)] if root._prim is not None and root not in wanted else []
    with np.errstate(all="ignore"), enable_grad() if create_graph else nullcontext():
        if not heap:  # the root is an input itself, or a leaf
            _reached(root, wanted, others)
        while heap:
            t = heapq.heappop(heap)[1]
            g = grads.pop(t)
            args = node_args(t)
            if args is None:
                raise _freed_error(t)
            _check_versions(t)
            call_args = args if create_graph else tuple(a.data if isinstance(a, Tensor) else a for a in args)
            ans = t if create_graph else t.data
            rules = _rules_for_batch if _batchable(t._prim, call_args, t._kwargs) else _rules_row_by_row
            parent_grads = rules(t, g, ans, call_args, batch)
            for i, gi in zip(t._diff, parent_grads):
                if gi is None:
                    continue
                p = args[i]
                gi = _fit(gi, p.data, batch, t, i)
                if p in grads:
                    grads[p] = grads[p] + gi
                    continue
                grads[p] = gi
                if p._prim is None or p in wanted:
                    _reached(p, wanted, others)
                else:
                    heapq.heappush(heap, (-p._seq, p))
    return [grads.get(x) for x in inputs], others


def _reached(t: Tensor, wanted: dict, others: List[Tensor]) -> None:
    if t not in wanted and t.requires_grad:
        others.append(t)


def _batchable(prim: Any, call_args: tuple, kwargs: Any) -> bool:
    mark = getattr(prim, "batchable", False)  # a primitive made without the constructor: row by row
    if callable(mark):
        return bool(mark(*call_args, **(kwargs or {})))
    return bool(mark)


def _rules_for_batch(t: Tensor, g: Any, ans: Any, call_args: tuple, batch: int) -> list:
    return _rules_with_kwargs(t._prim, t._diff, g, ans, call_args, t._kwargs or {})


def _rules_row_by_row(t: Tensor, g: Any, ans: Any, call_args: tuple, batch: int) -> list:
    """The rules of an unmarked primitive, once per seed row, stacked along a new batch axis."""
    from .ops import stack

    args = node_args(t)
    rows = [_rules_with_kwargs(t._prim, t._diff, g[b], ans, call_args, t._kwargs or {}) for b in range(batch)]
    stacked = []
    for k, i in enumerate(t._diff):
        parts = [row[k] for row in rows]
        if all(part is None for part in parts):
            stacked.append(None)
            continue
        like = args[i].data
        parts = [_fit(part, like, None, t, i) if part is not None else np.zeros_like(like) for part in parts]
        stacked.append(stack(parts) if any(isinstance(part, Tensor) for part in parts) else np.stack(parts))
    return stacked


def _fit(g: Any, like: np.ndarray, batch: Any, out: Tensor, index: int) -> Any:
    """Sum ``g`` over broadcast axes down to ``(batch,) + like.shape`` (``like.shape`` when ``batch``
    is None), the batch axis staying in front, and cast it to ``like``'s dtype."""
    from .ops.shape import cast_gradient, reshape, sum_to

    lead = () if batch is None else (batch,)
    shape = lead + like.shape
    if g.shape != shape:
        extra = g.ndim - len(shape)
        if extra < 0 or tuple(g.shape[: len(lead)]) != lead:
            raise GradientError(
                f"jacobian(vectorize=True): the rule of '{out._prim.name}' for input {index} returned shape "
                f"{g.shape}, which cannot be reduced to {shape}; its Primitive should not be marked batchable"
            )
        if not lead:
            g = sum_to(g, shape)
        else:  # the batch axis lines up with g's first, the input's axes with g's last
            g = sum_to(g, lead + (1,) * extra + like.shape)
            g = reshape(g, shape) if extra else g
    if g.dtype != like.dtype:
        g = cast_gradient(g, like.dtype)
    return g
