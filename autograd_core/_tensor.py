"""The ``Tensor``: an ndarray plus the tape node that produced it.

Arithmetic operators and methods are attached in ``_tensor_methods`` once the ops exist,
so this module stays free of import cycles.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

_FLOAT_KINDS = "fc"


# A tape node is a plain list, built once per recorded op on the hottest path:
# [primitive, args, kwargs, diff, seq, stamp, site]. ``seq`` grows monotonically, so every
# input's node has a smaller number than its consumer's and replaying nodes in decreasing
# ``seq`` is a valid backward order. ``args`` (the op's inputs, Tensors or constants) is
# set to None when backward frees the graph. ``diff`` lists the argument positions that
# receive a gradient; ``stamp`` is the mutation clock at record time; ``site`` the
# (file, line) of user code, recorded only under detect_anomaly().
PRIM, ARGS, KWARGS, DIFF, SEQ, STAMP, SITE = range(7)


class GradFn:
    """A read-only view of the tape node that produced a tensor (``tensor.grad_fn``).

    >>> from autograd_core import tensor
    >>> (tensor([1.0], requires_grad=True) * 2).grad_fn.name
    'mul'
    """

    __slots__ = ("_node",)

    def __init__(self, node: list) -> None:
        self._node = node

    @property
    def name(self) -> str:
        """The op's registered name."""
        return self._node[PRIM].name

    @property
    def seq(self) -> int:
        """The node's sequence number on the tape."""
        return self._node[SEQ]

    @property
    def inputs(self) -> tuple:
        """The op's inputs that receive a gradient (empty once the graph is freed)."""
        args = self._node[ARGS]
        return () if args is None else tuple(args[i] for i in self._node[DIFF])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradFn) and other._node is self._node

    def __hash__(self) -> int:
        return id(self._node)

    def __repr__(self) -> str:
        return f"<{self.name}Backward seq={self.seq}>"


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

    __slots__ = ("data", "requires_grad", "grad", "_node", "_version", "__weakref__")
    __array_ufunc__ = None  # make ``ndarray <op> Tensor`` defer to our reflected operators

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        array = _as_array(data, dtype)
        self.data = array
        self.grad: Optional[Tensor] = None
        self._node: Optional[list] = None
        self._version = 0
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data: np.ndarray, node: Optional[list]) -> Tensor:
        # Hot path: every recorded op builds its output here, skipping __init__'s checks.
        t = object.__new__(cls)
        t.data = data
        t.requires_grad = node is not None
        t.grad = None
        t._node = node
        t._version = 0
        return t

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
        return None if self._node is None else GradFn(self._node)

    @property
    def is_leaf(self) -> bool:
        """True when the tensor was not produced by a recorded op."""
        return self._node is None

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
        if not requires_grad and self._node is not None:
            raise ValueError("requires_grad_: cannot turn off grad on a non-leaf tensor; use .detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the tape.

        >>> from autograd_core import tensor
        >>> tensor([1.0], requires_grad=True).detach().requires_grad
        False
        """
        return Tensor._make(self.data, None)

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
        return self.data.item()

    def tolist(self) -> Any:
        """The value as nested Python lists."""
        return self.data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if dtype is None:
            return self.data
        return self.data.astype(dtype, copy=bool(copy))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"bool: the truth value of a tensor with shape {self.shape} is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self.data)

    def backward(
        self,
        grad: Any = None,
        retain_graph: Optional[bool] = None,
        create_graph: bool = False,
    ) -> None:
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

        ``grad`` is the upstream gradient (required unless ``self`` has one element).
        ``retain_graph`` defaults to ``create_graph``, as in PyTorch; without it the saved
        values are freed and a second backward through the same graph raises.

        >>> from autograd_core import tensor
        >>> x = tensor(3.0, requires_grad=True)
        >>> (x ** 2).backward()
        >>> x.grad.item()
        6.0
        """
        from ._backward import run_backward

        run_backward(self, grad, retain_graph, create_graph)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = [f"dtype={self.data.dtype}", f"shape={self.data.shape}"]
        if self._node is not None:
            extras.append(f"grad_fn={self._node[PRIM].name}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"tensor({body}, {', '.join(extras)})"


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """Build a leaf Tensor from a number, nested list or ndarray (the data is copied).

    Python floats become float64, as in numpy.

    >>> from autograd_core import tensor
    >>> tensor([[1.0, 2.0]], requires_grad=True).shape
    (1, 2)
    """
    if isinstance(data, Tensor):
        data = data.data
    return Tensor(np.array(data, dtype=dtype), requires_grad=requires_grad)
