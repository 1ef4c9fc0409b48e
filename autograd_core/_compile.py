"""``compile(f)``: record ``f`` once on the tape, then replay it as straight-line numpy.

The first call for a signature (the structure of the arguments, the shapes and dtypes of their
arrays, the values of everything else) runs ``f`` eagerly with its float arrays as Tensors that
require grad, with every op recorded — differentiable or not, and, through the transforms'
nesting, the backward passes of ``grad``/``jacobian``/``hessian``/``hvp`` inside ``f`` too. The
recorded nodes reachable from the outputs become one generated Python function: a line per node,
``v7 = forward_7(v3, v5, **kwargs_7)``, calling the same ``Primitive.forward`` the eager path calls,
so there is no second set of rules. Later calls with the same signature run that function.

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
        return ("float" if v.dtype.kind in "fc" else "static", v.shape, v.dtype.str)
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


def _build(
    trace: Trace, inputs: List[Tensor], outputs: list
) -> Tuple[Callable[..., tuple], Tuple[bool, ...]]:
    """Generate the straight-line replay of the nodes the outputs and guards depend on."""
    names: Dict[int, str] = {id(t): f"x{i}" for i, t in enumerate(inputs)}
    env: Dict[str, Any] = {"_same": _same, "_GuardError": _GuardError}
    constants: List[np.ndarray] = []

    def bind(value: Any) -> str:
        name = f"c{len(env)}"
        env[name] = value
        if isinstance(value, np.ndarray):
            constants.append(value)
        return name

    # Nodes reachable from the outputs and the guarded tensors, by an explicit stack.
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
    guards_at: Dict[int, List[int]] = {}
    for j, (t, value) in enumerate(trace.guards):
        guards_at.setdefault(id(t), []).append(j)
        env[f"g{j}"] = value

    def expr(a: Any) -> str:
        if isinstance(a, Tensor):
            if id(a) in names:
                return names[id(a)]
            return f"{bind(a)}.data"  # a leaf outside the trace (a parameter): read live
        return bind(a)

    steps: List[Tuple[str, List[str]]] = []  # (line, the intermediate values it reads)
    for t in inputs:
        steps += [
            (f"    if not _same({names[id(t)]}, g{j}): raise _GuardError", [])
            for j in guards_at.get(id(t), ())
        ]
    for k, t in enumerate(sorted(found.values(), key=lambda n: n._seq)):
        kwargs = t._kwargs
        if kwargs and "ctx" in kwargs:
            raise _UncompilableError(
                f"custom Function '{t._prim.name}' keeps state on its ctx between passes"
            )
        if kwargs and any(isinstance(v, Tensor) for v in kwargs.values()):
            raise _UncompilableError(f"op '{t._prim.name}' received a Tensor as a keyword argument")
        args = node_args(t)
        call = ", ".join(expr(a) for a in args)
        if kwargs:
            call += f", **{bind(kwargs)}"
        reads = [
            names[id(a)] for a in args if isinstance(a, Tensor) and names.get(id(a), "x").startswith("v")
        ]
        name = names[id(t)] = f"v{k}"
        steps.append((f"    {name} = {bind(t._prim.forward)}({call})", reads))
        steps += [
            (f"    if not _same({name}, g{j}): raise _GuardError", [name]) for j in guards_at.get(id(t), ())
        ]
    results = [names[id(t)] if isinstance(t, Tensor) and id(t) in names else expr(t) for t in outputs]
    # Drop each intermediate after its last reader, as eager code frees it: peak memory stays eager's.
    last_read = {v: i for i, (_, reads) in enumerate(steps) for v in reads}
    kept = set(results)
    lines = []
    for i, (line, reads) in enumerate(steps):
        lines.append(line)
        done = sorted({v for v in reads if last_read[v] == i and v not in kept})
        if done:
            lines.append(f"    del {', '.join(done)}")
    params = ", ".join(f"x{i}" for i in range(len(inputs)))
    source = f"def program({params}):\n" + "\n".join(lines) + f"\n    return ({', '.join(results)},)\n"
    env["__source__"] = source  # kept for inspection: compiled.programs()
    exec(builtins.compile(source, "<autograd_core.compile>", "exec"), env)  # noqa: S102 - our own generated code
    # An output that is (a view of) a constant would be shared by every call: hand out copies.
    copy_out = tuple(
        not (isinstance(t, Tensor) and id(t) in names and names[id(t)].startswith("v"))
        or any(np.shares_memory(t.data, c) for c in constants)
        for t in outputs
    )
    return env["program"], copy_out


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
                key.append((a.shape, a.dtype))
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

    def _call(self, args: tuple, kwargs: dict) -> Any:
        leaves: list = []
        structure = _flatten((args, kwargs), leaves)
        if any(isinstance(v, Tensor) and v.requires_grad for v in leaves) or STATE.flags & TRACE:
            self.stats["eager"] += 1  # an outer transform is recording through the arguments
            return self.f(*args, **kwargs)
        leaves = [v.data if isinstance(v, Tensor) else v for v in leaves]
        simple = not kwargs and all(type(a) is np.ndarray and a.dtype.kind in "fc" for a in args)
        key = (
            tuple((a.shape, a.dtype) for a in args) if simple else (structure, tuple(map(_leaf_key, leaves)))
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
    # that depends on the input (exact zeros move too).
    return np.asarray(
        v * (1 + 2.0**-20) + np.where(v == 0, 2.0**-40, 0).astype(v.dtype)
    )  # 0-d stays an array


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
