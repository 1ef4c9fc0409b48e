"""The backward pass: replay the tape in decreasing sequence order.

Gradients live in a per-call table keyed by tensor; only leaves (and, for the functional
transforms, the requested inputs) are written. No recursion: a heap ordered by node
sequence number guarantees every consumer is processed before its inputs, so graphs of
any depth work and each tensor's gradient is complete before it is propagated. A chain
(one pending tensor at a time, the common case) bypasses the heap and the table.
"""

from __future__ import annotations

import threading
from heapq import heappop, heappush
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

from ._errors import AnomalyError, GradientError
from ._grad_mode import ANOMALY, STATE, TRACE, enable_grad
from ._primitive import MUTATION_CLOCK, format_site
from ._tensor import SAME_SHAPE0, Tensor, node_args, version_of


def _rules_with_kwargs(prim: Any, diff: tuple, g: Any, ans: Any, call_args: tuple, kwargs: dict) -> list:
    if prim.joint is not None:
        everything = prim.joint(g, ans, *call_args, **kwargs)
        return [everything[i] for i in diff]
    return [prim.vjps[i](g, ans, *call_args, **kwargs) for i in diff]


def _seed(root: Tensor, grad: Any, create_graph: bool) -> Any:
    if grad is None:
        data = root.data
        if data.size != 1:
            raise ValueError(
                f"backward: grad can be implicitly created only for a one-element output, "
                f"got shape {data.shape}; pass grad= with that shape"
            )
        seed = np.empty(data.shape, dtype=data.dtype)  # np.ones, without its Python frame
        seed.fill(1)
    else:
        seed = grad.data if isinstance(grad, Tensor) and not create_graph else grad
        if not isinstance(seed, Tensor):
            seed = np.asarray(seed)
            if seed.dtype.kind not in "fc":
                raise TypeError(f"backward: grad must be floating point, got dtype {seed.dtype}")
            # A copy: a rule may pass it through to a leaf's .grad, which users zero in place.
            seed = seed.astype(root.dtype)
        if seed.shape != root.shape:
            raise ValueError(f"backward: grad has shape {seed.shape} but the output has shape {root.shape}")
    if create_graph and not isinstance(seed, Tensor):
        seed = Tensor._make(seed)
    if seed.dtype.kind == "c":  # the rules carry the conjugate cotangent: see ops/complex.py
        from .ops import conj

        seed = conj(seed)
    return seed


def _hand_out(g: Any) -> Any:
    """A gradient leaving the walk, back in the users' convention (ops/complex.py)."""
    if g is not None and g.dtype.kind == "c":
        from .ops import conj

        g = conj(g)
    return g


def _fit(g: Any, like: np.ndarray, out: Tensor, index: int) -> Any:
    """Undo broadcasting and restore dtype so ``g`` matches ``like`` exactly."""
    from .ops.shape import cast_gradient, sum_to

    shape = like.shape
    if g.shape != shape:
        if len(g.shape) < len(shape):
            raise GradientError(
                f"backward of '{out._prim.name}': gradient for input {index} has shape {g.shape}, "
                f"which cannot be reduced to the input's shape {shape}"
            )
        g = sum_to(g, shape)
    if g.dtype != like.dtype:
        g = cast_gradient(g, like.dtype)
    return g


def _check_versions(out: Tensor) -> None:
    stamp = out._stamp
    name = out._prim.name
    for i, a in enumerate(node_args(out)):
        if isinstance(a, Tensor) and version_of(a) > stamp:
            raise GradientError(
                f"backward of '{name}': input {i} (shape {a.shape}) was modified in place after "
                f"the op saved it, directly or through a view or detach() of it (tensor version "
                f"{version_of(a)}, op recorded at version clock {stamp}); use an out-of-place op, "
                "or modify a copy"
            )
    if version_of(out) > stamp:
        raise GradientError(
            f"backward of '{name}': its output (shape {out.shape}) was modified in place "
            f"(version {version_of(out)} > {stamp}); the saved value no longer matches"
        )


def _freed_error(t: Tensor) -> GradientError:
    return GradientError(
        f"backward: the graph through '{t._prim.name}' (output shape {t.shape}) was already "
        "freed by an earlier backward; pass retain_graph=True to the first backward to go "
        "through it twice"
    )


def walk(
    root: Tensor,
    grad: Any,
    retain_graph: Optional[bool],
    create_graph: bool,
    inputs: Optional[Sequence[Tensor]] = None,
    others: Optional[List[Tensor]] = None,
) -> Optional[List[Any]]:
    """Backpropagate from ``root``.

    Without ``inputs``, accumulate into ``.grad`` of every reachable leaf requiring grad
    (``Tensor.backward``). With ``inputs``, write nothing and return their gradients
    (None where unreachable), as ``torch.autograd.grad`` does; reached leaves that are not
    among ``inputs`` are appended to ``others`` when it is given.

    The steps: seed the root; take the next node (the one pending tensor of a chain, else
    the heap's highest sequence number); apply its rules; fit each gradient to its input's
    shape and dtype; accumulate it into the input's pending gradient. Single-input nodes,
    the bulk of most tapes, do the last four inline below; every other node goes through
    ``_apply_rules`` and ``_hand_on``.
    """
    _check_root(root)
    if retain_graph is None:
        retain_graph = create_graph
    seed = _seed(root, grad, create_graph)
    wanted = None if inputs is None else dict.fromkeys(inputs)
    grads: dict = {}  # pending gradients of tensors waiting in the heap, and of leaves
    leaves: List[Tensor] = []
    heap: list = []
    anomaly = bool(STATE.flags & ANOMALY)
    fast = not (create_graph or anomaly)  # the inline single-input steps skip both
    clock = MUTATION_CLOCK
    if root._prim is None:
        grads[root] = seed
        leaves.append(root)
        t = None
    else:
        t, g = root, seed
    with np.errstate(all="ignore"):
        while True:
            # -- next node: a chain hands it over in t; otherwise the heap has it
            if t is None:
                if not heap:
                    break
                t = heappop(heap)[1]
                g = grads.pop(t)
            if wanted is not None and t in wanted:
                wanted[t] = g
            args = t._args
            if args is None:
                raise _freed_error(t)
            if t._stamp != clock[0]:
                _check_versions(t)
            prim = t._prim
            diff = t._diff
            # -- one input needs a gradient: apply its rule unpacked, fit, accumulate, inline
            p = None
            if fast and diff is SAME_SHAPE0:
                # An elementwise op of one tensor and Python scalars: rule 0's result already
                # has the input's shape and dtype.
                p = args  # the input itself: see SAME_SHAPE0
                const = t._const
                if const is None:
                    gi = prim.vjp0(g, t.data, p.data)
                else:
                    gi = prim.vjp0(g, t.data, p.data, const)
            elif fast and len(diff) == 1 and t._kwargs is None and prim.joint is None and len(args) < 3:
                i = diff[0]
                if len(args) == 1:
                    gi = prim.vjps[0](g, t.data, args[0].data)
                else:
                    a, b = args
                    gi = prim.vjps[i](
                        g,
                        t.data,
                        a.data if isinstance(a, Tensor) else a,
                        b.data if isinstance(b, Tensor) else b,
                    )
                p = args[i]
                pdata = p.data
                if gi.shape != pdata.shape or (gi.dtype is not pdata.dtype and gi.dtype != pdata.dtype):
                    gi = _fit(gi, pdata, t, i)
            if p is not None:
                if not retain_graph:
                    t._args = None
                if p._prim is not None and not heap and not (grads and p in grads):
                    t, g = p, gi  # a chain: the only pending tensor comes next, no heap needed
                else:
                    _accumulate(p, gi, grads, leaves, heap)
                    t = None
                continue
            # -- any other node
            if diff is SAME_SHAPE0:
                args = node_args(t)
            parent_grads = _apply_rules(t, prim, diff, g, args, create_graph)
            if not retain_graph:
                t._args = None  # frees the saved inputs,
                t._kwargs = None  # and what a custom Function saved on its ctx
            t, g = _hand_on(t, args, diff, parent_grads, grads, leaves, heap, anomaly)
    if wanted is not None:
        return _collect(inputs, wanted, leaves, grads, others)
    _write_leaves(leaves, grads, create_graph)
    return None


def _check_root(root: Tensor) -> None:
    if not root.requires_grad:
        raise GradientError(
            f"backward: the output (shape {root.shape}, dtype {root.dtype}) does not require "
            "grad: no input that requires grad reached it (or it was computed under no_grad)"
        )


def _accumulate(p: Tensor, gi: Any, grads: dict, leaves: List[Tensor], heap: list) -> None:
    """Add ``gi`` to the pending gradient of ``p``, or start it: a leaf is listed for the end,
    an op's output joins the heap."""
    if p in grads:
        grads[p] = grads[p] + gi
        return
    grads[p] = gi
    if p._prim is None:
        leaves.append(p)
    else:
        heappush(heap, (-p._seq, p))


def _apply_rules(t: Tensor, prim: Any, diff: tuple, g: Any, args: tuple, create_graph: bool) -> Sequence[Any]:
    """The gradients of the inputs ``diff`` of ``t``'s op, given ``g``, the gradient of ``t``.

    With ``create_graph`` the rules run on the Tensors themselves, so they are recorded.
    """
    if create_graph:
        call_args, ans = args, t
    else:
        ans = t.data
        # Comprehensions are function calls in CPython 3.11: unpack the usual arities by hand.
        if len(args) == 2:
            a, b = args
            call_args = (a.data if isinstance(a, Tensor) else a, b.data if isinstance(b, Tensor) else b)
        elif len(args) == 1:
            a = args[0]
            call_args = (a.data if isinstance(a, Tensor) else a,)
        elif len(args) == 3:
            a, b, c = args
            call_args = (
                a.data if isinstance(a, Tensor) else a,
                b.data if isinstance(b, Tensor) else b,
                c.data if isinstance(c, Tensor) else c,
            )
        else:
            call_args = tuple(a.data if isinstance(a, Tensor) else a for a in args)
    kwargs = t._kwargs
    if kwargs is not None:
        return _rules_with_kwargs(prim, diff, g, ans, call_args, kwargs)
    if prim.joint is not None:
        everything = prim.joint(g, ans, *call_args)
        return [everything[i] for i in diff]
    if len(diff) == 1:
        return (prim.vjps[diff[0]](g, ans, *call_args),)
    vjps = prim.vjps
    parent_grads = []
    for i in diff:  # a loop, not a generator: no extra frame per node
        parent_grads.append(vjps[i](g, ans, *call_args))
    return parent_grads


def _hand_on(
    out: Tensor,
    args: tuple,
    diff: tuple,
    parent_grads: Sequence[Any],
    grads: dict,
    leaves: List[Tensor],
    heap: list,
    anomaly: bool,
) -> Tuple[Optional[Tensor], Any]:
    """Fit and accumulate ``out``'s input gradients; return the next node and its gradient
    when the walk is a chain (one pending tensor, no heap), else ``(None, None)``."""
    t = g = None
    for i, gi in zip(diff, parent_grads):
        if gi is None:
            continue
        p = args[i]
        pdata = p.data
        if gi.shape != pdata.shape or (gi.dtype is not pdata.dtype and gi.dtype != pdata.dtype):
            gi = _fit(gi, pdata, out, i)
        if anomaly:
            _check_backward(out, i, gi)
        if p is t:  # the same tensor twice among this node's inputs (x * x)
            g = g + gi
        elif p._prim is not None and t is None and not heap and not (grads and p in grads):
            t, g = p, gi  # held: it comes next unless a second pending tensor turns up
        else:
            if t is not None and p._prim is not None and p not in grads:
                # a second pending tensor: the held one joins the heap
                grads[t] = g
                heappush(heap, (-t._seq, t))
                t = g = None
            _accumulate(p, gi, grads, leaves, heap)
    return t, g


def _collect(
    inputs: Sequence[Tensor], wanted: dict, leaves: List[Tensor], grads: dict, others: Optional[List[Tensor]]
) -> List[Any]:
    """The gradients of ``inputs`` (None where unreached); other reached leaves go to ``others``."""
    for leaf in leaves:
        if leaf in wanted:
            wanted[leaf] = grads[leaf]
        elif others is not None:
            others.append(leaf)
    return [_hand_out(wanted[x]) for x in inputs]


# Backward passes on several threads may share a leaf (one model, many workers): the
# read-add-write of its .grad is one critical section, so no accumulation is lost.
_LEAF_LOCK = threading.Lock()


def _write_leaves(leaves: List[Tensor], grads: dict, create_graph: bool) -> None:
    handed_out = set()
    for t in leaves:
        g = grads[t]
        if g.dtype.kind == "c":
            g = _hand_out(g)
        if not create_graph:
            if isinstance(g, Tensor):
                g = g.data
            if type(g) is not np.ndarray:  # numpy's 0-d arithmetic returns scalars
                g = np.asarray(g)
            # Arrays passed through unchanged (add, reshape) may reach two leaves; users
            # mutate .grad in place (clipping), so never let two leaves share a buffer.
            if g.base is not None or id(g) in handed_out:
                g = g.copy()
            handed_out.add(id(g))
            g = Tensor._make(g)
        elif not isinstance(g, Tensor):
            g = Tensor._make(g)
        with _LEAF_LOCK:
            old = t._grad
            if old is None:
                t._grad = g
            elif create_graph:
                t._grad = old + g
            else:
                t._grad = Tensor._make(old.data + g.data)


def _check_backward(out: Tensor, index: int, g: Any) -> None:
    data = g.data if isinstance(g, Tensor) else g
    if not np.all(np.isfinite(data)):
        raise AnomalyError(
            f"detect_anomaly: backward of op '{out._prim.name}' produced a "
            f"{'NaN' if np.isnan(data).any() else 'inf'} gradient for input {index} "
            f"(shape {data.shape}); the op was created at {format_site(getattr(out, '_site', None))}"
        )


def run_backward(root: Tensor, grad: Any, retain_graph: Optional[bool], create_graph: bool) -> None:
    """Entry point of ``Tensor.backward``."""
    if grad is None and root.dtype.kind == "c":
        raise TypeError(
            f"backward: the output is complex (dtype {root.dtype}, shape {root.shape}); a gradient is "
            "defined for a real-valued loss: take ag.real(z), ag.abs(z) or ag.abs2(z) first, or pass "
            "grad= (PyTorch's convention), or use holomorphic_grad for f'(z)"
        )
    if STATE.flags & TRACE:  # compile is tracing: record the walk and its writes into leaves
        return STATE.trace.backward(root, grad, retain_graph, create_graph)
    if create_graph:
        with enable_grad():
            walk(root, grad, retain_graph, True)
    else:
        walk(root, grad, retain_graph, False)
