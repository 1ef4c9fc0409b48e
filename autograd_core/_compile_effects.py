"""What ``compile`` replays besides return values: ``backward()``'s writes into ``.grad``.

A compiled training step calls ``loss.backward()`` inside ``f``; eager, that accumulates into the
``.grad`` of every leaf outside ``f`` that requires grad (the model's Parameters). While tracing,
``Tensor.backward`` comes here instead of the plain walk: the same walk runs with its VJPs
recorded on the tape (so the gradients become values of the program), and each leaf's gradient is
written exactly as eager writes it. The program then returns those gradients as extra values, and
every replay performs the same writes, in the same order, into the live leaves: ``None`` becomes a
new Tensor on a fresh array, an existing grad becomes ``old + g`` — bit for bit eager's result.
``.grad = None`` (``zero_grad``) on such a leaf is replayed too.

Other changes to state outside ``f`` are refused at trace time, with an error naming the tensor:
an in-place change (an optimizer step, ``w += ...``) of a tensor the program reads or of a leaf
it writes a gradient into, a ``.grad`` changed in place or assigned a value after ``backward``
(gradient clipping), and ``backward(create_graph=True)``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ._errors import GradientError
from ._grad_mode import enable_grad
from ._primitive import MUTATION_CLOCK
from ._tensor import Tensor, node_args, version_of

_CLEAR = None  # an effect whose gradient slot is this clears the leaf's .grad


class Effects:
    """The writes into leaves outside the trace, in order, plus what the trace needs to check them."""

    def __init__(self, clock: int) -> None:
        self.clock = clock  # the mutation clock when tracing began
        self.writes: List[Tuple[Tensor, Optional[Tensor]]] = []  # (leaf, traced gradient or _CLEAR)
        self.before: Dict[int, Tuple[Tensor, Any]] = {}  # id(leaf) -> (leaf, its .grad before f)
        self.expected: Dict[int, Any] = {}  # id(leaf) -> (.grad object, a copy of its data) after the writes
        self.saved: Dict[int, Tuple[Tensor, Any, Any]] = {}  # nodes a backward freed: (node, _args, _kwargs)

    # -- while tracing --------------------------------------------------------------------------

    def _touch(self, leaf: Tensor) -> None:
        self.before.setdefault(id(leaf), (leaf, leaf._grad))

    def backward(self, trace: Any, root: Tensor, grad: Any, retain_graph: Any, create_graph: bool) -> None:
        """``root.backward(...)`` inside a trace: the walk recorded, the leaves written as eager does."""
        from ._backward import walk

        if create_graph:
            raise ValueError(
                "compile: backward(create_graph=True) inside a compiled function is not replayed; "
                "compute higher derivatives with ag.grad/ag.hessian inside f instead"
            )
        self._keep_graph(root)
        leaves = [t for t in _reached_leaves(root) if not trace.traced(t)]
        if not leaves:
            raise GradientError(
                f"backward: the output (shape {root.shape}, dtype {root.dtype}) does not require "
                "grad: no input that requires grad reached it (or it was computed under no_grad)"
            )
        with enable_grad():
            grads = walk(root, grad, bool(retain_graph), True, leaves)
        for leaf, g in zip(leaves, grads):
            if g is None:
                continue
            if not isinstance(g, Tensor):
                g = Tensor._make(np.asarray(g))
            self._touch(leaf)
            self.writes.append((leaf, g))
            _accumulate(leaf, g.data, False)
            self.expected[id(leaf)] = (leaf._grad, leaf._grad.data.copy())

    def grad_assigned(self, trace: Any, leaf: Tensor, value: Any) -> None:
        """``leaf.grad = value`` inside a trace: ``None`` is replayed, anything else refused."""
        if trace.traced(leaf):
            return  # a tensor of f's own, invisible after the call
        if value is not None:
            raise ValueError(
                f"compile: f assigns .grad of a tensor of shape {leaf.shape} defined outside it; only "
                "backward() and .grad = None (zero_grad) are replayed: assign it outside the compiled function"
            )
        self._touch(leaf)
        self.writes.append((leaf, _CLEAR))
        self.expected[id(leaf)] = (None, None)

    def _keep_graph(self, root: Tensor) -> None:
        # The walk frees what it passes through, as eager does (so a second backward raises
        # the same error); the program still needs every node, so keep their inputs here.
        stack = [root]
        while stack:
            t = stack.pop()
            if t._prim is None or id(t) in self.saved or t._args is None:
                continue
            self.saved[id(t)] = (t, t._args, t._kwargs)
            stack.extend(a for a in node_args(t) if isinstance(a, Tensor))

    def restore_graph(self) -> List[Tensor]:
        """Give the freed nodes their inputs back (for building the program); returns them."""
        freed = []
        for t, args, kwargs in self.saved.values():
            if t._args is None:
                t._args, t._kwargs = args, kwargs
                freed.append(t)
        return freed

    def check(self, trace: Any, roots: list) -> None:
        """Refuse what a replay would not reproduce: in-place changes outside f, edited gradients."""
        now = MUTATION_CLOCK[0]
        outside = {id(t): t for t, _ in self.before.values()}
        if now != self.clock:  # some in-place write happened while tracing: was it outside f?
            outside.update(_outside_reads(trace, roots))
        for t in outside.values():
            # Stamped from the clock while tracing; (a version copied from another process,
            # by pickling, can be larger than this process's clock: not a write during f.)
            if self.clock < version_of(t) <= now:
                raise ValueError(
                    f"compile: f modified a tensor of shape {t.shape} defined outside it in place "
                    "(an optimizer step, or an in-place op on a closed-over tensor); a replay would "
                    "skip that: call optimizer.step() and in-place updates outside the compiled function"
                )
        for key, (obj, copy) in self.expected.items():
            leaf = self.before[key][0]
            if leaf._grad is not obj or (
                copy is not None and not np.array_equal(obj.data, copy, equal_nan=True)
            ):
                raise ValueError(
                    f"compile: f changed the .grad of a tensor of shape {leaf.shape} after backward() "
                    "(gradient clipping, or an in-place edit); only backward() and .grad = None are "
                    "replayed: do that outside the compiled function"
                )

    # -- at replay and for verification ----------------------------------------------------------

    def gradients(self) -> List[Tensor]:
        """The traced gradient values, as extra outputs of the program."""
        return [g for _, g in self.writes if g is not _CLEAR]

    def state(self) -> Dict[int, Tuple[Tensor, Any]]:
        """Every touched leaf's current ``.grad`` object (writes replace it, never modify it)."""
        return {key: (leaf, leaf._grad) for key, (leaf, _) in self.before.items()}

    @staticmethod
    def set_state(state: Dict[int, Tuple[Tensor, Any]]) -> None:
        for leaf, grad in state.values():
            leaf._grad = grad

    def differs(self, a: Dict[int, Tuple[Tensor, Any]], b: Dict[int, Tuple[Tensor, Any]]) -> Optional[str]:
        """Why two states of the touched leaves' gradients are not bit-identical (None if they are)."""
        for key, (leaf, ga) in a.items():
            gb = b[key][1]
            if (ga is None) != (gb is None) or (
                ga is not None
                and (ga.dtype != gb.dtype or not np.array_equal(ga.data, gb.data, equal_nan=True))
            ):
                return (
                    f"replaying backward()'s write into the .grad of a tensor of shape {leaf.shape} "
                    "did not reproduce eager bit for bit"
                )
        return None


def with_effects(run: Any, n_outputs: int, effects: Effects, copy_out: Tuple[bool, ...]) -> Any:
    """Wrap a generated program so each call also performs the trace's writes into leaves."""
    leaves = [leaf for leaf, _ in effects.writes]
    clears = [g is _CLEAR for _, g in effects.writes]
    copies = copy_out[n_outputs:]

    def replay(*floats: Any) -> tuple:
        flat = run(*floats)
        values = iter(zip(flat[n_outputs:], copies))
        handed_out = {id(v) for v in flat[:n_outputs]}  # nor the buffer of a returned value
        for leaf, clear in zip(leaves, clears):
            if clear:
                leaf._grad = None
                continue
            g, must_copy = next(values)
            if type(g) is not np.ndarray:  # numpy's 0-d arithmetic returns scalars
                g = np.asarray(g)
            # As eager: never a view, and never one buffer in two leaves (users edit .grad in place).
            if must_copy or g.base is not None or id(g) in handed_out:
                g = g.copy()
            handed_out.add(id(g))
            _accumulate(leaf, g, True)
        return flat[:n_outputs]

    replay.__wrapped__ = run  # type: ignore[attr-defined]  # the generated program: programs() shows it
    return replay


def _accumulate(leaf: Tensor, g: np.ndarray, owned: bool) -> None:
    """Eager's write of a first-order gradient into ``leaf.grad`` (``_backward._write_leaves``)."""
    from ._backward import _LEAF_LOCK

    if not owned:
        if type(g) is not np.ndarray:
            g = np.asarray(g)
        g = g.copy()  # the trace's value is also a node of the program: the leaf gets its own
    with _LEAF_LOCK:
        old = leaf._grad
        leaf._grad = Tensor._make(g) if old is None else Tensor._make(old.data + g)


def _reached_leaves(root: Tensor) -> List[Tensor]:
    """The leaves requiring grad that a backward from ``root`` reaches (through differentiable inputs)."""
    seen, leaves, stack = set(), [], [root]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if t._prim is None:
            if t.requires_grad:
                leaves.append(t)
            continue
        args = node_args(t)
        if args is None:
            from ._backward import _freed_error

            raise _freed_error(t)  # as eager's walk does when it gets there
        stack.extend(args[i] for i in t._diff if isinstance(args[i], Tensor))
    return leaves


def _outside_reads(trace: Any, roots: list) -> Dict[int, Tensor]:
    """The tensors defined outside f that the nodes behind ``roots`` read (live, at replay)."""
    found: Dict[int, Tensor] = {}
    seen: set = set()
    stack = [t for t in roots if isinstance(t, Tensor)]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if not trace.traced(t):
            found[id(t)] = t
            continue
        if t._prim is None:  # an input of the program
            continue
        args = node_args(t)
        if args is not None:
            stack.extend(a for a in args if isinstance(a, Tensor))
    return found
