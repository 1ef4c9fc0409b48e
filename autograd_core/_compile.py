"""``compile(f)``: record ``f`` once on the tape, then replay it as straight-line numpy.

The first call for a signature (the structure of the arguments, the shapes and dtypes of their
arrays, the values of everything else) runs ``f`` eagerly with its float arrays as Tensors that
require grad, with every op recorded — differentiable or not, and, through the transforms'
nesting, the backward passes of ``grad``/``jacobian``/``hessian``/``hvp`` inside ``f`` too. The
recorded nodes reachable from the outputs become one generated Python function: a line per node,
``v7 = forward_7(v3, v5, **kwargs_7)``, calling the same ``Primitive.forward`` the eager path calls,
so there is no second set of rules. Later calls with the same signature run that function.

On its way from the tape to source the program is simplified where no bit can change (identity
steps dropped, constant-only steps computed once, identical steps merged: ``_simplify``), and large
ufunc/matmul intermediates get buffers reused between calls through ``out=`` (``_plan_buffers``).
A custom ``Function``'s forward replays with a fresh ctx per call.

Never silently different from eager:

- Python decisions on traced values (``bool(t)``, ``float(t)``, ``t.item()``, a Tensor used as an
  index) become guards, re-checked at every replay; a failed guard re-traces, and after
  ``max_retraces`` the signature runs eagerly with a ``CompileWarning``.
- Non-float array arguments (indices, masks) are compared by value at every call.
- The first trace is verified: the program is replayed on slightly perturbed float inputs and must
  reproduce, bit for bit, an eager run on them. A function that draws random numbers, reads values
  through ``.data``/``.numpy()`` or keeps state in Python fails that check, and its signature runs
  eagerly with a ``CompileWarning`` instead.
- In-place modification of an input is refused with a ``ValueError``.

A compiled call returns numpy arrays where ``f`` returned Tensors, and records nothing on the tape;
called with Tensors that require grad (inside an outer transform), it runs ``f`` eagerly.

>>> import numpy as np
>>> import autograd_core as ag
>>> step = ag.compile(ag.grad(lambda w: ag.tanh(w * 2.0).sum()))
>>> step(np.zeros(3))
array([2., 2., 2.])
>>> step(np.ones(3)).round(4), step.stats["traces"]
(array([0.1413, 0.1413, 0.1413]), 1)
"""

from __future__ import annotations

import builtins
import functools
import inspect
import threading
import warnings
from collections import OrderedDict
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

from ._compile_effects import Effects, with_effects
from ._grad_mode import GRAD, STATE, TRACE
from ._primitive import MUTATION_CLOCK, _next_seq
from ._tensor import Tensor, node_args


class CompileWarning(UserWarning):
    """A compiled function fell back to eager execution for a signature (the reason is the message)."""


class _GuardError(Exception):
    """A replay met a value that differs from the one the trace branched on."""


class _UncompilableError(Exception):
    """The trace holds something a replay cannot reproduce; run eagerly."""


class Trace:
    """What one tracing run collects: the traced inputs, the first tape number, the guards."""

    def __init__(self, inputs: List[Tensor]) -> None:
        self.inputs = {id(t) for t in inputs}
        self.start = _next_seq()
        self.guards: List[Tuple[Tensor, np.ndarray]] = []
        self.effects = Effects(MUTATION_CLOCK[0])  # backward()'s writes into leaves outside f

    def traced(self, t: Tensor) -> bool:
        """Whether ``t`` is an input or was computed from one during this trace."""
        return id(t) in self.inputs or (t._prim is not None and t._seq >= self.start)

    def touches(self, args: tuple) -> bool:
        """Whether any argument of an op is traced (so the op belongs in the program)."""
        for a in args:
            if isinstance(a, Tensor) and self.traced(a):
                return True
        return False

    def guard(self, t: Tensor) -> None:
        """Remember that Python code read the value of ``t`` (a decision the replay must re-check)."""
        if self.traced(t):
            self.guards.append((t, t.data.copy()))

    def backward(self, root: Tensor, grad: Any, retain_graph: Optional[bool], create_graph: bool) -> None:
        """``Tensor.backward`` while tracing: recorded, its leaf writes replayed (see _compile_effects)."""
        self.effects.backward(self, root, grad, retain_graph, create_graph)

    def grad_assigned(self, t: Tensor, value: Any) -> None:
        """``t.grad = value`` while tracing (``zero_grad``): replayed, or refused."""
        self.effects.grad_assigned(self, t, value)


def _same(a: Any, b: np.ndarray) -> bool:
    a = np.asarray(a)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind in "fc":
        return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))
    return bool(np.all(a == b))


# -- argument structures (tuples, lists, dicts of leaves) -----------------------------------------


def _flatten(tree: Any, leaves: list) -> Any:
    """Append the leaves of ``tree`` to ``leaves``; return its structure (a hashable description)."""
    if isinstance(tree, (tuple, list)):
        return (type(tree), tuple(_flatten(v, leaves) for v in tree))
    if isinstance(tree, dict):
        keys = tuple(tree)
        return (dict, keys, tuple(_flatten(tree[k], leaves) for k in keys))
    leaves.append(tree)
    return None


def _unflatten(structure: Any, leaves: Any) -> Any:
    if structure is None:
        return next(leaves)
    if structure[0] is dict:
        _, keys, parts = structure
        return {k: _unflatten(p, leaves) for k, p in zip(keys, parts)}
    kind, parts = structure
    return kind(_unflatten(p, leaves) for p in parts)


def _leaf_key(v: Any) -> Any:
    if isinstance(v, Tensor):
        v = v.data
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "fc":  # the layout too: a program's buffers are laid out as traced
            return ("float", v.shape, v.dtype.str, v.strides)
        return ("static", v.shape, v.dtype.str)
    if isinstance(v, (bool, int, float, complex, str, bytes, type(None))):
        return (type(v), v)
    try:
        hash(v)
    except TypeError:
        return ("id", id(v))
    return (type(v), v)


# -- the compiled program --------------------------------------------------------------------------


class _Program:
    """One signature's replay: the generated function and how its flat results become the output."""

    def __init__(self, run: Callable[..., tuple], structure: Any, copy_out: Tuple[bool, ...]) -> None:
        self.run = run
        self.structure = structure
        self.copy_out = copy_out
        self.single = structure is None and not copy_out[0]  # one fresh array: returned as it is

    def __call__(self, floats: list) -> Any:
        flat = self.run(*floats)
        if self.single:
            return flat[0]
        flat = [
            np.array(v, copy=True) if c and isinstance(v, np.ndarray) else v
            for v, c in zip(flat, self.copy_out)
        ]
        return _unflatten(self.structure, iter(flat))


# -- from the tape to a program: lowering, simplification, buffers, code ---------------------------


class _Const:
    """An operand that is the same at every call (a literal, or a step folded at build time)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Live:
    """A Tensor from outside the trace (a parameter): its ``.data`` is read at every call."""

    __slots__ = ("tensor",)

    def __init__(self, tensor: Tensor) -> None:
        self.tensor = tensor


Operand = Any  # a program value's name (str), a _Const or a _Live


class _Step:
    """One line of the program: ``name = fn(*args, **kwargs)``, with what the trace saw."""

    __slots__ = ("name", "fn", "args", "kwargs", "label", "value", "guards", "ctx", "out")

    def __init__(self, name: str, t: Tensor, args: List[Operand], kwargs: Optional[dict]) -> None:
        self.name = name
        self.fn = t._prim.forward
        self.label = t._prim.name
        self.args = args
        self.ctx = kwargs.get("ctx") if kwargs else None  # a custom Function's: a fresh one per call
        self.kwargs = {k: v for k, v in kwargs.items() if k != "ctx"} if kwargs else None
        self.value = t.data  # the traced result: its shape, dtype and layout
        self.guards: List[int] = []
        self.out: Optional[str] = None  # a preallocated buffer written through out=


def _reachable(trace: Trace, names: Dict[int, str], outputs: list) -> List[Tensor]:
    """The traced nodes the outputs and the guarded tensors depend on, in tape order."""
    found: Dict[int, Tensor] = {}
    stack = [t for t in outputs if isinstance(t, Tensor)] + [t for t, _ in trace.guards]
    while stack:
        t = stack.pop()
        if id(t) in found or id(t) in names or not trace.traced(t):
            continue
        found[id(t)] = t
        args = node_args(t)
        if args is None:
            raise _UncompilableError(f"the graph through '{t._prim.name}' was freed during tracing")
        stack.extend(a for a in args if isinstance(a, Tensor))
    return sorted(found.values(), key=lambda n: n._seq)


def _lower(nodes: List[Tensor], names: Dict[int, str]) -> List[_Step]:
    """A step per node, its operands named (program values), literal (_Const) or live (_Live)."""

    def operand(a: Any) -> Operand:
        if isinstance(a, Tensor):
            return names[id(a)] if id(a) in names else _Live(a)
        return _Const(a)

    steps = []
    for k, t in enumerate(nodes):
        kwargs = t._kwargs
        if kwargs and any(isinstance(v, Tensor) for v in kwargs.values()):
            raise _UncompilableError(f"op '{t._prim.name}' received a Tensor as a keyword argument")
        step = _Step(f"v{k}", t, [operand(a) for a in node_args(t)], kwargs)
        names[id(t)] = step.name
        steps.append(step)
    return steps


# Ops that hand back their input object itself when its shape/dtype already fit (a decision on
# shapes and dtypes only, which the signature fixes): dropped from the program when they did.
_RETURNS_INPUT_WHEN_TRIVIAL = frozenset({"fresh_input", "sum_to", "broadcast_to", "astype", "conj"})


def _is_one(c: Any) -> bool:
    a = np.asarray(c)
    return a.dtype.kind in "fiu" and a.size > 0 and bool(np.all(a == 1))


def _replacement(step: _Step, traced: Callable[[Operand], Any]) -> Optional[Operand]:
    """What a step provably returns, bit for bit, without running it: one of its operands
    unchanged, or a constant (None if it is not such a step)."""
    args, value = step.args, step.value
    if step.label in _RETURNS_INPUT_WHEN_TRIVIAL:
        return args[0] if traced(args[0]) is value else None
    x = traced(args[0])
    same_layout = isinstance(x, np.ndarray) and isinstance(value, np.ndarray)
    same_layout = (
        same_layout and x.shape == value.shape and x.dtype == value.dtype and x.strides == value.strides
    )
    real = isinstance(value, np.ndarray) and value.dtype.kind == "f"  # complex * 1 turns inf into nan
    if step.label == "reshape" and same_layout:
        return args[0]  # a view with the same shape and strides
    if (
        step.label == "pow"
        and real
        and same_layout
        and isinstance(args[1], _Const)
        and _is_one(args[1].value)
    ):
        return args[0]  # IEEE: x ** 1 == x
    if step.label == "pow" and isinstance(args[1], _Const) and isinstance(value, np.ndarray):
        p = np.asarray(args[1].value)
        if real and p.dtype.kind in "fiu" and p.size == 1 and p == 0:
            return _Const(np.ones_like(value))  # IEEE: x ** 0 == 1, even for nan and inf
    if step.label == "mul" and real and len(args) == 2:  # IEEE: x * 1 == x
        for keep, one in ((0, 1), (1, 0)):
            x, c = traced(args[keep]), args[one]
            if (
                isinstance(c, _Const)
                and _is_one(c.value)
                and isinstance(x, np.ndarray)
                and (x.shape, x.dtype, x.strides) == (value.shape, value.dtype, value.strides)
            ):
                return args[keep]
    return None


def _value_key(v: Any) -> Any:
    """A hashable key equal for constants with the same type and bits (CSE); else identity."""
    if isinstance(v, (bool, int, float, complex, str, type(None))):
        return (type(v), repr(v))  # repr: 0.0 and -0.0 differ, nan equals nan
    if isinstance(v, (np.ndarray, np.generic)) and np.size(v) <= 16:
        a = np.asarray(v)
        return (type(v), a.dtype.str, a.shape, a.tobytes())
    if isinstance(v, tuple):
        return (tuple, tuple(_value_key(x) for x in v))
    if isinstance(v, dict):
        return (dict, tuple((k, _value_key(x)) for k, x in v.items()))
    if isinstance(v, (np.dtype, type)):
        return (type(v), v)
    return ("id", id(v))


def _operand_key(a: Operand) -> Any:
    if isinstance(a, str):
        return a
    if isinstance(a, _Live):
        return ("live", id(a.tensor))
    return _value_key(a.value)


def _simplify(steps: List[_Step], traced_inputs: Dict[str, Any]) -> Tuple[List[_Step], Dict[str, Operand]]:
    """Drop what cannot change a bit: identity steps, steps on constants only (computed once,
    here: the same op on the same values gives the same bits) and repeats of an identical step.

    Steps with guards or a custom Function's ctx are kept as they are. Returns the remaining steps
    and, for each dropped step's name, the operand that replaces it.
    """
    traced_of: Dict[str, Any] = dict(traced_inputs)
    replaced: Dict[str, Operand] = {}
    seen: Dict[Any, str] = {}

    def traced(a: Operand) -> Any:
        if isinstance(a, str):
            return traced_of[a]
        return a.tensor.data if isinstance(a, _Live) else a.value

    kept = []
    for step in steps:
        step.args = [replaced.get(a, a) if isinstance(a, str) else a for a in step.args]
        traced_of[step.name] = step.value
        if step.guards or step.ctx is not None:
            kept.append(step)
            continue
        if all(isinstance(a, _Const) for a in step.args):
            replaced[step.name] = _Const(step.fn(*[a.value for a in step.args], **(step.kwargs or {})))
            continue
        same = _replacement(step, traced)
        if same is not None:
            replaced[step.name] = same
            continue
        key = (id(step.fn), tuple(map(_operand_key, step.args)), _value_key(step.kwargs))
        if key in seen:
            replaced[step.name] = seen[key]
            continue
        seen[key] = step.name
        kept.append(step)
    return kept, replaced


# A result at least this large is written into a buffer kept between calls (through out=); below
# it, numpy's allocator is as fast as passing the buffer.
BUFFER_MIN_BYTES = 16 << 10


def _storage(steps: List[_Step], traced: Dict[str, Any]) -> Dict[str, set]:
    """For each value, the steps whose result memory it may share (itself, and through views)."""
    shares: Dict[str, set] = {}
    for step in steps:
        found = {step.name}
        for a in step.args:
            if isinstance(a, str) and a in shares and np.may_share_memory(step.value, traced[a]):
                found |= shares[a]
        shares[step.name] = found
    return shares


def _layout_fixed(a: Operand, fixed: set) -> bool:
    """Whether an operand's memory layout at replay is the traced one (a 0-d parameter has none)."""
    if isinstance(a, str):
        return a in fixed
    return isinstance(a, _Const) or np.ndim(a.tensor.data) == 0


def _plan_buffers(
    steps: List[_Step], results: List[Operand], traced_inputs: Dict[str, Any]
) -> Dict[str, Any]:
    """Give large ufunc results (np.matmul included) a buffer reused from call to call.

    Bit-identical to allocating: the same ufunc on the same operands writes the same values, and
    a buffer has the traced result's dtype and C layout; it is only used where that layout is
    certain at replay (every operand is an input, whose layout the signature fixes, a constant, or
    such a value again: not a live parameter). A buffer is reused for a later step only after the
    last read of every value that may view it, and never holds anything returned to the caller.
    Returns the buffers by name; sets ``step.out``.
    """
    traced: Dict[str, Any] = dict(traced_inputs)
    traced.update((s.name, s.value) for s in steps)
    shares = _storage(steps, traced)
    returned = set().union(*(shares.get(r, ()) for r in results if isinstance(r, str)))
    end: Dict[str, int] = {}  # a step's result memory: the last step reading anything sharing it
    for i, step in enumerate(steps):
        for a in step.args:
            if isinstance(a, str) and a in shares:
                for owner in shares[a]:
                    end[owner] = i
    fixed = set(traced_inputs)  # values whose layout is known at replay
    buffers: Dict[str, Any] = {}
    free: Dict[Any, List[str]] = {}
    in_use: List[Tuple[int, Any, str]] = []  # (last read, kind, buffer)
    for i, step in enumerate(steps):
        for entry in [e for e in in_use if e[0] < i]:
            in_use.remove(entry)
            free.setdefault(entry[1], []).append(entry[2])
        if all(_layout_fixed(a, fixed) for a in step.args):
            fixed.add(step.name)
        else:
            continue
        fn, value = _plain_numpy().get(step.fn, step.fn), step.value
        if not (
            isinstance(fn, np.ufunc)
            and fn.nout == 1
            and not step.kwargs
            and not step.guards
            and step.name not in returned
            and isinstance(value, np.ndarray)
            and value.base is None
            and value.flags.c_contiguous
            and value.nbytes >= BUFFER_MIN_BYTES
        ):
            continue
        kind = (value.shape, value.dtype.str, value.strides)
        if free.get(kind):
            name = free[kind].pop()
        else:
            name, buffer = f"b{len(buffers)}", np.empty_like(value, order="C")
            if buffer.strides != value.strides:  # strides of length-1 axes: keep numpy's own
                continue
            buffers[name] = buffer
        step.out = name
        in_use.append((end.get(step.name, i), kind, name))
    return buffers


@functools.cache
def _plain_numpy() -> Dict[Any, Any]:
    """Forwards that only wrap one numpy call to give a better error message, and that call.

    The signature fixes the shapes, and the trace ran these forwards on them without an error, so
    the replay calls numpy directly: the same function on the same arrays, one Python frame less.
    """
    from .ops.elementwise import _pow_forward
    from .ops.linalg import _matmul_forward
    from .ops.shape import _reshape_forward

    return {_matmul_forward: np.matmul, _pow_forward: np.power, _reshape_forward: np.reshape}


def _new_ctx(template: Any) -> Any:
    """A fresh ctx for a custom Function's forward at replay, like the one ``apply`` made."""
    ctx = type(template)()
    ctx.needs_input_grad = template.needs_input_grad
    return ctx


class _Emitter:
    """Writes program source, binding the objects it calls and reads as globals of the program."""

    def __init__(self) -> None:
        self.env: Dict[str, Any] = {"_same": _same, "_GuardError": _GuardError, "_new_ctx": _new_ctx}
        self.constants: List[Any] = []  # arrays the program holds (for the aliasing check)
        self._bound: Dict[int, str] = {}

    def bind(self, value: Any) -> str:
        name = self._bound.get(id(value))
        if name is None:
            name = self._bound[id(value)] = f"c{len(self.env)}"
            self.env[name] = value
            if isinstance(value, np.ndarray):
                self.constants.append(value)
        return name

    def expr(self, a: Operand) -> str:
        if isinstance(a, str):
            return a
        if isinstance(a, _Live):
            return f"{self.bind(a.tensor)}.data"  # read live
        return self.bind(a.value)

    def live_guards(self, watched: List[Tensor]) -> List[Tuple[str, List[str]]]:
        """A parameter read live must still have the shape, dtype and requires_grad the trace saw:
        the program's shapes (``sum_to`` targets, buffers) and its gradients were fixed by them."""
        lines = []
        for t in watched:
            c, dtype = self.bind(t), self.bind(t.data.dtype)
            lines.append(
                (
                    f"if {c}.data.shape != {t.data.shape!r} or {c}.data.dtype != {dtype} "
                    f"or {c}.requires_grad is not {t.requires_grad}: raise _GuardError",
                    [],
                )
            )
        return lines

    def body(
        self,
        steps: List[_Step],
        params: List[str],
        results: List[Operand],
        input_guards: dict,
        buffered: bool,
        watched: List[Tensor],
    ) -> List[str]:
        """The lines computing the results (writing into the buffers when ``buffered``)."""
        lines: List[Tuple[str, List[str]]] = self.live_guards(watched)  # (line, the values it reads)
        for name in params:
            lines += [
                (f"if not _same({name}, g{j}): raise _GuardError", []) for j in input_guards.get(name, ())
            ]
        for step in steps:
            call = ", ".join(self.expr(a) for a in step.args)
            if step.kwargs:
                call += f", **{self.bind(step.kwargs)}"
            if step.ctx is not None:
                call += f", ctx=_new_ctx({self.bind(step.ctx)})"
            if buffered and step.out is not None:
                call += f", out={step.out}"
            reads = [a for a in step.args if isinstance(a, str) and a.startswith("v")]
            fn = _plain_numpy().get(step.fn, step.fn)
            lines.append((f"{step.name} = {self.bind(fn)}({call})  # {step.label}", reads))
            lines += [
                (f"if not _same({step.name}, g{j}): raise _GuardError", [step.name]) for j in step.guards
            ]
        returned = [self.expr(r) for r in results]
        # Drop each intermediate after its last reader, as eager code frees it: peak memory stays eager's.
        last_read = {v: i for i, (_, reads) in enumerate(lines) for v in reads}
        kept = set(returned)
        body = []
        for i, (line, reads) in enumerate(lines):
            body.append(line)
            done = sorted({v for v in reads if last_read[v] == i and v not in kept})
            if done:
                body.append(f"del {', '.join(done)}")
        return body + [f"return ({', '.join(returned)},)"]


def _emit(
    steps: List[_Step],
    params: List[str],
    results: List[Operand],
    guards: list,
    input_guards: Dict[str, List[int]],
    buffers: Dict[str, Any],
    watched: List[Tensor],
) -> Tuple[str, Dict[str, Any], List[Any]]:
    """The program's source, its globals, and the constants it holds (for the aliasing check).

    With buffers, ``program`` holds a lock while it writes them; a call that finds it held (another
    thread in the same program) runs ``_unbuffered``, the same steps allocating their results.
    """
    em = _Emitter()
    for j, (_, value) in enumerate(guards):
        em.env[f"g{j}"] = value
    signature = ", ".join(params)

    def indent(lines: List[str], depth: int) -> str:
        return "".join(" " * depth + line + "\n" for line in lines)

    if not buffers:
        source = f"def program({signature}):\n" + indent(
            em.body(steps, params, results, input_guards, False, watched), 4
        )
        return source, em.env, em.constants
    em.env.update(buffers, _lock=threading.Lock())
    source = (
        f"def _unbuffered({signature}):\n"
        + indent(em.body(steps, params, results, input_guards, False, watched), 4)
        + f"\n\ndef program({signature}):\n"
        + f"    if not _lock.acquire(False):\n        return _unbuffered({signature})\n"
        + "    try:\n"
        + indent(em.body(steps, params, results, input_guards, True, watched), 8)
        + "    finally:\n        _lock.release()\n"
    )
    return source, em.env, em.constants


def _build(
    trace: Trace, inputs: List[Tensor], outputs: list
) -> Tuple[Callable[..., tuple], Tuple[bool, ...]]:
    """Generate the straight-line replay of the nodes the outputs and guards depend on."""
    names: Dict[int, str] = {id(t): f"x{i}" for i, t in enumerate(inputs)}
    params = [f"x{i}" for i in range(len(inputs))]
    steps = _lower(_reachable(trace, names, outputs), names)
    by_name = {s.name: s for s in steps}
    input_guards: Dict[str, List[int]] = {}
    for j, (t, _) in enumerate(trace.guards):
        if names[id(t)].startswith("x"):
            input_guards.setdefault(names[id(t)], []).append(j)
        else:
            by_name[names[id(t)]].guards.append(j)
    steps, replaced = _simplify(steps, {f"x{i}": t.data for i, t in enumerate(inputs)})

    def result(t: Any) -> Operand:
        if isinstance(t, Tensor) and id(t) in names:
            name = names[id(t)]
            return replaced.get(name, name)
        return _Live(t) if isinstance(t, Tensor) else _Const(t)

    results = [result(t) for t in outputs]
    buffers = _plan_buffers(steps, results, {f"x{i}": t.data for i, t in enumerate(inputs)})
    source, env, constants = _emit(
        steps, params, results, trace.guards, input_guards, buffers, _watched(steps, results, trace)
    )
    env["__source__"] = source  # kept for inspection: compiled.programs()
    exec(builtins.compile(source, "<autograd_core.compile>", "exec"), env)  # noqa: S102 - our own generated code
    return env["program"], _copy_out(outputs, results, constants)


def _watched(steps: List[_Step], results: List[Operand], trace: Trace) -> List[Tensor]:
    """The Tensors from outside the trace the program reads live or writes gradients into."""
    found: Dict[int, Tensor] = {}
    for a in [a for step in steps for a in step.args] + results:
        if isinstance(a, _Live):
            found.setdefault(id(a.tensor), a.tensor)
    for leaf, _ in trace.effects.writes:
        found.setdefault(id(leaf), leaf)
    return list(found.values())


def _copy_out(outputs: list, results: List[Operand], constants: List[Any]) -> Tuple[bool, ...]:
    """Which results the caller gets a copy of: anything not computed fresh at each call (an
    input, a constant or a view of one, a live parameter), and a second return of one array where
    eager returned two (merged by the simplification)."""
    copy = []
    first: Dict[str, Any] = {}
    for t, r in zip(outputs, results):
        fresh = isinstance(r, str) and r.startswith("v")
        shared = fresh and first.setdefault(r, t) is not t
        copy.append(
            not fresh
            or shared
            or any(np.shares_memory(t.data, c) for c in constants if isinstance(t, Tensor))
        )
    return tuple(copy)


def _as_output(v: Any) -> Any:
    return v.data if isinstance(v, Tensor) else v


class Compiled:
    """A compiled function (see ``autograd_core.compile``); ``stats`` counts traces and replays."""

    def __init__(self, f: Callable[..., Any], max_signatures: int, max_retraces: int) -> None:
        if max_signatures < 1 or max_retraces < 0:
            raise ValueError(
                f"compile: max_signatures must be >= 1 and max_retraces >= 0, got {max_signatures} and "
                f"{max_retraces}"
            )
        self.f = f
        self.max_signatures = max_signatures
        self.max_retraces = max_retraces
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self.stats = {"traces": 0, "replays": 0, "eager": 0}
        functools.update_wrapper(self, f)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs:  # the common call, positional float arrays: its key without the generic walk
            key = []
            for a in args:
                if type(a) is not np.ndarray or a.dtype.kind not in "fc":
                    break
                key.append((a.shape, a.dtype, a.strides))
            else:
                entry = self._cache.get(tuple(key))
                if entry is not None and entry["program"] is not None:
                    try:
                        result = entry["program"](args)
                    except _GuardError:
                        pass  # the general path below counts it and re-traces
                    else:
                        self.stats["replays"] += 1
                        return result
        return self._call(args, kwargs)

    def programs(self) -> List[str]:
        """The generated source of each cached signature's program (for reading, not running).

        >>> import numpy as np
        >>> import autograd_core as ag
        >>> f = ag.compile(lambda x: ag.exp(x) * 1.0)  # x * 1 is dropped: it cannot change a bit
        >>> _ = f(np.zeros(2))
        >>> print(f.programs()[0].splitlines()[1].split("=")[1].split("(")[1])
        x0)  # exp
        """
        return [
            inspect.unwrap(e["program"].run).__globals__["__source__"]
            for e in self._cache.values()
            if e["program"]
        ]

    def _call(self, args: tuple, kwargs: dict) -> Any:
        leaves: list = []
        structure = _flatten((args, kwargs), leaves)
        if any(isinstance(v, Tensor) and v.requires_grad for v in leaves) or STATE.flags & TRACE:
            self.stats["eager"] += 1  # an outer transform is recording through the arguments
            return self.f(*args, **kwargs)
        leaves = [v.data if isinstance(v, Tensor) else v for v in leaves]
        simple = not kwargs and all(type(a) is np.ndarray and a.dtype.kind in "fc" for a in args)
        key = (
            tuple((a.shape, a.dtype, a.strides) for a in args)
            if simple
            else (structure, tuple(map(_leaf_key, leaves)))
        )
        entry = self._cache.get(key)
        if entry is None:
            entry = self._cache[key] = {"program": None, "retraces": 0, "eager": False}
            if len(self._cache) > self.max_signatures:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        if entry["eager"]:
            self.stats["eager"] += 1
            return self._eager(structure, leaves)
        program = entry["program"]
        if program is not None and all(
            _same(v, s) for v, s in zip(leaves, entry["statics"]) if s is not None
        ):
            try:
                result = program([v for v in leaves if _is_float(v)])
            except _GuardError:
                entry["retraces"] += 1
            else:
                self.stats["replays"] += 1
                return result
        if entry["retraces"] > self.max_retraces:
            return self._give_up(entry, structure, leaves, f"its guards failed {entry['retraces']} times")
        return self._trace_and_check(entry, structure, leaves)

    def _eager(self, structure: Any, leaves: list) -> Any:
        args, kwargs = _unflatten(structure, iter(leaves))
        out = self.f(*args, **kwargs)
        flat: list = []
        out_structure = _flatten(out, flat)
        return _unflatten(out_structure, iter(_as_output(v) for v in flat))

    def _give_up(
        self, entry: dict, structure: Any, leaves: list, why: str, effects: Optional[Effects] = None
    ) -> Any:
        if effects is not None:  # undo the trace's writes into leaves: the eager run below makes them
            effects.set_state({k: v for k, v in effects.before.items()})
        entry["eager"] = True
        name = getattr(self.f, "__name__", "f")
        warnings.warn(f"compile({name}): running this signature eagerly: {why}", CompileWarning, stacklevel=3)
        self.stats["eager"] += 1
        return self._eager(structure, leaves)

    def _trace(self, structure: Any, leaves: list) -> Tuple[_Program, list]:
        inputs = [Tensor._make(v).requires_grad_(True) for v in leaves if _is_float(v)]
        it = iter(inputs)
        traced_leaves = [next(it) if _is_float(v) else v for v in leaves]
        args, kwargs = _unflatten(structure, iter(traced_leaves))
        trace = Trace(inputs)
        saved_flags, saved_trace = STATE.flags, STATE.trace
        STATE.flags, STATE.trace = saved_flags | TRACE | GRAD, trace
        try:
            out = self.f(*args, **kwargs)
        finally:
            STATE.flags, STATE.trace = saved_flags, saved_trace
        self.stats["traces"] += 1
        for i, t in enumerate(inputs):
            if t._version != 0:
                raise ValueError(
                    f"compile: f modified its float input {i} (shape {t.shape}) in place; "
                    "compiled functions must not mutate their arguments (work on a copy)"
                )
        flat: list = []
        out_structure = _flatten(out, flat)
        self._effects = effects = trace.effects
        if not effects.writes:
            effects.check(trace, flat)
            run, copy_out = _build(trace, inputs, flat)
            return _Program(run, out_structure, copy_out), [_as_output(v) for v in flat]
        run, copy_out = _build_with_effects(trace, inputs, flat)
        return _Program(run, out_structure, copy_out[: len(flat)]), [_as_output(v) for v in flat]

    def _trace_and_check(self, entry: dict, structure: Any, leaves: list) -> Any:
        self._effects = None
        try:
            program, expected = self._trace(structure, leaves)
            after = self._effects.state()
            verdict = (
                _verify(program, leaves, expected)
                or self._verify_perturbed(program, structure, leaves)
                or self._verify_effects(program, structure, leaves, after)
            )
        except _UncompilableError as why:
            return self._give_up(entry, structure, leaves, str(why), self._effects)
        if verdict:
            return self._give_up(entry, structure, leaves, verdict, self._effects)
        self._effects.set_state(after)  # the first call's writes, as eager made them
        entry["program"] = program
        entry["statics"] = [
            None if _is_float(v) or not isinstance(v, np.ndarray) else v.copy() for v in leaves
        ]
        return _unflatten(
            program.structure,
            iter(np.array(v, copy=True) if isinstance(v, np.ndarray) else v for v in expected),
        )

    def _verify_perturbed(self, program: _Program, structure: Any, leaves: list) -> Optional[str]:
        """Replay on nudged float inputs against an eager run on them: catches values baked in."""
        nudged = [_nudge(v) if _is_float(v) else v for v in leaves]
        inputs = [Tensor._make(v).requires_grad_(True) for v in nudged if _is_float(v)]
        it = iter(inputs)
        args, kwargs = _unflatten(structure, iter([next(it) if _is_float(v) else v for v in nudged]))
        flat: list = []
        _flatten(self.f(*args, **kwargs), flat)
        return _verify(program, nudged, [_as_output(v) for v in flat])

    def _verify_effects(self, program: _Program, structure: Any, leaves: list, after: dict) -> Optional[str]:
        """The replayed writes into leaves against eager's, from the same starting gradients."""
        effects = self._effects
        if not effects.writes:
            return None
        floats = [v for v in leaves if _is_float(v)]
        effects.set_state(effects.before)
        program.run(*floats)
        verdict = effects.differs(after, effects.state())
        if verdict:
            return verdict
        nudged = [_nudge(v) if _is_float(v) else v for v in leaves]
        effects.set_state(effects.before)
        self._verify_perturbed_eager(structure, nudged)
        eager = effects.state()
        effects.set_state(effects.before)
        try:
            program.run(*[v for v in nudged if _is_float(v)])
        except _GuardError:
            return None  # the nudge changed a decision: nothing to compare
        return effects.differs(eager, effects.state())

    def _verify_perturbed_eager(self, structure: Any, nudged: list) -> None:
        inputs = [Tensor._make(v).requires_grad_(True) for v in nudged if _is_float(v)]
        it = iter(inputs)
        args, kwargs = _unflatten(structure, iter([next(it) if _is_float(v) else v for v in nudged]))
        self.f(*args, **kwargs)


def _build_with_effects(trace: Trace, inputs: List[Tensor], flat: list) -> Tuple[Callable[..., tuple], tuple]:
    """``_build`` with the traced gradients as extra outputs, written into the leaves at each replay."""
    effects = trace.effects
    roots = flat + effects.gradients()
    freed = effects.restore_graph()
    try:
        effects.check(trace, roots)
        run, copy_out = _build(trace, inputs, roots)
    finally:
        for t in freed:  # freed again, as the backward left them
            t._args = t._kwargs = None
    return with_effects(run, len(flat), effects, copy_out), copy_out


def _verify(program: _Program, leaves: list, expected: list) -> Optional[str]:
    try:
        flat = program.run(*[v for v in leaves if _is_float(v)])
    except _GuardError:
        return None  # the nudge changed a decision: nothing to compare
    for i, (got, want) in enumerate(zip(flat, expected)):
        if not _same(got, np.asarray(want)):
            return (
                f"replaying output {i} did not reproduce eager bit for bit (random numbers drawn "
                "inside f, values read through .data/.numpy(), or state kept in Python?)"
            )
    return None


def _is_float(v: Any) -> bool:
    return isinstance(v, np.ndarray) and v.dtype.kind in "fc"


def _nudge(v: np.ndarray) -> np.ndarray:
    # A relative change far below any threshold a program branches on, yet visible in every value
    # that depends on the input (exact zeros move too). Computed in v's dtype, in place on one
    # copy: the first call's memory peak is what verification adds to it.
    out = np.array(v, copy=True)
    out *= 1 + 2.0**-20
    out[v == 0] = 2.0**-40
    return out


def compile(
    f: Optional[Callable[..., Any]] = None, *, max_signatures: int = 64, max_retraces: int = 8
) -> Any:
    """Record ``f`` once per signature and replay it as straight-line numpy (see the module doc).

    Usable as ``compile(f)``, ``@compile`` or ``@compile(max_signatures=8)``; composes with the
    transforms (``compile(grad(f))``, ``compile(value_and_grad(loss, argnums=1))``,
    ``compile(hessian(f))``). ``stats`` counts traces, replays and eager calls.

    >>> import numpy as np
    >>> import autograd_core as ag
    >>> @ag.compile
    ... def f(x):
    ...     return ag.exp(x).sum()
    >>> float(f(np.zeros(4))), f.stats["traces"]
    (4.0, 1)
    """
    if f is None:
        return lambda g: Compiled(g, max_signatures, max_retraces)
    if not callable(f):
        raise TypeError(f"compile: expected a function, got {type(f).__name__}")
    return Compiled(f, max_signatures, max_retraces)


__all__ = ["CompileWarning", "Compiled", "compile"]
