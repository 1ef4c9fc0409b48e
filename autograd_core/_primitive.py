"""Primitives: a numpy forward plus one VJP rule per differentiable argument.

Every operation — built-in or a user's ``Function`` — is a ``Primitive``. Calling one on
plain arrays just runs numpy; calling it with a Tensor that requires grad also records a
node on the tape. VJP rules are written with the primitives themselves, so during a
first-order backward they run on raw arrays (fast) and under ``create_graph=True`` they
run on Tensors and are recorded (higher-order derivatives with no second set of rules).
"""

from __future__ import annotations

import inspect
import itertools
import sys
import warnings
from typing import Any, Callable, Dict, Optional, Tuple

import numpy as np

from ._errors import AnomalyError, OpIndexError
from ._grad_mode import ANOMALY, GRAD, SLOW, STATE, TRACE
from ._tensor import SAME_SHAPE0, Tensor, alias_root

_next_seq = itertools.count(1).__next__
_new = object.__new__
_ndarray = np.ndarray
_asarray = np.asarray

# Global mutation clock. An in-place write stamps the tensor's ``_version`` with a new
# tick; a node remembers the clock when it was recorded, so "was any input modified after
# this node saw it?" is one comparison in the common case where nothing was.
MUTATION_CLOCK = [0]

REGISTRY: Dict[str, Primitive] = {}

# diff tuples, shared so recording allocates none: _DIFF2[x needs grad][y needs grad]
_PY_SCALARS = (float, int)
_DIFF2 = (((), (1,)), ((0,), (0, 1)))
_FORWARD_ERRORS = (ValueError, TypeError, IndexError)


def mark_modified(t: Tensor) -> None:
    """Record that ``t.data`` was modified in place (e.g. by an optimizer writing into it).

    Any recorded op that saved ``t`` before this call will refuse to backward, instead of
    returning a gradient computed from the new values.

    >>> import autograd_core as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> w.data *= 0.5
    >>> ag.mark_modified(w)
    >>> loss.backward()  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    GradientError: backward of 'mul': input 0 ... was modified in place ...
    """
    MUTATION_CLOCK[0] += 1
    t._version = MUTATION_CLOCK[0]
    base = getattr(t, "_base", None)
    if base is not None:  # a view or a detach(): the tensor it aliases changed too
        base._version = MUTATION_CLOCK[0]


# Python scalars met by the binary operators, as read-only 0-d arrays: numpy's ufuncs take a
# 0-d array about twice as fast as a Python float (0.2 against 0.4 µs on small arrays), and
# NEP 50 casts a Python scalar to a float array's dtype anyway, so results are bit-identical.
_OPERANDS: Dict[tuple, np.ndarray] = {}
_OPERANDS_MAX = 512


def scalar_operand(value: Any, dtype: np.dtype) -> Any:
    """``value`` (a Python float or int) as a cached 0-d array of the float ``dtype``.

    Anything else comes back unchanged: other dtypes, zeros (a cache key cannot tell 0.0 from
    -0.0), NaN (never equal to a key) and values the dtype cannot hold, which are left for the
    op to report.

    >>> import numpy as np
    >>> scalar_operand(0.5, np.dtype(np.float32))
    array(0.5, dtype=float32)
    >>> scalar_operand(2, np.dtype(np.int64))
    2
    """
    key = (value, dtype)
    found = _OPERANDS.get(key)
    if found is not None:
        return found
    if dtype.kind not in "fc" or value == 0 or value != value:
        return value
    try:
        found = np.array(value, dtype=dtype)
    except (OverflowError, ValueError, TypeError):
        return value
    found.flags.writeable = False
    if len(_OPERANDS) >= _OPERANDS_MAX:
        _OPERANDS.clear()
    _OPERANDS[key] = found
    return found


def _describe(args: tuple) -> str:
    parts = []
    for a in args:
        a = a.data if isinstance(a, Tensor) else a
        if isinstance(a, (np.ndarray, np.generic)):
            parts.append(f"array shape {a.shape} dtype {a.dtype}")
        elif isinstance(a, (int, float, bool, complex, str, type(None))):
            parts.append(repr(a))
        else:
            parts.append(type(a).__name__)
    return ", ".join(parts)


def _forward_error(prim: Primitive, err: Exception, args: tuple) -> Exception:
    if isinstance(err, IndexError):
        kind: type = OpIndexError
    elif isinstance(err, np.linalg.LinAlgError):  # a ValueError that callers catch by its own name
        kind = np.linalg.LinAlgError
    else:
        kind = ValueError if isinstance(err, ValueError) else TypeError
    message = str(err)
    if message.startswith(f"{prim.name}:"):
        return kind(message)
    return kind(f"{prim.name}: {message} (inputs: {_describe(args)})")


def complex_refused(prim: Primitive, value: np.ndarray) -> TypeError:
    """The error of an op whose rules are real-only, recorded on complex numbers."""
    return TypeError(
        f"{prim.name}: its derivative rules hold for real numbers only, but a complex value (shape "
        f"{value.shape}, dtype {value.dtype}) that requires grad reached it; apply it to ag.real(z), "
        "ag.imag(z) or ag.abs(z) instead, or compute it under no_grad()"
    )


class Primitive:
    """A differentiable operation: a numpy ``forward`` and its VJP rules.

    ``vjps[i](g, ans, *args, **kwargs)`` returns the gradient for argument ``i`` given the
    upstream gradient ``g`` and the output ``ans``; ``None`` marks a non-differentiable
    argument. ``joint(g, ans, *args, **kwargs)`` may instead return all gradients at once
    (a sequence), for variadic ops and custom Functions. Errors raised by ``forward`` are
    re-raised naming the op and its inputs' shapes and dtypes.

    >>> from autograd_core import Primitive, tensor
    >>> cube = Primitive("cube", lambda x: x ** 3, lambda g, ans, x: g * 3 * x ** 2, register=False)
    >>> x = tensor(2.0, requires_grad=True)
    >>> cube(x).backward()
    >>> x.grad.item()
    12.0
    """

    def __init__(
        self,
        name: str,
        forward: Callable[..., Any],
        *vjps: Optional[Callable[..., Any]],
        joint: Optional[Callable[..., Any]] = None,
        register: bool = True,
        doc: Optional[str] = None,
        float_output: bool = True,
        elementwise: bool = False,
        real_only: bool = False,
        batchable: Any = False,
    ) -> None:
        self.name = name
        self.batchable = batchable  # rules take a leading batch axis on g (or a test of the args): _batched
        self.forward = forward
        self.vjps = vjps
        self.joint = joint
        self.__doc__ = doc
        # float_output=False marks ops whose output may be non-float (casts): those are
        # checked before recording, since only float outputs can carry a gradient.
        self.float_output = float_output
        # elementwise=True: the output has the shape and dtype of a tensor input combined
        # with Python scalars, so its gradient needs no un-broadcasting.
        if elementwise and (joint is not None or not vjps or vjps[0] is None):
            raise ValueError(
                f"Primitive {name!r}: elementwise=True needs a VJP rule for argument 0, not joint="
            )
        self.elementwise = elementwise
        # A differentiable op records every argument that requires grad: one declared
        # without a rule (None, or past the last rule) gets a rule that raises, so a
        # gradient that is needed is an error, never a silent zero. An op with no rule at
        # all (floor, comparisons) is piecewise constant: its outputs never require grad.
        self._declared = tuple(v is not None for v in vjps)
        if joint is None and any(self._declared):
            count = max(len(vjps), _positional_count(forward, len(vjps)))
            vjps = tuple(
                _no_rule(name, i, forward) if i >= len(vjps) or vjps[i] is None else vjps[i]
                for i in range(count)
            )
        self.vjps = vjps
        # real_only=True: the rules assume real numbers (orderings, kinks), so recording the
        # op on complex input is refused rather than differentiated wrongly.
        self.real_only = real_only
        # The rule the backward hot path calls for elementwise nodes, looked up once here.
        self.vjp0 = vjps[0] if elementwise else None
        # Which arguments are recorded, by position; None when ``joint`` covers them all.
        self._rules = None if joint is not None else tuple(v is not None for v in vjps)
        self._rule0 = self._has_rule(0)
        self._rule1 = self._has_rule(1)
        self._apply_unary = self.as_unary_method()
        if register:
            if name in REGISTRY:  # re-running a notebook cell: the newest declaration wins
                warnings.warn(
                    f"Primitive: an op named {name!r} was already registered; the new declaration "
                    "replaces it in the registry (pass register=False to keep both)",
                    stacklevel=2,
                )
            REGISTRY[name] = self

    @property
    def differentiable(self) -> bool:
        """Whether any argument has a derivative rule."""
        return self.joint is not None or any(self._declared)

    def _has_rule(self, i: int) -> bool:
        rules = self._rules
        return rules is None or (i < len(rules) and rules[i])

    # The tensor operators call this fixed-arity entry point directly (no *args tuple).
    def call2(self, x: Any, y: Any) -> Any:
        """Apply to two positional arguments (the binary-operator fast path)."""
        tx = isinstance(x, Tensor)
        ty = isinstance(y, Tensor)
        if not (tx or ty):
            return self.forward(x, y)
        try:
            out = self.forward(x.data if tx else x, y.data if ty else y)
        except _FORWARD_ERRORS as err:
            raise _forward_error(self, err, (x, y)) from None
        flags = STATE.flags
        if flags == GRAD:
            gx = tx and x.requires_grad and self._rule0
            gy = ty and y.requires_grad and self._rule1
            if gx or gy:
                if type(out) is not _ndarray:
                    out = _asarray(out)
                if self.real_only and out.dtype.kind == "c":
                    raise complex_refused(self, out)
                if self.float_output or out.dtype.kind in "fc":
                    return new_node(self, out, (x, y), _DIFF2[gx][gy])
        elif flags & SLOW:
            return self._record((x, y), {}, out)
        return _leaf(out)

    def as_method(self, reflected: bool = False) -> Callable[[Tensor, Any], Any]:
        """A Tensor operator method for this binary op (``__mul__``, ``__rsub__``, ...).

        It is ``call2`` specialised for a Tensor ``self``, inlined because operators are
        the innermost loop of user code.
        """
        # For a constant ``other`` only ``self`` can need a gradient: its rule is rule0, or
        # rule1 when reflected (``2 - x`` is sub(2, x)). Tensor-Tensor calls go to call2.
        prim, forward = self, self.forward
        rule0 = self._rule1 if reflected else self._rule0
        float_output = self.float_output
        real_only = self.real_only
        inline_scalar = self.elementwise and not real_only  # x * 0.5 may skip record()
        state = STATE

        def record(out: Any, a: Any, b: Any, ga: bool, gb: bool) -> Tensor:
            if type(out) is not _ndarray:
                out = _asarray(out)
            if real_only and out.dtype.kind == "c":
                raise complex_refused(prim, out)
            if not (float_output or out.dtype.kind in "fc"):
                return _leaf(out)
            return new_node(prim, out, (a, b), _DIFF2[ga][gb])

        if reflected:

            def method(self: Tensor, other: Any) -> Any:
                if isinstance(other, Tensor):
                    return prim.call2(other, self)
                data = self.data
                raw = other
                if type(other) in _PY_SCALARS:
                    other = scalar_operand(other, data.dtype)
                try:
                    out = forward(other, data)
                except _FORWARD_ERRORS as err:
                    raise _forward_error(prim, err, (raw, self)) from None
                flags = state.flags
                if flags == GRAD and self.requires_grad and rule0:
                    return record(out, other, self, False, True)
                if flags & SLOW:
                    return prim._record((other, self), {}, out)
                return _leaf(out)

        else:

            def method(self: Tensor, other: Any) -> Any:
                if isinstance(other, Tensor):
                    return prim.call2(self, other)
                data = self.data
                scalar = type(other) in _PY_SCALARS
                raw = other
                if scalar:
                    other = scalar_operand(other, data.dtype)
                try:
                    out = forward(data, other)
                except _FORWARD_ERRORS as err:
                    raise _forward_error(prim, err, (self, raw)) from None
                flags = state.flags
                if flags == GRAD and self.requires_grad and rule0:
                    if type(out) is not _ndarray or not float_output or not (inline_scalar and scalar):
                        return record(out, self, other, True, False)
                    # x * 0.5, x + 1.0, ...: the innermost loop of user code
                    return new_node(prim, out, self, SAME_SHAPE0, None, other)
                if flags & SLOW:
                    return prim._record((self, other), {}, out)
                return _leaf(out)

        return method

    def as_unary_method(self) -> Callable[[Tensor], Any]:
        """A Tensor method for this unary op (``t.tanh()``): the unary fast path of ``__call__``, inlined for Tensors."""
        prim, forward, rule0, float_output, state = self, self.forward, self._rule0, self.float_output, STATE
        elementwise, real_only = self.elementwise, self.real_only

        def method(self: Tensor) -> Any:
            try:
                out = forward(self.data)
            except _FORWARD_ERRORS as err:
                raise _forward_error(prim, err, (self,)) from None
            flags = state.flags
            if flags == GRAD and self.requires_grad and rule0 and float_output:
                if type(out) is not _ndarray:  # a 0-d result (x.sum()) comes back as a numpy scalar
                    out = _asarray(out)
                if real_only and self.data.dtype.kind == "c":
                    raise complex_refused(prim, self.data)
                if elementwise:
                    return new_node(prim, out, self, SAME_SHAPE0)
                return new_node(prim, out, (self,), (0,))
            if flags & SLOW or (flags and self.requires_grad):  # casts, anomaly, tracing
                return prim._record((self,), {}, out)
            return _leaf(out)

        return method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not kwargs:
            n = len(args)
            if n == 1:  # ag.exp(x), ag.tanh(x), ...: the Tensor method's fast path
                x = args[0]
                if not isinstance(x, Tensor):
                    return self.forward(x)
                return self._apply_unary(x)
            if n == 2:
                return self.call2(args[0], args[1])
        for v in kwargs.values():
            if isinstance(v, Tensor):  # clip(x, a_min=t): a Tensor is recorded by position
                args, kwargs = self._by_position(args, kwargs)
                break
        for a in args:  # a loop, not any(<genexpr>): no generator frame per call
            if isinstance(a, Tensor):
                break
        else:
            return self.forward(*args, **kwargs)
        if len(args) == 3:  # linear(x, w, b), where(c, x, y), clip(x, lo, hi): no comprehension frame
            a, b, c = args
            raw: Any = (
                a.data if isinstance(a, Tensor) else a,
                b.data if isinstance(b, Tensor) else b,
                c.data if isinstance(c, Tensor) else c,
            )
        else:
            raw = [a.data if isinstance(a, Tensor) else a for a in args]
        try:
            out = self.forward(*raw, **kwargs)
        except _FORWARD_ERRORS as err:
            raise _forward_error(self, err, args) from None
        return self._record(args, kwargs, out)

    def _by_position(self, args: tuple, kwargs: dict) -> Tuple[tuple, dict]:
        """Move keyword arguments up to the last Tensor among them into positional slots."""
        try:
            params = list(inspect.signature(self.forward).parameters.values())
        except (TypeError, ValueError):
            params = []
        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        positional = [p for p in params if p.kind in kinds]
        last = max(
            (i for i, p in enumerate(positional) if isinstance(kwargs.get(p.name), Tensor)), default=-1
        )
        kwargs = dict(kwargs)
        args = list(args)
        for p in positional[len(args) : last + 1]:
            if p.name in kwargs:
                args.append(kwargs.pop(p.name))
            elif p.default is not inspect.Parameter.empty:
                args.append(p.default)
            else:
                raise TypeError(f"{self.name}: missing argument {p.name!r}")
        for key, v in kwargs.items():
            if isinstance(v, Tensor):
                if v.requires_grad:
                    raise NotImplementedError(
                        f"{self.name}: argument {key!r} is a Tensor that requires grad, but it is not "
                        "differentiable (no VJP rule); pass a constant (t.detach()) instead"
                    )
                kwargs[key] = v.data
        return tuple(args), kwargs

    def _record(self, args: tuple, kwargs: dict, out: Any) -> Tensor:
        """Wrap ``out`` as a Tensor, recording a node if grad mode is on and an input needs it."""
        flags = STATE.flags
        if type(out) is not _ndarray:
            out = _asarray(out)
        site = None
        if flags & ANOMALY:
            site = _user_site()
            _check_forward(self, out, site)
        diff: tuple = ()
        if flags & GRAD and (self.float_output or out.dtype.kind in "fc"):
            found = []
            rules = self._rules
            i = 0
            for a in args:
                if isinstance(a, Tensor) and a.requires_grad:
                    if rules is None or (i < len(rules) and rules[i]):
                        found.append(i)
                    elif rules:  # a differentiable op called with more arguments than it has rules
                        raise _no_rule(self.name, i, self.forward)(None, None)
                i += 1
            diff = tuple(found)
        if not diff:
            if flags & TRACE and STATE.trace.touches(args):
                # compile records non-differentiable steps too (comparisons, argmax, casts):
                # their outputs depend on the inputs, so the replayed program must recompute them.
                return new_node(self, out, args, (), kwargs or None, requires_grad=False)
            return Tensor._make(out)
        if self.real_only and (out.dtype.kind == "c" or any(args[i].data.dtype.kind == "c" for i in diff)):
            raise complex_refused(self, out)
        t = new_node(self, out, args, diff, kwargs or None)
        if site is not None:
            t._site = site
        return t

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


class ViewPrimitive(Primitive):
    """A primitive whose output may be a view of its first input's data (basic slicing,
    reshape, transpose): such an output shares the input's version counter, so an in-place
    write through either is seen by every op that saved the other."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        out = Primitive.__call__(self, *args, **kwargs)
        x = args[0] if args else None
        if type(x) is Tensor and type(out) is Tensor:
            owner = out.data.base
            if owner is not None and (owner is x.data or owner is x.data.base):
                out._base = alias_root(x)
        return out


def _positional_count(forward: Callable[..., Any], default: int) -> int:
    """How many arguments ``forward`` takes by position (``default`` when it cannot be told)."""
    nin = getattr(forward, "nin", None)  # a numpy ufunc
    if isinstance(nin, int):
        return nin
    try:
        params = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):
        return default
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in params if p.kind in kinds)


def _argument_name(forward: Callable[..., Any], i: int) -> str:
    try:
        params = [p.name for p in inspect.signature(forward).parameters.values()]
    except (TypeError, ValueError):
        return f"argument {i}"
    return f"argument {i} ({params[i]!r})" if i < len(params) else f"argument {i}"


def _no_rule(name: str, i: int, forward: Callable[..., Any]) -> Callable[..., Any]:
    """The rule of an argument declared without one: a gradient for it is an error."""
    which = _argument_name(forward, i)

    def rule(g: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"{name}: no VJP rule for {which}, but it is a Tensor that requires grad; give the "
            f"Primitive a rule for it, or pass a constant (e.g. t.detach()) if it needs no gradient"
        )

    return rule


def new_node(
    prim: Primitive,
    out: np.ndarray,
    args: Any,
    diff: tuple,
    kwargs: Optional[dict] = None,
    const: Any = None,
    requires_grad: bool = True,
) -> Tensor:
    """The output tensor of a recorded op, with its tape node in its slots.

    The one place a node's layout is written (``_tensor.NODE_SLOTS``): ``args`` is the tuple
    of the op's inputs, or for ``diff`` SAME_SHAPE0 the input tensor itself with ``const``
    its Python-scalar operand (or None). ``requires_grad=False`` records a step that carries
    no gradient (compile traces those).
    """
    t = _new(Tensor)
    t._grad = None
    t._version = 0
    t.data = out
    t.requires_grad = requires_grad
    t._prim = prim
    t._args = args
    t._const = const
    t._diff = diff
    t._kwargs = kwargs
    t._seq = _next_seq()
    t._stamp = MUTATION_CLOCK[0]
    return t


def _leaf(out: Any) -> Tensor:
    """``out`` (an ndarray or numpy scalar) as a leaf: an op's output that records nothing."""
    return Tensor._make(out if type(out) is _ndarray else _asarray(out))


# Frames of these packages are library code: anomaly reports point past them, at the
# user's line that called into them.
LIBRARY_PACKAGES = {"autograd_core", "nn"}


def _user_site() -> Optional[tuple]:
    """The (file, line) of the first stack frame outside the library packages."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in LIBRARY_PACKAGES:
        frame = frame.f_back
    if frame is None:
        return None
    return (frame.f_code.co_filename, frame.f_lineno)


def format_site(site: Optional[tuple]) -> str:
    """Render a (file, line) pair for error messages."""
    return f"{site[0]}:{site[1]}" if site else "an unknown location"


def _check_forward(prim: Primitive, out: np.ndarray, site: Optional[tuple] = None) -> None:
    if out.dtype.kind in "fc" and not np.all(np.isfinite(out)):
        raise AnomalyError(
            f"detect_anomaly: forward of op '{prim.name}' produced "
            f"{'NaN' if np.isnan(out).any() else 'inf'} (output shape {out.shape}), "
            f"created at {format_site(site or _user_site())}"
        )
