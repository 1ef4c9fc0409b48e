"""The ``Tensor``: an ndarray plus the tape node that produced it.

Arithmetic operators and methods are attached in ``_tensor_methods`` once the ops exist,
so this module stays free of import cycles.
"""

from __future__ import annotations

import dis
import sys
from typing import Any, Optional

import numpy as np

from ._grad_mode import STATE, TRACE

_FLOAT_KINDS = "fc"


# A recorded op's tape node lives in its output tensor's slots rather than in an object of
# its own, which saves an allocation and an object for the garbage collector to scan per
# op. ``_prim`` is the Primitive, or None for a leaf; the other node slots are set only
# when ``_prim`` is. ``_args`` holds the op's inputs (Tensors or constants) and becomes
# None when backward frees the graph; ``_kwargs`` its keyword arguments or None; ``_diff``
# the argument positions that receive a gradient; ``_seq`` grows monotonically, so every
# input has a smaller number than its consumer and replaying nodes in decreasing ``_seq``
# is a valid backward order; ``_stamp`` is the mutation clock at record time; ``_site``
# the (file, line) of user code, set only under detect_anomaly().
NODE_SLOTS = ("_prim", "_args", "_kwargs", "_diff", "_seq", "_stamp")

# The ``_diff`` of an elementwise op on one tensor (``x.tanh()``, ``x * 0.5``): only input 0
# gets a gradient, already of its shape and dtype, so backward skips the fix-up. Such nodes,
# the bulk of most tapes, store their inputs unpacked: ``_args`` is the tensor itself and
# ``_const`` the Python scalar operand or None, which saves a tuple per op. A distinct
# object, compared by identity.
SAME_SHAPE0 = tuple([0])


def node_args(t: Tensor) -> Optional[tuple]:
    """The inputs of the op that produced ``t``, as a tuple (None once the graph is freed)."""
    args = t._args
    if t._diff is not SAME_SHAPE0 or args is None:
        return args
    return (args,) if t._const is None else (args, t._const)


class GradFn:
    """A read-only view of the tape node that produced a tensor (``tensor.grad_fn``).

    >>> from autograd_core import tensor
    >>> (tensor([1.0], requires_grad=True) * 2).grad_fn.name
    'mul'
    """

    __slots__ = ("_out", "_prim", "_seq")

    def __init__(self, out: Tensor) -> None:
        self._out = out
        self._prim = out._prim
        self._seq = out._seq

    @property
    def name(self) -> str:
        """The op's registered name."""
        return self._prim.name

    @property
    def seq(self) -> int:
        """The node's sequence number on the tape."""
        return self._seq

    @property
    def inputs(self) -> tuple:
        """The op's inputs that receive a gradient (empty once the graph is freed)."""
        out = self._out
        args = node_args(out)
        if out._seq != self._seq or args is None:  # rebound by an in-place op, or freed
            return ()
        return tuple(args[i] for i in out._diff)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradFn) and other._seq == self._seq

    def __hash__(self) -> int:
        return hash(self._seq)

    def __repr__(self) -> str:
        return f"<{self.name}Backward seq={self.seq}>"


def alias_root(t: Tensor) -> Tensor:
    """The tensor whose version counter ``t`` shares: ``t`` itself unless it is an alias."""
    base = getattr(t, "_base", None)
    return t if base is None else base


def version_of(t: Tensor) -> int:
    """The version of ``t``'s data: the latest write through ``t`` or any alias of it."""
    base = getattr(t, "_base", None)
    if base is not None and base._version > t._version:
        return base._version
    return t._version


def _as_array(value: Any, dtype: Any = None) -> np.ndarray:
    if isinstance(value, Tensor):
        value = value.data
    array = np.asarray(value, dtype=dtype)
    if array.dtype == object or array.dtype.kind in "USV":
        raise TypeError(
            f"tensor: cannot make a Tensor from {type(value).__name__} with dtype {array.dtype}; "
            "expected numbers"
        )
    return array


def _holds_tensor(value: Any, requiring_grad: bool = False) -> bool:
    """Whether nested lists/tuples ``value`` hold a Tensor (one that requires grad, if asked)."""
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, Tensor):
            if v.requires_grad or not requiring_grad:
                return True
        elif type(v) in (list, tuple):
            todo.extend(v)
    return False


def _on_tape(data: Any) -> bool:
    if isinstance(data, Tensor):
        return data.requires_grad
    return type(data) in (list, tuple) and _holds_tensor(data, requiring_grad=True)


def _record_copy(data: Any, dtype: Any) -> Tensor:
    """A Tensor on the tape or nested lists holding some, as one recorded Tensor."""
    if isinstance(data, Tensor):
        from .ops import astype

        return astype(data, np.dtype(dtype or data.dtype))
    return _stack_nested(data, dtype)


def _stack_nested(value: Any, dtype: Any) -> Tensor:
    """Nested lists/tuples of Tensors and numbers as one Tensor, stacked on the tape."""
    from .ops import astype, stack

    def build(v: Any) -> Any:
        if type(v) in (list, tuple):
            if not v:
                raise ValueError("tensor: cannot stack an empty list that sits next to Tensors")
            return stack([build(item) for item in v])
        return v if isinstance(v, Tensor) else np.asarray(v)

    out = build(value)
    if not isinstance(out, Tensor):
        out = Tensor._make(out)
    if dtype is not None and out.dtype != np.dtype(dtype):
        out = astype(out, np.dtype(dtype))
    return out


def _on_tape_error(who: str) -> TypeError:
    return TypeError(
        f"{who}: the data holds a Tensor that requires grad, and requires_grad=True would start a "
        "new leaf that drops its gradient; pass t.detach() to start a new leaf deliberately, or "
        "leave out requires_grad=True to keep the value on the tape"
    )


_STORE_SUBSCR = dis.opmap["STORE_SUBSCR"]


def _written_into_ndarray() -> bool:
    """Whether the caller's caller is executing ``target[index] = value``.

    numpy converts the value of ``ndarray[i] = t`` with ``float(t)`` (no Python frame of its
    own), so this is how ``__float__`` tells that from an explicit ``float(t)``.
    """
    try:
        frame = sys._getframe(2)
    except ValueError:  # called from the bottom of the stack: no assignment
        return False
    return frame.f_code.co_code[frame.f_lasti] == _STORE_SUBSCR


def _write_error(t: Tensor) -> TypeError:
    return TypeError(
        f"cannot write a Tensor that requires grad (shape {t.shape}) into an ndarray: the value "
        "would leave the tape and its gradient would be silently lost. Collect the values in a "
        "list and call ag.tensor(list) / ag.stack to keep them on the tape, or write t.item() to "
        "leave the tape deliberately"
    )


class Tensor:
    """An n-dimensional array that records the operations applied to it.

    ``data`` is the underlying ``numpy.ndarray``; ``grad`` is filled by ``backward()`` on
    leaves that require grad, with the same shape and dtype as ``data``.

    >>> from autograd_core import Tensor
    >>> import numpy as np
    >>> x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad.numpy()
    array([2., 4., 6.])
    """

    # ``grad`` is a property over the ``_grad`` slot (assignments are checked); node
    # construction on the hot path writes ``_grad`` directly.
    # ``_base``, set only on aliases (views, detach()), is the tensor whose data they share:
    # their in-place writes bump its version too, and backward reads it (see version_of).
    __slots__ = (
        "data",
        "requires_grad",
        "_grad",
        "_version",
        *NODE_SLOTS,
        "_const",
        "_site",
        "_base",
        "__weakref__",
    )

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        if _on_tape(data):
            # A Tensor on the tape, or a list holding some: the new Tensor takes over the node
            # of a recorded copy (or stack) of them, so the gradient flows through it.
            if requires_grad:
                raise _on_tape_error("Tensor")
            from ._tensor_methods import _take_node

            recorded = _record_copy(data, dtype)
            self.data = recorded.data
            self._grad = None
            self._version = 0
            _take_node(self, recorded)
            self.requires_grad = recorded.requires_grad
            return
        array = _as_array(data, dtype)
        self.data = array
        self._grad: Optional[Tensor] = None
        self._version = 0
        self._prim = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data: np.ndarray) -> Tensor:
        # A leaf around an array already checked, skipping __init__'s conversions.
        t = object.__new__(cls)
        t.data = data
        t.requires_grad = False
        t._grad = None
        t._version = 0
        t._prim = None
        return t

    @property
    def grad(self) -> Optional[Tensor]:
        """The accumulated gradient (a Tensor of this tensor's shape and dtype), or None.

        Assigning checks shape and dtype; ``t.grad = None`` is the way to reset it.

        >>> from autograd_core import tensor
        >>> w = tensor([1.0, 2.0])
        >>> w.grad = [0.5, 0.5]
        >>> w.grad = None
        """
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                value = Tensor(value)
            data = self.data
            if value.data.shape != data.shape:
                raise ValueError(
                    f"grad: cannot assign a gradient of shape {value.data.shape} to a tensor of shape "
                    f"{data.shape}; it must match (use t.grad = None to reset it)"
                )
            if value.data.dtype != data.dtype:
                raise TypeError(
                    f"grad: cannot assign a gradient of dtype {value.data.dtype} to a tensor of dtype "
                    f"{data.dtype} (shape {data.shape}); cast it with .astype({str(data.dtype)!r})"
                )
        if STATE.flags & TRACE:  # compile replays zero_grad() and refuses other assignments
            STATE.trace.grad_assigned(self, value)
        self._grad = value

    # -- basic properties ---------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        """The shape of ``data``."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``data``."""
        return self.data.dtype

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def grad_fn(self) -> Optional[GradFn]:
        """The tape node that produced this tensor, or None for a leaf."""
        return None if self._prim is None else GradFn(self)

    @property
    def is_leaf(self) -> bool:
        """True when the tensor was not produced by a recorded op."""
        return self._prim is None

    def __len__(self) -> int:
        return len(self.data)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Mark a leaf as requiring a gradient (in place); returns ``self``.

        >>> from autograd_core import tensor
        >>> tensor([1.0]).requires_grad_().requires_grad
        True
        """
        if requires_grad and self.data.dtype.kind not in _FLOAT_KINDS:
            raise TypeError(
                f"requires_grad: only floating-point tensors can require grad, got dtype "
                f"{self.data.dtype} with shape {self.data.shape}"
            )
        if not requires_grad and self._prim is not None:
            raise ValueError("requires_grad_: cannot turn off grad on a non-leaf tensor; use .detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the tape.

        >>> from autograd_core import tensor
        >>> tensor([1.0], requires_grad=True).detach().requires_grad
        False
        """
        out = Tensor._make(self.data)
        out._base = alias_root(self)  # shares the version counter, as in PyTorch
        return out

    def numpy(self) -> np.ndarray:
        """The underlying ndarray (shared, not copied)."""
        return self.data

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number.

        >>> from autograd_core import tensor
        >>> tensor([[2.5]]).item()
        2.5
        """
        if self.data.size != 1:
            raise ValueError(
                f"item: only one-element tensors convert to a Python number, got shape {self.shape}"
            )
        if STATE.flags & TRACE:
            STATE.trace.guard(self)
        return self.data.item()

    def tolist(self) -> Any:
        """The value as nested Python lists."""
        if STATE.flags & TRACE:
            STATE.trace.guard(self)
        return self.data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if self.requires_grad:
            raise TypeError(
                f"numpy cannot convert a Tensor that requires grad (shape {self.shape}) to an ndarray: "
                "the result would leave the tape and its gradient would be silently lost. Use "
                "t.detach() or t.numpy() to leave the tape deliberately, or an autograd_core/numpy op "
                "that records (np.tanh(t), np.dot(X, t), ...); for ndarray methods such as "
                "X.dot(t), write X @ t or np.dot(X, t)"
            )
        if dtype is None:
            return self.data
        return self.data.astype(dtype, copy=bool(copy))

    def __float__(self) -> float:
        if self.requires_grad and _written_into_ndarray():
            raise _write_error(self)
        return float(self.item())

    def __int__(self) -> int:
        if self.requires_grad and _written_into_ndarray():
            raise _write_error(self)
        return int(self.item())

    def __format__(self, spec: str) -> str:
        if not spec:
            return str(self)
        if self.data.size != 1:
            raise TypeError(
                f"format: the format spec {spec!r} applies to one-element tensors, got shape {self.shape}; "
                "format t.item() of an element, or np.array2string(t.numpy())"
            )
        return format(self.data.item(), spec)

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"bool: the truth value of a tensor with shape {self.shape} is ambiguous; "
                "use .any() or .all()"
            )
        if STATE.flags & TRACE:
            STATE.trace.guard(self)
        return bool(self.data)

    def backward(
        self,
        grad: Any = None,
        retain_graph: Optional[bool] = None,
        create_graph: bool = False,
        *,
        gradient: Any = None,
    ) -> None:
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

        ``grad`` is the upstream gradient (required unless ``self`` has one element);
        ``gradient=`` is accepted as its PyTorch name.
        ``retain_graph`` defaults to ``create_graph``, as in PyTorch; without it the saved
        values are freed and a second backward through the same graph raises.

        >>> from autograd_core import tensor
        >>> x = tensor(3.0, requires_grad=True)
        >>> (x ** 2).backward()
        >>> x.grad.item()
        6.0
        """
        from ._backward import run_backward

        if gradient is not None:
            if grad is not None:
                raise TypeError("backward: pass the upstream gradient once, as grad= or as gradient=")
            grad = gradient
        run_backward(self, grad, retain_graph, create_graph)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = [f"dtype={self.data.dtype}", f"shape={self.data.shape}"]
        if self._prim is not None:
            extras.append(f"grad_fn={self._prim.name}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"tensor({body}, {', '.join(extras)})"


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Build a Tensor from a number, nested list or ndarray (the data is copied).

    Python floats become float64, as in numpy. Tensors that require grad, given directly or
    inside (nested) lists, stay on the tape: the result is their recorded copy or stack.

    >>> from autograd_core import tensor
    >>> tensor([[1.0, 2.0]], requires_grad=True).shape
    (1, 2)
    """
    if _on_tape(data):  # a copy on the tape, as torch's clone()
        out = Tensor(data, dtype=dtype, requires_grad=requires_grad)
        if isinstance(data, Tensor) and out.data is data.data:
            out.data = out.data.copy()
        return out
    if isinstance(data, Tensor):
        data = data.data
    return Tensor(np.array(data, dtype=dtype), requires_grad=requires_grad)
